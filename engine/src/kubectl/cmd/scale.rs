//! `kubectl scale --replicas=N (TYPE NAME | -f FILE)`, through the `scale`
//! subresource, with `--current-replicas` as a precondition.

use super::common::{dry_run, print, DryRun};
use super::select::{item_error, select, Allow};
use crate::api::object;
use crate::kubectl::flags::{Flag, Parsed};
use crate::kubectl::{Command, Context};
use crate::output::Output;
use serde_json::{json, Value};

pub const COMMAND: Command = Command {
    name: "scale",
    short: "Set a new size for a deployment, replica set, or replication controller",
    usage: "kubectl scale [--resource-version=version] [--current-replicas=count] --replicas=COUNT (-f FILENAME | TYPE NAME) [options]",
    flags: &[
        Flag::bool("all", "Select all resources in the namespace of the specified resource types"),
        Flag::bool("allow-missing-template-keys", "If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats.").default("true").unsupported(),
        Flag::int("current-replicas", "-1", "Precondition for current size. Requires that the current size of the resource match this value in order to scale. -1 (default) for no condition."),
        Flag::string("dry-run", "none", "Must be \"none\", \"server\", or \"client\". If client strategy, only print the object that would be sent, without sending it. If server strategy, submit server-side request without persisting the resource."),
        Flag::strings("filename", "Filename, directory, or URL to files identifying the resource to set a new size").short('f'),
        Flag::string("kustomize", "", "Process the kustomization directory. This flag can't be used together with -f or -R.").short('k').unsupported(),
        Flag::string("output", "", "Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).").short('o'),
        Flag::bool("recursive", "Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.").short('R'),
        Flag::int("replicas", "0", "The new desired number of replicas. Required."),
        Flag::string("resource-version", "", "Precondition for resource version. Requires that the current resource version match this value in order to scale."),
        Flag::string("selector", "", "Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l key1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the specified label constraints.").short('l'),
        Flag::bool("show-managed-fields", "If true, keep the managedFields when printing objects in JSON or YAML format.").unsupported(),
        Flag::string("template", "", "Template string or path to template file to use when -o=go-template, -o=go-template-file. The template format is golang templates [http://golang.org/pkg/text/template/#pkg-overview].").unsupported(),
        Flag::duration("timeout", "0s", "The length of time to wait before giving up on a scale operation, zero means don't wait. Any other values should contain a corresponding time unit (e.g. 1s, 2m, 3h)."),
    ],
    run,
};

fn run(ctx: &mut Context<'_>, p: &Parsed) -> Output {
    let out = Output::default();
    if !p.is_set("replicas") {
        return out.fail("error: required flag(s) \"replicas\" not set");
    }
    let dry = match dry_run(p) {
        Ok(d) => d,
        Err(e) => return out.fail(e),
    };
    let replicas: i64 = p
        .string("replicas")
        .and_then(|r| r.parse().ok())
        .unwrap_or(-1);
    if replicas < 0 {
        return out.fail("error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0");
    }
    let current: i64 = p
        .string("current-replicas")
        .and_then(|r| r.parse().ok())
        .unwrap_or(-1);
    if current < -1 {
        return out.fail("error: The --current-replicas must specify an integer of -1 or greater");
    }
    let sel = match select(
        ctx,
        p,
        &p.args,
        Allow {
            selectors: true,
            bare_type: false,
            ..Allow::default()
        },
    ) {
        Ok(s) => s,
        Err(e) if e == super::select::NO_RESOURCES => {
            return out.fail("error: required resource not specified")
        }
        Err(e) => return out.fail(e),
    };
    let mut out = out;
    let mut errors = sel.errors;
    if sel.items.is_empty() && errors.is_empty() {
        return out.fail("error: no objects passed to scale");
    }
    if p.is_set("resource-version") && sel.items.len() > 1 {
        return out.fail("error: cannot use --resource-version with multiple resources");
    }
    for item in sel.items {
        if !matches!(
            item.res.kind,
            "Deployment" | "ReplicaSet" | "ReplicationController" | "StatefulSet"
        ) {
            errors.push(format!(
                "error: no objects passed to scale {}.{} \"{}\" not found",
                item.res.plural, item.res.group, item.name
            ));
            continue;
        }
        let have = object::at(&item.obj, "spec.replicas")
            .and_then(Value::as_i64)
            .unwrap_or(1);
        if current != -1 && have != current {
            errors.push(format!(
                "error: Expected replicas to be {current}, was {have}"
            ));
            continue;
        }
        if let Some(rv) = p.string("resource-version").filter(|s| !s.is_empty()) {
            if object::str_at(&item.obj, "metadata.resourceVersion") != Some(rv) {
                errors.push(
                    crate::apiserver::ApiError::conflict(item.res, &item.name).kubectl_text(),
                );
                continue;
            }
        }
        let mut shown = item.obj.clone();
        object::set(&mut shown, "spec.replicas", json!(replicas));
        if dry == DryRun::None {
            match ctx.cluster.apiserver.update_scale(
                item.res,
                item.ns.as_deref(),
                &item.name,
                replicas,
            ) {
                Ok(_) => {
                    if let Ok(o) =
                        ctx.cluster
                            .apiserver
                            .get(item.res, item.ns.as_deref(), &item.name)
                    {
                        shown = o;
                    }
                }
                Err(e) => {
                    errors.push(item_error(&item, &e, "scaling"));
                    continue;
                }
            }
        }
        print(&mut out, p, &shown, "scaled", dry);
    }
    for e in &errors {
        out.err(format!("{e}\n"));
    }
    if !errors.is_empty() {
        out.status = 1;
    }
    out
}
