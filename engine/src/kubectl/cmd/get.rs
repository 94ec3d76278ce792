// Indexing is safe in this module: group index bounded by the while loop's i < groups.len().
#![allow(clippy::indexing_slicing)]
//! `kubectl get`: tables by kind (several kinds, `TYPE/NAME` forms, the
//! `all` category), `-o wide|name|yaml|json|jsonpath=…|custom-columns=…`,
//! `--sort-by`, `--no-headers`, `--show-labels`, `-L`, `-A`, `-l`,
//! `--field-selector`, `-w`.

use super::super::{flags::Flag, flags::Parsed, jsonpath, printers, Command, Context};
use crate::api::selector::{FieldSelector, LabelSelector};
use crate::api::{self, object, Resource};
use crate::clock::Time;
use crate::output::Output;
use serde_json::Value;
use std::sync::Arc;

pub const COMMAND: Command = Command {
    name: "get",
    short: "Display one or many resources",
    usage: "kubectl get [(-o|--output=)json|yaml|name|go-template|go-template-file|template|templatefile|jsonpath|jsonpath-as-json|jsonpath-file|custom-columns|custom-columns-file|wide] (TYPE[.VERSION][.GROUP] [NAME | -l label] | TYPE[.VERSION][.GROUP]/NAME ...) [flags] [options]",
    flags: &[
        Flag::bool("all-namespaces", "If present, list the requested object(s) across all namespaces. Namespace in current context is ignored even if specified with --namespace.").short('A'),
        Flag::bool("allow-missing-template-keys", "If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats.").default("true").unsupported(),
        Flag::int("chunk-size", "500", "Return large lists in chunks rather than all at once. Pass 0 to disable. This flag is beta and may change in the future.").unsupported(),
        Flag::string("field-selector", "", "Selector (field query) to filter on, supports '=', '==', and '!='.(e.g. --field-selector key1=value1,key2=value2). The server only supports a limited number of field queries per type."),
        Flag::strings("filename", "Filename, directory, or URL to files identifying the resource to get from a server.").short('f'),
        Flag::bool("ignore-not-found", "If the requested object does not exist the command will return exit code 0."),
        Flag::string("kustomize", "", "Process the kustomization directory. This flag can't be used together with -f or -R.").short('k').unsupported(),
        Flag::strings("label-columns", "Accepts a comma separated list of labels that are going to be presented as columns. Names are case-sensitive. You can also use multiple flag options like -L label1 -L label2...").short('L'),
        Flag::bool("no-headers", "When using the default or custom-column output format, don't print headers (default print headers)."),
        Flag::string("output", "", "Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file, custom-columns, custom-columns-file, wide). See custom columns [https://kubernetes.io/docs/reference/kubectl/#custom-columns], golang template [http://golang.org/pkg/text/template/#pkg-overview] and jsonpath template [https://kubernetes.io/docs/reference/kubectl/jsonpath/].").short('o'),
        Flag::bool("output-watch-events", "Output watch event objects when --watch or --watch-only is used. Existing objects are output as initial ADDED events.").unsupported(),
        Flag::string("raw", "", "Raw URI to request from the server.  Uses the transport specified by the kubeconfig file.").unsupported(),
        Flag::bool("recursive", "Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.").short('R'),
        Flag::string("selector", "", "Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l key1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the specified label constraints.").short('l'),
        Flag::bool("server-print", "If true, have the server return the appropriate table output. Supports extension APIs and CRDs.").default("true").unsupported(),
        Flag::bool("show-kind", "If present, list the resource type for the requested object(s)."),
        Flag::bool("show-labels", "When printing, show all labels as the last column (default hide labels column)"),
        Flag::bool("show-managed-fields", "If true, keep the managedFields when printing objects in JSON or YAML format.").unsupported(),
        Flag::string("sort-by", "", "If non-empty, sort list types using this field specification.  The field specification is expressed as a JSONPath expression (e.g. '{.metadata.name}'). The field in the API resource specified by this JSONPath expression must be an integer or a string."),
        Flag::string("subresource", "", "If specified, gets the subresource of the requested object.").unsupported(),
        Flag::string("template", "", "Template string or path to template file to use when -o=go-template, -o=go-template-file. The template format is golang templates [http://golang.org/pkg/text/template/#pkg-overview].").unsupported(),
        Flag::bool("watch", "After listing/getting the requested object, watch for changes.").short('w'),
        Flag::bool("watch-only", "Watch for changes to the requested object(s), without listing/getting first."),
    ],
    run,
};

const REQUIRED: &str = "You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse \"kubectl explain <resource>\" for a detailed description of that resource (e.g. kubectl explain pods).\nSee 'kubectl get -h' for help and examples";

/// What the learner asked for: a resource, listed or by names.
struct Request {
    res: &'static Resource,
    /// `None`: list; `Some`: these names.
    names: Option<Vec<String>>,
}

/// The objects one request returned (shared with the apiserver's watch
/// cache: a list borrows them instead of copying every object).
struct Group {
    res: &'static Resource,
    objects: Vec<Arc<Value>>,
}

enum Output_ {
    Table { wide: bool },
    Name,
    Yaml,
    Json,
    JsonPath(jsonpath::Template),
    Columns(Vec<(String, jsonpath::Template)>),
}

fn resolve_type(t: &str) -> Result<Vec<&'static Resource>, String> {
    if t == "all" {
        return Ok(api::RESOURCES
            .iter()
            .filter(|r| r.categories.contains(&"all"))
            .collect());
    }
    api::resolve(t)
        .map(|r| vec![r])
        .ok_or_else(|| format!("error: the server doesn't have a resource type \"{t}\""))
}

fn requests(args: &[String]) -> Result<Vec<Request>, String> {
    let Some(first) = args.first() else {
        return Err(REQUIRED.into());
    };
    let slashed = args.iter().filter(|a| a.contains('/')).count();
    if slashed > 0 {
        if slashed != args.len() {
            return Err("error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'".into());
        }
        let mut out: Vec<Request> = Vec::new();
        for a in args {
            let (t, name) = a.split_once('/').unwrap_or((a, ""));
            if name.is_empty() {
                return Err(
                    "error: arguments in resource/name form must have a single resource and name"
                        .into(),
                );
            }
            for res in resolve_type(t)? {
                match out.last_mut() {
                    Some(last) if last.res == res => {
                        if let Some(n) = last.names.as_mut() {
                            n.push(name.to_string());
                        }
                    }
                    _ => out.push(Request {
                        res,
                        names: Some(vec![name.to_string()]),
                    }),
                }
            }
        }
        return Ok(out);
    }
    let mut resources = Vec::new();
    for t in first.split(',').filter(|t| !t.is_empty()) {
        for r in resolve_type(t)? {
            if !resources.contains(&r) {
                resources.push(r);
            }
        }
    }
    let names: Vec<String> = args.iter().skip(1).cloned().collect();
    Ok(resources
        .into_iter()
        .map(|res| Request {
            res,
            names: if names.is_empty() {
                None
            } else {
                Some(names.clone())
            },
        })
        .collect())
}

fn output_format(p: &Parsed) -> Result<Output_, String> {
    let o = p.string("output").unwrap_or("");
    let (kind, arg) = o.split_once('=').unwrap_or((o, ""));
    Ok(match kind {
        "" => Output_::Table { wide: false },
        "wide" => Output_::Table { wide: true },
        "name" => Output_::Name,
        "yaml" => Output_::Yaml,
        "json" => Output_::Json,
        "jsonpath" => {
            if arg.is_empty() {
                return Err("error: template format specified but no template given".into());
            }
            Output_::JsonPath(
                jsonpath::Template::parse(arg)
                    .map_err(|e| format!("error: error parsing jsonpath {arg}, {e}\n"))?,
            )
        }
        "custom-columns" => {
            if arg.is_empty() {
                return Err("error: custom-columns format specified but no custom columns given".into());
            }
            let mut cols = Vec::new();
            for spec in arg.split(',') {
                let Some((header, path)) = spec.split_once(':') else {
                    return Err(format!("error: unexpected custom-columns spec: {spec}, expected <header>:<json-path-expr>"));
                };
                let expr = jsonpath::relaxed(path).map_err(|e| format!("error: {e}"))?;
                let t = jsonpath::Template::parse(&expr)
                    .map_err(|e| format!("error: error parsing jsonpath {expr}, {e}"))?;
                cols.push((header.to_string(), t));
            }
            Output_::Columns(cols)
        }
        _ => return Err(format!(
            "error: unable to match a printer suitable for the output format \"{o}\", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml"
        )),
    })
}

fn run(ctx: &mut Context<'_>, p: &Parsed) -> Output {
    let out = Output::default();
    // `-f FILE`: the objects the files name, as the server has them.
    let files = p.strings("filename");
    let reqs = if files.is_empty() {
        match requests(&p.args) {
            Ok(r) => r,
            Err(e) => return out.fail(e),
        }
    } else {
        Vec::new()
    };
    let format = match output_format(p) {
        Ok(f) => f,
        Err(e) => return out.fail(e),
    };
    let sort = match p.string("sort-by").filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => match jsonpath::relaxed(s).and_then(|e| jsonpath::Template::parse(&e)) {
            Ok(t) => Some(t),
            Err(e) => return out.fail(format!("error: {e}")),
        },
    };
    let label_sel = p.string("selector").filter(|s| !s.is_empty());
    let field_sel = p.string("field-selector").filter(|s| !s.is_empty());
    if (label_sel.is_some() || field_sel.is_some()) && reqs.iter().any(|r| r.names.is_some()) {
        return out.fail("error: name cannot be provided when a selector is specified");
    }
    // The apiserver parses the selectors; its 400 names the first resource.
    let selector_error = |e: String| {
        let res = reqs.first().map(|r| r.res);
        let gv = res
            .map(|r| format!("{}/{}", r.group, r.version))
            .unwrap_or_default();
        let plural = res.map(|r| r.plural).unwrap_or_default();
        format!(
            "Error from server (BadRequest): Unable to find \"{gv}, Resource={plural}\" that match label selector \"{}\", field selector \"{}\": {e}",
            label_sel.unwrap_or(""),
            field_sel.unwrap_or("")
        )
    };
    let labels = match label_sel.map(LabelSelector::parse).transpose() {
        Ok(s) => s,
        Err(e) => return out.fail(selector_error(e)),
    };
    let fields = match field_sel.map(FieldSelector::parse).transpose() {
        Ok(s) => s,
        Err(e) => return out.fail(selector_error(e)),
    };
    if let Some(f) = &fields {
        for r in &reqs {
            if let Err(e) = f.check(r.res.kind, r.res.group) {
                return out.fail(selector_error(e));
            }
        }
    }

    let all_ns = p.bool("all-namespaces");
    let mut out = out;
    let mut errors: Vec<String> = Vec::new();
    let mut groups: Vec<Group> = Vec::new();
    let table = matches!(format, Output_::Table { .. });
    for req in &reqs {
        // Tables are the server's, made from the stored object whatever the
        // version asked; the other formats show the object in that version.
        let res = if table { req.res.storage() } else { req.res };
        // The v1.33 apiserver marks v1 Endpoints deprecated; kubectl prints the
        // response's warning header on stderr.
        if res.kind == "Endpoints" && res.group.is_empty() {
            out.err("Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice\n");
        }
        let ns = if !res.namespaced || all_ns {
            None
        } else {
            Some(ctx.namespace.as_str())
        };
        match &req.names {
            None => {
                // TODO(selectors): switch to `ApiServer::list_filtered` when it lands.
                let objects = ctx.cluster.apiserver.list_shared_where(res, ns, |o| {
                    labels.as_ref().is_none_or(|s| s.matches_object(o))
                        && fields.as_ref().is_none_or(|s| s.matches(res.kind, o))
                });
                groups.push(Group { res, objects });
            }
            Some(names) => {
                let ns = if res.namespaced {
                    Some(ctx.namespace.as_str())
                } else {
                    None
                };
                let mut objects = Vec::new();
                for name in names {
                    match ctx.cluster.apiserver.get(res, ns, name) {
                        Ok(o) => objects.push(Arc::new(o)),
                        Err(e) => {
                            if !(p.bool("ignore-not-found") && e.reason() == "NotFound") {
                                errors.push(e.kubectl_text());
                            }
                        }
                    }
                }
                if !objects.is_empty() {
                    groups.push(Group { res, objects });
                }
            }
        }
    }
    if let Some(t) = &sort {
        for g in &mut groups {
            sort_objects(&mut g.objects, t);
        }
    }
    let mut single =
        reqs.len() == 1 && reqs.first().and_then(|r| r.names.as_ref()).map(Vec::len) == Some(1);
    if !files.is_empty() {
        let allow = super::select::Allow::default();
        let args = p.args.clone();
        let sel = match super::select::select(ctx, p, &args, allow) {
            Ok(sel) => sel,
            Err(e) => return out.fail(e),
        };
        // One file naming one object prints it alone (cli-runtime's
        // "single item implied"); anything more is a List.
        single = files.len() == 1 && sel.items.len() + sel.errors.len() == 1;
        errors.extend(sel.errors);
        for item in sel.items {
            match groups.last_mut() {
                Some(g) if g.res == item.res => g.objects.push(Arc::new(item.obj)),
                _ => groups.push(Group {
                    res: item.res,
                    objects: vec![Arc::new(item.obj)],
                }),
            }
        }
    }
    let now = ctx.cluster.now();
    match format {
        Output_::Table { wide } => {
            let cache = ctx.cluster.apiserver.rows_cache();
            let text = tables(&groups, now, p, wide, all_ns, cache);
            out.out(&text);
            if text.is_empty() && errors.is_empty() && !p.bool("ignore-not-found") {
                let all_namespaced = !all_ns && groups.iter().all(|g| g.res.namespaced);
                if all_namespaced {
                    out.err(format!(
                        "No resources found in {} namespace.\n",
                        ctx.namespace
                    ));
                } else {
                    out.err("No resources found\n");
                }
            }
            if p.bool("watch") || p.bool("watch-only") {
                // TODO(watch): streaming changes belongs to the web terminal; time
                // does not move inside one command, so the listing is all there is.
            }
        }
        Output_::Name => {
            for g in &groups {
                for o in &g.objects {
                    out.out(format!(
                        "{}/{}\n",
                        g.res.singular_for_name(),
                        object::name(o)
                    ));
                }
            }
        }
        Output_::Yaml => {
            if !(single && errors.len() == 1) {
                let items: Vec<&Arc<Value>> = groups.iter().flat_map(|g| &g.objects).collect();
                out.out(match items.as_slice() {
                    [one] if single => crate::yaml::to_string(one),
                    _ => crate::yaml::list_to_string_shared(&items),
                });
            }
        }
        Output_::Json => {
            if !(single && errors.len() == 1) {
                out.out(format!(
                    "{}\n",
                    jsonpath::go_json_indent(&single_or_list(&groups, single))
                ));
            }
        }
        Output_::JsonPath(t) => {
            if !(single && errors.len() == 1) {
                let data = single_or_list(&groups, single);
                match t.execute(&data) {
                    Ok(s) => out.out(s),
                    Err(e) => {
                        out.err(jsonpath::exec_error_text(&t, &e, &data));
                        out.status = 1;
                    }
                }
            }
        }
        Output_::Columns(cols) => {
            let mut rows: Vec<Vec<String>> = Vec::new();
            if !p.bool("no-headers") {
                rows.push(cols.iter().map(|(h, _)| h.clone()).collect());
            }
            for g in &groups {
                for o in &g.objects {
                    rows.push(cols.iter().map(|(_, t)| custom_cell(t, o)).collect());
                }
            }
            if rows.len() > usize::from(!p.bool("no-headers")) {
                out.out(printers::tabwriter::layout(&rows));
            }
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

/// Human-readable output: one table per resource, separated by a blank line
/// (unless `--no-headers`), names prefixed with the kind when several kinds print.
fn tables(
    groups: &[Group],
    now: Time,
    p: &Parsed,
    wide: bool,
    all_ns: bool,
    cache: &mut printers::rows_cache::RowsCache,
) -> String {
    let mut kinds: Vec<&Resource> = Vec::new();
    for g in groups {
        if !kinds.contains(&g.res) {
            kinds.push(g.res);
        }
    }
    let with_kind = kinds.len() > 1 || p.bool("show-kind");
    let label_columns: Vec<String> = p
        .strings("label-columns")
        .iter()
        .flat_map(|l| l.split(','))
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect();
    let mut text = String::new();
    let mut i = 0;
    while i < groups.len() {
        // Consecutive groups of one resource share a table (kubectl keeps its printer).
        let res = groups[i].res;
        let mut objects: Vec<&Arc<Value>> = Vec::new();
        while i < groups.len() && groups[i].res == res {
            objects.extend(groups[i].objects.iter());
            i += 1;
        }
        if objects.is_empty() {
            continue;
        }
        let opts = printers::TableOptions {
            wide,
            with_namespace: all_ns && res.namespaced,
            show_labels: p.bool("show-labels"),
            no_headers: p.bool("no-headers"),
            kind_prefix: with_kind.then(|| res.singular_for_name()),
            label_columns: label_columns.clone(),
        };
        if !text.is_empty() && !opts.no_headers {
            text.push('\n');
        }
        text.push_str(&printers::table_shared(res, &objects, now, &opts, cache));
    }
    text
}

/// A custom-columns cell: every value found, comma-joined (Go's `%v`), or `<none>`.
fn custom_cell(t: &jsonpath::Template, o: &Value) -> String {
    match t.find(o) {
        Ok(results) if results.first().is_some_and(|r| !r.is_empty()) => results
            .iter()
            .flatten()
            .map(jsonpath::go_value)
            .collect::<Vec<_>>()
            .join(","),
        _ => "<none>".into(),
    }
}

/// `--sort-by`: numbers numerically, strings by bytes (quantities by value
/// would need the quantity parser; TODO), objects missing the field first.
/// Stable. Each object's key is found once, not at every comparison.
fn sort_objects(objects: &mut Vec<Arc<Value>>, t: &jsonpath::Template) {
    let key = |o: &Value| -> Option<Value> {
        t.find(o)
            .ok()
            .and_then(|r| r.into_iter().next())
            .and_then(|v| v.into_iter().next())
    };
    let mut keyed: Vec<(Option<Value>, Arc<Value>)> = std::mem::take(objects)
        .into_iter()
        .map(|o| (key(&o), o))
        .collect();
    crate::sort::sort_by(&mut keyed, |(a, _), (b, _)| {
        use std::cmp::Ordering;
        match (a, b) {
            (None, None) => Ordering::Equal,
            (None, Some(_)) => Ordering::Less,
            (Some(_), None) => Ordering::Greater,
            (Some(x), Some(y)) => match (x, y) {
                (Value::Number(m), Value::Number(n)) => m
                    .as_f64()
                    .unwrap_or(0.0)
                    .partial_cmp(&n.as_f64().unwrap_or(0.0))
                    .unwrap_or(Ordering::Equal),
                (Value::String(m), Value::String(n)) => m.cmp(n),
                _ => Ordering::Equal,
            },
        }
    });
    objects.extend(keyed.into_iter().map(|(_, o)| o));
}

/// Every object printed, in order.
fn items(groups: &[Group]) -> Vec<&Value> {
    groups
        .iter()
        .flat_map(|g| g.objects.iter().map(|o| &**o))
        .collect()
}

/// One named object prints alone; anything else prints as a `v1 List`.
fn single_or_list(groups: &[Group], single: bool) -> Value {
    let mut items: Vec<Value> = items(groups).into_iter().cloned().collect();
    if single && items.len() == 1 {
        return items.remove(0);
    }
    serde_json::json!({ "apiVersion": "v1", "items": items, "kind": "List", "metadata": { "resourceVersion": "" } })
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

#[cfg(test)]
mod tests;
