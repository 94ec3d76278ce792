// Indexing is safe in this module: items[0] only when items.len() == 1.
#![allow(clippy::indexing_slicing)]
//! `kubectl edit`: the object as YAML under kubectl's header in
//! `/tmp/kubectl-edit-<digits>.yaml`, the editor, then a patch of what
//! changed. An invalid edit reopens the editor with the server's reasons
//! in the header; leaving it unchanged ends with the copy kept and
//! kubectl's `Edit cancelled, no valid changes were saved.`
//!
//! The editor itself is not kubectl's business here: the caller (the
//! shell) passes it in [`Context::terminal`] as "open this file, return when
//! it is saved" — `$KUBE_EDITOR`/`$EDITOR` as a command, or a terminal's
//! full-screen editor. Without one, the temp file is written and kubectl
//! says so, as it does when the editor cannot start.

use super::select::{select, Allow, Item};
use crate::api::object;
use crate::apiserver::{ApiError, PatchType};
use crate::kubectl::flags::{Flag, Parsed};
use crate::kubectl::{Command, Context};
use crate::node::fs;
use crate::output::Output;
use serde_json::{Map, Value};

pub const COMMAND: Command = Command {
    name: "edit",
    short: "Edit a resource on the server",
    usage: "kubectl edit (RESOURCE/NAME | -f FILENAME) [options]",
    flags: &[
        Flag::bool("allow-missing-template-keys", "If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats.").default("true").unsupported(),
        Flag::string("field-manager", "kubectl-edit", "Name of the manager used to track field ownership."),
        Flag::strings("filename", "Filename, directory, or URL to files to use to edit the resource").short('f'),
        Flag::string("kustomize", "", "Process the kustomization directory. This flag can't be used together with -f or -R.").short('k').unsupported(),
        Flag::string("output", "", "Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).").short('o'),
        Flag::bool("output-patch", "Output the patch if the resource is edited."),
        Flag::bool("recursive", "Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.").short('R'),
        Flag::bool("save-config", "If true, the configuration of current object will be saved in its annotation. Otherwise, the annotation will be unchanged. This flag is useful when you want to perform kubectl apply on this object in the future."),
        Flag::bool("show-managed-fields", "If true, keep the managedFields when printing objects in JSON or YAML format.").unsupported(),
        Flag::string("subresource", "", "If specified, edit will operate on the subresource of the requested object."),
        Flag::string("template", "", "Template string or path to template file to use when -o=go-template, -o=go-template-file. The template format is golang templates [http://golang.org/pkg/text/template/#pkg-overview].").unsupported(),
        Flag::string("validate", "strict", "Must be one of: strict (or true), warn, ignore (or false). \"true\" or \"strict\" will use a schema to validate the input and fail the request if invalid. It will perform server side validation if ServerSideFieldValidation is enabled on the api-server, but will fall back to less reliable client-side validation if not. \"warn\" will warn about unknown or duplicate fields without blocking the request if server-side field validation is enabled on the API server, and behave as \"ignore\" otherwise. \"false\" or \"ignore\" will not perform any schema validation, silently dropping any unknown or duplicate fields."),
        Flag::bool("windows-line-endings", "Defaults to the line ending native to your platform."),
        Flag::string("selector", "", "Selector (label query) to filter on").short('l').hidden(),
    ],
    run,
};

const HEADER: &str = "# Please edit the object below. Lines beginning with a '#' will be ignored,\n# and an empty file will abort the edit. If an error occurs while saving this file will be\n# reopened with the relevant failures.\n#\n";

/// Lines that are comments go (`cmdutil.StripComments`).
fn strip_comments(text: &str) -> String {
    text.lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .map(|l| format!("{l}\n"))
        .collect()
}

/// A JSON merge patch taking `from` to `to` (objects recursively, lists whole).
pub fn merge_diff(from: &Value, to: &Value) -> Option<Value> {
    match (from, to) {
        (Value::Object(a), Value::Object(b)) => {
            let mut patch = Map::new();
            for (k, vb) in b {
                match a.get(k) {
                    Some(va) if va == vb => {}
                    Some(va) => {
                        if let Some(d) = merge_diff(va, vb) {
                            patch.insert(k.clone(), d);
                        }
                    }
                    None => {
                        patch.insert(k.clone(), vb.clone());
                    }
                }
            }
            for k in a.keys() {
                if !b.contains_key(k) {
                    patch.insert(k.clone(), Value::Null);
                }
            }
            (!patch.is_empty()).then_some(Value::Object(patch))
        }
        (a, b) if a == b => None,
        (_, b) => Some(b.clone()),
    }
}

fn temp_path(ctx: &Context<'_>, n: u64) -> String {
    let mut rng = crate::rng::Rng::new(
        ctx.cluster.seed()
            ^ ctx.cluster.apiserver.store().revision() as u64
            ^ n.wrapping_mul(0x9E37_79B9),
    );
    format!("/tmp/kubectl-edit-{}.yaml", rng.next_u64() as u32)
}

fn write(ctx: &mut Context<'_>, path: &str, text: &str) {
    let node = ctx.node.clone();
    if let Some(m) = ctx.cluster.machine_mut(&node) {
        let _ = m.fs.mkdir_p("/tmp");
        let _ = m.fs.write(path, text.as_bytes(), false);
    }
}

fn read(ctx: &Context<'_>, path: &str) -> String {
    ctx.cluster
        .machine(&ctx.node)
        .and_then(|m| m.fs.read_to_string(&fs::normalize("/", path)).ok())
        .unwrap_or_default()
}

fn resource_string(item: &Item) -> String {
    if item.res.group.is_empty() {
        item.res.plural.to_string()
    } else {
        format!("{}.{}", item.res.plural, item.res.group)
    }
}

fn run(ctx: &mut Context<'_>, p: &Parsed) -> Output {
    let mut out = Output::default();
    if p.args.is_empty() && p.strings("filename").is_empty() {
        return out.fail(super::select::NO_RESOURCES);
    }
    let sel = match select(
        ctx,
        p,
        &p.args,
        Allow {
            selectors: true,
            bare_type: true,
            ..Allow::default()
        },
    ) {
        Ok(s) => s,
        Err(e) => return out.fail(e),
    };
    if let Some(e) = sel.errors.first() {
        return out.fail(e);
    }
    let items = sel.items;
    if items.is_empty() {
        return out.fail("error: edit cancelled, no objects found");
    }
    let original_obj = if items.len() == 1 {
        items[0].obj.clone()
    } else {
        serde_json::json!({
            "apiVersion": "v1",
            "items": items.iter().map(|i| i.obj.clone()).collect::<Vec<_>>(),
            "kind": "List",
            "metadata": {},
        })
    };
    let original_yaml = crate::yaml::to_string(&original_obj);
    let mut reasons: Vec<(String, Vec<String>)> = Vec::new();
    let mut edited = String::new();
    let mut contains_error = false;
    for round in 0..20u64 {
        let mut buf = String::from(HEADER);
        for (head, other) in &reasons {
            if other.is_empty() {
                buf.push_str(&format!("# {head}\n"));
            } else {
                buf.push_str(&format!("# {head}:\n"));
            }
            for o in other {
                buf.push_str(&format!("# * {}\n", o.replace('\n', "\n# ")));
            }
            buf.push_str("#\n");
        }
        if contains_error {
            buf.push_str(&strip_comments(&edited));
        } else {
            buf.push_str(&original_yaml);
        }
        let path = temp_path(ctx, round);
        write(ctx, &path, &buf);
        let previous = edited.clone();
        let Some(terminal) = ctx.terminal.as_mut() else {
            out.err(format!(
                "A copy of your changes has been stored to \"{path}\"\n"
            ));
            return out.fail("error: unable to launch the editor \"vi\"");
        };
        let ed_out = terminal.edit(ctx.cluster, &path);
        if ed_out.status == crate::shell::editor::SUSPENDED {
            // The editor is open in the host; this runs again when it is answered.
            return ed_out;
        }
        // What the editor prints goes to the terminal, as a real editor's screen does.
        for (stream, text) in &ed_out.chunks {
            match stream {
                crate::output::Stream::Stdout if ed_out.status == 0 => out.out(text),
                crate::output::Stream::Stderr if ed_out.status == 0 => out.err(text),
                _ => {}
            }
        }
        if ed_out.status != 0 {
            let launched = ed_out.status != 127;
            out.extend(ed_out);
            out.err(format!(
                "A copy of your changes has been stored to \"{path}\"\n"
            ));
            return out.fail(if launched {
                "error: there was a problem with the editor"
            } else {
                "error: unable to launch the editor"
            });
        }
        edited = read(ctx, &path);
        if contains_error && strip_comments(&previous) == strip_comments(&edited) {
            out.err(format!(
                "A copy of your changes has been stored to \"{path}\"\n"
            ));
            return out.fail("error: Edit cancelled, no valid changes were saved.");
        }
        let stripped = strip_comments(&edited);
        if strip_comments(&(HEADER.to_string() + &original_yaml)) == stripped {
            out.err("Edit cancelled, no changes made.\n");
            return out;
        }
        if stripped.trim().is_empty() {
            out.err("Edit cancelled, saved file was empty.\n");
            return out;
        }
        let docs = match crate::yaml::parse_documents(&stripped) {
            Ok(d) => d,
            Err(e) => {
                contains_error = true;
                reasons = vec![(
                    format!("The edited file had a syntax error: error converting YAML to JSON: yaml: {}", e.0),
                    vec![],
                )];
                continue;
            }
        };
        let updated: Vec<Value> = match docs.as_slice() {
            [one] if one.get("kind").and_then(Value::as_str) == Some("List") => one
                .get("items")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default(),
            many => many.to_vec(),
        };
        reasons.clear();
        contains_error = false;
        let mut failed = false;
        for (item, new) in items.iter().zip(updated.iter()) {
            if object::name(new) != item.name
                || object::str_at(new, "kind") != Some(item.res.kind)
                || object::str_at(new, "apiVersion").map(str::to_string)
                    != Some(item.res.api_version())
            {
                out.err(format!(
                    "A copy of your changes has been stored to \"{path}\"\n"
                ));
                return out.fail("error: At least one of apiVersion, kind and name was changed");
            }
            let Some(mut patch) = merge_diff(&item.obj, new) else {
                continue;
            };
            // The patch carries no resourceVersion: the server's copy is patched as is.
            if let Some(meta) = patch.get_mut("metadata").and_then(Value::as_object_mut) {
                meta.remove("resourceVersion");
            }
            match ctx.cluster.apiserver.patch(
                item.res,
                item.ns.as_deref(),
                &item.name,
                PatchType::Merge,
                &patch,
            ) {
                Ok(o) => {
                    super::common::print(&mut out, p, &o, "edited", super::common::DryRun::None)
                }
                Err(e) => {
                    let rs = resource_string(item);
                    match &e {
                        ApiError::Invalid { details, .. } => {
                            let causes = details
                                .as_ref()
                                .map(|d| {
                                    d.causes
                                        .iter()
                                        .map(|c| format!("{}: {}", c.field, c.message))
                                        .collect()
                                })
                                .unwrap_or_default();
                            reasons.push((format!("{rs} \"{}\" was not valid", item.name), causes));
                            out.err(format!("error: {rs} \"{}\" is invalid\n", item.name));
                            contains_error = true;
                        }
                        ApiError::NotFound { .. } => {
                            out.err(format!(
                                "error: {rs} \"{}\" could not be found on the server\n",
                                item.name
                            ));
                            out.err(format!("The edits you made on deleted resources have been saved to \"{path}\"\n"));
                            out.status = 1;
                            return out;
                        }
                        other => {
                            out.err(format!(
                                "error: {rs} \"{}\" could not be patched: {}\n",
                                item.name,
                                other.message()
                            ));
                            failed = true;
                        }
                    }
                }
            }
        }
        if failed {
            out.err(format!(
                "You can run `kubectl replace -f {path}` to try this update again.\n"
            ));
            out.status = 1;
            return out;
        }
        if !contains_error {
            let node = ctx.node.clone();
            if let Some(m) = ctx.cluster.machine_mut(&node) {
                let _ = m.fs.remove(&path, false);
            }
            return out;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn merge_diff_keeps_only_changes() {
        let a = json!({"metadata": {"name": "x", "labels": {"a": "1"}}, "spec": {"replicas": 1}});
        let b = json!({"metadata": {"name": "x"}, "spec": {"replicas": 3}});
        assert_eq!(
            merge_diff(&a, &b),
            Some(json!({"metadata": {"labels": null}, "spec": {"replicas": 3}}))
        );
        assert_eq!(merge_diff(&a, &a), None);
    }
}
