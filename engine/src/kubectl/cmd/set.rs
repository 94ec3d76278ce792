//! `kubectl set env|resources|serviceaccount|selector` (`set image` is in
//! `patch.rs`): each changes the pod template (or a Service's selector) of
//! the objects named, as a patch, and says `<kind>/<name> <what> updated`.

use super::common::{dry_run, print, DryRun};
use super::create::misc::canonical_quantity;
use super::label::resources_and_pairs;
use super::select::{select, Allow, Item};
use crate::api::{self, object};
use crate::apiserver::PatchType;
use crate::kubectl::flags::{Flag, Parsed};
use crate::kubectl::{Command, Context};
use crate::output::Output;
use serde_json::{json, Map, Value};

pub const ENV: Command = Command {
    name: "set env",
    short: "Update environment variables on a pod template",
    usage: "kubectl set env RESOURCE/NAME KEY_1=VAL_1 ... KEY_N=VAL_N [options]",
    flags: &[
        Flag::bool("all", "If true, select all resources in the namespace of the specified resource types"),
        Flag::bool("allow-missing-template-keys", "If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats.").default("true").unsupported(),
        Flag::string("containers", "*", "The names of containers in the selected pod templates to change - may use wildcards").short('c'),
        Flag::string("dry-run", "none", "Must be \"none\", \"server\", or \"client\". If client strategy, only print the object that would be sent, without sending it. If server strategy, submit server-side request without persisting the resource."),
        Flag::strings("env", "Specify a key-value pair for an environment variable to set into each container.").short('e'),
        Flag::string("field-manager", "kubectl-set", "Name of the manager used to track field ownership."),
        Flag::strings("filename", "Filename, directory, or URL to files the resource to update the env").short('f'),
        Flag::string("from", "", "The name of a resource from which to inject environment variables"),
        Flag::strings("keys", "Comma-separated list of keys to import from specified resource"),
        Flag::string("kustomize", "", "Process the kustomization directory. This flag can't be used together with -f or -R.").short('k').unsupported(),
        Flag::bool("list", "If true, display the environment and any changes in the standard format. this flag will removed when we have kubectl view env."),
        Flag::bool("local", "If true, set env will NOT contact api-server but run locally."),
        Flag::string("output", "", "Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).").short('o'),
        Flag::bool("overwrite", "If true, allow environment to be overwritten, otherwise reject updates that overwrite existing environment.").default("true"),
        Flag::string("prefix", "", "Prefix to append to variable names"),
        Flag::bool("recursive", "Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.").short('R'),
        Flag::bool("resolve", "If true, show secret or configmap references when listing variables"),
        Flag::string("selector", "", "Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l key1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the specified label constraints.").short('l'),
        Flag::bool("show-managed-fields", "If true, keep the managedFields when printing objects in JSON or YAML format.").unsupported(),
        Flag::string("template", "", "Template string or path to template file to use when -o=go-template, -o=go-template-file. The template format is golang templates [http://golang.org/pkg/text/template/#pkg-overview].").unsupported(),
    ],
    run: run_env,
};

pub const RESOURCES: Command = Command {
    name: "set resources",
    short: "Update resource requests/limits on objects with pod templates",
    usage: "kubectl set resources (-f FILENAME | TYPE NAME)  ([--limits=LIMITS & --requests=REQUESTS] [options]",
    flags: &[
        Flag::bool("all", "Select all resources, in the namespace of the specified resource types"),
        Flag::bool("allow-missing-template-keys", "If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats.").default("true").unsupported(),
        Flag::string("containers", "*", "The names of containers in the selected pod templates to change, all containers are selected by default - may use wildcards").short('c'),
        Flag::string("dry-run", "none", "Must be \"none\", \"server\", or \"client\". If client strategy, only print the object that would be sent, without sending it. If server strategy, submit server-side request without persisting the resource."),
        Flag::string("field-manager", "kubectl-set", "Name of the manager used to track field ownership."),
        Flag::strings("filename", "Filename, directory, or URL to files identifying the resource to get from a server.").short('f'),
        Flag::string("kustomize", "", "Process the kustomization directory. This flag can't be used together with -f or -R.").short('k').unsupported(),
        Flag::string("limits", "", "The resource requirement requests for this container.  For example, 'cpu=100m,memory=256Mi'.  Note that server side components may assign requests depending on the server configuration, such as limit ranges."),
        Flag::bool("local", "If true, set resources will NOT contact api-server but run locally."),
        Flag::string("output", "", "Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).").short('o'),
        Flag::bool("recursive", "Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.").short('R'),
        Flag::string("requests", "", "The resource requirement requests for this container.  For example, 'cpu=100m,memory=256Mi'.  Note that server side components may assign requests depending on the server configuration, such as limit ranges."),
        Flag::string("selector", "", "Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l key1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the specified label constraints.").short('l'),
        Flag::bool("show-managed-fields", "If true, keep the managedFields when printing objects in JSON or YAML format.").unsupported(),
        Flag::string("template", "", "Template string or path to template file to use when -o=go-template, -o=go-template-file. The template format is golang templates [http://golang.org/pkg/text/template/#pkg-overview].").unsupported(),
    ],
    run: run_resources,
};

pub const SERVICEACCOUNT: Command = Command {
    name: "set serviceaccount",
    short: "Update the service account of a resource",
    usage: "kubectl set serviceaccount (-f FILENAME | TYPE NAME) SERVICE_ACCOUNT [options]",
    flags: &[
        Flag::bool("all", "Select all resources, in the namespace of the specified resource types"),
        Flag::bool("allow-missing-template-keys", "If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats.").default("true").unsupported(),
        Flag::string("dry-run", "none", "Must be \"none\", \"server\", or \"client\". If client strategy, only print the object that would be sent, without sending it. If server strategy, submit server-side request without persisting the resource."),
        Flag::string("field-manager", "kubectl-set", "Name of the manager used to track field ownership."),
        Flag::strings("filename", "Filename, directory, or URL to files identifying the resource to get from a server.").short('f'),
        Flag::string("kustomize", "", "Process the kustomization directory. This flag can't be used together with -f or -R.").short('k').unsupported(),
        Flag::bool("local", "If true, set serviceaccount will NOT contact api-server but run locally."),
        Flag::string("output", "", "Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).").short('o'),
        Flag::bool("recursive", "Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.").short('R'),
        Flag::bool("show-managed-fields", "If true, keep the managedFields when printing objects in JSON or YAML format.").unsupported(),
        Flag::string("template", "", "Template string or path to template file to use when -o=go-template, -o=go-template-file. The template format is golang templates [http://golang.org/pkg/text/template/#pkg-overview].").unsupported(),
    ],
    run: run_serviceaccount,
};

pub const SELECTOR_COMMAND: Command = Command {
    name: "set selector",
    short: "Set the selector on a resource",
    usage: "kubectl set selector (-f FILENAME | TYPE NAME) EXPRESSIONS [--resource-version=version] [options]",
    flags: &[
        Flag::bool("all", "Select all resources in the namespace of the specified resource types"),
        Flag::bool("allow-missing-template-keys", "If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats.").default("true").unsupported(),
        Flag::string("dry-run", "none", "Must be \"none\", \"server\", or \"client\". If client strategy, only print the object that would be sent, without sending it. If server strategy, submit server-side request without persisting the resource."),
        Flag::string("field-manager", "kubectl-set", "Name of the manager used to track field ownership."),
        Flag::strings("filename", "identifying the resource.").short('f'),
        Flag::bool("local", "If true, annotation will NOT contact api-server but run locally."),
        Flag::string("output", "", "Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).").short('o'),
        Flag::bool("recursive", "Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.").default("true").short('R'),
        Flag::string("resource-version", "", "If non-empty, the selectors update will only succeed if this is the current resource-version for the object. Only valid when specifying a single resource."),
        Flag::bool("show-managed-fields", "If true, keep the managedFields when printing objects in JSON or YAML format.").unsupported(),
        Flag::string("template", "", "Template string or path to template file to use when -o=go-template, -o=go-template-file. The template format is golang templates [http://golang.org/pkg/text/template/#pkg-overview].").unsupported(),
    ],
    run: run_selector,
};

/// Where an object keeps its pod spec.
fn pod_spec_path(kind: &str) -> &'static str {
    match kind {
        "Pod" => "/spec",
        "CronJob" => "/spec/jobTemplate/spec/template/spec",
        _ => "/spec/template/spec",
    }
}

fn has_pod_spec(kind: &str) -> bool {
    matches!(
        kind,
        "Pod"
            | "Deployment"
            | "ReplicaSet"
            | "StatefulSet"
            | "DaemonSet"
            | "Job"
            | "CronJob"
            | "ReplicationController"
    )
}

/// A shell-style wildcard match, as kubectl matches `-c` (Go's
/// `path.Match`: `*`, `?`, `[…]`).
fn glob(pattern: &str, name: &str) -> bool {
    crate::shell::glob::matches(pattern, name)
}

/// Sends the changed object as a patch (or prints it on a client dry
/// run); collects errors in kubectl's words.
fn apply_change(
    ctx: &mut Context<'_>,
    p: &Parsed,
    out: &mut Output,
    errors: &mut Vec<String>,
    item: &Item,
    changed: Value,
    (verb, what): (&str, &str),
) {
    if p.bool("local") {
        print(out, p, &changed, verb, DryRun::None);
        return;
    }
    let dry = dry_run(p).unwrap_or(DryRun::None);
    if dry != DryRun::None {
        print(out, p, &changed, verb, dry);
        return;
    }
    let Some(diff) = super::edit::merge_diff(&item.obj, &changed) else {
        print(out, p, &item.obj, verb, dry);
        return;
    };
    match ctx.cluster.apiserver.patch(
        item.res,
        item.ns.as_deref(),
        &item.name,
        PatchType::Merge,
        &diff,
    ) {
        Ok(o) => print(out, p, &o, verb, dry),
        Err(e) => errors.push(format!(
            "error: failed to patch {what} update to pod template: {}",
            e.kubectl_text()
        )),
    }
}

fn finish(mut out: Output, errors: &[String]) -> Output {
    for e in errors {
        out.err(format!("{e}\n"));
    }
    if !errors.is_empty() {
        out.status = 1;
    }
    out
}

/// The objects to change: from the server, or with `--local` the files'
/// own objects.
fn selection(
    ctx: &mut Context<'_>,
    p: &Parsed,
    resources: &[String],
) -> Result<Vec<Item>, (Vec<Item>, Vec<String>)> {
    if p.bool("local") {
        let files = p.strings("filename");
        if files.is_empty() {
            return Err((vec![], vec![super::select::NO_RESOURCES.to_string()]));
        }
        let (infos, errors) = crate::kubectl::builder::read(ctx, &files, p.bool("recursive"));
        let items: Vec<Item> = infos
            .into_iter()
            .map(|i| Item {
                res: i.resource,
                ns: object::namespace(&i.object).map(str::to_string),
                name: object::name(&i.object).to_string(),
                obj: i.object,
                source: Some(i.source),
            })
            .collect();
        return if errors.is_empty() {
            Ok(items)
        } else {
            Err((items, errors))
        };
    }
    match select(
        ctx,
        p,
        resources,
        Allow {
            selectors: true,
            bare_type: false,
            ..Allow::default()
        },
    ) {
        Ok(s) if s.errors.is_empty() => Ok(s.items),
        Ok(s) => Err((s.items, s.errors)),
        Err(e) => Err((vec![], vec![e])),
    }
}

/// `KEY` of a ConfigMap or Secret as an environment variable's name:
/// invalid characters become `_`, then upper case.
fn key_to_env_name(key: &str) -> String {
    key.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect()
}

fn env_ref_string(from: &Value) -> String {
    if let Some(r) = from.get("configMapKeyRef") {
        return format!(
            "configmap {}, key {}",
            object::str_at(r, "name").unwrap_or(""),
            object::str_at(r, "key").unwrap_or("")
        );
    }
    if let Some(r) = from.get("secretKeyRef") {
        return format!(
            "secret {}, key {}",
            object::str_at(r, "name").unwrap_or(""),
            object::str_at(r, "key").unwrap_or("")
        );
    }
    if let Some(r) = from.get("fieldRef") {
        return format!(
            "field path {}",
            object::str_at(r, "fieldPath").unwrap_or("")
        );
    }
    if let Some(r) = from.get("resourceFieldRef") {
        let c = object::str_at(r, "containerName")
            .filter(|c| !c.is_empty())
            .map(|c| format!("{c}:"))
            .unwrap_or_default();
        return format!(
            "resource {c}{}",
            object::str_at(r, "resource").unwrap_or("")
        );
    }
    "invalid valueFrom".to_string()
}

fn run_env(ctx: &mut Context<'_>, p: &Parsed) -> Output {
    let mut out = Output::default();
    if let Err(e) = dry_run(p) {
        return out.fail(e);
    }
    let (resources, mut pairs) = match resources_and_pairs(&p.args, "env") {
        Ok(x) => x,
        Err(e) => return out.fail(e),
    };
    let mut all_pairs = p.strings("env");
    all_pairs.append(&mut pairs);
    if resources.is_empty() && p.strings("filename").is_empty() {
        return out.fail("error: one or more resources must be specified as <resource> <name> or <resource>/<name>");
    }
    let list = p.bool("list");
    let from = p.string("from").filter(|f| !f.is_empty());
    // KEY=VALUE sets, KEY- removes.
    let mut env: Vec<Value> = Vec::new();
    let mut remove: Vec<String> = Vec::new();
    for pair in &all_pairs {
        if let Some((k, v)) = pair.split_once('=') {
            if k.is_empty() {
                return out.fail(format!("error: invalid key name: {pair}"));
            }
            env.push(json!({ "name": k, "value": v }));
        } else if let Some(k) = pair.strip_suffix('-') {
            remove.push(k.to_string());
        } else {
            return out.fail(format!("error: unknown environment variable: {pair}"));
        }
    }
    if let Some(from) = from {
        let (kind, name) = from.split_once('/').unwrap_or((from, ""));
        let (res, key_ref) = match kind {
            "configmap" | "configmaps" | "cm" => ("configmaps", "configMapKeyRef"),
            "secret" | "secrets" => ("secrets", "secretKeyRef"),
            _ => return out.fail("error: unsupported resource specified in --from"),
        };
        let Some(r) = api::resolve(res) else {
            return out;
        };
        let ns = ctx.namespace.clone();
        let src = match ctx.cluster.apiserver.get(r, Some(&ns), name) {
            Ok(o) => o,
            Err(e) => return out.fail(e.kubectl_text()),
        };
        let keys = p
            .strings("keys")
            .iter()
            .flat_map(|k| k.split(',').map(str::to_string).collect::<Vec<_>>())
            .collect::<Vec<_>>();
        let prefix = p.string("prefix").unwrap_or("");
        // Go ranges over the map in random order; Dinghy takes the keys sorted.
        let data: Vec<String> = object::string_map(&src, "data")
            .into_iter()
            .map(|(k, _)| k)
            .chain(
                object::at(&src, "binaryData")
                    .and_then(Value::as_object)
                    .map(|m| m.keys().cloned().collect::<Vec<_>>())
                    .unwrap_or_default(),
            )
            .collect();
        let mut data = data;
        crate::sort::sort(&mut data);
        for key in data {
            if !keys.is_empty() && !keys.contains(&key) {
                continue;
            }
            let env_name = key_to_env_name(&key);
            if env_name != key {
                out.err(format!("Warning: key {key} transferred to {env_name}\n"));
            }
            env.push(json!({
                "name": format!("{prefix}{env_name}"),
                "valueFrom": { key_ref: { "key": key, "name": name } },
            }));
        }
    }
    let items = match selection(ctx, p, &resources) {
        Ok(i) => i,
        Err((_, e)) => return finish(out, &e),
    };
    let selector = p.string("containers").unwrap_or("*").to_string();
    let mut errors = Vec::new();
    for item in items {
        if !has_pod_spec(item.res.kind) {
            errors.push(format!(
                "error: {}/{} does not have a pod template",
                item.res.kind, item.name
            ));
            continue;
        }
        let path = pod_spec_path(item.res.kind);
        if list {
            let spec = item.obj.pointer(path).cloned().unwrap_or(Value::Null);
            for which in ["initContainers", "containers"] {
                for c in spec
                    .get(which)
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    let cname = object::str_at(c, "name").unwrap_or("");
                    if !glob(&selector, cname) {
                        continue;
                    }
                    out.out(format!(
                        "# {} {}, container {cname}\n",
                        item.res.kind, item.name
                    ));
                    for e in c.get("env").and_then(Value::as_array).into_iter().flatten() {
                        let n = object::str_at(e, "name").unwrap_or("");
                        match e.get("valueFrom") {
                            None => out.out(format!(
                                "{n}={}\n",
                                object::str_at(e, "value")
                                    .unwrap_or("")
                                    .replace('\n', "\\n")
                            )),
                            Some(f) => out.out(format!("# {n} from {}\n", env_ref_string(f))),
                        }
                    }
                }
            }
            continue;
        }
        let mut obj = item.obj.clone();
        let mut matched = false;
        if let Some(spec) = obj.pointer_mut(path) {
            for which in ["initContainers", "containers"] {
                let Some(cs) = spec.get_mut(which).and_then(Value::as_array_mut) else {
                    continue;
                };
                for c in cs.iter_mut() {
                    let cname = object::str_at(c, "name").unwrap_or("").to_string();
                    if !glob(&selector, &cname) {
                        continue;
                    }
                    matched = true;
                    let existing: Vec<Value> = c
                        .get("env")
                        .and_then(Value::as_array)
                        .cloned()
                        .unwrap_or_default();
                    let updated = update_env(&existing, &env, &remove);
                    if let Some(m) = c.as_object_mut() {
                        if updated.is_empty() {
                            m.remove("env");
                        } else {
                            m.insert("env".into(), Value::Array(updated));
                        }
                    }
                }
            }
        }
        if !matched {
            out.err(format!(
                "Warning: {}/{} does not have any containers matching \"{selector}\"\n",
                item.res.kind, item.name
            ));
            continue;
        }
        // Nothing changed: kubectl sends no patch and prints nothing.
        if obj == item.obj {
            continue;
        }
        apply_change(
            ctx,
            p,
            &mut out,
            &mut errors,
            &item,
            obj,
            ("env updated", "env"),
        );
    }
    finish(out, &errors)
}

/// kubectl's `updateEnv`: existing variables keep their place (replaced
/// by a newer value of the same name), new ones are appended, removed ones
/// dropped.
fn update_env(existing: &[Value], env: &[Value], remove: &[String]) -> Vec<Value> {
    let name = |v: &Value| object::str_at(v, "name").unwrap_or("").to_string();
    let mut covered: Vec<String> = remove.to_vec();
    let mut out = Vec::new();
    for e in existing {
        let n = name(e);
        if covered.contains(&n) {
            continue;
        }
        if let Some(newer) = env.iter().find(|x| name(x) == n) {
            covered.push(n);
            out.push(newer.clone());
            continue;
        }
        out.push(e.clone());
    }
    for e in env {
        let n = name(e);
        if covered.contains(&n) {
            continue;
        }
        covered.push(n);
        out.push(e.clone());
    }
    out
}

/// `cpu=100m,memory=256Mi` as a resource list, quantities canonical.
fn canonical_quantity_list(s: &str) -> Result<Map<String, Value>, String> {
    let mut m = Map::new();
    for kv in s.split(',') {
        let parts: Vec<&str> = kv.split('=').collect();
        let [k, v] = parts.as_slice() else {
            return Err(format!(
                "error: Invalid argument syntax {kv}, expected <resource>=<value>"
            ));
        };
        let Some(q) = canonical_quantity(v) else {
            return Err("error: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'".into());
        };
        m.insert(k.to_string(), Value::String(q));
    }
    Ok(m)
}

fn run_resources(ctx: &mut Context<'_>, p: &Parsed) -> Output {
    let out = Output::default();
    if let Err(e) = dry_run(p) {
        return out.fail(e);
    }
    let limits = p.string("limits").unwrap_or("");
    let requests = p.string("requests").unwrap_or("");
    if p.args.is_empty() && p.strings("filename").is_empty() {
        return out.fail("error: one or more resources must be specified as <resource> <name> or <resource>/<name>");
    }
    if limits.is_empty() && requests.is_empty() {
        return out.fail("error: you must specify an update to requests or limits (in the form of --requests/--limits)");
    }
    let parse = |s: &str| -> Result<Map<String, Value>, String> {
        if s.is_empty() {
            return Ok(Map::new());
        }
        canonical_quantity_list(s)
    };
    let (limits, requests) = match (parse(limits), parse(requests)) {
        (Ok(l), Ok(r)) => (l, r),
        (Err(e), _) | (_, Err(e)) => return out.fail(e),
    };
    let items = match selection(ctx, p, &p.args) {
        Ok(i) => i,
        Err((_, e)) => return finish(out, &e),
    };
    let selector = p.string("containers").unwrap_or("*").to_string();
    let mut out = out;
    let mut errors = Vec::new();
    for item in items {
        if !has_pod_spec(item.res.kind) {
            errors.push(format!(
                "error: {}/{} does not have a pod template",
                item.res.kind, item.name
            ));
            continue;
        }
        let mut obj = item.obj.clone();
        let mut matched = false;
        if let Some(cs) = obj
            .pointer_mut(&format!("{}/containers", pod_spec_path(item.res.kind)))
            .and_then(Value::as_array_mut)
        {
            for c in cs.iter_mut() {
                if !glob(&selector, object::str_at(c, "name").unwrap_or("")) {
                    continue;
                }
                matched = true;
                let res = c
                    .as_object_mut()
                    .map(|m| m.entry("resources").or_insert_with(|| json!({})));
                let Some(Value::Object(res)) = res else {
                    continue;
                };
                for (key, values) in [("limits", &limits), ("requests", &requests)] {
                    if values.is_empty() {
                        continue;
                    }
                    let slot = res.entry(key).or_insert_with(|| json!({}));
                    if let Value::Object(m) = slot {
                        for (k, v) in values {
                            m.insert(k.clone(), v.clone());
                        }
                    }
                }
            }
        }
        if !matched {
            errors.push(format!("error: unable to find container named {selector}"));
            continue;
        }
        apply_change(
            ctx,
            p,
            &mut out,
            &mut errors,
            &item,
            obj,
            ("resource requirements updated", "resources"),
        );
    }
    finish(out, &errors)
}

fn run_serviceaccount(ctx: &mut Context<'_>, p: &Parsed) -> Output {
    let out = Output::default();
    if let Err(e) = dry_run(p) {
        return out.fail(e);
    }
    let Some((sa, resources)) = p.args.split_last() else {
        return out.fail("error: serviceaccount is required\nSee 'kubectl set serviceaccount -h' for help and examples");
    };
    if resources.is_empty() && p.strings("filename").is_empty() {
        return out.fail("error: serviceaccount is required\nSee 'kubectl set serviceaccount -h' for help and examples");
    }
    let items = match selection(ctx, p, resources) {
        Ok(i) => i,
        Err((_, e)) => return finish(out, &e),
    };
    let mut out = out;
    let mut errors = Vec::new();
    for item in items {
        if !has_pod_spec(item.res.kind) {
            errors.push(format!(
                "error: {}/{} does not have a pod template",
                item.res.kind, item.name
            ));
            continue;
        }
        let mut obj = item.obj.clone();
        if let Some(Value::Object(spec)) = obj.pointer_mut(pod_spec_path(item.res.kind)) {
            spec.insert("serviceAccountName".into(), json!(sa));
        }
        apply_change(
            ctx,
            p,
            &mut out,
            &mut errors,
            &item,
            obj,
            ("serviceaccount updated", "serviceaccount"),
        );
    }
    finish(out, &errors)
}

fn run_selector(ctx: &mut Context<'_>, p: &Parsed) -> Output {
    let out = Output::default();
    if let Err(e) = dry_run(p) {
        return out.fail(e);
    }
    let Some((expr, resources)) = p.args.split_last() else {
        return out.fail("error: one or more resources must be specified as <resource> <name> or <resource>/<name>");
    };
    let mut selector = Map::new();
    for part in expr.split(',').filter(|s| !s.is_empty()) {
        match part.split_once('=') {
            Some((k, v)) => {
                selector.insert(k.trim_end_matches('=').to_string(), json!(v.trim_start_matches('=')));
            }
            None => {
                return out.fail(format!(
                    "error: couldn't parse the selector string \"{expr}\": unable to parse requirement: found '', expected: '=', '!=', '==', 'in', notin'"
                ))
            }
        }
    }
    let items = match selection(ctx, p, resources) {
        Ok(i) => i,
        Err((_, e)) => return finish(out, &e),
    };
    let mut out = out;
    let mut errors = Vec::new();
    for item in items {
        let mut obj = item.obj.clone();
        match item.res.kind {
            "Service" => {
                if let Some(Value::Object(spec)) = obj.get_mut("spec") {
                    spec.insert("selector".into(), Value::Object(selector.clone()));
                }
            }
            _ if has_pod_spec(item.res.kind) && item.res.kind != "Pod" => {
                if let Some(Value::Object(spec)) = obj.get_mut("spec") {
                    spec.insert(
                        "selector".into(),
                        json!({ "matchLabels": Value::Object(selector.clone()) }),
                    );
                }
            }
            _ => {
                errors.push(format!(
                    "error: the {} kind does not have a selector",
                    item.res.kind
                ));
                continue;
            }
        }
        apply_change(
            ctx,
            p,
            &mut out,
            &mut errors,
            &item,
            obj,
            ("selector updated", "selector"),
        );
    }
    finish(out, &errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_updates_keep_places() {
        let existing = vec![
            json!({"name": "A", "value": "1"}),
            json!({"name": "B", "value": "2"}),
        ];
        let env = vec![
            json!({"name": "B", "value": "3"}),
            json!({"name": "C", "value": "4"}),
        ];
        let got = update_env(&existing, &env, &["A".to_string()]);
        assert_eq!(
            got,
            vec![
                json!({"name": "B", "value": "3"}),
                json!({"name": "C", "value": "4"})
            ]
        );
    }

    #[test]
    fn container_wildcards() {
        assert!(glob("*", "nginx"));
        assert!(glob("ng*", "nginx"));
        assert!(glob("ngin?", "nginx"));
        assert!(!glob("web", "nginx"));
        assert_eq!(key_to_env_name("db-host.x"), "DB_HOST_X");
    }
}
