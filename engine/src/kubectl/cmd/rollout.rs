// Indexing is safe in this module: rss[len - 2] only when rss.len() >= 2.
#![allow(clippy::indexing_slicing)]
//! `kubectl rollout status|history|undo|restart|pause|resume` for
//! Deployments, with kubectl's status-viewer messages. `status` watches as
//! the real one does: the virtual clock moves while it waits, and each new
//! status line is printed as the controllers change the Deployment.

use super::common::{dry_run, print, DryRun};
use super::select::{item_error, select, Allow, Item};
use crate::api::{self, object};
use crate::apiserver::PatchType;
use crate::clock::Duration;
use crate::cluster::Cluster;
use crate::kubectl::flags::{Flag, Parsed};
use crate::kubectl::{Command, Context};
use crate::output::Output;
use serde_json::{json, Map, Value};

const REVISION: &str = "deployment.kubernetes.io/revision";
const CHANGE_CAUSE: &str = "kubernetes.io/change-cause";

pub const COMMAND: Command = Command {
    name: "rollout",
    short: "Manage the rollout of a resource",
    usage: "kubectl rollout SUBCOMMAND [options]",
    flags: &[],
    run: run_root,
};

pub const SUBCOMMANDS: &[Command] = &[
    Command {
        name: "rollout status",
        short: "Show the status of the rollout",
        usage: "kubectl rollout status (TYPE NAME | TYPE/NAME) [flags] [options]",
        flags: &[
            Flag::strings("filename", "Filename, directory, or URL to files identifying the resource to get from a server.").short('f'),
            Flag::string("kustomize", "", "Process the kustomization directory. This flag can't be used together with -f or -R.").short('k').unsupported(),
            Flag::bool("recursive", "Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.").short('R').unsupported(),
            Flag::int("revision", "0", "Pin to a specific revision for showing its status. Defaults to 0 (last revision)."),
            Flag::string("selector", "", "Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l key1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the specified label constraints.").short('l'),
            Flag::duration("timeout", "0s", "The length of time to wait before ending watch, zero means never. Any other values should contain a corresponding time unit (e.g. 1s, 2m, 3h)."),
            Flag::bool("watch", "Watch the status of the rollout until it's done.").default("true").short('w'),
        ],
        run: run_status,
    },
    Command {
        name: "rollout history",
        short: "View rollout history",
        usage: "kubectl rollout history (TYPE NAME | TYPE/NAME) [flags] [options]",
        flags: &[
            Flag::bool("allow-missing-template-keys", "If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats.").default("true").unsupported(),
            Flag::strings("filename", "Filename, directory, or URL to files identifying the resource to get from a server.").short('f'),
            Flag::string("kustomize", "", "Process the kustomization directory. This flag can't be used together with -f or -R.").short('k').unsupported(),
            Flag::string("output", "", "Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).").short('o'),
            Flag::bool("recursive", "Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.").short('R').unsupported(),
            Flag::int("revision", "0", "See the details, including podTemplate of the revision specified"),
            Flag::string("selector", "", "Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l key1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the specified label constraints.").short('l'),
            Flag::bool("show-managed-fields", "If true, keep the managedFields when printing objects in JSON or YAML format.").unsupported(),
            Flag::string("template", "", "Template string or path to template file to use when -o=go-template, -o=go-template-file. The template format is golang templates [http://golang.org/pkg/text/template/#pkg-overview].").unsupported(),
        ],
        run: run_history,
    },
    Command {
        name: "rollout undo",
        short: "Undo a previous rollout",
        usage: "kubectl rollout undo (TYPE NAME | TYPE/NAME) [flags] [options]",
        flags: &[
            Flag::bool("allow-missing-template-keys", "If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats.").default("true").unsupported(),
            Flag::string("dry-run", "none", "Must be \"none\", \"server\", or \"client\". If client strategy, only print the object that would be sent, without sending it. If server strategy, submit server-side request without persisting the resource."),
            Flag::strings("filename", "Filename, directory, or URL to files identifying the resource to get from a server.").short('f'),
            Flag::string("kustomize", "", "Process the kustomization directory. This flag can't be used together with -f or -R.").short('k').unsupported(),
            Flag::string("output", "", "Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).").short('o'),
            Flag::bool("recursive", "Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.").short('R').unsupported(),
            Flag::string("selector", "", "Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l key1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the specified label constraints.").short('l'),
            Flag::bool("show-managed-fields", "If true, keep the managedFields when printing objects in JSON or YAML format.").unsupported(),
            Flag::string("template", "", "Template string or path to template file to use when -o=go-template, -o=go-template-file. The template format is golang templates [http://golang.org/pkg/text/template/#pkg-overview].").unsupported(),
            Flag::int("to-revision", "0", "The revision to rollback to. Default to 0 (last revision)."),
        ],
        run: run_undo,
    },
    Command {
        name: "rollout restart",
        short: "Restart a resource",
        usage: "kubectl rollout restart RESOURCE [options]",
        flags: &[
            Flag::bool("allow-missing-template-keys", "If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats.").default("true").unsupported(),
            Flag::string("field-manager", "kubectl-rollout", "Name of the manager used to track field ownership."),
            Flag::strings("filename", "Filename, directory, or URL to files identifying the resource to get from a server.").short('f'),
            Flag::string("kustomize", "", "Process the kustomization directory. This flag can't be used together with -f or -R.").short('k').unsupported(),
            Flag::string("output", "", "Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).").short('o'),
            Flag::bool("recursive", "Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.").short('R').unsupported(),
            Flag::string("selector", "", "Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l key1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the specified label constraints.").short('l'),
            Flag::bool("show-managed-fields", "If true, keep the managedFields when printing objects in JSON or YAML format.").unsupported(),
            Flag::string("template", "", "Template string or path to template file to use when -o=go-template, -o=go-template-file. The template format is golang templates [http://golang.org/pkg/text/template/#pkg-overview].").unsupported(),
        ],
        run: run_restart,
    },
    Command {
        name: "rollout pause",
        short: "Mark the provided resource as paused",
        usage: "kubectl rollout pause RESOURCE [options]",
        flags: &[
            Flag::bool("allow-missing-template-keys", "If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats.").default("true").unsupported(),
            Flag::string("field-manager", "kubectl-rollout", "Name of the manager used to track field ownership."),
            Flag::strings("filename", "Filename, directory, or URL to files identifying the resource to get from a server.").short('f'),
            Flag::string("kustomize", "", "Process the kustomization directory. This flag can't be used together with -f or -R.").short('k').unsupported(),
            Flag::string("output", "", "Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).").short('o'),
            Flag::bool("recursive", "Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.").short('R').unsupported(),
            Flag::string("selector", "", "Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l key1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the specified label constraints.").short('l'),
            Flag::bool("show-managed-fields", "If true, keep the managedFields when printing objects in JSON or YAML format.").unsupported(),
            Flag::string("template", "", "Template string or path to template file to use when -o=go-template, -o=go-template-file. The template format is golang templates [http://golang.org/pkg/text/template/#pkg-overview].").unsupported(),
        ],
        run: run_pause,
    },
    Command {
        name: "rollout resume",
        short: "Resume a paused resource",
        usage: "kubectl rollout resume RESOURCE [options]",
        flags: &[
            Flag::bool("allow-missing-template-keys", "If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats.").default("true").unsupported(),
            Flag::string("field-manager", "kubectl-rollout", "Name of the manager used to track field ownership."),
            Flag::strings("filename", "Filename, directory, or URL to files identifying the resource to get from a server.").short('f'),
            Flag::string("kustomize", "", "Process the kustomization directory. This flag can't be used together with -f or -R.").short('k').unsupported(),
            Flag::string("output", "", "Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).").short('o'),
            Flag::bool("recursive", "Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.").short('R').unsupported(),
            Flag::string("selector", "", "Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l key1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the specified label constraints.").short('l'),
            Flag::bool("show-managed-fields", "If true, keep the managedFields when printing objects in JSON or YAML format.").unsupported(),
            Flag::string("template", "", "Template string or path to template file to use when -o=go-template, -o=go-template-file. The template format is golang templates [http://golang.org/pkg/text/template/#pkg-overview].").unsupported(),
        ],
        run: run_resume,
    },
];

fn run_root(_: &mut Context<'_>, p: &Parsed) -> Output {
    let mut out = Output::default();
    match p.args.first() {
        Some(_) => super::unknown_subcommand(p, "rollout"),
        None => {
            // cobra's help, on stdout, yet exit status 1.
            out.out(crate::kubectl::help::command(&COMMAND));
            out.status = 1;
            out
        }
    }
}

/// The objects a rollout subcommand acts on; `required resource not specified` when none.
fn items(ctx: &mut Context<'_>, p: &Parsed) -> Result<(Vec<Item>, Vec<String>), String> {
    if p.args.is_empty() && p.strings("filename").is_empty() {
        return Err("error: required resource not specified".into());
    }
    let sel = select(
        ctx,
        p,
        &p.args,
        Allow {
            selectors: true,
            bare_type: false,
            ..Allow::default()
        },
    )?;
    Ok((sel.items, sel.errors))
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

fn int(o: &Value, path: &str) -> i64 {
    object::at(o, path).and_then(Value::as_i64).unwrap_or(0)
}

/// The Deployment status viewer: the message and whether the rollout is done.
fn deployment_status(d: &Value, revision: i64) -> Result<(String, bool), String> {
    let name = object::name(d);
    if revision > 0 {
        let rev = object::str_at(
            d,
            &format!("metadata.annotations.{}", REVISION.replace('.', "\\.")),
        )
        .and_then(|r| r.parse::<i64>().ok())
        .or_else(|| {
            object::string_map(d, "metadata.annotations")
                .into_iter()
                .find(|(k, _)| k == REVISION)
                .and_then(|(_, v)| v.parse().ok())
        })
        .unwrap_or(0);
        if rev != revision {
            return Err(format!(
                "error: desired revision ({revision}) is different from the running revision ({rev})"
            ));
        }
    }
    if int(d, "metadata.generation") <= int(d, "status.observedGeneration") {
        let timed_out = object::at(d, "status.conditions")
            .and_then(Value::as_array)
            .is_some_and(|cs| {
                cs.iter().any(|c| {
                    object::str_at(c, "type") == Some("Progressing")
                        && object::str_at(c, "reason") == Some("ProgressDeadlineExceeded")
                })
            });
        if timed_out {
            return Err(format!(
                "error: deployment \"{name}\" exceeded its progress deadline"
            ));
        }
        let replicas = object::at(d, "spec.replicas")
            .and_then(Value::as_i64)
            .unwrap_or(1);
        let updated = int(d, "status.updatedReplicas");
        let total = int(d, "status.replicas");
        let available = int(d, "status.availableReplicas");
        if updated < replicas {
            return Ok((format!("Waiting for deployment \"{name}\" rollout to finish: {updated} out of {replicas} new replicas have been updated...\n"), false));
        }
        if total > updated {
            return Ok((format!("Waiting for deployment \"{name}\" rollout to finish: {} old replicas are pending termination...\n", total - updated), false));
        }
        if available < updated {
            return Ok((format!("Waiting for deployment \"{name}\" rollout to finish: {available} of {updated} updated replicas are available...\n"), false));
        }
        return Ok((
            format!("deployment \"{name}\" successfully rolled out\n"),
            true,
        ));
    }
    Ok((
        "Waiting for deployment spec update to be observed...\n".into(),
        false,
    ))
}

/// How long `rollout status` may move the clock while watching.
const WATCH_LIMIT: Duration = Duration::from_secs(900);

fn run_status(ctx: &mut Context<'_>, p: &Parsed) -> Output {
    let mut out = Output::default();
    let revision: i64 = p
        .string("revision")
        .and_then(|r| r.parse().ok())
        .unwrap_or(0);
    if revision < 0 {
        return out.fail(format!(
            "error: revision must be a positive integer: {revision}"
        ));
    }
    let (items, errors) = match items(ctx, p) {
        Ok(x) => x,
        Err(e) => return out.fail(e),
    };
    if !errors.is_empty() {
        return finish(out, &errors);
    }
    let watch = p.string("watch") != Some("false");
    for item in items {
        if item.res.kind != "Deployment" {
            return out.fail(format!(
                "error: no status viewer has been implemented for {}",
                item.res.kind
            ));
        }
        // rollout_status.go watches the object: the status is printed at
        // the first (listed) version and at every change of it, until the
        // rollout is done. The clock runs from wakeup to wakeup
        // (`step_until`), and the Deployment is read again only when the
        // store changed.
        let mut seen: Option<String> = None;
        let mut failed: Option<String> = None;
        let mut look = |cluster: &Cluster| {
            let d = match cluster
                .apiserver
                .get(item.res, item.ns.as_deref(), &item.name)
            {
                Ok(d) => d,
                Err(_) => {
                    failed = Some("error: object has been deleted".into());
                    return true;
                }
            };
            let version = object::str_at(&d, "metadata.resourceVersion").map(String::from);
            if seen.is_some() && seen == version {
                return false;
            }
            seen = version;
            match deployment_status(&d, revision) {
                Err(e) => {
                    failed = Some(e);
                    true
                }
                Ok((msg, done)) => {
                    out.out(&msg);
                    done || !watch
                }
            }
        };
        ctx.cluster.step_until(WATCH_LIMIT, &mut look);
        if let Some(e) = failed {
            return out.fail(e);
        }
    }
    out
}

fn revision_of(o: &Value) -> Option<i64> {
    object::string_map(o, "metadata.annotations")
        .into_iter()
        .find(|(k, _)| k == REVISION)
        .and_then(|(_, v)| v.parse().ok())
}

fn replicasets_of(ctx: &Context<'_>, d: &Value) -> Vec<Value> {
    let Some(rs) = api::resolve("replicasets.apps") else {
        return vec![];
    };
    let uid = object::str_at(d, "metadata.uid").unwrap_or("");
    ctx.cluster
        .apiserver
        .list(rs, object::namespace(d))
        .into_iter()
        .filter(|r| {
            object::at(r, "metadata.ownerReferences")
                .and_then(Value::as_array)
                .is_some_and(|os| os.iter().any(|o| object::str_at(o, "uid") == Some(uid)))
        })
        .collect()
}

fn strip_hash(t: &Value) -> Value {
    let mut t = t.clone();
    if let Some(l) = t
        .pointer_mut("/metadata/labels")
        .and_then(Value::as_object_mut)
    {
        l.remove("pod-template-hash");
        if l.is_empty() {
            if let Some(m) = t.pointer_mut("/metadata").and_then(Value::as_object_mut) {
                m.remove("labels");
            }
        }
    }
    t
}

/// `printTemplate`: a revision's pod template as `describe` prints it.
fn template_text(t: &Value) -> String {
    super::describe::pod_template_text(t)
}

fn run_history(ctx: &mut Context<'_>, p: &Parsed) -> Output {
    let mut out = Output::default();
    let revision: i64 = p
        .string("revision")
        .and_then(|r| r.parse().ok())
        .unwrap_or(0);
    let (items, errors) = match items(ctx, p) {
        Ok(x) => x,
        Err(e) => return out.fail(e),
    };
    let mut errors = errors;
    for item in items {
        if item.res.kind != "Deployment" {
            errors.push(format!(
                "error: no history viewer has been implemented for \"{}\"",
                item.res.kind
            ));
            continue;
        }
        let mut history: Vec<(i64, Value)> = replicasets_of(ctx, &item.obj)
            .into_iter()
            .filter_map(|rs| revision_of(&rs).map(|r| (r, rs)))
            .collect();
        crate::sort::sort_by_key(&mut history, |(r, _)| *r);
        let body = if history.is_empty() {
            "No rollout history found.".to_string()
        } else if revision > 0 {
            match history.iter().find(|(r, _)| *r == revision) {
                Some((_, rs)) => {
                    let mut t = object::at(rs, "spec.template")
                        .cloned()
                        .unwrap_or(Value::Null);
                    if let Some(cause) = object::string_map(rs, "metadata.annotations")
                        .into_iter()
                        .find(|(k, _)| k == CHANGE_CAUSE)
                    {
                        object::set(
                            &mut t,
                            "metadata.annotations",
                            json!({ CHANGE_CAUSE: cause.1 }),
                        );
                    }
                    template_text(&t)
                }
                None => {
                    errors.push("error: unable to find the specified revision".into());
                    continue;
                }
            }
        } else {
            let rows: Vec<String> = std::iter::once("REVISION\tCHANGE-CAUSE\n".to_string())
                .chain(history.iter().map(|(r, rs)| {
                    let cause = object::string_map(rs, "metadata.annotations")
                        .into_iter()
                        .find(|(k, _)| k == CHANGE_CAUSE)
                        .map(|(_, v)| v)
                        .unwrap_or_else(|| "<none>".into());
                    format!("{r}\t{cause}\n")
                }))
                .collect();
            crate::go::tabwriter::format(&rows.concat(), 0, 2)
        };
        let with = if revision > 0 {
            format!("with revision #{revision}")
        } else {
            String::new()
        };
        print(
            &mut out,
            p,
            &item.obj,
            &format!("{with}\n{body}"),
            DryRun::None,
        );
    }
    finish(out, &errors)
}

fn run_undo(ctx: &mut Context<'_>, p: &Parsed) -> Output {
    let mut out = Output::default();
    let dry = match dry_run(p) {
        Ok(d) => d,
        Err(e) => return out.fail(e),
    };
    let to: i64 = p
        .string("to-revision")
        .and_then(|r| r.parse().ok())
        .unwrap_or(0);
    let (items, mut errors) = match items(ctx, p) {
        Ok(x) => x,
        Err(e) => return out.fail(e),
    };
    for item in items {
        if item.res.kind != "Deployment" {
            errors.push(format!(
                "error: no rollbacker has been implemented for \"{}\"",
                item.res.kind
            ));
            continue;
        }
        let d = &item.obj;
        let mut rss: Vec<(i64, Value)> = replicasets_of(ctx, d)
            .into_iter()
            .filter_map(|rs| revision_of(&rs).map(|r| (r, rs)))
            .collect();
        crate::sort::sort_by_key(&mut rss, |(r, _)| *r);
        let target = if to > 0 {
            match rss.iter().find(|(r, _)| *r == to) {
                Some((_, rs)) => rs.clone(),
                None => {
                    errors.push(format!(
                        "error: unable to find specified revision {to} in history"
                    ));
                    continue;
                }
            }
        } else if rss.len() >= 2 {
            rss[rss.len() - 2].1.clone()
        } else {
            errors.push(format!(
                "error: no rollout history found for deployment \"{}\"",
                item.name
            ));
            continue;
        };
        let target_rev = revision_of(&target).unwrap_or(0);
        let template = object::at(&target, "spec.template")
            .cloned()
            .unwrap_or(Value::Null);
        if dry == DryRun::Client {
            print(&mut out, p, d, &template_text(&strip_hash(&template)), dry);
            continue;
        }
        if object::at(d, "spec.paused").and_then(Value::as_bool) == Some(true) {
            errors.push("error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again".into());
            continue;
        }
        let current = object::at(d, "spec.template")
            .cloned()
            .unwrap_or(Value::Null);
        if strip_hash(&template) == strip_hash(&current) {
            print(
                &mut out,
                p,
                d,
                &format!(
                    "skipped rollback (current template already matches revision {target_rev})"
                ),
                dry,
            );
            continue;
        }
        // The Deployment's own bookkeeping annotations stay; the rest come from the ReplicaSet.
        let skip = [
            super::apply::LAST_APPLIED,
            REVISION,
            "deployment.kubernetes.io/revision-history",
            "deployment.kubernetes.io/desired-replicas",
            "deployment.kubernetes.io/max-replicas",
            "deprecated.deployment.rollback.to",
        ];
        let mut ann = Map::new();
        for (k, v) in object::string_map(d, "metadata.annotations") {
            if skip.contains(&k.as_str()) {
                ann.insert(k, Value::String(v));
            }
        }
        for (k, v) in object::string_map(&target, "metadata.annotations") {
            if !skip.contains(&k.as_str()) {
                ann.insert(k, Value::String(v));
            }
        }
        let patch = json!([
            { "op": "replace", "path": "/spec/template", "value": strip_hash(&template) },
            { "op": "replace", "path": "/metadata/annotations", "value": Value::Object(ann) },
        ]);
        match ctx.cluster.apiserver.patch(
            item.res,
            item.ns.as_deref(),
            &item.name,
            PatchType::Json,
            &patch,
        ) {
            Ok(o) => print(&mut out, p, &o, "rolled back", dry),
            Err(e) => errors.push(format!(
                "error: failed restoring revision {target_rev}: {}",
                e.message()
            )),
        }
    }
    finish(out, &errors)
}

fn run_restart(ctx: &mut Context<'_>, p: &Parsed) -> Output {
    let mut out = Output::default();
    let (items, mut errors) = match items(ctx, p) {
        Ok(x) => x,
        Err(e) => return out.fail(e),
    };
    for item in items {
        if !matches!(item.res.kind, "Deployment" | "DaemonSet" | "StatefulSet") {
            errors.push(format!(
                "error: {}/{} restarting is not supported",
                item.res.plural, item.name
            ));
            continue;
        }
        let now = ctx.cluster.now().rfc3339();
        let patch = json!({"spec":{"template":{"metadata":{"annotations":{"kubectl.kubernetes.io/restartedAt": now}}}}});
        match ctx.cluster.apiserver.patch(
            item.res,
            item.ns.as_deref(),
            &item.name,
            PatchType::Strategic,
            &patch,
        ) {
            Ok(o) => print(&mut out, p, &o, "restarted", DryRun::None),
            Err(e) => errors.push(format!("error: failed to patch: {}", e.message())),
        }
    }
    finish(out, &errors)
}

fn set_paused(ctx: &mut Context<'_>, p: &Parsed, paused: bool) -> Output {
    let mut out = Output::default();
    let (items, mut errors) = match items(ctx, p) {
        Ok(x) => x,
        Err(e) => return out.fail(e),
    };
    let word = if paused { "paused" } else { "resumed" };
    for item in items {
        if item.res.kind != "Deployment" {
            let verb = if paused { "pausing" } else { "resuming" };
            errors.push(format!(
                "error: {}/{} {verb} is not supported",
                item.res.plural, item.name
            ));
            continue;
        }
        let current = object::at(&item.obj, "spec.paused")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        if current == paused {
            print(
                &mut out,
                p,
                &item.obj,
                &format!("already {word}"),
                DryRun::None,
            );
            continue;
        }
        let patch =
            json!({"spec":{"paused": if paused { Value::Bool(true) } else { Value::Null }}});
        match ctx.cluster.apiserver.patch(
            item.res,
            item.ns.as_deref(),
            &item.name,
            PatchType::Strategic,
            &patch,
        ) {
            Ok(o) => print(&mut out, p, &o, word, DryRun::None),
            Err(e) => errors.push(item_error(&item, &e, "patching")),
        }
    }
    finish(out, &errors)
}

fn run_pause(ctx: &mut Context<'_>, p: &Parsed) -> Output {
    set_paused(ctx, p, true)
}

fn run_resume(ctx: &mut Context<'_>, p: &Parsed) -> Output {
    set_paused(ctx, p, false)
}
