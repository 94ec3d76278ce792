//! `kubectl get`: tables by kind, `-o yaml|json|name|wide`.

use super::super::{flags::Flag, flags::Parsed, printers, Command, Context};
use crate::api::{self, object};
use crate::output::Output;
use serde_json::Value;

pub const COMMAND: Command = Command {
    name: "get",
    short: "Display one or many resources",
    usage: "kubectl get [(-o|--output=)json|yaml|name|go-template|go-template-file|template|templatefile|jsonpath|jsonpath-as-json|jsonpath-file|custom-columns|custom-columns-file|wide] (TYPE[.VERSION][.GROUP] [NAME | -l label] | TYPE[.VERSION][.GROUP]/NAME ...) [flags] [options]",
    flags: &[
        Flag::string("output", "", "Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file, custom-columns, custom-columns-file, wide).").short('o'),
        Flag::bool("all-namespaces", "If present, list the requested object(s) across all namespaces. Namespace in current context is ignored even if specified with --namespace.").short('A'),
        Flag::bool("show-labels", "When printing, show all labels as the last column (default hide labels column)."),
        Flag::bool("no-headers", "When using the default or custom-column output format, don't print headers (default print headers)."),
        Flag::string("selector", "", "Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l key1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the specified label constraints.").short('l'),
        Flag::bool("watch", "After listing/getting the requested object, watch for changes.").short('w'),
    ],
    run,
};

fn run(ctx: &mut Context<'_>, p: &Parsed) -> Output {
    let out = Output::default();
    let Some(kind) = p.args.first() else {
        return out.fail("You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse \"kubectl explain <resource>\" for a detailed description of that resource (e.g. kubectl explain pods).\nSee 'kubectl get -h' for help and examples");
    };
    let Some(res) = api::resolve(kind) else {
        return out.fail(format!(
            "error: the server doesn't have a resource type \"{kind}\""
        ));
    };
    let all_ns = p.bool("all-namespaces");
    let ns = if !res.namespaced || all_ns {
        None
    } else {
        Some(ctx.namespace.as_str())
    };
    let names = &p.args[1..];
    let mut out = out;
    let mut objects: Vec<Value> = Vec::new();
    if names.is_empty() {
        objects = ctx.cluster.apiserver.list(res, ns);
    } else {
        for name in names {
            match ctx.cluster.apiserver.get(res, ns, name) {
                Ok(o) => objects.push(o),
                Err(e) => {
                    out.err(format!("{}\n", e.kubectl_text()));
                    out.status = 1;
                }
            }
        }
    }
    if objects.is_empty() {
        if names.is_empty() {
            match ns {
                Some(ns) => out.err(format!("No resources found in {ns} namespace.\n")),
                None => out.err("No resources found\n"),
            }
        }
        return out;
    }
    let now = ctx.cluster.now();
    match p.string("output").unwrap_or("") {
        "" | "wide" => {
            let opts = printers::TableOptions {
                wide: p.string("output") == Some("wide"),
                with_namespace: all_ns && res.namespaced,
                show_labels: p.bool("show-labels"),
                no_headers: p.bool("no-headers"),
            };
            out.out(printers::table(res, &objects, now, &opts));
        }
        "name" => {
            for o in &objects {
                out.out(format!("{}/{}\n", res.singular_for_name(), object::name(o)));
            }
        }
        "yaml" => out.out(crate::yaml::to_string(&single_or_list(objects, names.len() == 1))),
        "json" => out.out(format!("{}\n", serde_json::to_string_pretty(&single_or_list(objects, names.len() == 1)).unwrap_or_default())),
        other => {
            return out.fail(format!(
                "error: unable to match a printer suitable for the output format \"{other}\", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml"
            ))
        }
    }
    out
}

/// One named object prints alone; anything else prints as a `v1 List`.
fn single_or_list(mut objects: Vec<Value>, single: bool) -> Value {
    if single && objects.len() == 1 {
        return objects.remove(0);
    }
    serde_json::json!({ "apiVersion": "v1", "items": objects, "kind": "List", "metadata": { "resourceVersion": "" } })
}

impl api::Resource {
    /// `pod`, `deployment.apps`: how `-o name` and `created` messages name a kind.
    pub fn singular_for_name(&self) -> String {
        if self.group.is_empty() {
            self.kind.to_ascii_lowercase()
        } else {
            format!("{}.{}", self.kind.to_ascii_lowercase(), self.group)
        }
    }
}
