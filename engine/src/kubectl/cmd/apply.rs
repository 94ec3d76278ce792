//! `kubectl apply -f`: client-side apply. The configuration applied is kept
//! in the `kubectl.kubernetes.io/last-applied-configuration` annotation; the
//! next apply computes a three-way merge of that, the new configuration and
//! the live object, so fields set by others (defaults, controllers) stay and
//! fields removed from the file go.

use super::super::builder::{self, VisitError};
use super::super::{flags::Flag, flags::Parsed, Command, Context};
use super::common::{self, DryRun};
use crate::api::object;
use crate::api::selector::LabelSelector;
use crate::output::Output;
use serde_json::{Map, Value};

pub const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

pub const COMMAND: Command = Command {
    name: "apply",
    short: "Apply a configuration to a resource by file name or stdin",
    usage: "kubectl apply (-f FILENAME | -k DIRECTORY) [options]",
    flags: &[
        Flag::bool("all", "Select all resources in the namespace of the specified resource types."),
        Flag::bool("allow-missing-template-keys", "If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats.").default("true").unsupported(),
        Flag::string("cascade", "background", "Must be \"background\", \"orphan\", or \"foreground\". Selects the deletion cascading strategy for the dependents (e.g. Pods created by a ReplicationController). Defaults to background.").unsupported(),
        Flag::string("dry-run", "none", "Must be \"none\", \"server\", or \"client\". If client strategy, only print the object that would be sent, without sending it. If server strategy, submit server-side request without persisting the resource."),
        Flag::string("field-manager", "kubectl-client-side-apply", "Name of the manager used to track field ownership."),
        Flag::strings("filename", "The files that contain the configurations to apply.").short('f'),
        Flag::bool("force", "If true, immediately remove resources from API and bypass graceful deletion. Note that immediate deletion of some resources may result in inconsistency or data loss and requires confirmation.").unsupported(),
        Flag::bool("force-conflicts", "If true, server-side apply will force the changes against conflicts.").unsupported(),
        Flag::int("grace-period", "-1", "Period of time in seconds given to the resource to terminate gracefully. Ignored if negative. Set to 1 for immediate shutdown. Can only be set to 0 when --force is true (force deletion).").unsupported(),
        Flag::string("kustomize", "", "Process a kustomization directory. This flag can't be used together with -f or -R.").short('k').unsupported(),
        Flag::bool("openapi-patch", "If true, use openapi to calculate diff when the openapi presents and the resource can be found in the openapi spec. Otherwise, fall back to use baked-in types.").default("true").unsupported(),
        Flag::string("output", "", "Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).").short('o'),
        Flag::bool("overwrite", "Automatically resolve conflicts between the modified and live configuration by using values from the modified configuration").default("true").unsupported(),
        Flag::bool("prune", "Automatically delete resource objects, that do not appear in the configs and are created by either apply or create --save-config. Should be used with either -l or --all."),
        Flag::strings("prune-allowlist", "Overwrite the default allowlist with <group/version/kind> for --prune"),
        Flag::bool("recursive", "Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.").short('R'),
        Flag::string("selector", "", "Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l key1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the specified label constraints.").short('l'),
        Flag::bool("server-side", "If true, apply runs in the server instead of the client.").unsupported(),
        Flag::bool("show-managed-fields", "If true, keep the managedFields when printing objects in JSON or YAML format.").unsupported(),
        Flag::string("subresource", "", "If specified, apply will operate on the subresource of the requested object.  Only allowed when using --server-side.").unsupported(),
        Flag::string("template", "", "Template string or path to template file to use when -o=go-template, -o=go-template-file. The template format is golang templates [http://golang.org/pkg/text/template/#pkg-overview].").unsupported(),
        Flag::duration("timeout", "0s", "The length of time to wait before giving up on a delete, zero means determine a timeout from the size of the object").unsupported(),
        Flag::string("validate", "strict", "Must be one of: strict (or true), warn, ignore (or false). \"true\" or \"strict\" will use a schema to validate the input and fail the request if invalid. It will perform server side validation if ServerSideFieldValidation is enabled on the api-server, but will fall back to less reliable client-side validation if not. \"warn\" will warn about unknown or duplicate fields without blocking the request if server-side field validation is enabled on the API server, and behave as \"ignore\" otherwise. \"false\" or \"ignore\" will not perform any schema validation, silently dropping any unknown or duplicate fields."),
        Flag::bool("wait", "If true, wait for resources to be gone before returning. This waits for finalizers.").unsupported(),
    ],
    run,
};

fn run(ctx: &mut Context<'_>, p: &Parsed) -> Output {
    let files = p.strings("filename");
    let mut out = Output::default();
    if files.is_empty() {
        return out.fail("error: must specify one of -f and -k");
    }
    // A dry run never writes; both flags are checked before anything is read.
    let dry = match common::dry_run(p) {
        Ok(d) => d,
        Err(e) => return out.fail(e),
    };
    if let Err(e) = common::check_output(p) {
        return out.fail(e);
    }
    let setup = match prune_checks(p) {
        Ok(s) => s,
        Err(e) => return out.fail(e),
    };
    let (mut infos, errors) = builder::read(ctx, &files, p.bool("recursive"));
    // `-l` also filters the objects of the files: the others are skipped.
    if let Some(sel) = &setup.0 {
        infos.retain(|i| sel.matches_object(&i.object));
    }
    if infos.is_empty() && errors.is_empty() {
        return out.fail("error: no objects passed to apply");
    }
    // What was applied, for --prune: (namespace, resource kind, name).
    let mut applied: Vec<(Option<String>, &'static str, String)> = Vec::new();
    let explicit_ns = p.is_set("namespace");
    // GetObjects' errors first, then each object's, printed after the
    // visit (see builder::VisitError).
    let mut errors: Vec<VisitError> = errors.into_iter().map(VisitError::Client).collect();
    for mut info in infos {
        let ns = match builder::namespace_for(&info, &ctx.namespace, explicit_ns) {
            Ok(ns) => ns,
            Err(e) => {
                errors.push(VisitError::Client(e));
                continue;
            }
        };
        if let Some(ns) = &ns {
            object::set(
                &mut info.object,
                "metadata.namespace",
                Value::String(ns.clone()),
            );
        }
        let kind_name = info.resource.singular_for_name();
        let name = object::name(&info.object).to_string();
        applied.push((ns.clone(), info.resource.kind, name.clone()));
        let applied = last_applied_text(&info.object);
        let now = ctx.cluster.now();
        let result = match ctx
            .cluster
            .apiserver
            .get(info.resource, ns.as_deref(), &name)
        {
            Err(_) => {
                let mut obj = info.object.clone();
                set_annotation(&mut obj, LAST_APPLIED, &applied);
                if dry != DryRun::None {
                    Ok((obj, "created"))
                } else {
                    ctx.cluster
                        .apiserver
                        .create(info.resource, ns.as_deref(), obj, now)
                        .map(|o| (o, "created"))
                        .map_err(|e| VisitError::server(e, "creating", &info.source))
                }
            }
            Ok(live) => {
                let original: Value = annotation(&live, LAST_APPLIED)
                    .and_then(|s| serde_json::from_str(&s).ok())
                    .unwrap_or(Value::Null);
                let mut merged = live.clone();
                three_way(&mut merged, &original, &info.object);
                set_annotation(&mut merged, LAST_APPLIED, &applied);
                if merged == live {
                    Ok((live, "unchanged"))
                } else if dry != DryRun::None {
                    Ok((merged, "configured"))
                } else {
                    ctx.cluster
                        .apiserver
                        .update(info.resource, ns.as_deref(), merged)
                        .map(|o| (o, "configured"))
                        .map_err(|e| VisitError::server(e, "applying patch", &info.source))
                }
            }
        };
        match result {
            Ok((obj, verb)) if p.is_set("output") => common::print(&mut out, p, &obj, verb, dry),
            Ok((_, verb)) => {
                let suffix = match dry {
                    DryRun::None => "",
                    DryRun::Client => " (dry run)",
                    DryRun::Server => " (server dry run)",
                };
                out.out(format!("{kind_name}/{name} {verb}{suffix}\n"))
            }
            Err(e) => errors.push(e),
        }
    }
    // With errors kubectl returns before its post-processor: no pruning.
    if !errors.is_empty() {
        builder::print_errors(&mut out, &errors);
        out.status = 1;
        return out;
    }
    if p.bool("prune") {
        prune(ctx, &mut out, &setup, &applied, dry);
    }
    out
}

/// What kubectl prunes when no `--prune-allowlist` is given (v1.33's
/// default list): namespaced kinds first, in this order, then the
/// cluster-scoped ones.
const PRUNE_DEFAULT: &[&str] = &[
    "configmaps",
    "endpoints",
    "namespaces",
    "persistentvolumeclaims",
    "persistentvolumes",
    "pods",
    "replicationcontrollers",
    "secrets",
    "services",
    "jobs.batch",
    "cronjobs.batch",
    "ingresses.networking.k8s.io",
    "daemonsets.apps",
    "deployments.apps",
    "replicasets.apps",
    "statefulsets.apps",
];

/// `--prune`'s preconditions (checked before anything is read): the `-l`
/// selector and the kinds to prune.
type PruneSetup = (Option<LabelSelector>, Vec<&'static crate::api::Resource>);

fn prune_checks(p: &Parsed) -> Result<PruneSetup, String> {
    let sel = p.string("selector").filter(|s| !s.is_empty());
    if p.bool("prune") {
        if p.bool("all") && sel.is_some() {
            return Err("error: cannot set --all and --selector at the same time".into());
        }
        if !p.bool("all") && sel.is_none() {
            return Err("error: all resources selected for prune without explicitly passing --all. To prune all resources, pass the --all flag. If you did not mean to prune all resources, specify a label selector".into());
        }
    }
    let allowlist = p.strings("prune-allowlist");
    let mut kinds: Vec<&'static crate::api::Resource> = Vec::new();
    if allowlist.is_empty() {
        kinds.extend(PRUNE_DEFAULT.iter().filter_map(|t| crate::api::resolve(t)));
    }
    for gvk in allowlist.iter().flat_map(|a| a.split(',')) {
        // group/version/kind, with "core" for the legacy group.
        let parts: Vec<&str> = gvk.split('/').collect();
        let [group, _version, kind] = parts[..] else {
            return Err(format!(
                "error: invalid GroupVersionKind format: {gvk}, please follow <group/version/kind>"
            ));
        };
        let group = if group == "core" { "" } else { group };
        if let Some(r) = crate::api::RESOURCES
            .iter()
            .find(|r| r.kind == kind && r.group == group)
        {
            kinds.push(r);
        }
    }
    let selector = sel
        .map(|s| {
            LabelSelector::parse(s)
                .map_err(|e| format!("error: the provided selector \"{s}\" is not valid: {e}"))
        })
        .transpose()?;
    Ok((selector, kinds))
}

/// kubectl's legacy prune: in every namespace an object was applied to
/// (and cluster-wide for cluster-scoped kinds), objects of the allowlisted
/// kinds that were applied before (they carry the last-applied
/// annotation), match the selector and were not applied now are deleted.
fn prune(
    ctx: &mut Context<'_>,
    out: &mut Output,
    (selector, kinds): &PruneSetup,
    applied: &[(Option<String>, &'static str, String)],
    dry: DryRun,
) {
    let mut namespaces: Vec<String> = applied.iter().filter_map(|(ns, _, _)| ns.clone()).collect();
    crate::sort::sort(&mut namespaces);
    namespaces.dedup();
    let scopes: Vec<(Option<String>, bool)> = namespaces
        .into_iter()
        .map(|ns| (Some(ns), true))
        .chain(std::iter::once((None, false)))
        .collect();
    let suffix = match dry {
        DryRun::None => "",
        DryRun::Client => " (dry run)",
        DryRun::Server => " (server dry run)",
    };
    for (ns, namespaced) in scopes {
        for res in kinds.iter().filter(|r| r.namespaced == namespaced) {
            let objects = ctx.cluster.apiserver.list(res, ns.as_deref());
            for o in objects {
                let name = object::name(&o).to_string();
                let was_applied = applied
                    .iter()
                    .any(|(a_ns, kind, n)| *a_ns == ns && *kind == res.kind && *n == name);
                if was_applied
                    || annotation(&o, LAST_APPLIED).is_none()
                    || selector.as_ref().is_some_and(|s| !s.matches_object(&o))
                {
                    continue;
                }
                if dry == DryRun::None
                    && ctx
                        .cluster
                        .apiserver
                        .delete(res, ns.as_deref(), &name)
                        .is_err()
                {
                    continue;
                }
                out.out(format!(
                    "{}/{name} pruned{suffix}\n",
                    res.singular_for_name()
                ));
            }
        }
    }
}

/// The annotation's value: the configuration as compact JSON with sorted
/// keys and a trailing newline, as kubectl writes it.
fn last_applied_text(config: &Value) -> String {
    let mut c = config.clone();
    if let Some(ann) = c
        .pointer_mut("/metadata/annotations")
        .and_then(Value::as_object_mut)
    {
        ann.remove(LAST_APPLIED);
        if ann.is_empty() {
            if let Some(meta) = c.pointer_mut("/metadata").and_then(Value::as_object_mut) {
                meta.remove("annotations");
            }
        }
    }
    format!(
        "{}\n",
        serde_json::to_string(&sort_keys(&c)).unwrap_or_default()
    )
}

fn sort_keys(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            crate::sort::sort(&mut keys);
            Value::Object(
                keys.into_iter()
                    .map(|k| (k.clone(), sort_keys(&m[k])))
                    .collect(),
            )
        }
        Value::Array(a) => Value::Array(a.iter().map(sort_keys).collect()),
        other => other.clone(),
    }
}

fn annotation(obj: &Value, key: &str) -> Option<String> {
    obj.get("metadata")?
        .get("annotations")?
        .get(key)?
        .as_str()
        .map(String::from)
}

fn set_annotation(obj: &mut Value, key: &str, value: &str) {
    let Some(meta) = obj.get_mut("metadata").and_then(Value::as_object_mut) else {
        return;
    };
    let ann = meta
        .entry("annotations")
        .or_insert_with(|| Value::Object(Map::new()));
    if !ann.is_object() {
        *ann = Value::Object(Map::new());
    }
    if let Some(a) = ann.as_object_mut() {
        a.insert(key.to_string(), Value::String(value.to_string()));
    }
}

/// The strategic-merge keys of the built-in list fields kubectl applies:
/// lists under these names are merged item by item (matched by the key)
/// instead of being replaced whole, so what the server added to an item
/// (defaults, injected mounts) stays.
fn merge_key(field: &str) -> Option<&'static str> {
    Some(match field {
        "containers"
        | "initContainers"
        | "ephemeralContainers"
        | "volumes"
        | "env"
        | "imagePullSecrets"
        | "hostAliases" => {
            if field == "hostAliases" {
                "ip"
            } else {
                "name"
            }
        }
        "volumeMounts" | "volumeDevices" => "mountPath",
        "ports" => "containerPort",
        "conditions" => "type",
        _ => return None,
    })
}

/// A three-way merge, as client-side apply computes it: fields in
/// `modified` are set on `live`; fields that were in `original` (the last
/// applied configuration) but are gone from `modified` are removed; lists
/// with a merge key are merged by item, other lists are replaced whole.
fn three_way(live: &mut Value, original: &Value, modified: &Value) {
    let (Some(live_m), Some(mod_m)) = (live.as_object_mut(), modified.as_object()) else {
        *live = modified.clone();
        return;
    };
    if let Some(orig_m) = original.as_object() {
        for k in orig_m.keys() {
            if !mod_m.contains_key(k) {
                live_m.remove(k);
            }
        }
    }
    for (k, mv) in mod_m {
        let ov = original.get(k).unwrap_or(&Value::Null);
        match (live_m.get_mut(k), mv) {
            (Some(lv), Value::Object(_)) if lv.is_object() => three_way(lv, ov, mv),
            (Some(Value::Array(la)), Value::Array(ma)) => {
                // Service ports merge by `port`, container ports by `containerPort`.
                let key = match merge_key(k) {
                    Some("containerPort")
                        if ma.iter().all(|i| i.get("containerPort").is_none())
                            && ma.iter().any(|i| i.get("port").is_some()) =>
                    {
                        Some("port")
                    }
                    other => other,
                };
                match key {
                    Some(key) if ma.iter().all(|i| i.get(key).is_some()) => {
                        merge_list(la, ov.as_array().map(Vec::as_slice).unwrap_or(&[]), ma, key)
                    }
                    _ => *la = ma.clone(),
                }
            }
            _ => {
                live_m.insert(k.clone(), mv.clone());
            }
        }
    }
}

fn merge_list(live: &mut Vec<Value>, original: &[Value], modified: &[Value], key: &str) {
    let id = |v: &Value| v.get(key).cloned();
    // Items the last configuration had and the new one does not: removed.
    live.retain(|item| {
        let k = id(item);
        !original.iter().any(|o| id(o) == k) || modified.iter().any(|m| id(m) == k)
    });
    let mut merged = Vec::new();
    for m in modified {
        let k = id(m);
        let o = original.iter().find(|o| id(o) == k).unwrap_or(&Value::Null);
        match live.iter().position(|l| id(l) == k) {
            Some(i) => {
                let mut item = live.remove(i);
                three_way(&mut item, o, m);
                merged.push(item);
            }
            None => merged.push(m.clone()),
        }
    }
    // Items nobody's configuration mentions (added by others) stay, after ours.
    merged.append(live);
    *live = merged;
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn three_way_keeps_others_fields_and_drops_removed_ones() {
        let mut live = json!({"spec": {"replicas": 3, "paused": true, "revisionHistoryLimit": 10}, "status": {"x": 1}});
        let original = json!({"spec": {"replicas": 3, "paused": true}});
        let modified = json!({"spec": {"replicas": 5}});
        three_way(&mut live, &original, &modified);
        assert_eq!(
            live,
            json!({"spec": {"replicas": 5, "revisionHistoryLimit": 10}, "status": {"x": 1}})
        );
    }

    #[test]
    fn lists_with_a_merge_key_merge_by_item() {
        let mut live = json!({"spec": {"containers": [
            {"name": "web", "image": "nginx:1.27", "volumeMounts": [{"mountPath": "/var/run/secrets/kubernetes.io/serviceaccount", "name": "kube-api-access-x"}]},
            {"name": "side", "image": "busybox"}
        ]}});
        let original = json!({"spec": {"containers": [{"name": "web", "image": "nginx:1.27"}, {"name": "side", "image": "busybox"}]}});
        let modified = json!({"spec": {"containers": [{"name": "web", "image": "nginx:1.28"}]}});
        three_way(&mut live, &original, &modified);
        assert_eq!(
            live,
            json!({"spec": {"containers": [
                {"name": "web", "image": "nginx:1.28", "volumeMounts": [{"mountPath": "/var/run/secrets/kubernetes.io/serviceaccount", "name": "kube-api-access-x"}]}
            ]}})
        );
    }

    #[test]
    fn last_applied_is_sorted_compact_json_with_newline() {
        let cfg = json!({"kind": "Pod", "apiVersion": "v1", "metadata": {"name": "a", "annotations": {LAST_APPLIED: "old"}}});
        assert_eq!(
            last_applied_text(&cfg),
            "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"a\"}}\n"
        );
    }
}
