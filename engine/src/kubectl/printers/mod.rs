//! kubectl's table printers (`pkg/printers/internalversion` in Kubernetes,
//! laid out by cli-runtime's table printer).
//!
//! Data-driven: each kind declares its columns once — header, whether only
//! `-o wide` shows it, and the cell function. As in a real cluster, the
//! apiserver computes every cell (it always generates the wide row) and
//! kubectl drops the wide-only columns; so a cell never depends on `-o wide`
//! (a LoadBalancer's EXTERNAL-IP is never cut, PriorityClass always shows
//! PREEMPTIONPOLICY). Kinds without a printer get the apiserver's default
//! table: NAME and CREATED AT.

pub mod duration;
pub mod events;
pub mod misc;
pub mod network;
pub mod pod;
pub mod rows_cache;
pub mod storage;
pub mod tabwriter;
pub mod workloads;

use crate::api::{object, Resource};
use crate::clock::Time;
use rows_cache::RowsCache;
use serde_json::Value;
use std::sync::Arc;

/// The cells of one column, computed from the object and the current time.
#[derive(Clone, Copy)]
pub enum Cell {
    Of(fn(&Value, Time) -> String),
    /// From what `printPod` derives of a pod ([`pod::summarize`]): READY,
    /// STATUS, RESTARTS and AGE read the same derivation, made once per row.
    OfPod(fn(&pod::Summary) -> String),
    /// The same, for the cells that read the clock (RESTARTS, AGE).
    OfPodAt(fn(&pod::Summary, Time) -> String),
}

/// One column of a kind's table.
#[derive(Clone, Copy)]
pub struct Column {
    pub header: &'static str,
    /// Shown only with `-o wide` (priority 1 in the server's column definitions).
    pub wide: bool,
    /// The object's name (`Format: name`): prefixed with `kind/` when several kinds print.
    pub is_name: bool,
    pub cell: Cell,
}

pub const fn col(header: &'static str, cell: fn(&Value, Time) -> String) -> Column {
    Column {
        header,
        wide: false,
        is_name: false,
        cell: Cell::Of(cell),
    }
}

pub const fn wide(header: &'static str, cell: fn(&Value, Time) -> String) -> Column {
    Column {
        header,
        wide: true,
        is_name: false,
        cell: Cell::Of(cell),
    }
}

pub const fn name_col(header: &'static str) -> Column {
    Column {
        header,
        wide: false,
        is_name: true,
        cell: Cell::Of(name_cell),
    }
}

pub const NAME: Column = name_col("NAME");
pub const AGE: Column = col("AGE", age);

/// The columns kubectl shows for a resource.
pub fn columns(res: &Resource) -> &'static [Column] {
    match (res.group, res.kind) {
        ("", "Pod") => pod::POD,
        ("", "Node") => misc::NODE,
        ("", "Namespace") => misc::NAMESPACE,
        ("", "ConfigMap") => misc::CONFIGMAP,
        ("", "Secret") => misc::SECRET,
        ("", "ServiceAccount") => misc::SERVICEACCOUNT,
        ("", "Event") => events::EVENT,
        ("", "Service") => network::SERVICE,
        ("", "Endpoints") => network::ENDPOINTS,
        ("", "ReplicationController") => workloads::REPLICATIONCONTROLLER,
        ("", "PersistentVolume") => storage::PV,
        ("", "PersistentVolumeClaim") => storage::PVC,
        ("", "ResourceQuota") => misc::RESOURCEQUOTA,
        ("", "PodTemplate") => workloads::PODTEMPLATE,
        ("", "ComponentStatus") => misc::COMPONENTSTATUS,
        ("apps", "Deployment") => workloads::DEPLOYMENT,
        ("apps", "ReplicaSet") => workloads::REPLICASET,
        ("apps", "StatefulSet") => workloads::STATEFULSET,
        ("apps", "DaemonSet") => workloads::DAEMONSET,
        ("apps", "ControllerRevision") => workloads::CONTROLLERREVISION,
        ("batch", "Job") => workloads::JOB,
        ("batch", "CronJob") => workloads::CRONJOB,
        ("autoscaling", "HorizontalPodAutoscaler") => workloads::HPA,
        ("discovery.k8s.io", "EndpointSlice") => network::ENDPOINTSLICE,
        ("networking.k8s.io", "Ingress") => network::INGRESS,
        ("networking.k8s.io", "IngressClass") => network::INGRESSCLASS,
        ("networking.k8s.io", "NetworkPolicy") => network::NETWORKPOLICY,
        ("rbac.authorization.k8s.io", "RoleBinding" | "ClusterRoleBinding") => misc::ROLEBINDING,
        ("policy", "PodDisruptionBudget") => misc::PDB,
        ("storage.k8s.io", "StorageClass") => storage::STORAGECLASS,
        ("scheduling.k8s.io", "PriorityClass") => misc::PRIORITYCLASS,
        ("coordination.k8s.io", "Lease") => misc::LEASE,
        ("certificates.k8s.io", "CertificateSigningRequest") => misc::CSR,
        _ => DEFAULT,
    }
}

/// The apiserver's default table, for kinds without a printer (Role, ClusterRole, LimitRange…).
pub const DEFAULT: &[Column] = &[NAME, col("CREATED AT", created_at)];

#[derive(Clone, Debug, Default)]
pub struct TableOptions {
    pub wide: bool,
    pub with_namespace: bool,
    pub show_labels: bool,
    pub no_headers: bool,
    /// `pod`, `deployment.apps`: prefixes names when several kinds print.
    pub kind_prefix: Option<String>,
    /// `-L app,tier`: one column per label key.
    pub label_columns: Vec<String>,
}

/// The columns a table shows, each with its index in [`columns`].
fn visible(res: &Resource, opts: &TableOptions) -> Vec<(usize, &'static Column)> {
    columns(res)
        .iter()
        .enumerate()
        .filter(|(_, c)| opts.wide || !c.wide)
        .collect()
}

/// The header row.
fn header(cols: &[(usize, &Column)], opts: &TableOptions) -> Vec<String> {
    let mut header: Vec<String> = Vec::new();
    if opts.with_namespace {
        header.push("NAMESPACE".into());
    }
    header.extend(cols.iter().map(|(_, c)| c.header.to_string()));
    for l in &opts.label_columns {
        header.push(crate::case::to_uppercase(l.rsplit('/').next().unwrap_or(l)));
    }
    if opts.show_labels {
        header.push("LABELS".into());
    }
    header
}

/// A cell as printed: the name prefixed with `kind/` when several kinds print.
fn printed(opts: &TableOptions, c: &Column, cell: String) -> String {
    match (&opts.kind_prefix, c.is_name) {
        (Some(k), true) => format!("{k}/{cell}"),
        _ => cell,
    }
}

/// The `-L` columns and `--show-labels`' LABELS, at the end of a row.
fn label_cells(obj: &Value, opts: &TableOptions, r: &mut Vec<String>) {
    if opts.label_columns.is_empty() && !opts.show_labels {
        return;
    }
    let labels = object::string_map(obj, "metadata.labels");
    for l in &opts.label_columns {
        r.push(
            labels
                .iter()
                .find(|(k, _)| k == l)
                .map(|(_, v)| v.clone())
                .unwrap_or_default(),
        );
    }
    if opts.show_labels {
        r.push(format_labels(&labels));
    }
}

/// The header (unless `--no-headers`) and one row per object, ready for the tab writer.
pub fn rows(
    res: &Resource,
    objects: &[&Value],
    now: Time,
    opts: &TableOptions,
) -> Vec<Vec<String>> {
    let cols = visible(res, opts);
    let mut rows = Vec::with_capacity(objects.len() + 1);
    if !opts.no_headers {
        rows.push(header(&cols, opts));
    }
    for &obj in objects {
        let mut r: Vec<String> = Vec::with_capacity(cols.len() + 1);
        if opts.with_namespace {
            r.push(object::namespace(obj).unwrap_or("").to_string());
        }
        let mut summary: Option<pod::Summary> = None;
        for (_, c) in &cols {
            let cell = match c.cell {
                Cell::Of(f) => f(obj, now),
                Cell::OfPod(f) => f(summary.get_or_insert_with(|| pod::summarize(obj))),
                Cell::OfPodAt(f) => f(summary.get_or_insert_with(|| pod::summarize(obj)), now),
            };
            r.push(printed(opts, c, cell));
        }
        label_cells(obj, opts, &mut r);
        rows.push(r);
    }
    rows
}

pub fn table(res: &Resource, objects: &[&Value], now: Time, opts: &TableOptions) -> String {
    tabwriter::layout(&rows(res, objects, now, opts))
}

/// Where a cell of a row of [`table_shared`] comes from.
enum Source {
    Namespace,
    /// A kept cell: the column of [`pod::POD`] at this index.
    Kept(usize),
    /// The row's cells computed at this listing, at this index.
    Fresh(usize),
}

/// [`table`] of objects shared with the watch cache: a pod's cells that do
/// not read the clock come from `cache` when the same object was listed
/// before (see `rows_cache.rs`). The same text as [`table`].
pub fn table_shared(
    res: &Resource,
    objects: &[&Arc<Value>],
    now: Time,
    opts: &TableOptions,
    cache: &mut RowsCache,
) -> String {
    if (res.group, res.kind) != ("", "Pod") {
        let objects: Vec<&Value> = objects.iter().map(|o| &***o).collect();
        return table(res, &objects, now, opts);
    }
    let cols = visible(res, opts);
    // Each cell of a row, in order: kept, or made at this listing (the
    // clock's cells, a name with its `kind/` prefix, the labels).
    let mut sources: Vec<Source> = Vec::new();
    let mut fresh = 0;
    let mut fresh_cell = |sources: &mut Vec<Source>| {
        sources.push(Source::Fresh(fresh));
        fresh += 1;
    };
    if opts.with_namespace {
        sources.push(Source::Namespace);
    }
    for &(i, c) in &cols {
        match (c.cell, &opts.kind_prefix, c.is_name) {
            (Cell::OfPodAt(_), _, _) | (_, Some(_), true) => fresh_cell(&mut sources),
            _ => sources.push(Source::Kept(i)),
        }
    }
    for _ in 0..opts.label_columns.len() + usize::from(opts.show_labels) {
        fresh_cell(&mut sources);
    }
    let kept: Vec<Arc<rows_cache::PodRow>> = objects.iter().map(|o| cache.pod_row(o)).collect();
    // The fresh cells of every row, in one string: (end, width) of each.
    let mut text = String::new();
    let mut spans: Vec<(usize, usize)> = Vec::with_capacity(kept.len() * fresh);
    let mut add = |text: &mut String, cell: &str| {
        text.push_str(cell);
        spans.push((text.len(), tabwriter::width(cell)));
    };
    for (obj, row) in objects.iter().zip(&kept) {
        for &(i, c) in &cols {
            match (c.cell, &opts.kind_prefix, c.is_name) {
                (_, Some(k), true) => {
                    let (name, _) = row.cell(i);
                    add(&mut text, &format!("{k}/{name}"));
                }
                (Cell::OfPodAt(f), _, _) => add(&mut text, &f(&row.summary, now)),
                _ => {}
            }
        }
        let mut labels = Vec::new();
        label_cells(obj, opts, &mut labels);
        for l in &labels {
            add(&mut text, l);
        }
    }
    let header = (!opts.no_headers).then(|| header(&cols, opts));
    let first = usize::from(header.is_some());
    let widths: Vec<usize> = header
        .iter()
        .flatten()
        .map(|h| tabwriter::width(h))
        .collect();
    let fresh_cell = |k: usize| -> (&str, usize) {
        let start = k
            .checked_sub(1)
            .and_then(|j| spans.get(j))
            .map_or(0, |s| s.0);
        spans.get(k).map_or(("", 0), |&(end, width)| {
            (text.get(start..end).unwrap_or(""), width)
        })
    };
    tabwriter::layout_grid(kept.len() + first, sources.len(), |r, c| {
        let Some((i, row)) = r
            .checked_sub(first)
            .and_then(|i| kept.get(i).map(|row| (i, row)))
        else {
            // The header.
            return header
                .as_ref()
                .and_then(|h| h.get(c).map(String::as_str).zip(widths.get(c).copied()))
                .unwrap_or(("", 0));
        };
        match sources.get(c) {
            Some(Source::Namespace) => row.namespace(),
            Some(Source::Kept(k)) => row.cell(*k),
            Some(Source::Fresh(j)) => fresh_cell(i * fresh + j),
            None => ("", 0),
        }
    })
}

// ---- helpers shared by the kinds ----

/// The string at a dotted path, or `""`.
pub fn s<'a>(obj: &'a Value, path: &str) -> &'a str {
    object::str_at(obj, path).unwrap_or("")
}

/// The integer at a dotted path, or 0.
pub fn int(obj: &Value, path: &str) -> i64 {
    object::at(obj, path).and_then(Value::as_i64).unwrap_or(0)
}

/// The array at a dotted path, or empty.
pub fn arr<'a>(obj: &'a Value, path: &str) -> &'a [Value] {
    object::at(obj, path)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

/// The number of entries of a map or list at a dotted path.
pub fn count(obj: &Value, path: &str) -> usize {
    match object::at(obj, path) {
        Some(Value::Object(m)) => m.len(),
        Some(Value::Array(a)) => a.len(),
        _ => 0,
    }
}

pub fn name_cell(obj: &Value, _: Time) -> String {
    object::name(obj).to_string()
}

/// `translateTimestampSince`: the human duration since an RFC 3339 time, `<unknown>` if unset.
pub fn since(ts: Option<&str>, now: Time) -> String {
    match ts.filter(|t| !t.is_empty()).and_then(Time::parse_rfc3339) {
        Some(t) => duration::human(now - t),
        None => "<unknown>".into(),
    }
}

pub fn age(obj: &Value, now: Time) -> String {
    since(object::str_at(obj, "metadata.creationTimestamp"), now)
}

fn created_at(obj: &Value, _: Time) -> String {
    let ts = s(obj, "metadata.creationTimestamp");
    Time::parse_rfc3339(ts)
        .map(|t| t.rfc3339())
        .unwrap_or_else(|| "0001-01-01T00:00:00Z".into())
}

/// `labels.FormatLabels`: `k=v,k2=v2` sorted, or `<none>`.
pub fn format_labels(pairs: &[(String, String)]) -> String {
    if pairs.is_empty() {
        return "<none>".into();
    }
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// `k=v,k2=v2` sorted, or `<none>`.
pub fn labels(obj: &Value) -> String {
    format_labels(&object::string_map(obj, "metadata.labels"))
}

/// A string map at a path, formatted as labels.
pub fn map_labels(obj: &Value, path: &str) -> String {
    format_labels(&object::string_map(obj, path))
}

/// A `metav1.LabelSelector` in its string form (`app=web,tier in (a,b)`),
/// requirements sorted by key; `""` when it selects everything.
pub fn selector_string(sel: Option<&Value>) -> String {
    let Some(sel) = sel else {
        return String::new();
    };
    let mut reqs: Vec<(String, String)> = object::string_map(sel, "matchLabels")
        .into_iter()
        .map(|(k, v)| (k.clone(), format!("{k}={v}")))
        .collect();
    for e in arr(sel, "matchExpressions") {
        let key = s(e, "key").to_string();
        let mut values: Vec<String> = arr(e, "values")
            .iter()
            .filter_map(|v| v.as_str().map(String::from))
            .collect();
        crate::sort::sort(&mut values);
        let text = match s(e, "operator") {
            "In" => format!("{key} in ({})", values.join(",")),
            "NotIn" => format!("{key} notin ({})", values.join(",")),
            "Exists" => key.clone(),
            "DoesNotExist" => format!("!{key}"),
            _ => continue,
        };
        reqs.push((key, text));
    }
    crate::sort::sort_by(&mut reqs, |a, b| a.0.cmp(&b.0));
    reqs.into_iter()
        .map(|(_, t)| t)
        .collect::<Vec<_>>()
        .join(",")
}

/// `metav1.FormatLabelSelector`: the selector string, `<none>` when empty or unset.
pub fn format_selector(obj: &Value, path: &str) -> String {
    let s = selector_string(object::at(obj, path));
    if s.is_empty() {
        "<none>".into()
    } else {
        s
    }
}

/// CONTAINERS and IMAGES cells of a pod template: comma-joined names and images.
pub fn containers_cell(obj: &Value, spec_path: &str) -> String {
    arr(obj, &format!("{spec_path}.containers"))
        .iter()
        .map(|c| s(c, "name"))
        .collect::<Vec<_>>()
        .join(",")
}

pub fn images_cell(obj: &Value, spec_path: &str) -> String {
    arr(obj, &format!("{spec_path}.containers"))
        .iter()
        .map(|c| s(c, "image"))
        .collect::<Vec<_>>()
        .join(",")
}

/// A value that may be an int or a string (`IntOrString.String()`).
pub fn int_or_string(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) => Some(s.clone()),
        _ => None,
    }
}

/// `ip:port` as Go's `net.JoinHostPort` writes it.
pub fn host_port(ip: &str, port: i64) -> String {
    if ip.contains(':') {
        format!("[{ip}]:{port}")
    } else {
        format!("{ip}:{port}")
    }
}

/// `a,b,c + N more...` (printers' `listWithMoreString`), `<unset>` if empty.
pub fn list_with_more(list: &[String], count: usize, max: usize) -> String {
    let ret = list.join(",");
    if count > max {
        return format!("{ret} + {} more...", count - max);
    }
    if ret.is_empty() {
        "<unset>".into()
    } else {
        ret
    }
}

#[cfg(test)]
mod golden_tests;
