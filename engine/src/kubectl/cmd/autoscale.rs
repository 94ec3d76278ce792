//! `kubectl autoscale (TYPE NAME | TYPE/NAME | -f FILE) [--min N] --max N
//! [--cpu-percent P]`: an `autoscaling/v2` HorizontalPodAutoscaler for a
//! scalable object, as kubectl v1.33 builds it.

use super::common::{self, check_output, create_error, dry_run, print, DryRun};
use super::select::{select, Allow};
use crate::api;
use crate::kubectl::flags::{Flag, Parsed};
use crate::kubectl::{Command, Context};
use crate::output::Output;
use serde_json::{json, Map, Value};

pub const COMMAND: Command = Command {
    name: "autoscale",
    short: "Auto-scale a deployment, replica set, stateful set, or replication controller",
    usage: "kubectl autoscale (-f FILENAME | TYPE NAME | TYPE/NAME) [--min=MINPODS] --max=MAXPODS [--cpu-percent=CPU] [options]",
    flags: &[
        Flag::bool("allow-missing-template-keys", "If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats.").default("true").unsupported(),
        Flag::int("cpu-percent", "-1", "The target average CPU utilization (represented as a percent of requested CPU) over all the pods. If it's not specified or negative, a default autoscaling policy will be used."),
        Flag::string("dry-run", "none", "Must be \"none\", \"server\", or \"client\". If client strategy, only print the object that would be sent, without sending it. If server strategy, submit server-side request without persisting the resource."),
        Flag::string("field-manager", "kubectl-autoscale", "Name of the manager used to track field ownership."),
        Flag::strings("filename", "Filename, directory, or URL to files identifying the resource to autoscale.").short('f'),
        Flag::string("kustomize", "", "Process the kustomization directory. This flag can't be used together with -f or -R.").short('k').unsupported(),
        Flag::int("max", "-1", "The upper limit for the number of pods that can be set by the autoscaler. Required."),
        Flag::int("min", "-1", "The lower limit for the number of pods that can be set by the autoscaler. If it's not specified or negative, the server will apply a default value."),
        Flag::string("name", "", "The name for the newly created object. If not specified, the name of the input resource will be used."),
        Flag::string("output", "", "Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).").short('o'),
        Flag::bool("recursive", "Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.").short('R'),
        Flag::bool("save-config", "If true, the configuration of current object will be saved in its annotation. Otherwise, the annotation will be unchanged. This flag is useful when you want to perform kubectl apply on this object in the future."),
        Flag::bool("show-managed-fields", "If true, keep the managedFields when printing objects in JSON or YAML format.").unsupported(),
        Flag::string("template", "", "Template string or path to template file to use when -o=go-template, -o=go-template-file. The template format is golang templates [http://golang.org/pkg/text/template/#pkg-overview].").unsupported(),
    ],
    run,
};

fn int(p: &Parsed, name: &str) -> i64 {
    p.string(name).and_then(|v| v.parse().ok()).unwrap_or(-1)
}

fn run(ctx: &mut Context<'_>, p: &Parsed) -> Output {
    let mut out = Output::default();
    if !p.is_set("max") {
        return out.fail("error: required flag(s) \"max\" not set");
    }
    let dry = match dry_run(p) {
        Ok(d) => d,
        Err(e) => return out.fail(e),
    };
    if let Err(e) = check_output(p) {
        return out.fail(e);
    }
    let (min, max, cpu) = (int(p, "min"), int(p, "max"), int(p, "cpu-percent"));
    if max < 1 {
        return out.fail(format!(
            "error: --max=MAXPODS is required and must be at least 1, max: {max}"
        ));
    }
    if max < min {
        return out.fail(format!(
            "error: --max=MAXPODS must be larger or equal to --min=MINPODS, max: {max}, min: {min}"
        ));
    }
    let sel = match select(ctx, p, &p.args, Allow::default()) {
        Ok(s) => s,
        Err(e) => return out.fail(e),
    };
    let mut errors = sel.errors;
    for item in sel.items {
        if !matches!(
            item.res.kind,
            "Deployment" | "ReplicaSet" | "StatefulSet" | "ReplicationController"
        ) {
            let gv = format!("{}/{}", item.res.group, item.res.version);
            errors.push(format!(
                "error: cannot autoscale a {}: could not find scale subresource for {gv}, Resource={} in discovery information",
                item.res.kind, item.res.plural
            ));
            continue;
        }
        let name = p
            .string("name")
            .filter(|n| !n.is_empty())
            .unwrap_or(&item.name)
            .to_string();
        // Field order is the Go structs' (it shows in -o json).
        let mut spec = Map::new();
        spec.insert(
            "scaleTargetRef".into(),
            json!({ "kind": item.res.kind, "name": item.name, "apiVersion": item.res.api_version() }),
        );
        if min > 0 {
            spec.insert("minReplicas".into(), json!(min));
        }
        spec.insert("maxReplicas".into(), json!(max));
        if cpu >= 0 {
            spec.insert(
                "metrics".into(),
                json!([{ "type": "Resource", "resource": { "name": "cpu", "target": { "type": "Utilization", "averageUtilization": cpu } } }]),
            );
        }
        let hpa = json!({
            "kind": "HorizontalPodAutoscaler",
            "apiVersion": "autoscaling/v2",
            "metadata": { "name": name, "creationTimestamp": null },
            "spec": Value::Object(spec),
            "status": { "desiredReplicas": 0, "currentMetrics": null },
        });
        // A dry run says "created", a real one "autoscaled" (kubectl's words).
        if dry == DryRun::Client {
            print(&mut out, p, &hpa, "created", dry);
            continue;
        }
        let Some(res) = api::resolve("horizontalpodautoscalers.autoscaling") else {
            continue;
        };
        let ns = item.ns.clone().unwrap_or_else(|| ctx.namespace.clone());
        if dry == DryRun::Server {
            if ctx.cluster.apiserver.get(res, Some(&ns), &name).is_ok() {
                let e = crate::apiserver::ApiError::already_exists(res, &name);
                errors.push(create_error(&e, None));
            } else {
                print(&mut out, p, &hpa, "created", dry);
            }
            continue;
        }
        let mut body = common::strip_client_nulls(hpa);
        if let Some(s) = body.as_object_mut() {
            s.remove("status");
        }
        let now = ctx.cluster.now();
        match ctx.cluster.apiserver.create(res, Some(&ns), body, now) {
            Ok(created) => print(&mut out, p, &created, "autoscaled", dry),
            Err(e) => errors.push(create_error(&e, None)),
        }
    }
    for e in &errors {
        out.err(format!("{e}\n"));
    }
    if !errors.is_empty() {
        out.status = 1;
    }
    out
}
