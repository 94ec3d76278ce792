//! `kubectl replace -f` (a PUT of the whole object) and `--force`
//! (delete, wait until gone, create again) — the seeds' way out of a
//! refused `kubectl edit` on a pod: `kubectl replace --force -f
//! /tmp/kubectl-edit-….yaml`.

use super::super::builder::{self, VisitError};
use crate::api::object;
use crate::apiserver::DeleteOptions;
use crate::clock::Duration;
use crate::kubectl::flags::{Flag, Parsed};
use crate::kubectl::{Command, Context};
use crate::output::Output;
use serde_json::Value;

pub const COMMAND: Command = Command {
    name: "replace",
    short: "Replace a resource by file name or stdin",
    usage: "kubectl replace -f FILENAME [options]",
    flags: &[
        Flag::bool("allow-missing-template-keys", "If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats.").default("true").unsupported(),
        Flag::string("cascade", "background", "Must be \"background\", \"orphan\", or \"foreground\". Selects the deletion cascading strategy for the dependents (e.g. Pods created by a ReplicationController). Defaults to background."),
        Flag::string("dry-run", "none", "Must be \"none\", \"server\", or \"client\". If client strategy, only print the object that would be sent, without sending it. If server strategy, submit server-side request without persisting the resource."),
        Flag::string("field-manager", "kubectl-replace", "Name of the manager used to track field ownership."),
        Flag::strings("filename", "The files that contain the configurations to replace.").short('f'),
        Flag::bool("force", "If true, immediately remove resources from API and bypass graceful deletion. Note that immediate deletion of some resources may result in inconsistency or data loss and requires confirmation."),
        Flag::int("grace-period", "-1", "Period of time in seconds given to the resource to terminate gracefully. Ignored if negative. Set to 1 for immediate shutdown. Can only be set to 0 when --force is true (force deletion)."),
        Flag::string("kustomize", "", "Process a kustomization directory. This flag can't be used together with -f or -R.").short('k').unsupported(),
        Flag::string("output", "", "Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).").short('o'),
        Flag::string("raw", "", "Raw URI to PUT to the server.  Uses the transport specified by the kubeconfig file.").unsupported(),
        Flag::bool("recursive", "Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.").short('R'),
        Flag::bool("save-config", "If true, the configuration of current object will be saved in its annotation. Otherwise, the annotation will be unchanged. This flag is useful when you want to perform kubectl apply on this object in the future."),
        Flag::bool("show-managed-fields", "If true, keep the managedFields when printing objects in JSON or YAML format.").unsupported(),
        Flag::string("subresource", "", "If specified, replace will operate on the subresource of the requested object.").unsupported(),
        Flag::string("template", "", "Template string or path to template file to use when -o=go-template, -o=go-template-file. The template format is golang templates [http://golang.org/pkg/text/template/#pkg-overview].").unsupported(),
        Flag::duration("timeout", "0s", "The length of time to wait before giving up on a delete, zero means determine a timeout from the size of the object"),
        Flag::string("validate", "strict", "Must be one of: strict (or true), warn, ignore (or false). \"true\" or \"strict\" will use a schema to validate the input and fail the request if invalid. It will perform server side validation if ServerSideFieldValidation is enabled on the api-server, but will fall back to less reliable client-side validation if not. \"warn\" will warn about unknown or duplicate fields without blocking the request if server-side field validation is enabled on the API server, and behave as \"ignore\" otherwise. \"false\" or \"ignore\" will not perform any schema validation, silently dropping any unknown or duplicate fields."),
        Flag::bool("wait", "If true, wait for resources to be gone before returning. This waits for finalizers."),
    ],
    run,
};

fn run(ctx: &mut Context<'_>, p: &Parsed) -> Output {
    let mut out = Output::default();
    let force = p.bool("force");
    if p.is_set("grace-period") && !force {
        return out.fail("error: --grace-period must have --force specified");
    }
    if p.is_set("timeout") && !force {
        return out.fail("error: --timeout must have --force specified");
    }
    if force && p.is_set("dry-run") && p.string("dry-run") != Some("none") {
        return out.fail("error: --dry-run can not be used when --force is set");
    }
    let files = p.strings("filename");
    if files.is_empty() {
        return out.fail("error: must specify --filename to replace\nSee 'kubectl replace -h' for help and examples");
    }
    let (infos, errors) = builder::read(ctx, &files, p.bool("recursive"));
    let explicit = p.is_set("namespace");
    // Collected and printed after the visit, as create's (see
    // builder::VisitError): replace.go visits with ContinueOnError.
    let mut errors: Vec<VisitError> = errors.into_iter().map(VisitError::Client).collect();
    let mut targets = Vec::new();
    for info in infos {
        match builder::namespace_for(&info, &ctx.namespace, explicit) {
            Ok(ns) => targets.push((info, ns)),
            Err(e) => errors.push(VisitError::Client(e)),
        }
    }
    if force {
        let grace: i64 = p
            .string("grace-period")
            .and_then(|g| g.parse().ok())
            .unwrap_or(-1);
        if grace == 0 {
            out.err("Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n");
        }
        let mut deleted = Vec::new();
        for (info, ns) in &targets {
            let name = object::name(&info.object).to_string();
            let now = ctx.cluster.now();
            let opts = DeleteOptions {
                grace_period_seconds: (grace >= 0).then_some(grace),
                ..Default::default()
            };
            match ctx
                .cluster
                .apiserver
                .delete_with(info.resource, ns.as_deref(), &name, opts, now)
            {
                Ok(_) => {
                    let op = if grace == 0 {
                        "force deleted"
                    } else {
                        "deleted"
                    };
                    out.out(format!(
                        "{} \"{name}\" {op}\n",
                        info.resource.singular_for_name()
                    ));
                    deleted.push((info.resource, ns.clone(), name));
                }
                Err(e) => errors.push(VisitError::server(e, "deleting", &info.source)),
            }
        }
        if !errors.is_empty() {
            return finish(out, &errors);
        }
        ctx.cluster.settle();
        // Waits (up to five minutes) for what it deleted to be gone. kubectl
        // polls once a second (PollUntilContextTimeout, immediate): the
        // cluster runs from wakeup to wakeup to the moment it went, then to
        // the poll that sees it.
        let start = ctx.cluster.now();
        let gone = ctx.cluster.step_until(Duration::from_secs(300), |cluster| {
            !deleted
                .iter()
                .any(|(r, ns, n)| cluster.apiserver.exists(r, ns.as_deref(), n))
        });
        if !gone {
            return out.fail("error: timed out waiting for the condition");
        }
        let into_poll = (ctx.cluster.now() - start).as_millis() % 1000;
        if into_poll > 0 {
            ctx.cluster.step(Duration::from_millis(1000 - into_poll));
        }
        for (info, ns) in targets {
            let mut obj = info.object.clone();
            if let Some(meta) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
                meta.remove("resourceVersion");
            }
            let now = ctx.cluster.now();
            match ctx
                .cluster
                .apiserver
                .create(info.resource, ns.as_deref(), obj, now)
            {
                Ok(o) => {
                    super::common::print(&mut out, p, &o, "replaced", super::common::DryRun::None)
                }
                Err(e) => errors.push(VisitError::server(e, "creating", &info.source)),
            }
        }
        return finish(out, &errors);
    }
    for (info, ns) in targets {
        let name = object::name(&info.object).to_string();
        let mut obj = info.object.clone();
        if let Some(ns) = &ns {
            object::set(&mut obj, "metadata.namespace", Value::String(ns.clone()));
        }
        if object::str_at(&obj, "metadata.resourceVersion").is_none_or(str::is_empty) {
            // An object without a resourceVersion replaces whatever is there.
            match ctx
                .cluster
                .apiserver
                .get(info.resource, ns.as_deref(), &name)
            {
                Ok(live) => {
                    if let Some(rv) = object::str_at(&live, "metadata.resourceVersion") {
                        object::set(
                            &mut obj,
                            "metadata.resourceVersion",
                            Value::String(rv.to_string()),
                        );
                    }
                }
                Err(e) => {
                    errors.push(VisitError::server(e, "replacing", &info.source));
                    continue;
                }
            }
        }
        match ctx
            .cluster
            .apiserver
            .update(info.resource, ns.as_deref(), obj)
        {
            Ok(o) => super::common::print(&mut out, p, &o, "replaced", super::common::DryRun::None),
            Err(e) => errors.push(VisitError::server(e, "replacing", &info.source)),
        }
    }
    finish(out, &errors)
}

fn finish(mut out: Output, errors: &[VisitError]) -> Output {
    builder::print_errors(&mut out, errors);
    if !errors.is_empty() {
        out.status = 1;
    }
    out
}
