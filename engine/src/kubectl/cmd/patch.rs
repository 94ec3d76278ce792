//! `kubectl patch TYPE NAME -p PATCH [--type strategic|merge|json]` and
//! `kubectl set image TYPE NAME CONTAINER=IMAGE…` (a patch of the pod
//! template's images, as kubectl builds it).

use super::common::{dry_run, print, DryRun};
use super::label::resources_and_pairs;
use super::select::{item_error, select, Allow};
use crate::apiserver::PatchType;
use crate::kubectl::flags::{Flag, Parsed};
use crate::kubectl::{Command, Context};
use crate::output::Output;
use serde_json::{json, Value};

pub const PATCH: Command = Command {
    name: "patch",
    short: "Update fields of a resource",
    usage: "kubectl patch (-f FILENAME | TYPE NAME) [-p PATCH|--patch-file FILE] [options]",
    flags: &[
        Flag::bool("allow-missing-template-keys", "If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats.").default("true").unsupported(),
        Flag::string("dry-run", "none", "Must be \"none\", \"server\", or \"client\". If client strategy, only print the object that would be sent, without sending it. If server strategy, submit server-side request without persisting the resource."),
        Flag::string("field-manager", "kubectl-patch", "Name of the manager used to track field ownership."),
        Flag::strings("filename", "Filename, directory, or URL to files identifying the resource to update").short('f'),
        Flag::string("kustomize", "", "Process the kustomization directory. This flag can't be used together with -f or -R.").short('k').unsupported(),
        Flag::bool("local", "If true, patch will operate on the content of the file, not the server-side resource."),
        Flag::string("output", "", "Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).").short('o'),
        Flag::string("patch", "", "The patch to be applied to the resource JSON file.").short('p'),
        Flag::string("patch-file", "", "A file containing a patch to be applied to the resource."),
        Flag::bool("recursive", "Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.").short('R'),
        Flag::bool("show-managed-fields", "If true, keep the managedFields when printing objects in JSON or YAML format.").unsupported(),
        Flag::string("subresource", "", "If specified, patch will operate on the subresource of the requested object."),
        Flag::string("template", "", "Template string or path to template file to use when -o=go-template, -o=go-template-file. The template format is golang templates [http://golang.org/pkg/text/template/#pkg-overview].").unsupported(),
        Flag::string("type", "strategic", "The type of patch being provided; one of [json merge strategic]"),
    ],
    run: run_patch,
};

fn run_patch(ctx: &mut Context<'_>, p: &Parsed) -> Output {
    let mut out = Output::default();
    let dry = match dry_run(p) {
        Ok(d) => d,
        Err(e) => return out.fail(e),
    };
    if p.is_set("patch") && p.is_set("patch-file") {
        return out.fail("error: cannot specify --patch and --patch-file together");
    }
    let text = if let Some(f) = p.string("patch-file").filter(|f| !f.is_empty()) {
        match super::common::read_file(ctx, f) {
            Some(b) => String::from_utf8_lossy(&b).into_owned(),
            None => {
                return out.fail(format!(
                    "error: unable to read patch file: open {f}: no such file or directory"
                ))
            }
        }
    } else {
        p.string("patch").unwrap_or("").to_string()
    };
    if text.is_empty() {
        return out.fail(
            "error: must specify --patch or --patch-file containing the contents of the patch",
        );
    }
    let kind = match p.string("type").unwrap_or("strategic") {
        "strategic" => PatchType::Strategic,
        "merge" => PatchType::Merge,
        "json" => PatchType::Json,
        other => {
            return out.fail(format!(
                "error: --type must be one of [json merge strategic], not \"{other}\""
            ))
        }
    };
    // kubectl accepts YAML or JSON for the patch.
    let body: Value = match serde_json::from_str(&text).ok().or_else(|| {
        crate::yaml::parse_documents(&text)
            .ok()
            .and_then(|d| d.into_iter().next())
    }) {
        Some(v) => v,
        None => {
            return out.fail(format!(
                "error: unable to parse \"{text}\": yaml: did not find expected node content"
            ))
        }
    };
    let sel = match select(ctx, p, &p.args, Allow::default()) {
        Ok(s) => s,
        Err(e) => return out.fail(e),
    };
    let mut errors = sel.errors;
    if sel.items.is_empty() && errors.is_empty() {
        return out.fail("error: no objects passed to patch");
    }
    for item in sel.items {
        if dry == DryRun::Client {
            print(&mut out, p, &item.obj, "patched", dry);
            continue;
        }
        let result =
            ctx.cluster
                .apiserver
                .patch(item.res, item.ns.as_deref(), &item.name, kind, &body);
        match result {
            Ok(o) => {
                // Did the patch change anything? (The server's copy, ignoring
                // the bookkeeping a write updates.)
                let strip = |v: &Value| {
                    let mut v = v.clone();
                    if let Some(m) = v.get_mut("metadata").and_then(Value::as_object_mut) {
                        m.remove("resourceVersion");
                        m.remove("generation");
                        m.remove("managedFields");
                    }
                    v
                };
                let changed = strip(&o) != strip(&item.obj);
                let op = if changed {
                    "patched"
                } else {
                    "patched (no change)"
                };
                print(&mut out, p, &o, op, dry);
            }
            Err(e) => errors.push(item_error(&item, &e, "patching")),
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

pub const SET: Command = Command {
    name: "set",
    short: "Set specific features on objects",
    usage: "kubectl set SUBCOMMAND [options]",
    flags: &[],
    run: run_set_root,
};

pub const SET_SUBCOMMANDS: &[Command] = &[Command {
    name: "set image",
    short: "Update the image of a pod template",
    usage: "kubectl set image (-f FILENAME | TYPE NAME) CONTAINER_NAME_1=CONTAINER_IMAGE_1 ... CONTAINER_NAME_N=CONTAINER_IMAGE_N [options]",
    flags: &[
        Flag::bool("all", "Select all resources, in the namespace of the specified resource types"),
        Flag::bool("allow-missing-template-keys", "If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats.").default("true").unsupported(),
        Flag::string("dry-run", "none", "Must be \"none\", \"server\", or \"client\". If client strategy, only print the object that would be sent, without sending it. If server strategy, submit server-side request without persisting the resource."),
        Flag::string("field-manager", "kubectl-set", "Name of the manager used to track field ownership."),
        Flag::strings("filename", "Filename, directory, or URL to files identifying the resource to get from a server.").short('f'),
        Flag::string("kustomize", "", "Process the kustomization directory. This flag can't be used together with -f or -R.").short('k').unsupported(),
        Flag::bool("local", "If true, set image will NOT contact api-server but run locally."),
        Flag::string("output", "", "Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).").short('o'),
        Flag::bool("recursive", "Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.").short('R'),
        Flag::string("selector", "", "Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l key1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the specified label constraints.").short('l'),
        Flag::bool("show-managed-fields", "If true, keep the managedFields when printing objects in JSON or YAML format.").unsupported(),
        Flag::string("template", "", "Template string or path to template file to use when -o=go-template, -o=go-template-file. The template format is golang templates [http://golang.org/pkg/text/template/#pkg-overview].").unsupported(),
    ],
    run: run_set_image,
},
    super::set::ENV,
    super::set::RESOURCES,
    super::set::SERVICEACCOUNT,
    super::set::SELECTOR_COMMAND,
];

fn run_set_root(_: &mut Context<'_>, p: &Parsed) -> Output {
    let out = Output::default();
    match p.args.first() {
        Some(_) => super::unknown_subcommand(p, "set"),
        None => out.fail(crate::kubectl::help::command(&SET)),
    }
}

fn run_set_image(ctx: &mut Context<'_>, p: &Parsed) -> Output {
    let mut out = Output::default();
    let dry = match dry_run(p) {
        Ok(d) => d,
        Err(e) => return out.fail(e),
    };
    let (resources, pairs) = match resources_and_pairs(&p.args, "image") {
        Ok(x) => x,
        Err(e) => return out.fail(e),
    };
    if p.bool("all") && p.is_set("selector") {
        return out.fail("error: cannot set --all and --selector at the same time");
    }
    if resources.is_empty() && p.strings("filename").is_empty() {
        return out.fail("error: one or more resources must be specified as <resource> <name> or <resource>/<name>");
    }
    if pairs.is_empty() {
        return out.fail("error: at least one image update is required");
    }
    let images: Vec<(String, String)> = pairs
        .iter()
        .filter_map(|pr| {
            pr.split_once('=')
                .map(|(a, b)| (a.to_string(), b.to_string()))
        })
        .collect();
    if images.iter().any(|(c, _)| c == "*") && images.len() > 1 {
        return out.fail("error: all containers are already specified by *, but saw more than one container_name=container_image pairs");
    }
    let sel = match select(
        ctx,
        p,
        &resources,
        Allow {
            selectors: true,
            bare_type: false,
            ..Allow::default()
        },
    ) {
        Ok(s) => s,
        Err(e) => return out.fail(e),
    };
    let mut errors = sel.errors;
    for item in sel.items {
        let spec_path = match item.res.kind {
            "Pod" => "spec",
            "CronJob" => "spec.jobTemplate.spec.template.spec",
            _ => "spec.template.spec",
        };
        let mut obj = item.obj.clone();
        let mut missing = Vec::new();
        for (name, image) in &images {
            let mut found = false;
            for list in ["initContainers", "containers"] {
                if let Some(cs) = obj
                    .pointer_mut(&format!("/{}/{list}", spec_path.replace('.', "/")))
                    .and_then(Value::as_array_mut)
                {
                    for c in cs.iter_mut() {
                        if name == "*" || c.get("name").and_then(Value::as_str) == Some(name) {
                            c["image"] = json!(image);
                            found = true;
                        }
                    }
                }
            }
            if !found {
                missing.push(format!("error: unable to find container named \"{name}\""));
            }
        }
        if !missing.is_empty() {
            errors.extend(missing);
            continue;
        }
        if dry != DryRun::None || obj == item.obj {
            print(&mut out, p, &obj, "image updated", dry);
            continue;
        }
        let Some(diff) = super::edit::merge_diff(&item.obj, &obj) else {
            continue;
        };
        match ctx.cluster.apiserver.patch(
            item.res,
            item.ns.as_deref(),
            &item.name,
            PatchType::Merge,
            &diff,
        ) {
            Ok(o) => print(&mut out, p, &o, "image updated", dry),
            Err(e) => errors.push(format!(
                "error: failed to patch image update to pod template: {}",
                e.kubectl_text()
            )),
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
