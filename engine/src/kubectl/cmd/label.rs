//! `kubectl label` and `kubectl annotate`: `KEY=VAL` adds, `KEY-` removes,
//! `--overwrite` allows changing a value, `--list` shows them. Both edit a
//! string map in `metadata`; their checks and messages differ in small
//! ways that kubectl's own code has.

use super::common::{dry_run, DryRun};
use super::select::{item_error, select, Allow};
use crate::api::object;
use crate::apiserver::validation;
use crate::kubectl::flags::{Flag, Parsed};
use crate::kubectl::{Command, Context};
use crate::output::Output;
use serde_json::{Map, Value};

pub const LABEL: Command = Command {
    name: "label",
    short: "Update the labels on a resource",
    usage: "kubectl label [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version] [options]",
    flags: &[
        Flag::bool("all", "Select all resources, in the namespace of the specified resource types"),
        Flag::bool("all-namespaces", "If true, check the specified action in all namespaces.").short('A'),
        Flag::bool("allow-missing-template-keys", "If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats.").default("true").unsupported(),
        Flag::string("dry-run", "none", "Must be \"none\", \"server\", or \"client\". If client strategy, only print the object that would be sent, without sending it. If server strategy, submit server-side request without persisting the resource."),
        Flag::string("field-manager", "kubectl-label", "Name of the manager used to track field ownership."),
        Flag::string("field-selector", "", "Selector (field query) to filter on, supports '=', '==', and '!='.(e.g. --field-selector key1=value1,key2=value2). The server only supports a limited number of field queries per type."),
        Flag::strings("filename", "Filename, directory, or URL to files identifying the resource to update the labels").short('f'),
        Flag::string("kustomize", "", "Process the kustomization directory. This flag can't be used together with -f or -R.").short('k').unsupported(),
        Flag::bool("list", "If true, display the labels for a given resource."),
        Flag::bool("local", "If true, label will NOT contact api-server but run locally."),
        Flag::string("output", "", "Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).").short('o'),
        Flag::bool("overwrite", "If true, allow labels to be overwritten, otherwise reject label updates that overwrite existing labels."),
        Flag::bool("recursive", "Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.").short('R'),
        Flag::string("resource-version", "", "If non-empty, the labels update will only succeed if this is the current resource-version for the object. Only valid when specifying a single resource."),
        Flag::string("selector", "", "Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l key1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the specified label constraints.").short('l'),
        Flag::bool("show-managed-fields", "If true, keep the managedFields when printing objects in JSON or YAML format.").unsupported(),
        Flag::string("template", "", "Template string or path to template file to use when -o=go-template, -o=go-template-file. The template format is golang templates [http://golang.org/pkg/text/template/#pkg-overview].").unsupported(),
    ],
    run: run_label,
};

pub const ANNOTATE: Command = Command {
    name: "annotate",
    short: "Update the annotations on a resource",
    usage: "kubectl annotate [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version] [options]",
    flags: &[
        Flag::bool("all", "Select all resources, in the namespace of the specified resource types."),
        Flag::bool("all-namespaces", "If true, check the specified action in all namespaces.").short('A'),
        Flag::bool("allow-missing-template-keys", "If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats.").default("true").unsupported(),
        Flag::string("dry-run", "none", "Must be \"none\", \"server\", or \"client\". If client strategy, only print the object that would be sent, without sending it. If server strategy, submit server-side request without persisting the resource."),
        Flag::string("field-manager", "kubectl-annotate", "Name of the manager used to track field ownership."),
        Flag::string("field-selector", "", "Selector (field query) to filter on, supports '=', '==', and '!='.(e.g. --field-selector key1=value1,key2=value2). The server only supports a limited number of field queries per type."),
        Flag::strings("filename", "Filename, directory, or URL to files identifying the resource to update the annotation").short('f'),
        Flag::string("kustomize", "", "Process the kustomization directory. This flag can't be used together with -f or -R.").short('k').unsupported(),
        Flag::bool("list", "If true, display the annotations for a given resource."),
        Flag::bool("local", "If true, annotation will NOT contact api-server but run locally."),
        Flag::string("output", "", "Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).").short('o'),
        Flag::bool("overwrite", "If true, allow annotations to be overwritten, otherwise reject annotation updates that overwrite existing annotations."),
        Flag::bool("recursive", "Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.").short('R'),
        Flag::string("resource-version", "", "If non-empty, the annotation update will only succeed if this is the current resource-version for the object. Only valid when specifying a single resource."),
        Flag::string("selector", "", "Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l key1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the specified label constraints.").short('l'),
        Flag::bool("show-managed-fields", "If true, keep the managedFields when printing objects in JSON or YAML format.").unsupported(),
        Flag::string("template", "", "Template string or path to template file to use when -o=go-template, -o=go-template-file. The template format is golang templates [http://golang.org/pkg/text/template/#pkg-overview].").unsupported(),
    ],
    run: run_annotate,
};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Which {
    Labels,
    Annotations,
}

impl Which {
    fn word(self) -> &'static str {
        match self {
            Which::Labels => "label",
            Which::Annotations => "annotation",
        }
    }
    fn path(self) -> &'static str {
        match self {
            Which::Labels => "metadata.labels",
            Which::Annotations => "metadata.annotations",
        }
    }
}

fn run_label(ctx: &mut Context<'_>, p: &Parsed) -> Output {
    run(ctx, p, Which::Labels)
}

fn run_annotate(ctx: &mut Context<'_>, p: &Parsed) -> Output {
    run(ctx, p, Which::Annotations)
}

/// Splits `TYPE NAME k=v k-` into resource words and changes, as
/// `cmdutil.GetResourcesAndPairs` does.
pub fn resources_and_pairs(
    args: &[String],
    word: &str,
) -> Result<(Vec<String>, Vec<String>), String> {
    let mut resources = Vec::new();
    let mut pairs = Vec::new();
    for a in args {
        let is_pair = a.contains('=') || a.ends_with('-');
        if is_pair {
            pairs.push(a.clone());
        } else if !pairs.is_empty() {
            return Err(format!(
                "error: all resources must be specified before {word} changes: {a}"
            ));
        } else {
            resources.push(a.clone());
        }
    }
    Ok((resources, pairs))
}

type Changes = (Vec<(String, String)>, Vec<String>);

fn parse_changes(pairs: &[String], which: Which) -> Result<Changes, String> {
    let mut set: Vec<(String, String)> = Vec::new();
    let mut remove = Vec::new();
    for spec in pairs {
        if spec.contains('=') {
            let parts: Vec<&str> = spec.split('=').collect();
            let (k, v) = match which {
                Which::Labels if parts.len() != 2 => {
                    return Err(format!("error: invalid label spec: {spec}"))
                }
                _ => spec.split_once('=').unwrap_or((spec, "")),
            };
            if which == Which::Labels {
                let errs = validation::label_value(v);
                if !errs.is_empty() {
                    return Err(format!(
                        "error: invalid label value: {spec:?}: {}",
                        errs.join(";")
                    ));
                }
            } else if k.is_empty() {
                return Err(format!("error: invalid annotation format: {spec}"));
            }
            set.retain(|(x, _)| x != k);
            set.push((k.to_string(), v.to_string()));
        } else if let Some(k) = spec.strip_suffix('-') {
            remove.push(k.to_string());
        } else {
            return Err(format!("error: unknown {} spec: {spec}", which.word()));
        }
    }
    let clash: Vec<&str> = remove
        .iter()
        .filter(|r| set.iter().any(|(k, _)| k == *r))
        .map(String::as_str)
        .collect();
    if !clash.is_empty() {
        return Err(match which {
            Which::Labels => "error: can not both modify and remove a label in the same command".into(),
            Which::Annotations => format!("error: can not both modify and remove the following annotation(s) in the same command: {}", clash.join(", ")),
        });
    }
    Ok((set, remove))
}

fn run(ctx: &mut Context<'_>, p: &Parsed, which: Which) -> Output {
    let out = Output::default();
    let dry = match dry_run(p) {
        Ok(d) => d,
        Err(e) => return out.fail(e),
    };
    let (resources, pairs) = match resources_and_pairs(&p.args, which.word()) {
        Ok(x) => x,
        Err(e) => return out.fail(e),
    };
    if p.bool("list") && p.is_set("output") {
        return out.fail("error: --list and --output may not be specified together");
    }
    if p.bool("all") && p.is_set("selector") {
        return out.fail("error: cannot set --all and --selector at the same time");
    }
    if p.strings("filename").is_empty() && resources.is_empty() {
        return out.fail("error: one or more resources must be specified as <resource> <name> or <resource>/<name>");
    }
    if pairs.is_empty() && !p.bool("list") {
        return out.fail(format!(
            "error: at least one {} update is required",
            which.word()
        ));
    }
    let (set, remove) = match parse_changes(&pairs, which) {
        Ok(x) => x,
        Err(e) => return out.fail(e),
    };
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
    let mut out = out;
    let mut errors = sel.errors;
    let overwrite = p.bool("overwrite");
    for item in sel.items {
        let current = object::string_map(&item.obj, which.path());
        if p.bool("list") {
            let group = if item.res.group.is_empty() {
                String::new()
            } else {
                item.res.group.to_string()
            };
            out.out(format!(
                "Listing {}s for {}.{group}/{}:\n",
                which.word(),
                item.res.kind,
                item.name
            ));
            let mut sorted = current.clone();
            crate::sort::sort(&mut sorted);
            for (k, v) in sorted {
                out.out(format!(" {k}={v}\n"));
            }
            continue;
        }
        if !overwrite {
            let clashes: Vec<String> = set
                .iter()
                .filter(|(k, _)| which == Which::Labels || k != "kubernetes.io/change-cause")
                .filter_map(|(k, v)| {
                    current
                        .iter()
                        .find(|(ck, cv)| ck == k && cv != v)
                        .map(|(_, cv)| format!("'{k}' already has a value ({cv})"))
                })
                .collect();
            if !clashes.is_empty() {
                errors.push(match which {
                    Which::Labels => clashes
                        .iter()
                        .map(|c| format!("error: {c}, and --overwrite is false"))
                        .collect::<Vec<_>>()
                        .join("\n"),
                    Which::Annotations => format!(
                        "error: --overwrite is false but found the following declared annotation(s): {}",
                        clashes.join("; ")
                    ),
                });
                continue;
            }
        }
        let mut map: Map<String, Value> = object::at(&item.obj, which.path())
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        for (k, v) in &set {
            map.insert(k.clone(), Value::String(v.clone()));
        }
        let mut missing = Vec::new();
        for k in &remove {
            if map.remove(k).is_none() && which == Which::Labels {
                missing.push(k.clone());
            }
        }
        let mut obj = item.obj.clone();
        if map.is_empty() {
            if let Some(meta) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
                meta.remove(which.path().trim_start_matches("metadata."));
            }
        } else {
            object::set(&mut obj, which.path(), Value::Object(map));
        }
        for k in missing {
            out.out(format!("label \"{k}\" not found.\n"));
        }
        let changed = obj != item.obj;
        let msg = match which {
            Which::Annotations => "annotated",
            Which::Labels if !changed => "not labeled",
            Which::Labels => {
                let old = serde_json::to_string(&item.obj).unwrap_or_default().len();
                let new = serde_json::to_string(&obj).unwrap_or_default().len();
                if !overwrite && new < old {
                    "unlabeled"
                } else {
                    "labeled"
                }
            }
        };
        let shown = if dry == DryRun::None && changed {
            match ctx
                .cluster
                .apiserver
                .update(item.res, item.ns.as_deref(), obj)
            {
                Ok(o) => o,
                Err(e) => {
                    errors.push(item_error(&item, &e, "patching"));
                    continue;
                }
            }
        } else {
            obj
        };
        super::common::print(&mut out, p, &shown, msg, dry);
    }
    for e in &errors {
        out.err(format!("{e}\n"));
    }
    if !errors.is_empty() {
        out.status = 1;
    }
    out
}
