// Indexing is safe in this module: serde_json::Value indexing only: a read of a missing key yields Null, and writes go into objects built here or read from the store (always JSON objects) (load() returns an object, falling back to an empty kubeconfig).
#![allow(clippy::indexing_slicing)]
//! `kubectl config view|get-contexts|current-context|use-context|set-context`
//! on the kubeconfig file of the machine kubectl runs on. The namespace a
//! context sets is what later commands use (see [`context_namespace`]).

use crate::api::object;
use crate::kubectl::flags::{Flag, Parsed};
use crate::kubectl::printers::tabwriter;
use crate::kubectl::{Command, Context};
use crate::node::fs;
use crate::output::Output;
use serde_json::{json, Value};

pub const COMMAND: Command = Command {
    name: "config",
    short: "Modify kubeconfig files",
    usage: "kubectl config SUBCOMMAND [options]",
    flags: &[],
    run: run_root,
};

pub const SUBCOMMANDS: &[Command] = &[
    Command {
        name: "config view",
        short: "Display merged kubeconfig settings or a specified kubeconfig file",
        usage: "kubectl config view [flags] [options]",
        flags: &[
            Flag::bool("allow-missing-template-keys", "If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats.").default("true").unsupported(),
            Flag::bool("flatten", "Flatten the resulting kubeconfig file into self-contained output (useful for creating portable kubeconfig files)"),
            Flag::bool("merge", "Merge the full hierarchy of kubeconfig files").default("true").unsupported(),
            Flag::bool("minify", "Remove all information not used by current-context from the output"),
            Flag::string("output", "yaml", "Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).").short('o'),
            Flag::bool("raw", "Display raw byte data and sensitive data"),
            Flag::bool("show-managed-fields", "If true, keep the managedFields when printing objects in JSON or YAML format.").unsupported(),
            Flag::string("template", "", "Template string or path to template file to use when -o=go-template, -o=go-template-file. The template format is golang templates [http://golang.org/pkg/text/template/#pkg-overview].").unsupported(),
        ],
        run: run_view,
    },
    Command {
        name: "config get-contexts",
        short: "Describe one or many contexts",
        usage: "kubectl config get-contexts [(-o|--output=)name)] [options]",
        flags: &[
            Flag::bool("no-headers", "When using the default or custom-column output format, don't print headers (default print headers)."),
            Flag::string("output", "", "Output format. One of: (name).").short('o'),
        ],
        run: run_get_contexts,
    },
    Command {
        name: "config current-context",
        short: "Display the current-context",
        usage: "kubectl config current-context [flags] [options]",
        flags: &[],
        run: run_current_context,
    },
    Command {
        name: "config use-context",
        short: "Set the current-context in a kubeconfig file",
        usage: "kubectl config use-context CONTEXT_NAME [options]",
        flags: &[],
        run: run_use_context,
    },
    Command {
        name: "config set-context",
        short: "Set a context entry in kubeconfig",
        usage: "kubectl config set-context [NAME | --current] [--cluster=cluster_nickname] [--user=user_nickname] [--namespace=namespace] [options]",
        flags: &[
            Flag::string("cluster", "", "cluster for the context entry in kubeconfig"),
            Flag::bool("current", "Modify the current context"),
            Flag::string("namespace", "", "namespace for the context entry in kubeconfig"),
            Flag::string("user", "", "user for the context entry in kubeconfig"),
        ],
        run: run_set_context,
    },
];

fn run_root(_: &mut Context<'_>, p: &Parsed) -> Output {
    let mut out = Output::default();
    match p.args.first() {
        Some(_) => super::unknown_subcommand(p, "config"),
        None => {
            out = out.fail(crate::kubectl::help::command(&COMMAND));
            out
        }
    }
}

fn path(ctx: &Context<'_>) -> String {
    fs::normalize(&ctx.cwd, &ctx.kubeconfig_path)
}

/// The kubeconfig as data (an empty config when there is no file).
pub fn load(ctx: &Context<'_>) -> Value {
    ctx.cluster
        .machine(&ctx.node)
        .and_then(|m| m.fs.read_to_string(&path(ctx)).ok())
        .and_then(|t| crate::yaml::parse_documents(&t).ok())
        .and_then(|d| d.into_iter().next())
        .filter(Value::is_object)
        .unwrap_or_else(|| json!({"apiVersion": "v1", "clusters": null, "contexts": null, "current-context": "", "kind": "Config", "preferences": {}, "users": null}))
}

fn save(ctx: &mut Context<'_>, cfg: &Value) {
    let p = path(ctx);
    let node = ctx.node.clone();
    if let Some(m) = ctx.cluster.machine_mut(&node) {
        let _ =
            m.fs.write(&p, crate::yaml::to_string(cfg).as_bytes(), false);
    }
}

fn current(cfg: &Value) -> String {
    object::str_at(cfg, "current-context")
        .unwrap_or("")
        .to_string()
}

fn contexts(cfg: &Value) -> Vec<Value> {
    cfg.get("contexts")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

thread_local! {
    /// The last kubeconfig's bytes and the namespace its current context
    /// sets. Every kubectl command asks, the file rarely changes, and
    /// parsing its YAML was a tenth of what `kubectl get pods` cost. A
    /// pure memo: the same bytes always give the same answer.
    static CONTEXT_NAMESPACE: std::cell::RefCell<(Vec<u8>, Option<String>)> =
        const { std::cell::RefCell::new((Vec::new(), None)) };
}

/// The namespace of the kubeconfig's current context, if it sets one.
pub fn context_namespace(ctx: &Context<'_>) -> Option<String> {
    let bytes = ctx
        .cluster
        .machine(&ctx.node)
        .and_then(|m| m.fs.read(&path(ctx)).ok())?;
    if let Some(hit) = CONTEXT_NAMESPACE.with(|m| {
        let m = m.borrow();
        (m.0 == bytes).then(|| m.1.clone())
    }) {
        return hit;
    }
    let cfg = load(ctx);
    let cur = current(&cfg);
    let ns = contexts(&cfg)
        .into_iter()
        .find(|c| object::str_at(c, "name") == Some(cur.as_str()))
        .and_then(|c| object::str_at(&c, "context.namespace").map(str::to_string))
        .filter(|n| !n.is_empty());
    CONTEXT_NAMESPACE.with(|m| *m.borrow_mut() = (bytes.to_vec(), ns.clone()));
    ns
}

fn redact(v: &mut Value) {
    match v {
        Value::Object(m) => {
            for (k, x) in m.iter_mut() {
                match k.as_str() {
                    "certificate-authority-data"
                    | "client-certificate-data"
                    | "client-key-data" => *x = Value::String("DATA+OMITTED".into()),
                    "token" | "password" => *x = Value::String("REDACTED".into()),
                    _ => redact(x),
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(redact),
        _ => {}
    }
}

fn run_view(ctx: &mut Context<'_>, p: &Parsed) -> Output {
    let mut out = Output::default();
    let mut cfg = load(ctx);
    if p.bool("minify") {
        let cur = current(&cfg);
        let c = contexts(&cfg)
            .into_iter()
            .find(|c| object::str_at(c, "name") == Some(cur.as_str()));
        let Some(c) = c else {
            return out.fail(format!("error: cannot locate context {cur}"));
        };
        let cluster = object::str_at(&c, "context.cluster")
            .unwrap_or("")
            .to_string();
        let user = object::str_at(&c, "context.user").unwrap_or("").to_string();
        let keep = |key: &str, name: &str, cfg: &mut Value| {
            if let Some(a) = cfg.get_mut(key).and_then(Value::as_array_mut) {
                a.retain(|x| object::str_at(x, "name") == Some(name));
            }
        };
        keep("contexts", &cur, &mut cfg);
        keep("clusters", &cluster, &mut cfg);
        keep("users", &user, &mut cfg);
    }
    if !p.bool("raw") {
        redact(&mut cfg);
    }
    match p.string("output").unwrap_or("yaml") {
        "json" => out.out(format!(
            "{}\n",
            serde_json::to_string_pretty(&cfg).unwrap_or_default()
        )),
        _ => out.out(crate::yaml::to_string(&cfg)),
    }
    out
}

fn run_get_contexts(ctx: &mut Context<'_>, p: &Parsed) -> Output {
    let mut out = Output::default();
    let cfg = load(ctx);
    let cur = current(&cfg);
    let mut all = contexts(&cfg);
    crate::sort::sort_by_key(&mut all, |c| {
        object::str_at(c, "name").unwrap_or("").to_string()
    });
    let wanted: Vec<&String> = p.args.iter().collect();
    let mut missing = Vec::new();
    for w in &wanted {
        if !all
            .iter()
            .any(|c| object::str_at(c, "name") == Some(w.as_str()))
        {
            missing.push(format!("context {w} not found"));
        }
    }
    let shown: Vec<&Value> = all
        .iter()
        .filter(|c| {
            wanted.is_empty()
                || wanted
                    .iter()
                    .any(|w| object::str_at(c, "name") == Some(w.as_str()))
        })
        .collect();
    if p.string("output") == Some("name") {
        for c in shown {
            out.out(format!("{}\n", object::str_at(c, "name").unwrap_or("")));
        }
    } else {
        let mut rows = Vec::new();
        if !p.bool("no-headers") {
            rows.push(
                ["CURRENT", "NAME", "CLUSTER", "AUTHINFO", "NAMESPACE"]
                    .map(String::from)
                    .to_vec(),
            );
        }
        for c in shown {
            let name = object::str_at(c, "name").unwrap_or("");
            let star = if name == cur { "*" } else { "" };
            rows.push(vec![
                star.to_string(),
                name.to_string(),
                object::str_at(c, "context.cluster")
                    .unwrap_or("")
                    .to_string(),
                object::str_at(c, "context.user").unwrap_or("").to_string(),
                object::str_at(c, "context.namespace")
                    .unwrap_or("")
                    .to_string(),
            ]);
        }
        out.out(tabwriter::layout(&rows));
    }
    if !missing.is_empty() {
        return out.fail(format!("error: {}", missing.join(", ")));
    }
    out
}

fn run_current_context(ctx: &mut Context<'_>, _: &Parsed) -> Output {
    let mut out = Output::default();
    let cur = current(&load(ctx));
    if cur.is_empty() {
        return out.fail("error: current-context is not set");
    }
    out.out(format!("{cur}\n"));
    out
}

fn run_use_context(ctx: &mut Context<'_>, p: &Parsed) -> Output {
    let mut out = Output::default();
    let [name] = p.args.as_slice() else {
        return out.fail(
            "error: Unexpected args: []\nSee 'kubectl config use-context -h' for help and examples",
        );
    };
    let mut cfg = load(ctx);
    if !contexts(&cfg)
        .iter()
        .any(|c| object::str_at(c, "name") == Some(name.as_str()))
    {
        return out.fail(format!(
            "error: no context exists with the name: \"{name}\""
        ));
    }
    cfg["current-context"] = Value::String(name.clone());
    save(ctx, &cfg);
    out.out(format!("Switched to context \"{name}\".\n"));
    out
}

fn run_set_context(ctx: &mut Context<'_>, p: &Parsed) -> Output {
    let mut out = Output::default();
    let mut cfg = load(ctx);
    let name = if p.bool("current") {
        if !p.args.is_empty() {
            return out.fail("error: you cannot specify both a context name and --current");
        }
        let cur = current(&cfg);
        if cur.is_empty() {
            return out.fail("error: no current context is set");
        }
        cur
    } else {
        match p.args.as_slice() {
            [n] => n.clone(),
            _ => return out.fail("error: you must specify a non-empty context name or --current\nSee 'kubectl config set-context -h' for help and examples"),
        }
    };
    let mut list = contexts(&cfg);
    let exists = list
        .iter()
        .any(|c| object::str_at(c, "name") == Some(name.as_str()));
    if !exists {
        list.push(json!({"context": {"cluster": "", "user": ""}, "name": name}));
    }
    for c in list
        .iter_mut()
        .filter(|c| object::str_at(c, "name") == Some(name.as_str()))
    {
        for (flag, key) in [
            ("cluster", "cluster"),
            ("user", "user"),
            ("namespace", "namespace"),
        ] {
            if let Some(v) = p.string(flag) {
                object::set(c, &format!("context.{key}"), Value::String(v.to_string()));
            }
        }
    }
    cfg["contexts"] = Value::Array(list);
    save(ctx, &cfg);
    let verb = if exists { "modified" } else { "created" };
    out.out(format!("Context \"{name}\" {verb}.\n"));
    out
}
