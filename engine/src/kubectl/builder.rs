//! Reading objects from `-f` sources, as cli-runtime's resource builder
//! does: files, directories (their `.yaml`, `.yml` and `.json` files, in
//! order; with `-R` those of every subdirectory too), and `-` for standard
//! input; each document mapped to a resource
//! through discovery (the resource table), with kubectl's messages when it
//! cannot be.

use super::Context;
use crate::api::{self, object, Resource};
use crate::apiserver::ApiError;
use crate::node::fs;
use serde_json::Value;

/// One object read from a source.
#[derive(Debug)]
pub struct Info {
    /// `"STDIN"` or the path as the learner typed it.
    pub source: String,
    pub resource: &'static Resource,
    pub object: Value,
}

/// Reads every `-f` source. Errors are already in kubectl's words; objects
/// that could be read are returned alongside them, as kubectl goes on with
/// the good documents.
pub fn read(ctx: &Context<'_>, filenames: &[String], recursive: bool) -> (Vec<Info>, Vec<String>) {
    let mut infos = Vec::new();
    let mut errors = Vec::new();
    for f in filenames {
        for (source, text) in match sources(ctx, f, recursive) {
            Ok(s) => s,
            Err(e) => {
                errors.push(e);
                continue;
            }
        } {
            let docs = match crate::yaml::parse_documents(&text) {
                Ok(d) => d,
                Err(e) => {
                    errors.push(format!(
                        "error: error parsing {source}: error converting YAML to JSON: yaml: {}",
                        e.0
                    ));
                    continue;
                }
            };
            for doc in docs.into_iter().flat_map(flatten_list) {
                match map(&source, doc) {
                    Ok(info) => infos.push(info),
                    Err(e) => errors.push(e),
                }
            }
        }
    }
    (infos, errors)
}

/// A `kind: List` (what `kubectl get … -o yaml` prints for several
/// objects) stands for its items, as cli-runtime's FlattenListVisitor reads it.
fn flatten_list(doc: Value) -> Vec<Value> {
    let is_list = object::str_at(&doc, "kind").is_some_and(|k| k.ends_with("List"))
        && doc.get("items").is_some_and(Value::is_array);
    if !is_list {
        return vec![doc];
    }
    match doc {
        Value::Object(mut m) => match m.remove("items") {
            Some(Value::Array(items)) => items,
            _ => Vec::new(),
        },
        _ => Vec::new(),
    }
}

fn sources(ctx: &Context<'_>, f: &str, recursive: bool) -> Result<Vec<(String, String)>, String> {
    if f == "-" {
        return Ok(vec![(
            "STDIN".into(),
            ctx.stdin.clone().unwrap_or_default(),
        )]);
    }
    if let Some(text) = crate::metrics::manifest::for_url(f) {
        return Ok(vec![(f.to_string(), text.to_string())]);
    }
    if f.starts_with("http://") || f.starts_with("https://") {
        return Err(format!(
            "error: unable to read URL \"{f}\", server reported 404 Not Found, status code=404"
        ));
    }
    let Some(machine) = ctx.cluster.machine(&ctx.node) else {
        return Err(format!("error: the path \"{f}\" does not exist"));
    };
    let path = fs::normalize(&ctx.cwd, f);
    if machine.fs.is_dir(&path) {
        let mut found = Vec::new();
        walk(
            &machine.fs,
            &path,
            f.trim_end_matches('/'),
            recursive,
            &mut found,
        );
        return Ok(found);
    }
    match machine.fs.read_to_string(&path) {
        Ok(t) => Ok(vec![(f.to_string(), t)]),
        Err(_) => Err(format!("error: the path \"{f}\" does not exist")),
    }
}

/// `filepath.Walk` as the builder uses it: entries in lexical order, the
/// manifests by extension; subdirectories only with `-R`.
fn walk(
    fs: &fs::FileSystem,
    dir: &str,
    shown: &str,
    recursive: bool,
    found: &mut Vec<(String, String)>,
) {
    let mut names = fs.list(dir).unwrap_or_default();
    crate::sort::sort(&mut names);
    for n in names {
        let p = fs::normalize(dir, &n);
        let s = format!("{shown}/{n}");
        if fs.is_dir(&p) {
            if recursive {
                walk(fs, &p, &s, recursive, found);
            }
        } else if n.ends_with(".yaml") || n.ends_with(".yml") || n.ends_with(".json") {
            if let Ok(t) = fs.read_to_string(&p) {
                found.push((s, t));
            }
        }
    }
}

fn map(source: &str, doc: Value) -> Result<Info, String> {
    if !doc.is_object() {
        return Err(format!("error: error validating \"{source}\": error validating data: invalid object to validate; if you choose to ignore these errors, turn validation off with --validate=false"));
    }
    let kind = object::str_at(&doc, "kind").unwrap_or("");
    let api_version = object::str_at(&doc, "apiVersion").unwrap_or("");
    if kind.is_empty() {
        return Err(format!("error: error validating \"{source}\": error validating data: kind not set; if you choose to ignore these errors, turn validation off with --validate=false"));
    }
    if api_version.is_empty() {
        return Err(format!("error: error validating \"{source}\": error validating data: apiVersion not set; if you choose to ignore these errors, turn validation off with --validate=false"));
    }
    match api::for_kind(api_version, kind) {
        Some(resource) => Ok(Info {
            source: source.to_string(),
            resource,
            object: doc,
        }),
        None => {
            let ns = object::namespace(&doc).unwrap_or("");
            Err(format!(
                "error: resource mapping not found for name: \"{}\" namespace: \"{ns}\" from \"{source}\": no matches for kind \"{kind}\" in version \"{api_version}\"\nensure CRDs are installed first",
                object::name(&doc)
            ))
        }
    }
}

/// The namespace an object from a file goes to: its own, or the context's;
/// a conflict with an explicit `-n` is kubectl's error.
pub fn namespace_for(
    info: &Info,
    ctx_namespace: &str,
    explicit: bool,
) -> Result<Option<String>, String> {
    if !info.resource.namespaced {
        return Ok(None);
    }
    match object::namespace(&info.object) {
        Some(ns) if explicit && ns != ctx_namespace => Err(format!(
            "error: the namespace from the provided object \"{ns}\" does not match the namespace \"{ctx_namespace}\". You must pass '--namespace={ns}' to perform this operation."
        )),
        Some(ns) if !ns.is_empty() => Ok(Some(ns.to_string())),
        _ => Ok(Some(ctx_namespace.to_string())),
    }
}

/// An error met while visiting the objects of `-f`. kubectl collects them
/// and prints them after the visit (`cmdutil.CheckErr` on the aggregate):
/// one error in its own form (an invalid object as `The Service "web" is
/// invalid: …`), several one per line in `StandardErrorMessage`'s form, so
/// the objects that were created are listed first.
pub enum VisitError {
    Server {
        err: ApiError,
        verb: &'static str,
        source: String,
    },
    /// A client-side error, as printed alone (with its `error: ` prefix).
    Client(String),
}

impl VisitError {
    pub fn server(err: ApiError, verb: &'static str, source: &str) -> Self {
        VisitError::Server {
            err,
            verb,
            source: source.to_string(),
        }
    }

    fn alone(&self) -> String {
        match self {
            VisitError::Server { err, verb, source } => server_error(err, verb, source),
            VisitError::Client(text) => text.clone(),
        }
    }

    /// `messageForError`: an API status in `StandardErrorMessage`'s form
    /// (an invalid object's causes stay in its `[a, b]` message); any other
    /// error as its bare text.
    fn among_others(&self) -> String {
        match self {
            VisitError::Server { err, verb, source } => {
                let reason = err.reason();
                let what = format!("error when {verb} \"{source}\": {}", err.message());
                if reason.is_empty() {
                    format!("Error from server: {what}")
                } else {
                    format!("Error from server ({reason}): {what}")
                }
            }
            VisitError::Client(text) => text.strip_prefix("error: ").unwrap_or(text).to_string(),
        }
    }
}

/// Prints the collected errors as kubectl does after a visit.
pub fn print_errors(out: &mut crate::output::Output, errors: &[VisitError]) {
    match errors {
        [] => {}
        [one] => out.err(format!("{}\n", one.alone())),
        many => {
            for e in many {
                out.err(format!("{}\n", e.among_others()));
            }
        }
    }
}

/// A server error as kubectl prints it for an object from a file:
/// `Error from server (AlreadyExists): error when creating "pod.yaml": …`;
/// Invalid errors are printed from their details, without the source.
pub fn server_error(err: &ApiError, verb: &str, source: &str) -> String {
    match err {
        ApiError::Invalid { .. } => err.kubectl_text(),
        // StatusReasonUnknown: no reason in parentheses.
        _ if err.reason().is_empty() => format!(
            "Error from server: error when {verb} \"{source}\": {}",
            err.message()
        ),
        _ => format!(
            "Error from server ({}): error when {verb} \"{source}\": {}",
            err.reason(),
            err.message()
        ),
    }
}
