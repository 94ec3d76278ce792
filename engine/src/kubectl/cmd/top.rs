//! `kubectl top node|pod` (v1.33's `metricsutil.TopCmdPrinter`): usage from
//! the Metrics API (`metrics.k8s.io/v1beta1`, served by metrics-server).
//! Every cell ends in a tab, so even the last column is padded, as kubectl
//! prints it.

use crate::api::{object, resolve};
use crate::clock::Duration;
use crate::kubectl::flags::Parsed;
use crate::kubectl::printers::tabwriter;
use crate::kubectl::Context;
use crate::metrics::api::{self as metrics, NodeMetrics, PodMetrics};
use crate::output::Output;
use serde_json::Value;

/// kubectl's `metricsCreationDelay`: a pod older than this with no
/// metrics is reported as an error.
const METRICS_CREATION_DELAY: Duration = Duration::from_secs(120);

/// `Quantity.MilliValue()` of a CPU usage in nanocores (rounds up).
fn milli(nano: u64) -> u64 {
    nano.div_ceil(1_000_000)
}

fn mebi(bytes: u64) -> u64 {
    bytes / (1024 * 1024)
}

/// Rows of cells, each followed by a tab (the trailing empty cell).
fn table(rows: Vec<Vec<String>>) -> String {
    let rows: Vec<Vec<String>> = rows
        .into_iter()
        .map(|mut r| {
            r.push(String::new());
            r
        })
        .collect();
    tabwriter::layout(&rows)
}

/// A Go `time.Duration` string (`2m30.5s`, `1h0m3s`).
fn go_duration(d: Duration) -> String {
    let ms = d.as_millis().max(0);
    let h = ms / 3_600_000;
    let m = (ms / 60_000) % 60;
    let rest = ms % 60_000;
    let secs = if rest % 1000 == 0 {
        format!("{}s", rest / 1000)
    } else {
        let s = format!("{}.{:03}", rest / 1000, rest % 1000);
        format!("{}s", s.trim_end_matches('0'))
    };
    match (h, m) {
        (0, 0) => secs,
        (0, m) => format!("{m}m{secs}"),
        (h, m) => format!("{h}h{m}m{secs}"),
    }
}

fn sort_by(p: &Parsed) -> Result<Option<&str>, String> {
    match p.string("sort-by").filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s @ ("cpu" | "memory")) => Ok(Some(s)),
        Some(_) => Err("error: --sort-by accepts only cpu or memory".into()),
    }
}

pub fn run(ctx: &mut Context<'_>, p: &Parsed, nodes: bool) -> Output {
    let out = Output::default();
    let sort = match sort_by(p) {
        Ok(s) => s,
        Err(e) => return out.fail(e),
    };
    let name = p.args.get(1).cloned();
    let selector = p
        .string("selector")
        .filter(|s| !s.is_empty())
        .map(str::to_string);
    let fields = p
        .string("field-selector")
        .filter(|s| !s.is_empty())
        .map(str::to_string);
    if name.is_some() && (selector.is_some() || (!nodes && fields.is_some())) {
        return out.fail(if nodes {
            "error: only one of NAME or --selector can be provided"
        } else {
            "error: only one of NAME or selector can be provided"
        });
    }
    if !metrics::available(&ctx.cluster.apiserver) {
        return out.fail("error: Metrics API not available");
    }
    if nodes {
        top_nodes(ctx, p, name, selector, sort)
    } else {
        top_pods(ctx, p, name, selector, fields, sort)
    }
}

fn top_nodes(
    ctx: &mut Context<'_>,
    p: &Parsed,
    name: Option<String>,
    selector: Option<String>,
    sort: Option<&str>,
) -> Output {
    let mut out = Output::default();
    let Some(res) = resolve("nodes") else {
        return out.fail("error: the server doesn't have a resource type \"nodes\"");
    };
    let api = &mut ctx.cluster.apiserver;
    let node_objs: Vec<Value> = match &name {
        Some(n) => match api.get(res, None, n) {
            Ok(o) => vec![o],
            Err(_) => {
                return out.fail(format!(
                    "Error from server (NotFound): nodemetrics.metrics.k8s.io {n:?} not found"
                ))
            }
        },
        None => match api.list_filtered(res, None, selector.as_deref(), None) {
            Ok(l) => l,
            Err(e) => return out.fail(e.kubectl_text()),
        },
    };
    let names: Vec<String> = node_objs
        .iter()
        .map(|n| object::name(n).to_string())
        .collect();
    let mut ms: Vec<NodeMetrics> = metrics::store(&ctx.cluster.apiserver, &ctx.cluster.machines)
        .map(|s| metrics::nodes(s, &names))
        .unwrap_or_default();
    if let (Some(n), true) = (&name, ms.is_empty()) {
        return out.fail(format!(
            "Error from server (NotFound): nodemetrics.metrics.k8s.io {n:?} not found"
        ));
    }
    if ms.is_empty() {
        return out.fail("error: metrics not available yet");
    }
    match sort {
        Some("cpu") => crate::sort::sort_by_key(&mut ms, |m| std::cmp::Reverse(milli(m.cpu_nano))),
        Some("memory") => crate::sort::sort_by_key(&mut ms, |m| std::cmp::Reverse(m.memory)),
        _ => crate::sort::sort_by(&mut ms, |a, b| a.name.cmp(&b.name)),
    }
    let basis = if p.bool("show-capacity") {
        "status.capacity"
    } else {
        "status.allocatable"
    };
    let available = |node: &str, r: &str| -> Option<i128> {
        node_objs
            .iter()
            .find(|n| object::name(n) == node)
            .and_then(|n| object::str_at(n, &format!("{basis}.{r}")))
            .and_then(crate::apiserver::validation::quantity_milli)
    };
    let pct = |used_milli: i128, avail: Option<i128>| -> String {
        match avail {
            Some(a) if a > 0 => format!("{}%", (used_milli as f64 / a as f64 * 100.0) as i64),
            _ => "0%".into(),
        }
    };
    let mut rows = Vec::new();
    if !p.bool("no-headers") {
        rows.push(
            ["NAME", "CPU(cores)", "CPU(%)", "MEMORY(bytes)", "MEMORY(%)"]
                .map(String::from)
                .to_vec(),
        );
    }
    for m in &ms {
        let cpu = milli(m.cpu_nano);
        rows.push(vec![
            m.name.clone(),
            format!("{cpu}m"),
            pct(cpu as i128, available(&m.name, "cpu")),
            format!("{}Mi", mebi(m.memory)),
            pct(m.memory as i128 * 1000, available(&m.name, "memory")),
        ]);
    }
    for n in names.iter().filter(|n| !ms.iter().any(|m| &m.name == *n)) {
        let mut row = vec![n.clone()];
        row.extend(std::iter::repeat_n("<unknown>".to_string(), 4));
        rows.push(row);
    }
    out.out(table(rows));
    out
}

fn top_pods(
    ctx: &mut Context<'_>,
    p: &Parsed,
    name: Option<String>,
    selector: Option<String>,
    fields: Option<String>,
    sort: Option<&str>,
) -> Output {
    let mut out = Output::default();
    let Some(res) = resolve("pods") else {
        return out.fail("error: the server doesn't have a resource type \"pods\"");
    };
    let all = p.bool("all-namespaces");
    let ns = ctx.namespace.clone();
    let now = ctx.cluster.now();
    let api = &mut ctx.cluster.apiserver;
    let pods: Vec<Value> = match &name {
        Some(n) => api
            .get(res, Some(&ns), n)
            .map(|o| vec![o])
            .unwrap_or_default(),
        None => match api.list_filtered(
            res,
            if all { None } else { Some(&ns) },
            selector.as_deref(),
            fields.as_deref(),
        ) {
            Ok(l) => l,
            Err(e) => return out.fail(e.kubectl_text()),
        },
    };
    let keys: Vec<(String, String)> = pods
        .iter()
        .map(|o| {
            (
                object::namespace(o).unwrap_or_default().to_string(),
                object::name(o).to_string(),
            )
        })
        .collect();
    let mut ms: Vec<PodMetrics> = metrics::store(&ctx.cluster.apiserver, &ctx.cluster.machines)
        .map(|s| metrics::pods(s, &keys))
        .unwrap_or_default();
    if let (Some(n), true) = (&name, ms.is_empty()) {
        return out.fail(format!(
            "Error from server (NotFound): podmetrics.metrics.k8s.io \"{ns}/{n}\" not found"
        ));
    }
    if ms.is_empty() {
        // kubectl checks the pods of the current namespace (even with -A).
        let here = ctx
            .cluster
            .apiserver
            .list_filtered(res, Some(&ns), selector.as_deref(), fields.as_deref())
            .unwrap_or_default();
        if !here.is_empty() {
            for pod in &here {
                let created = object::str_at(pod, "metadata.creationTimestamp")
                    .and_then(crate::clock::Time::parse_rfc3339)
                    .unwrap_or(now);
                let age = now - created;
                if age > METRICS_CREATION_DELAY {
                    return out.fail(format!(
                        "error: Metrics not available for pod {}/{}, age: {}",
                        object::namespace(pod).unwrap_or_default(),
                        object::name(pod),
                        go_duration(age)
                    ));
                }
            }
            return out.fail("error: metrics not available yet");
        }
        if all {
            out.err("No resources found\n");
        } else {
            out.err(format!("No resources found in {ns} namespace.\n"));
        }
        return out;
    }
    match sort {
        Some("cpu") => {
            crate::sort::sort_by_key(&mut ms, |m| std::cmp::Reverse(milli(m.cpu_nano())))
        }
        Some("memory") => crate::sort::sort_by_key(&mut ms, |m| std::cmp::Reverse(m.memory())),
        _ => crate::sort::sort_by(&mut ms, |a, b| {
            let by_ns = if all {
                a.namespace.cmp(&b.namespace)
            } else {
                std::cmp::Ordering::Equal
            };
            by_ns.then(a.name.cmp(&b.name))
        }),
    }
    let containers = p.bool("containers");
    let mut rows = Vec::new();
    let mut width: usize = 3;
    if !p.bool("no-headers") {
        let mut h = Vec::new();
        if all {
            h.push("NAMESPACE".to_string());
            width += 1;
        }
        if containers {
            h.push("POD".to_string());
            width += 1;
        }
        h.extend(["NAME", "CPU(cores)", "MEMORY(bytes)"].map(String::from));
        rows.push(h);
    }
    let usage = |cpu: u64, mem: u64| vec![format!("{}m", milli(cpu)), format!("{}Mi", mebi(mem))];
    for m in &ms {
        if containers {
            let mut cs = m.containers.clone();
            match sort {
                Some("cpu") => {
                    crate::sort::sort_by_key(&mut cs, |c| std::cmp::Reverse(milli(c.cpu_nano)))
                }
                Some("memory") => {
                    crate::sort::sort_by_key(&mut cs, |c| std::cmp::Reverse(c.memory))
                }
                _ => crate::sort::sort_by(&mut cs, |a, b| a.name.cmp(&b.name)),
            }
            for c in cs {
                let mut row = Vec::new();
                if all {
                    row.push(m.namespace.clone());
                }
                row.push(m.name.clone());
                row.push(c.name.clone());
                row.extend(usage(c.cpu_nano, c.memory));
                rows.push(row);
            }
        } else {
            let mut row = Vec::new();
            if all {
                row.push(m.namespace.clone());
            }
            row.push(m.name.clone());
            // The pod's usage is the sum of its containers' quantities.
            let cpu: u64 = m.containers.iter().map(|c| c.cpu_nano).sum();
            row.extend(usage(cpu, m.memory()));
            rows.push(row);
        }
    }
    if p.bool("sum") {
        let cpu: u64 = ms.iter().map(|m| m.cpu_nano()).sum();
        let mem: u64 = ms.iter().map(|m| m.memory()).sum();
        let mut line = vec![String::new(); width.saturating_sub(2)];
        line.extend(["________".to_string(), "________".to_string()]);
        rows.push(line);
        let mut total = vec![String::new(); width.saturating_sub(3)];
        total.push(String::new());
        total.extend(usage(cpu, mem));
        rows.push(total);
    }
    out.out(table(rows));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_durations() {
        assert_eq!(go_duration(Duration::from_millis(150_500)), "2m30.5s");
        assert_eq!(go_duration(Duration::from_millis(3_603_000)), "1h0m3s");
        assert_eq!(go_duration(Duration::from_millis(121_000)), "2m1s");
    }
}
