//! `kubectl wait`, as kubectl's pkg/cmd/wait: `--for` names what to wait
//! for (create, delete, a status condition, a JSONPath value); each object
//! is waited on in turn, against one deadline, by watching the store — the
//! condition is looked at again whenever the store changes.

use super::select::{select, Allow, Item};
use crate::api::object;
use crate::clock::Duration;
use crate::cluster::Cluster;
use crate::kubectl::flags::{go_duration_ms, Flag, Parsed};
use crate::kubectl::jsonpath::{self, Template};
use crate::kubectl::{Command, Context};
use crate::output::Output;
use serde_json::Value;

pub const WAIT: Command = Command {
    name: "wait",
    short: "Experimental: Wait for a specific condition on one or many resources",
    usage: "kubectl wait ([-f FILENAME] | resource.group/resource.name | resource.group [(-l label | --all)]) [--for=create|--for=delete|--for condition=available|--for=jsonpath='{}'[=value]] [options]",
    flags: &[
        Flag::bool("all", "Select all resources in the namespace of the specified resource types"),
        Flag::bool("all-namespaces", "If present, list the requested object(s) across all namespaces. Namespace in current context is ignored even if specified with --namespace.").short('A'),
        Flag::bool("allow-missing-template-keys", "If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats.").default("true").unsupported(),
        Flag::string("field-selector", "", "Selector (field query) to filter on, supports '=', '==', and '!='.(e.g. --field-selector key1=value1,key2=value2). The server only supports a limited number of field queries per type."),
        Flag::strings("filename", "identifying the resource.").short('f'),
        Flag::string("for", "", "The condition to wait on: [create|delete|condition=condition-name[=condition-value]|jsonpath='{JSONPath expression}'=[JSONPath value]]. The default condition-value is true. Condition values are compared after Unicode simple case folding, which is a more general form of case-insensitivity."),
        Flag::bool("local", "If true, annotation will NOT contact api-server but run locally.").unsupported(),
        Flag::string("output", "", "Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).").short('o'),
        Flag::bool("recursive", "Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.").default("true").short('R').unsupported(),
        Flag::string("selector", "", "Selector (label query) to filter on, supports '=', '==', and '!='.(e.g. -l key1=value1,key2=value2)").short('l'),
        Flag::bool("show-managed-fields", "If true, keep the managedFields when printing objects in JSON or YAML format.").unsupported(),
        Flag::string("template", "", "Template string or path to template file to use when -o=go-template, -o=go-template-file. The template format is golang templates [http://golang.org/pkg/text/template/#pkg-overview].").unsupported(),
        Flag::duration("timeout", "30s", "The length of time to wait before giving up. Zero means check once and don't wait, negative means wait for a week."),
    ],
    run: run_wait,
};

/// What a negative `--timeout` means: a week.
pub(crate) const WEEK_MS: i64 = 168 * 3600 * 1000;

/// How often `--for=create` looks again (kubectl polls every 500 ms).
const CREATE_POLL_MS: i64 = 500;

/// `--for`, as kubectl's `conditionFuncFor` reads it.
#[derive(Debug)]
enum WaitFor {
    Create,
    Delete,
    /// `condition=NAME[=STATUS]` (STATUS defaults to true; both compared
    /// ignoring case).
    Condition {
        name: String,
        status: String,
    },
    /// `jsonpath=EXPR[=VALUE]`: without a value, any value at EXPR will do.
    JsonPath {
        template: Template,
        value: Option<String>,
    },
}

fn wait_for(cond: &str) -> Result<WaitFor, String> {
    match crate::case::to_lowercase(cond).as_str() {
        "create" => return Ok(WaitFor::Create),
        "delete" => return Ok(WaitFor::Delete),
        _ => {}
    }
    if let Some(c) = cond.strip_prefix("condition=") {
        let (name, status) = c.split_once('=').unwrap_or((c, "true"));
        return Ok(WaitFor::Condition {
            name: name.to_string(),
            status: status.to_string(),
        });
    }
    if let Some(input) = cond.strip_prefix("jsonpath=") {
        let parts = split_jsonpath_input(input);
        let (expr, value) = match parts.as_slice() {
            [expr] => (expr, None),
            [expr, value] => (expr, Some(value)),
            _ => return Err("jsonpath wait format must be --for=jsonpath='{.status.readyReplicas}'=3 or --for=jsonpath='{.status.readyReplicas}'".into()),
        };
        let expr = jsonpath::relaxed(expr)?;
        let value = match value {
            None => None,
            Some(v) => {
                let v = v.trim_matches(['\'', '"']);
                if v.is_empty() {
                    return Err("jsonpath wait has to have a value after equal sign, like --for=jsonpath='{.status.readyReplicas}'=3".into());
                }
                Some(v.to_string())
            }
        };
        if expr.is_empty() {
            return Err("jsonpath expression cannot be empty".into());
        }
        let template = Template::parse(&expr)?;
        return Ok(WaitFor::JsonPath { template, value });
    }
    Err(format!("unrecognized condition: \"{cond}\""))
}

/// Splits on single `=`; `==` (a filter's comparison) stays whole.
fn split_jsonpath_input(input: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut element = String::new();
    let mut chars = input.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '=' {
            element.push(c);
        } else if chars.peek() == Some(&'=') {
            chars.next();
            element.push_str("==");
        } else {
            out.push(std::mem::take(&mut element));
        }
    }
    out.push(element);
    out
}

impl WaitFor {
    /// Whether `obj` meets the condition; an error ends the wait (a
    /// JSONPath that finds several values, or an object).
    fn check(&self, obj: &Value) -> Result<bool, String> {
        match self {
            WaitFor::Create => Ok(true),
            WaitFor::Delete => Ok(false),
            WaitFor::Condition { name, status } => Ok(has_condition(obj, name, status)),
            WaitFor::JsonPath { template, value } => {
                let results = template.find(obj).map_err(|e| e.0)?;
                let first = match results.as_slice() {
                    [] => return Ok(false),
                    [one] => match one.as_slice() {
                        [] => return Ok(false),
                        [v] => v,
                        _ => {
                            return Err(
                                "given jsonpath expression matches more than one value".into()
                            )
                        }
                    },
                    _ => return Err("given jsonpath expression matches more than one list".into()),
                };
                let Some(want) = value else {
                    return Ok(true);
                };
                if first.is_object() || first.is_array() {
                    return Err(
                        "jsonpath leads to a nested object or list which is not supported".into(),
                    );
                }
                Ok(jsonpath::go_value(first).trim() == want.trim())
            }
        }
    }
}

/// Whether `o` has a `status.conditions` entry of type `ctype` with status
/// `cvalue` (both compared ignoring case, as kubectl does). The first entry
/// of the type decides; one observed for an older generation of the object
/// does not count yet.
fn has_condition(o: &Value, ctype: &str, cvalue: &str) -> bool {
    let Some(conditions) = object::at(o, "status.conditions").and_then(Value::as_array) else {
        return false;
    };
    let generation = object::at(o, "metadata.generation").and_then(Value::as_i64);
    for c in conditions {
        if !object::str_at(c, "type").is_some_and(|t| t.eq_ignore_ascii_case(ctype)) {
            continue;
        }
        let Some(status) = object::str_at(c, "status") else {
            continue;
        };
        if let Some(generation) = generation {
            let observed = object::at(c, "observedGeneration")
                .or_else(|| object::at(o, "status.observedGeneration"))
                .and_then(Value::as_i64);
            if observed.is_some_and(|g| g < generation) {
                return false;
            }
        }
        return status.eq_ignore_ascii_case(cvalue);
    }
    false
}

/// `pods/web`: how kubectl names an object in wait's errors (the resource
/// without its group).
fn object_name(item: &Item) -> String {
    format!("{}/{}", item.res.plural, item.name)
}

fn run_wait(ctx: &mut Context<'_>, p: &Parsed) -> Output {
    let mut out = Output::default();
    if let Err(e) = super::common::check_output(p) {
        return out.fail(e);
    }
    let cond = p.string("for").unwrap_or("");
    let wait_for = match wait_for(cond) {
        Ok(w) => w,
        Err(e) => return out.fail(format!("error: {e}")),
    };
    let timeout_ms = match go_duration_ms(p.string("timeout").unwrap_or("30s")) {
        Some(t) if t < 0 => WEEK_MS,
        Some(t) => t,
        None => {
            return out.fail(format!(
                "error: invalid argument \"{}\" for \"--timeout\" flag",
                p.string("timeout").unwrap_or("")
            ))
        }
    };
    let timeout = Duration::from_millis(timeout_ms);
    let allow = Allow {
        selectors: true,
        bare_type: false,
        // --for=create looks for the objects itself, again and again.
        unfetched: matches!(wait_for, WaitFor::Create),
    };
    let sel = match select(ctx, p, &p.args, allow) {
        Ok(s) => s,
        Err(e) => return out.fail(e),
    };
    let is_delete = matches!(wait_for, WaitFor::Delete);
    // For delete a missing object is already what was asked for.
    if let Some(e) = sel
        .errors
        .iter()
        .find(|e| !(is_delete && e.starts_with("Error from server (NotFound)")))
    {
        return out.fail(e);
    }
    if sel.items.is_empty() {
        if is_delete {
            return out;
        }
        return out.fail("error: no matching resources found");
    }
    if matches!(wait_for, WaitFor::Create) {
        return wait_created(ctx, p, sel.items, timeout, out);
    }
    let deadline = ctx.cluster.now() + timeout;
    for item in sel.items {
        let mut failed: Option<String> = None;
        let mut met = |c: &Cluster| {
            let live = c.apiserver.get(item.res, item.ns.as_deref(), &item.name);
            if is_delete {
                return live.as_ref().map_or(true, |o| {
                    object::str_at(o, "metadata.uid") != object::str_at(&item.obj, "metadata.uid")
                });
            }
            // A deleted object is waited for again (kubectl's watch sees
            // the Deleted event and keeps going).
            let Ok(live) = live else {
                return false;
            };
            match wait_for.check(&live) {
                Ok(met) => met,
                Err(e) => {
                    failed = Some(e);
                    true
                }
            }
        };
        let done = if timeout_ms == 0 {
            // Zero: look once and do not wait.
            ctx.cluster.settle();
            met(ctx.cluster)
        } else {
            let left = (deadline - ctx.cluster.now()).max(Duration::ZERO);
            ctx.cluster.step_until(left, met)
        };
        if let Some(e) = failed {
            return out.fail(format!("error: {e}"));
        }
        if !done {
            return out.fail(if timeout_ms == 0 {
                format!("error: condition not met for {}", object_name(&item))
            } else {
                format!(
                    "error: timed out waiting for the condition on {}",
                    object_name(&item)
                )
            });
        }
        print_met(ctx, p, &item, is_delete, &mut out);
    }
    out
}

/// `--for=create`: polls until every named object exists, then prints each.
fn wait_created(
    ctx: &mut Context<'_>,
    p: &Parsed,
    items: Vec<Item>,
    timeout: Duration,
    mut out: Output,
) -> Output {
    let start = ctx.cluster.now();
    let all_exist = |c: &Cluster| {
        items
            .iter()
            .all(|i| c.apiserver.get(i.res, i.ns.as_deref(), &i.name).is_ok())
    };
    if !ctx.cluster.step_until(timeout, all_exist) {
        return out.fail("error: timed out waiting for the condition");
    }
    // kubectl sees it at its next poll, every 500 ms from the start.
    let waited = (ctx.cluster.now() - start).as_millis();
    let late = (CREATE_POLL_MS - waited % CREATE_POLL_MS) % CREATE_POLL_MS;
    if late > 0 {
        ctx.cluster.step(Duration::from_millis(late));
    }
    for item in &items {
        print_met(ctx, p, item, false, &mut out);
    }
    out
}

/// kubectl's printer for `condition met`: the name and the operation, or
/// the object as `-o` asks (the live object; a deleted one as it was).
fn print_met(ctx: &mut Context<'_>, p: &Parsed, item: &Item, deleted: bool, out: &mut Output) {
    let live = ctx
        .cluster
        .apiserver
        .get(item.res, item.ns.as_deref(), &item.name);
    let obj = match &live {
        Ok(o) if !deleted => o,
        _ => &item.obj,
    };
    super::common::print(out, p, obj, "condition met", super::common::DryRun::None);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jsonpath_input_splits_on_single_equals() {
        assert_eq!(
            split_jsonpath_input("a.b.c====d.e.f===g.h.i==="),
            vec!["a.b.c====d.e.f==", "g.h.i==", ""]
        );
        assert_eq!(
            split_jsonpath_input(r#"{.status.conditions[?(@.type=="Ready")].status}=True"#),
            vec![r#"{.status.conditions[?(@.type=="Ready")].status}"#, "True"]
        );
    }

    #[test]
    fn jsonpath_checks_one_scalar() {
        let pod = serde_json::json!({"status": {"phase": "Running", "replicas": 3,
            "list": [1, 2], "conditions": [{"type": "Ready", "status": "True"}]}});
        let check = |f: &str| wait_for(f).and_then(|w| w.check(&pod));
        assert_eq!(check("jsonpath={.status.phase}=Running"), Ok(true));
        assert_eq!(check("jsonpath=.status.phase=Pending"), Ok(false));
        assert_eq!(check("jsonpath={.status.replicas}=3"), Ok(true));
        assert_eq!(check("jsonpath={.status.missing}"), Ok(false));
        assert_eq!(check("jsonpath={.status.list}"), Ok(true));
        assert_eq!(
            check(r#"jsonpath={.status.conditions[?(@.type=="Ready")].status}=True"#),
            Ok(true)
        );
        assert_eq!(
            check("jsonpath={.status.list[*]}=1"),
            Err("given jsonpath expression matches more than one value".into())
        );
        assert_eq!(
            check("jsonpath={.status.list}=1"),
            Err("jsonpath leads to a nested object or list which is not supported".into())
        );
    }

    #[test]
    fn conditions_of_an_older_generation_do_not_count() {
        let mut d = serde_json::json!({"metadata": {"generation": 2},
            "status": {"observedGeneration": 1,
                "conditions": [{"type": "Available", "status": "True"}]}});
        assert!(!has_condition(&d, "available", "true"));
        object::set(&mut d, "status.observedGeneration", serde_json::json!(2));
        assert!(has_condition(&d, "available", "true"));
    }
}
