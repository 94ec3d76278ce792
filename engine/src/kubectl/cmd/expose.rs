//! `kubectl expose`: a Service for a pod, service, replication controller,
//! deployment or replica set, its selector and ports taken from the object
//! as kubectl's introspection does.

use super::common::{self, create_error, dry_run, print, DryRun};
use crate::api::{object, Resource};
use crate::kubectl::builder;
use crate::kubectl::flags::{Flag, Parsed};
use crate::kubectl::{Command, Context};
use crate::output::Output;
use serde_json::{json, Map, Value};

pub const COMMAND: Command = Command {
    name: "expose",
    short: "Take a replication controller, service, deployment or pod and expose it as a new Kubernetes service",
    usage: "kubectl expose (-f FILENAME | TYPE NAME) [--port=port] [--protocol=TCP|UDP|SCTP] [--target-port=number-or-name] [--name=name] [--external-ip=external-ip-of-service] [--type=type] [options]",
    flags: &[
        Flag::bool("allow-missing-template-keys", "If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats.").default("true").unsupported(),
        Flag::string("cluster-ip", "", "ClusterIP to be assigned to the service. Leave empty to auto-allocate, or set to 'None' to create a headless service."),
        Flag::string("dry-run", "none", "Must be \"none\", \"server\", or \"client\". If client strategy, only print the object that would be sent, without sending it. If server strategy, submit server-side request without persisting the resource."),
        Flag::string("external-ip", "", "Additional external IP address (not managed by Kubernetes) to accept for the service. If this IP is routed to a node, the service can be accessed by this IP in addition to its generated service IP."),
        Flag::string("field-manager", "kubectl-expose", "Name of the manager used to track field ownership."),
        Flag::strings("filename", "Filename, directory, or URL to files identifying the resource to expose a service").short('f'),
        Flag::string("kustomize", "", "Process the kustomization directory. This flag can't be used together with -f or -R.").short('k').unsupported(),
        Flag::string("labels", "", "Labels to apply to the service created by this call.").short('l'),
        Flag::string("load-balancer-ip", "", "IP to assign to the LoadBalancer. If empty, an ephemeral IP will be created and used (cloud-provider specific)."),
        Flag::string("name", "", "The name for the newly created object."),
        Flag::string("output", "", "Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).").short('o'),
        Flag::string("override-type", "merge", "The method used to override the generated object: json, merge, or strategic."),
        Flag::string("overrides", "", "An inline JSON override for the generated object. If this is non-empty, it is used to override the generated object. Requires that the object supply a valid apiVersion field."),
        Flag::string("port", "", "The port that the service should serve on. Copied from the resource being exposed, if unspecified"),
        Flag::string("protocol", "", "The network protocol for the service to be created. Default is 'TCP'."),
        Flag::bool("recursive", "Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.").short('R').unsupported(),
        Flag::bool("save-config", "If true, the configuration of current object will be saved in its annotation. Otherwise, the annotation will be unchanged. This flag is useful when you want to perform kubectl apply on this object in the future."),
        Flag::string("selector", "", "A label selector to use for this service. Only equality-based selector requirements are supported. If empty (the default) infer the selector from the replication controller or replica set.)"),
        Flag::string("session-affinity", "", "If non-empty, set the session affinity for the service to this; legal values: 'None', 'ClientIP'"),
        Flag::bool("show-managed-fields", "If true, keep the managedFields when printing objects in JSON or YAML format.").unsupported(),
        Flag::string("target-port", "", "Name or number for the port on the container that the service should direct traffic to. Optional."),
        Flag::string("template", "", "Template string or path to template file to use when -o=go-template, -o=go-template-file. The template format is golang templates [http://golang.org/pkg/text/template/#pkg-overview].").unsupported(),
        Flag::string("type", "", "Type for this service: ClusterIP, NodePort, LoadBalancer, or ExternalName. Default is 'ClusterIP'."),
    ],
    run,
};

fn fail(msg: String) -> Output {
    Output::default().fail(msg)
}

const NO_RESOURCES: &str = "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'";

/// The selector kubectl infers from an object, or its error.
fn selector_of(res: &Resource, obj: &Value) -> Result<Map<String, Value>, String> {
    let m = |path: &str| {
        object::at(obj, path)
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default()
    };
    let sel = match res.kind {
        "Pod" => {
            let l = m("metadata.labels");
            if l.is_empty() {
                return Err("the pod has no labels and cannot be exposed".into());
            }
            l
        }
        "Service" => {
            let s = m("spec.selector");
            if s.is_empty() {
                return Err("the service has no pod selector set".into());
            }
            s
        }
        "ReplicationController" => m("spec.selector"),
        _ => {
            if object::at(obj, "spec.selector.matchExpressions")
                .and_then(Value::as_array)
                .is_some_and(|a| !a.is_empty())
            {
                return Err("couldn't convert expressions - \"matchExpressions\" to map-based selector format".into());
            }
            m("spec.selector.matchLabels")
        }
    };
    Ok(sel)
}

/// Container ports (or a service's ports) as `(port, protocol, name)`.
fn ports_of(res: &Resource, obj: &Value) -> Vec<(Value, String, String)> {
    let containers = match res.kind {
        "Pod" => object::at(obj, "spec.containers"),
        "Service" => {
            return object::at(obj, "spec.ports")
                .and_then(Value::as_array)
                .map(|ps| {
                    ps.iter()
                        .map(|p| {
                            (
                                p.get("port").cloned().unwrap_or(Value::Null),
                                object::str_at(p, "protocol").unwrap_or("TCP").to_string(),
                                object::str_at(p, "name").unwrap_or("").to_string(),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default()
        }
        _ => object::at(obj, "spec.template.spec.containers"),
    };
    containers
        .and_then(Value::as_array)
        .map(|cs| {
            cs.iter()
                .flat_map(|c| {
                    c.get("ports")
                        .and_then(Value::as_array)
                        .cloned()
                        .unwrap_or_default()
                })
                .map(|p| {
                    (
                        p.get("containerPort").cloned().unwrap_or(Value::Null),
                        object::str_at(&p, "protocol").unwrap_or("TCP").to_string(),
                        object::str_at(&p, "name").unwrap_or("").to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn run(ctx: &mut Context<'_>, p: &Parsed) -> Output {
    let dry = match dry_run(p) {
        Ok(d) => d,
        Err(e) => return fail(e),
    };
    if let Err(e) = common::check_output(p) {
        return fail(e);
    }
    let files = p.strings("filename");
    let mut objects: Vec<(&'static Resource, Value)> = Vec::new();
    if !files.is_empty() {
        let (infos, errors) = builder::read(ctx, &files, p.bool("recursive"));
        if let Some(e) = errors.into_iter().next() {
            return fail(e);
        }
        for info in infos {
            let ns = if info.resource.namespaced {
                Some(
                    object::namespace(&info.object)
                        .unwrap_or(&ctx.namespace)
                        .to_string(),
                )
            } else {
                None
            };
            match ctx.cluster.apiserver.get(
                info.resource,
                ns.as_deref(),
                object::name(&info.object),
            ) {
                Ok(o) => objects.push((info.resource, o)),
                Err(e) => return fail(e.kubectl_text()),
            }
        }
    } else {
        let targets = match common::targets(&p.args) {
            Ok(t) => t,
            Err(e) => return fail(e),
        };
        if targets.is_empty() {
            return fail(NO_RESOURCES.into());
        }
        for t in targets {
            if t.name.is_empty() {
                return fail(
                    "error: resource(s) were provided, but no name was specified".to_string(),
                );
            }
            let ns = common::ns_for(t.resource, ctx);
            match ctx
                .cluster
                .apiserver
                .get(t.resource, ns.as_deref(), &t.name)
            {
                Ok(o) => objects.push((t.resource, o)),
                Err(e) => return fail(e.kubectl_text()),
            }
        }
    }
    let mut out = Output::default();
    for (res, obj) in objects {
        if !matches!(
            res.kind,
            "Pod" | "Service" | "ReplicationController" | "Deployment" | "ReplicaSet"
        ) {
            let kind = if res.group.is_empty() {
                res.kind.to_string()
            } else {
                format!("{}.{}", res.kind, res.group)
            };
            out.err(format!("error: cannot expose a {kind}\n"));
            out.status = 1;
            return out;
        }
        let selector = match p.string("selector").filter(|s| !s.is_empty()) {
            Some(s) => match common::parse_pairs(s) {
                Some(pairs) => pairs.into_iter().map(|(k, v)| (k, json!(v))).collect(),
                None => return fail(format!("error: couldn't parse the selector string \"{s}\"")),
            },
            None => match selector_of(res, &obj) {
                Ok(s) => s,
                Err(e) => {
                    return fail(format!(
                    "error: couldn't retrieve selectors via --selector flag or introspection: {e}"
                ))
                }
            },
        };
        let protocol_flag = p.string("protocol").filter(|s| !s.is_empty());
        let target_flag = p.string("target-port").filter(|s| !s.is_empty());
        let mut ports = Vec::new();
        let mut push = |name: Option<String>, port: Value, protocol: String, target: Value| {
            let mut m = Map::new();
            if let Some(n) = name {
                m.insert("name".into(), json!(n));
            }
            m.insert("protocol".into(), json!(protocol));
            m.insert("port".into(), port);
            m.insert("targetPort".into(), target);
            ports.push(Value::Object(m));
        };
        let int_or_string = |s: &str| match s.parse::<i64>() {
            Ok(n) => json!(n),
            Err(_) => json!(s),
        };
        match p.string("port").filter(|s| !s.is_empty()) {
            Some(port) => {
                let Ok(n) = port.parse::<i64>() else {
                    return fail(format!(
                        "error: strconv.Atoi: parsing {port:?}: invalid syntax"
                    ));
                };
                let proto = protocol_flag.unwrap_or("TCP").to_string();
                let target = target_flag.map(int_or_string).unwrap_or(json!(n));
                push(None, json!(n), proto, target);
            }
            None => {
                let found = ports_of(res, &obj);
                if found.is_empty() {
                    return fail(
                        "error: couldn't find port via --port flag or introspection".into(),
                    );
                }
                let many = found.len() > 1;
                for (i, (port, proto, _)) in found.into_iter().enumerate() {
                    let proto = protocol_flag.map(str::to_string).unwrap_or(proto);
                    let target = target_flag.map(int_or_string).unwrap_or(port.clone());
                    push(many.then(|| format!("port-{}", i + 1)), port, proto, target);
                }
            }
        }
        let name = p
            .string("name")
            .filter(|s| !s.is_empty())
            .unwrap_or(object::name(&obj))
            .to_string();
        let labels = match p.string("labels").filter(|s| !s.is_empty()) {
            Some(l) => common::parse_pairs(l)
                .unwrap_or_default()
                .into_iter()
                .map(|(k, v)| (k, json!(v)))
                .collect(),
            None => object::at(&obj, "metadata.labels")
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default(),
        };
        let mut metadata = Map::new();
        metadata.insert("name".into(), json!(name));
        if p.is_set("namespace") {
            metadata.insert("namespace".into(), json!(ctx.namespace));
        }
        metadata.insert("creationTimestamp".into(), Value::Null);
        if !labels.is_empty() {
            metadata.insert("labels".into(), Value::Object(labels));
        }
        let mut spec = Map::new();
        spec.insert("ports".into(), Value::Array(ports));
        spec.insert("selector".into(), Value::Object(selector));
        if let Some(ip) = p.string("cluster-ip").filter(|s| !s.is_empty()) {
            spec.insert("clusterIP".into(), json!(ip));
        }
        if let Some(t) = p.string("type").filter(|s| !s.is_empty()) {
            spec.insert("type".into(), json!(t));
        }
        if let Some(ip) = p.string("external-ip").filter(|s| !s.is_empty()) {
            spec.insert("externalIPs".into(), json!([ip]));
        }
        if let Some(a) = p.string("session-affinity").filter(|s| !s.is_empty()) {
            spec.insert("sessionAffinity".into(), json!(a));
        }
        if let Some(ip) = p.string("load-balancer-ip").filter(|s| !s.is_empty()) {
            spec.insert("loadBalancerIP".into(), json!(ip));
        }
        let mut svc = json!({
            "kind": "Service",
            "apiVersion": "v1",
            "metadata": Value::Object(metadata),
            "spec": Value::Object(spec),
            "status": { "loadBalancer": {} },
        });
        if let Err(e) = super::run::apply_overrides(&mut svc, p) {
            return fail(e);
        }
        // As run: only what is sent is annotated.
        if dry != DryRun::Client {
            super::common::save_config(p, &mut svc);
        }
        if dry == DryRun::Client {
            print(&mut out, p, &svc, "exposed", dry);
            continue;
        }
        let Some(svc_res) = crate::api::resolve("services") else {
            return out;
        };
        let ns = ctx.namespace.clone();
        let now = ctx.cluster.now();
        match ctx
            .cluster
            .apiserver
            .create(svc_res, Some(&ns), common::strip_client_nulls(svc), now)
        {
            Ok(created) => print(&mut out, p, &created, "exposed", dry),
            Err(e) => {
                out.err(format!("{}\n", create_error(&e, None)));
                out.status = 1;
            }
        }
    }
    out
}
