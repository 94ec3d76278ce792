// Indexing is safe in this module: resources[0] after the empty case has returned an error.
#![allow(clippy::indexing_slicing)]
//! `kubectl taint nodes NAME key=value:Effect | key:Effect- | key-`, with
//! kubectl's parsing (client-side, before any request) and its
//! `tainted` / `untainted` / `modified` messages.

use super::common::{dry_run, usage_error, DryRun};
use super::select::{item_error, select, Allow};
use crate::api::object;
use crate::apiserver::validation;
use crate::kubectl::flags::{Flag, Parsed};
use crate::kubectl::{Command, Context};
use crate::output::Output;
use serde_json::{json, Value};

pub const COMMAND: Command = Command {
    name: "taint",
    short: "Update the taints on one or more nodes",
    usage: "kubectl taint NODE NAME KEY_1=VAL_1:TAINT_EFFECT_1 ... KEY_N=VAL_N:TAINT_EFFECT_N [options]",
    flags: &[
        Flag::bool("all", "Select all nodes in the cluster"),
        Flag::bool("allow-missing-template-keys", "If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats.").default("true").unsupported(),
        Flag::string("dry-run", "none", "Must be \"none\", \"server\", or \"client\". If client strategy, only print the object that would be sent, without sending it. If server strategy, submit server-side request without persisting the resource."),
        Flag::string("field-manager", "kubectl-taint", "Name of the manager used to track field ownership."),
        Flag::string("output", "", "Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).").short('o'),
        Flag::bool("overwrite", "If true, allow taints to be overwritten, otherwise reject taint updates that overwrite existing taints."),
        Flag::string("selector", "", "Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l key1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the specified label constraints.").short('l'),
        Flag::bool("show-managed-fields", "If true, keep the managedFields when printing objects in JSON or YAML format.").unsupported(),
        Flag::string("template", "", "Template string or path to template file to use when -o=go-template, -o=go-template-file. The template format is golang templates [http://golang.org/pkg/text/template/#pkg-overview].").unsupported(),
        Flag::string("validate", "strict", "Must be one of: strict (or true), warn, ignore (or false). \"true\" or \"strict\" will use a schema to validate the input and fail the request if invalid. It will perform server side validation if ServerSideFieldValidation is enabled on the api-server, but will fall back to less reliable client-side validation if not. \"warn\" will warn about unknown or duplicate fields without blocking the request if server-side field validation is enabled on the API server, and behave as \"ignore\" otherwise. \"false\" or \"ignore\" will not perform any schema validation, silently dropping any unknown or duplicate fields."),
    ],
    run,
};

#[derive(Clone, Debug, PartialEq, Eq)]
struct Taint {
    key: String,
    value: String,
    effect: String,
}

impl Taint {
    /// `corev1.Taint.ToString`.
    fn to_go_string(&self) -> String {
        match (self.value.is_empty(), self.effect.is_empty()) {
            (true, true) => self.key.clone(),
            (false, true) => format!("{}={}:", self.key, self.value),
            (true, false) => format!("{}:{}", self.key, self.effect),
            (false, false) => format!("{}={}:{}", self.key, self.value, self.effect),
        }
    }
    fn matches(&self, other: &Taint) -> bool {
        self.key == other.key && self.effect == other.effect
    }
    fn from_json(v: &Value) -> Taint {
        Taint {
            key: object::str_at(v, "key").unwrap_or("").into(),
            value: object::str_at(v, "value").unwrap_or("").into(),
            effect: object::str_at(v, "effect").unwrap_or("").into(),
        }
    }
}

fn parse_taint(st: &str) -> Result<Taint, String> {
    let parts: Vec<&str> = st.split(':').collect();
    let (key, value, effect) = match parts.as_slice() {
        [k] => (k.to_string(), String::new(), String::new()),
        [kv, effect] => {
            if !matches!(*effect, "NoSchedule" | "PreferNoSchedule" | "NoExecute") {
                return Err(format!(
                    "invalid taint effect: {effect}, unsupported taint effect"
                ));
            }
            let kv: Vec<&str> = kv.split('=').collect();
            match kv.as_slice() {
                [k] => (k.to_string(), String::new(), effect.to_string()),
                [k, v] => {
                    let errs = validation::label_value(v);
                    if !errs.is_empty() {
                        return Err(format!("invalid taint spec: {st}, {}", errs.join("; ")));
                    }
                    (k.to_string(), v.to_string(), effect.to_string())
                }
                _ => return Err(format!("invalid taint spec: {st}")),
            }
        }
        _ => return Err(format!("invalid taint spec: {st}")),
    };
    let errs = validation::qualified_name(&key);
    if !errs.is_empty() {
        return Err(format!("invalid taint spec: {st}, {}", errs.join("; ")));
    }
    Ok(Taint { key, value, effect })
}

type Specs = (Vec<Taint>, Vec<Taint>);

fn parse_taints(specs: &[String]) -> Result<Specs, String> {
    let mut add: Vec<Taint> = Vec::new();
    let mut remove = Vec::new();
    for s in specs {
        if let Some(r) = s.strip_suffix('-') {
            let t = parse_taint(r)?;
            remove.push(Taint {
                value: String::new(),
                ..t
            });
        } else {
            let t = parse_taint(s)?;
            if t.effect.is_empty() {
                return Err(format!("invalid taint spec: {s}"));
            }
            if add.iter().any(|a| a.matches(&t)) {
                return Err(format!(
                    "duplicated taints with the same key and effect: {}",
                    go_taint_struct(&t)
                ));
            }
            add.push(t);
        }
    }
    Ok((add, remove))
}

/// `%v` of a `corev1.Taint` value.
fn go_taint_struct(t: &Taint) -> String {
    format!("{{{} {} {} <nil>}}", t.key, t.value, t.effect)
}

fn run(ctx: &mut Context<'_>, p: &Parsed) -> Output {
    let out = Output::default();
    let dry = match dry_run(p) {
        Ok(d) => d,
        Err(e) => return out.fail(e),
    };
    let mut resources = Vec::new();
    let mut specs = Vec::new();
    for a in &p.args {
        let is_spec = a.contains('=') || a.contains(':') || a.ends_with('-');
        if is_spec {
            specs.push(a.clone());
        } else if !specs.is_empty() {
            return out.fail(format!(
                "error: all resources must be specified before taint changes: {a}"
            ));
        } else {
            resources.push(a.clone());
        }
    }
    if resources.is_empty() {
        return out.fail("error: one or more resources must be specified as <resource> <name>");
    }
    if specs.is_empty() {
        return out.fail("error: at least one taint update is required");
    }
    let (add, remove) = match parse_taints(&specs) {
        Ok(x) => x,
        Err(e) => return out.fail(usage_error(&e, "taint")),
    };
    if p.bool("all") && p.is_set("selector") {
        return out.fail("error: setting 'all' parameter with a non empty selector is prohibited");
    }
    if !p.bool("all") && resources.len() < 2 && !resources[0].contains('/') && !p.is_set("selector")
    {
        return out.fail(
            "error: at least one resource name must be specified since 'all' parameter is not set",
        );
    }
    let kind = resources[0].split('/').next().unwrap_or("");
    if crate::api::resolve(kind).is_none_or(|r| r.kind != "Node") {
        return out.fail(format!(
            "error: invalid resource type {kind}, only node types are supported"
        ));
    }
    let conflicts: Vec<String> = remove
        .iter()
        .filter(|r| {
            add.iter()
                .any(|a| a.matches(r) || (r.effect.is_empty() && a.key == r.key))
        })
        .map(Taint::to_go_string)
        .collect();
    if !conflicts.is_empty() {
        return out.fail(format!(
            "error: can not both modify and remove the following taint(s) in the same command: {}",
            conflicts.join(", ")
        ));
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
    let mut out = out;
    let mut errors = sel.errors;
    let overwrite = p.bool("overwrite");
    for item in sel.items {
        let old: Vec<Taint> = object::at(&item.obj, "spec.taints")
            .and_then(Value::as_array)
            .map(|a| a.iter().map(Taint::from_json).collect())
            .unwrap_or_default();
        if !overwrite {
            let exists: Vec<&str> = add
                .iter()
                .filter(|t| old.iter().any(|o| o.matches(t)))
                .map(|t| t.key.as_str())
                .collect();
            if !exists.is_empty() {
                errors.push(format!(
                    "error: node {} already has {} taint(s) with same effect(s) and --overwrite is false",
                    item.name,
                    exists.join(",")
                ));
                continue;
            }
        }
        // reorganizeTaints: the new taints first, then the old ones not replaced.
        let mut new = add.clone();
        for o in &old {
            if !new.iter().any(|n| n.matches(o)) {
                new.push(o.clone());
            }
        }
        let added = old.len() != new.len();
        let mut not_found = Vec::new();
        let mut deleted = false;
        for r in &remove {
            let before = new.len();
            if r.effect.is_empty() {
                new.retain(|t| t.key != r.key);
            } else {
                new.retain(|t| !t.matches(r));
            }
            deleted = new.len() != before;
            if !deleted {
                not_found.push(format!("taint \"{}\" not found", r.to_go_string()));
            }
        }
        if !not_found.is_empty() {
            errors.push(format!("error: {}", not_found.join(", ")));
            continue;
        }
        let operation = if (added && deleted) || overwrite {
            "modified"
        } else if added {
            "tainted"
        } else {
            "untainted"
        };
        let mut obj = item.obj.clone();
        let taints: Vec<Value> = new
            .iter()
            .map(|t| {
                let mut m = serde_json::Map::new();
                m.insert("effect".into(), json!(t.effect));
                m.insert("key".into(), json!(t.key));
                if !t.value.is_empty() {
                    m.insert("value".into(), json!(t.value));
                }
                if let Some(ta) = old
                    .iter()
                    .position(|o| o == t)
                    .and_then(|i| object::at(&item.obj, "spec.taints").and_then(|a| a.get(i)))
                    .and_then(|v| v.get("timeAdded"))
                {
                    m.insert("timeAdded".into(), ta.clone());
                }
                Value::Object(m)
            })
            .collect();
        if taints.is_empty() {
            if let Some(spec) = obj.get_mut("spec").and_then(Value::as_object_mut) {
                spec.remove("taints");
            }
        } else {
            object::set(&mut obj, "spec.taints", Value::Array(taints));
        }
        let shown = if dry == DryRun::None {
            match ctx.cluster.apiserver.update(item.res, None, obj) {
                Ok(o) => o,
                Err(e) => {
                    errors.push(item_error(&item, &e, "patching"));
                    continue;
                }
            }
        } else {
            obj
        };
        super::common::print(&mut out, p, &shown, operation, dry);
    }
    for e in &errors {
        out.err(format!("{e}\n"));
    }
    if !errors.is_empty() {
        out.status = 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn taint_specs_in_kubectl_words() {
        assert_eq!(
            parse_taint("app=blue:NoSchdule").err().as_deref(),
            Some("invalid taint effect: NoSchdule, unsupported taint effect")
        );
        assert_eq!(
            parse_taint("a=b=c:NoSchedule").err().as_deref(),
            Some("invalid taint spec: a=b=c:NoSchedule")
        );
        let t = parse_taint("node-role.kubernetes.io/control-plane:NoSchedule")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            t.to_go_string(),
            "node-role.kubernetes.io/control-plane:NoSchedule"
        );
        assert_eq!(
            parse_taints(&["k".into()]).err().as_deref(),
            Some("invalid taint spec: k")
        );
    }
}
