// Indexing is safe in this module: 64-entry alphabet indexed by a 6-bit value; args[1..] after checking args is not empty.
#![allow(clippy::indexing_slicing)]
//! What the verbs share: the `-o`/`--dry-run` handling of commands that
//! make an object (`create …`, `run`, `expose`, `autoscale`), kubectl's JSON
//! layout for typed objects, resource/name arguments, and small encoders.

use super::super::{flags::Parsed, Context};
use crate::api::{self, object, Resource};
use crate::apiserver::ApiError;
use crate::output::Output;
use serde_json::Value;

/// `pod`, `deployment.apps`: how `-o name` and `created` messages name a kind.
pub fn kind_name(res: &Resource) -> String {
    if res.group.is_empty() {
        res.kind.to_ascii_lowercase()
    } else {
        format!("{}.{}", res.kind.to_ascii_lowercase(), res.group)
    }
}

/// The resource for a kind in an apiVersion, from the table.
pub fn resource(api_version: &str, kind: &str) -> Option<&'static Resource> {
    api::for_kind(api_version, kind)
}

/// `--dry-run`'s value, checked as kubectl checks it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DryRun {
    None,
    Client,
    Server,
}

pub fn dry_run(p: &Parsed) -> Result<DryRun, String> {
    match p.string("dry-run").unwrap_or("none") {
        "none" | "false" => Ok(DryRun::None),
        "client" | "true" => Ok(DryRun::Client),
        "server" => Ok(DryRun::Server),
        other => Err(format!(
            "error: Invalid dry-run value ({other}). Must be \"none\", \"server\", or \"client\"."
        )),
    }
}

/// The formats a generator can print with `-o`, checked before anything runs.
pub fn check_output(p: &Parsed) -> Result<(), String> {
    match p.string("output").unwrap_or("") {
        "" | "yaml" | "json" | "name" => Ok(()),
        o if o.starts_with("jsonpath=") => crate::kubectl::jsonpath::Template::parse(&o[9..])
            .map(|_| ())
            .map_err(|e| format!("error: error parsing jsonpath {}, {e}\n", &o[9..])),
        other => Err(format!("error: unable to match a printer suitable for the output format \"{other}\", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml")),
    }
}

/// `--save-config`: the object as sent, compact JSON in Go's field order
/// with a newline (what `runtime.Encode` writes), kept in the
/// last-applied annotation so a later `kubectl apply` can merge.
pub fn save_config(p: &Parsed, obj: &mut Value) {
    if !p.bool("save-config") {
        return;
    }
    let key = super::apply::LAST_APPLIED;
    if let Some(ann) = obj
        .pointer_mut("/metadata/annotations")
        .and_then(Value::as_object_mut)
    {
        ann.remove(key);
    }
    let text = format!("{}\n", serde_json::to_string(obj).unwrap_or_default());
    let Some(meta) = obj.get_mut("metadata").and_then(Value::as_object_mut) else {
        return;
    };
    if let Some(ann) = meta.get_mut("annotations").and_then(Value::as_object_mut) {
        ann.insert(key.into(), Value::String(text));
        return;
    }
    // ObjectMeta's order: annotations come before these.
    let mut rebuilt = serde_json::Map::new();
    let mut value = Some(serde_json::json!({ key: text }));
    for (k, v) in std::mem::take(meta) {
        if matches!(
            k.as_str(),
            "ownerReferences" | "finalizers" | "managedFields"
        ) {
            if let Some(a) = value.take() {
                rebuilt.insert("annotations".into(), a);
            }
        }
        rebuilt.insert(k, v);
    }
    if let Some(a) = value {
        rebuilt.insert("annotations".into(), a);
    }
    *meta = rebuilt;
}

/// Prints an object as `-o` asks, or the `<kind>/<name> <verb>` line.
pub fn print(out: &mut Output, p: &Parsed, obj: &Value, verb: &str, dry: DryRun) {
    let res = resource(
        object::str_at(obj, "apiVersion").unwrap_or(""),
        object::str_at(obj, "kind").unwrap_or(""),
    );
    let kind = res.map(kind_name).unwrap_or_else(|| {
        object::str_at(obj, "kind")
            .unwrap_or("")
            .to_ascii_lowercase()
    });
    match p.string("output").unwrap_or("") {
        "yaml" => {
            // cli-runtime's YAML printer writes `---` before every object
            // but the first it prints (`apply -f` of several objects).
            if !out.stdout().is_empty() {
                out.out("---\n");
            }
            out.out(crate::yaml::to_string(obj))
        }
        "json" => out.out(format!("{}\n", json_indent(obj))),
        "name" => out.out(format!("{kind}/{}\n", object::name(obj))),
        o if o.starts_with("jsonpath=") => {
            use crate::kubectl::jsonpath;
            match jsonpath::Template::parse(&o[9..]).and_then(|t| {
                t.execute(obj)
                    .map_err(|e| jsonpath::exec_error_text(&t, &e, obj))
            }) {
                Ok(text) => out.out(text),
                Err(e) => {
                    out.err(e);
                    out.status = 1;
                }
            }
        }
        _ => {
            let suffix = match dry {
                DryRun::None => "",
                DryRun::Client => " (dry run)",
                DryRun::Server => " (server dry run)",
            };
            out.out(format!("{kind}/{} {verb}{suffix}\n", object::name(obj)));
        }
    }
}

/// The end of a generator: print the object (client dry run) or create it
/// through the apiserver and print what came back. `what` names the object
/// in kubectl's `failed to create …` wrapping (`None`: the server's error
/// as is).
pub fn create_and_print(
    ctx: &mut Context<'_>,
    p: &Parsed,
    mut obj: Value,
    what: Option<&str>,
) -> Output {
    save_config(p, &mut obj);
    let mut out = Output::default();
    let dry = match dry_run(p) {
        Ok(d) => d,
        Err(e) => return out.fail(e),
    };
    if let Err(e) = check_output(p) {
        return out.fail(e);
    }
    if dry == DryRun::Client {
        print(&mut out, p, &obj, "created", dry);
        return out;
    }
    let Some(res) = resource(
        object::str_at(&obj, "apiVersion").unwrap_or(""),
        object::str_at(&obj, "kind").unwrap_or(""),
    ) else {
        return out.fail("error: the server could not find the requested resource");
    };
    let ns = res.namespaced.then(|| {
        object::namespace(&obj)
            .map(str::to_string)
            .unwrap_or_else(|| ctx.namespace.clone())
    });
    let now = ctx.cluster.now();
    let body = strip_client_nulls(obj.clone());
    if dry == DryRun::Server {
        // No dry-run requests on the apiserver model yet: the object is
        // checked for a clash with an existing one and printed.
        if ctx
            .cluster
            .apiserver
            .get(res, ns.as_deref(), object::name(&obj))
            .is_ok()
        {
            return out.fail(create_error(
                &ApiError::already_exists(res, object::name(&obj)),
                what,
            ));
        }
        print(&mut out, p, &obj, "created", dry);
        return out;
    }
    match ctx.cluster.apiserver.create(res, ns.as_deref(), body, now) {
        Ok(created) => {
            print(&mut out, p, &created, "created", dry);
            out
        }
        Err(e) => out.fail(create_error(&e, what)),
    }
}

/// kubectl's wording of a failed create from a generator.
pub fn create_error(e: &ApiError, what: Option<&str>) -> String {
    match (e, what) {
        (ApiError::Invalid { .. }, _) | (_, None) => e.kubectl_text(),
        (_, Some(w)) => format!("error: failed to create {w}: {}", e.message()),
    }
}

/// What a typed Go client leaves out of the request body: the
/// `creationTimestamp: null` and empty `status` of a fresh object.
pub fn strip_client_nulls(mut obj: Value) -> Value {
    if let Some(meta) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
        if meta.get("creationTimestamp") == Some(&Value::Null) {
            meta.remove("creationTimestamp");
        }
    }
    strip_nested_timestamps(&mut obj);
    obj
}

fn strip_nested_timestamps(v: &mut Value) {
    match v {
        Value::Object(m) => {
            if m.get("creationTimestamp") == Some(&Value::Null) {
                m.remove("creationTimestamp");
            }
            for (_, x) in m.iter_mut() {
                strip_nested_timestamps(x);
            }
        }
        Value::Array(a) => a.iter_mut().for_each(strip_nested_timestamps),
        _ => {}
    }
}

/// `exactly one NAME is required, got N` — the usage error of generators.
pub fn one_name(p: &Parsed, command: &str) -> Result<String, String> {
    match p.args.as_slice() {
        [name] => Ok(name.clone()),
        args => Err(usage_error(
            &format!("exactly one NAME is required, got {}", args.len()),
            command,
        )),
    }
}

/// A cobra usage error: the message and the `See … -h` line.
pub fn usage_error(msg: &str, command: &str) -> String {
    format!("error: {msg}\nSee 'kubectl {command} -h' for help and examples")
}

/// `Go json.MarshalIndent(obj, "", "    ")` of a typed object: keys in the
/// order the object has them (the Go struct's field order, which the
/// generators build in), `<`, `>`, `&` escaped as Go does.
pub fn json_indent(v: &Value) -> String {
    let mut s = String::new();
    write_json(v, 0, &mut s);
    s
}

fn write_json(v: &Value, level: usize, s: &mut String) {
    let pad = |n: usize, s: &mut String| s.extend(std::iter::repeat_n(' ', 4 * n));
    match v {
        Value::Object(m) if !m.is_empty() => {
            s.push_str("{\n");
            let n = m.len();
            for (i, (k, x)) in m.iter().enumerate() {
                pad(level + 1, s);
                crate::go::json_string(k, s);
                s.push_str(": ");
                write_json(x, level + 1, s);
                if i + 1 != n {
                    s.push(',');
                }
                s.push('\n');
            }
            pad(level, s);
            s.push('}');
        }
        Value::Array(a) if !a.is_empty() => {
            s.push_str("[\n");
            for (i, x) in a.iter().enumerate() {
                pad(level + 1, s);
                write_json(x, level + 1, s);
                if i + 1 != a.len() {
                    s.push(',');
                }
                s.push('\n');
            }
            pad(level, s);
            s.push(']');
        }
        Value::Object(_) => s.push_str("{}"),
        Value::Array(_) => s.push_str("[]"),
        Value::String(t) => crate::go::json_string(t, s),
        Value::Number(n) => s.push_str(&n.to_string()),
        Value::Bool(b) => s.push_str(if *b { "true" } else { "false" }),
        Value::Null => s.push_str("null"),
    }
}

/// Standard base64 with padding (Secret data).
pub fn base64(data: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b0 = chunk.first().copied().unwrap_or(0) as u32;
        let b1 = chunk.get(1).copied().unwrap_or(0) as u32;
        let b2 = chunk.get(2).copied().unwrap_or(0) as u32;
        let n = (b0 << 16) | (b1 << 8) | b2;
        for (i, shift) in [18u32, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(A[((n >> shift) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Reads a file on the machine kubectl runs on, relative to its working directory.
pub fn read_file(ctx: &Context<'_>, path: &str) -> Option<Vec<u8>> {
    let m = ctx.cluster.machine(&ctx.node)?;
    let full = crate::node::fs::normalize(&ctx.cwd, path);
    m.fs.read(&full).ok().map(<[u8]>::to_vec)
}

pub fn is_dir(ctx: &Context<'_>, path: &str) -> bool {
    let full = crate::node::fs::normalize(&ctx.cwd, path);
    ctx.cluster
        .machine(&ctx.node)
        .is_some_and(|m| m.fs.is_dir(&full))
}

pub fn list_dir(ctx: &Context<'_>, path: &str) -> Vec<String> {
    let full = crate::node::fs::normalize(&ctx.cwd, path);
    ctx.cluster
        .machine(&ctx.node)
        .and_then(|m| m.fs.list(&full).ok())
        .unwrap_or_default()
}

/// Resource arguments as kubectl reads them: `TYPE NAME…`, `TYPE/NAME…`,
/// or `TYPE1,TYPE2` (with selectors). Errors in kubectl's words.
#[derive(Debug, Clone)]
pub struct Target {
    pub resource: &'static Resource,
    /// Empty: every object of the type (with `-l` / `--all`).
    pub name: String,
}

pub fn resolve_type(t: &str) -> Result<&'static Resource, String> {
    api::resolve(t).ok_or_else(|| format!("error: the server doesn't have a resource type \"{t}\""))
}

/// Splits positional arguments into targets. `TYPE` alone yields one
/// target with an empty name.
pub fn targets(args: &[String]) -> Result<Vec<Target>, String> {
    let mut out = Vec::new();
    let Some(first) = args.first() else {
        return Ok(out);
    };
    if args.iter().all(|a| a.contains('/')) {
        for a in args {
            let (t, n) = a.split_once('/').unwrap_or((a, ""));
            out.push(Target {
                resource: resolve_type(t)?,
                name: n.to_string(),
            });
        }
        return Ok(out);
    }
    if args.iter().any(|a| a.contains('/')) {
        return Err("error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'".to_string());
    }
    let mut types = Vec::new();
    for t in first.split(',') {
        types.push(resolve_type(t)?);
    }
    if args.len() == 1 {
        for r in types {
            out.push(Target {
                resource: r,
                name: String::new(),
            });
        }
        return Ok(out);
    }
    for r in types {
        for n in &args[1..] {
            out.push(Target {
                resource: r,
                name: n.clone(),
            });
        }
    }
    Ok(out)
}

/// The namespace a target lives in (`None` for cluster-scoped kinds).
pub fn ns_for(res: &Resource, ctx: &Context<'_>) -> Option<String> {
    res.namespaced.then(|| ctx.namespace.clone())
}

/// kubectl's error line for a failed request on a named object.
pub fn server_error(e: &ApiError) -> String {
    e.kubectl_text()
}

/// Parses `a=b,c=d` (labels, selectors of `expose`) into ordered pairs.
pub fn parse_pairs(s: &str) -> Option<Vec<(String, String)>> {
    if s.is_empty() {
        return Some(vec![]);
    }
    s.split(',')
        .map(|kv| {
            kv.split_once('=')
                .map(|(k, v)| (k.to_string(), v.to_string()))
        })
        .collect()
}

/// Go's `json.Marshal` of a typed value: compact, keys in the order given.
pub fn compact_json(v: &Value) -> String {
    let mut s = String::new();
    write_compact(v, &mut s);
    s
}

fn write_compact(v: &Value, s: &mut String) {
    match v {
        Value::Object(m) => {
            s.push('{');
            for (i, (k, x)) in m.iter().enumerate() {
                if i > 0 {
                    s.push(',');
                }
                crate::go::json_string(k, s);
                s.push(':');
                write_compact(x, s);
            }
            s.push('}');
        }
        Value::Array(a) => {
            s.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    s.push(',');
                }
                write_compact(x, s);
            }
            s.push(']');
        }
        other => write_json(other, 0, s),
    }
}
