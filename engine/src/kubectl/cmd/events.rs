// Indexing is safe in this module: args[0] only after checking args is not empty.
#![allow(clippy::indexing_slicing)]
//! `kubectl events [--for TYPE/NAME] [--types Normal,Warning] [-A]`: the
//! namespace's events oldest first, LAST SEEN with `(xN over …)` for
//! repeated ones, OBJECT as `Kind/name` — kubectl v1.33's events printer.

use crate::api::{self, object};
use crate::clock::Time;
use crate::kubectl::flags::{Flag, Parsed};
use crate::kubectl::printers::{since, tabwriter};
use crate::kubectl::{Command, Context};
use crate::output::Output;
use serde_json::Value;

pub const COMMAND: Command = Command {
    name: "events",
    short: "List events",
    usage: "kubectl events [(-o|--output=)json|yaml|name|go-template|go-template-file|template|templatefile|jsonpath|jsonpath-as-json|jsonpath-file] [--for TYPE/NAME] [--watch] [--types=Normal,Warning] [options]",
    flags: &[
        Flag::bool("all-namespaces", "If present, list the requested object(s) across all namespaces. Namespace in current context is ignored even if specified with --namespace.").short('A'),
        Flag::bool("allow-missing-template-keys", "If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats.").default("true").unsupported(),
        Flag::int("chunk-size", "500", "Return large lists in chunks rather than all at once. Pass 0 to disable. This flag is beta and may change in the future."),
        Flag::string("for", "", "Filter events to only those pertaining to the specified resource."),
        Flag::bool("no-headers", "When using the default output format, don't print headers."),
        Flag::string("output", "", "Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).").short('o'),
        Flag::bool("show-managed-fields", "If true, keep the managedFields when printing objects in JSON or YAML format.").unsupported(),
        Flag::string("template", "", "Template string or path to template file to use when -o=go-template, -o=go-template-file. The template format is golang templates [http://golang.org/pkg/text/template/#pkg-overview].").unsupported(),
        Flag::strings("types", "Output only events of given types."),
        Flag::bool("watch", "After listing the requested events, watch for more events.").short('w'),
    ],
    run,
};

/// When an event last happened, for sorting.
fn event_time(e: &Value) -> Option<Time> {
    let t = |p: &str| {
        object::str_at(e, p)
            .filter(|s| !s.is_empty())
            .and_then(Time::parse_rfc3339)
    };
    if e.get("series").is_some_and(Value::is_object) {
        return t("series.lastObservedTime");
    }
    t("lastTimestamp").or_else(|| t("eventTime"))
}

fn interval(e: &Value, now: Time) -> String {
    let first = match object::str_at(e, "eventTime").filter(|s| !s.is_empty()) {
        Some(t) => since(Some(t), now),
        None => since(object::str_at(e, "firstTimestamp"), now),
    };
    if e.get("series").is_some_and(Value::is_object) {
        let n = object::at(e, "series.count")
            .and_then(Value::as_i64)
            .unwrap_or(0);
        return format!(
            "{} (x{n} over {first})",
            since(object::str_at(e, "series.lastObservedTime"), now)
        );
    }
    let count = e.get("count").and_then(Value::as_i64).unwrap_or(0);
    if count > 1 {
        return format!(
            "{} (x{count} over {first})",
            since(object::str_at(e, "lastTimestamp"), now)
        );
    }
    first
}

fn run(ctx: &mut Context<'_>, p: &Parsed) -> Output {
    let mut out = Output::default();
    // kubectl events takes no arguments and reads none: `kubectl events
    // web` lists every event of the namespace (--for names an object).
    let all = p.bool("all-namespaces");
    let types: Vec<String> = p
        .strings("types")
        .iter()
        .flat_map(|t| t.split(',').map(str::to_string).collect::<Vec<_>>())
        .filter(|t| !t.is_empty())
        .collect();
    for t in &types {
        if !["Normal", "Warning"]
            .iter()
            .any(|k| k.eq_ignore_ascii_case(t))
        {
            return out.fail("error: valid --types are Normal or Warning");
        }
    }
    // `--for pod/web`: the kind as the RESTMapper names it, and the name.
    let target = match p.string("for").filter(|f| !f.is_empty()) {
        Some(f) => {
            let (kind, name) = f.split_once('/').unwrap_or(("", f));
            let Some(res) = api::resolve(kind) else {
                return out.fail(format!(
                    "error: the server doesn't have a resource type \"{kind}\""
                ));
            };
            Some((res.kind, name.to_string()))
        }
        None => None,
    };
    let Some(res) = api::resolve("events") else {
        return out;
    };
    let ns = ctx.namespace.clone();
    let mut events: Vec<Value> = ctx
        .cluster
        .apiserver
        .list(res, if all { None } else { Some(&ns) })
        .into_iter()
        .filter(|e| {
            types.is_empty()
                || types
                    .iter()
                    .any(|t| object::str_at(e, "type").is_some_and(|x| x.eq_ignore_ascii_case(t)))
        })
        .filter(|e| {
            target.as_ref().is_none_or(|(k, n)| {
                object::str_at(e, "involvedObject.kind") == Some(k)
                    && object::str_at(e, "involvedObject.name") == Some(n.as_str())
            })
        })
        .collect();
    if events.is_empty() {
        if all {
            out.err("No events found.\n");
        } else {
            out.err(format!("No events found in {ns} namespace.\n"));
        }
        return out;
    }
    crate::sort::sort_by_key(&mut events, event_time);
    let now = ctx.cluster.now();
    let mut rows = Vec::new();
    if !p.bool("no-headers") {
        let mut h = vec![];
        if all {
            h.push("NAMESPACE".to_string());
        }
        h.extend(["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"].map(String::from));
        rows.push(h);
    }
    for e in &events {
        let mut row = vec![];
        if all {
            row.push(object::namespace(e).unwrap_or("").to_string());
        }
        row.push(interval(e, now));
        row.push(object::str_at(e, "type").unwrap_or("").to_string());
        row.push(object::str_at(e, "reason").unwrap_or("").to_string());
        row.push(format!(
            "{}/{}",
            object::str_at(e, "involvedObject.kind").unwrap_or(""),
            object::str_at(e, "involvedObject.name").unwrap_or("")
        ));
        row.push(
            object::str_at(e, "message")
                .unwrap_or("")
                .trim()
                .to_string(),
        );
        rows.push(row);
    }
    out.out(tabwriter::layout(&rows));
    out
}
