//! `crictl` (v1.33) against the node's container runtime: `ps` (`-a`,
//! `-q`, `--name`, `--pod`, `--state`), `pods` (`--name`, `--namespace`,
//! `-q`), `images` (`-q`), `logs` (`--tail`, `-p`/`--previous` is not a
//! crictl flag) and `inspect`/`inspectp` in short. Tables are written with
//! crictl's tabwriter (minimum width 20, padding 3).

use super::Session;
use crate::clock::{Duration, Time};
use crate::cluster::Cluster;
use crate::kubelet::runtime::Runtime;
use crate::kubelet::status::image_digest;
use crate::output::Output;

/// go-units' `HumanDuration`, as crictl prints `CREATED` (`… ago`).
pub fn human_duration(d: Duration) -> String {
    let s = d.as_secs();
    if s < 1 {
        return "Less than a second".into();
    }
    if s == 1 {
        return "1 second".into();
    }
    if s < 60 {
        return format!("{s} seconds");
    }
    let m = d.as_millis() as f64 / 60_000.0;
    if m.round() as i64 == 1 {
        return "About a minute".into();
    }
    if m < 60.0 {
        return format!("{} minutes", m as i64);
    }
    let h = d.as_millis() as f64 / 3_600_000.0;
    if h.round() as i64 == 1 {
        return "About an hour".into();
    }
    if h < 48.0 {
        return format!("{} hours", h as i64);
    }
    if h < 24.0 * 7.0 * 2.0 {
        return format!("{} days", (h / 24.0) as i64);
    }
    if h < 24.0 * 30.0 * 2.0 {
        return format!("{} weeks", (h / 24.0 / 7.0) as i64);
    }
    if h < 24.0 * 365.0 * 2.0 {
        return format!("{} months", (h / 24.0 / 30.0) as i64);
    }
    format!("{} years", (h / 24.0 / 365.0) as i64)
}

/// go-units' `HumanSize`: decimal units, four significant digits.
pub fn human_size(bytes: u64) -> String {
    let units = ["B", "kB", "MB", "GB", "TB"];
    let mut v = bytes as f64;
    let mut i = 0;
    while v >= 1000.0 && i < units.len() - 1 {
        v /= 1000.0;
        i += 1;
    }
    // `%.4g`: four significant digits, trailing zeros dropped.
    let digits = if v >= 1000.0 {
        0
    } else if v >= 100.0 {
        1
    } else if v >= 10.0 {
        2
    } else {
        3
    };
    let mut s = format!("{v:.digits$}");
    if s.contains('.') {
        s = s.trim_end_matches('0').trim_end_matches('.').to_string();
    }
    format!("{s}{}", units.get(i).copied().unwrap_or_default())
}

/// crictl's tabwriter: each column as wide as its widest cell plus 3, at
/// least 20; the last column unpadded.
#[allow(clippy::indexing_slicing)] // widths has one entry per cell of the widest row
fn table(rows: &[Vec<String>]) -> String {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![0usize; cols];
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            widths[i] = widths[i].max((c.chars().count() + 3).max(20));
        }
    }
    let mut out = String::new();
    for r in rows {
        let mut line = String::new();
        for (i, c) in r.iter().enumerate() {
            if i + 1 == r.len() {
                line.push_str(c);
            } else {
                line.push_str(&format!("{c:<w$}", w = widths[i]));
            }
        }
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// The image ID containerd shows (the config digest, 13 characters in tables).
fn image_id(reference: &str) -> String {
    image_digest(&format!("config:{reference}"))
}

fn flag_value<'a>(args: &'a [String], names: &[&str]) -> Option<&'a str> {
    let mut it = args.iter();
    while let Some(a) = it.next() {
        for n in names {
            if a == n {
                return it.next().map(String::as_str);
            }
            if let Some(v) = a.strip_prefix(&format!("{n}=")) {
                return Some(v);
            }
        }
    }
    None
}

fn has(args: &[String], names: &[&str]) -> bool {
    args.iter().any(|a| names.contains(&a.as_str()))
}

pub fn run(session: &Session, cluster: &mut Cluster, args: &[String]) -> Output {
    let out = Output::default();
    let now = cluster.now();
    let Some(m) = cluster.machine(&session.node) else {
        return out;
    };
    let rt = &m.runtime;
    let rest = args.get(1..).unwrap_or_default();
    match args.first().map(String::as_str) {
        Some("ps") => ps(rt, rest, now),
        Some("pods") => pods(rt, rest, now),
        Some("images") | Some("img") => images(rt, rest),
        Some("logs") => logs(rt, rest, now),
        Some("version") => {
            let mut o = out;
            o.out("Version:  0.1.0\nRuntimeName:  containerd\nRuntimeVersion:  v1.7.27\nRuntimeApiVersion:  v1\n");
            o
        }
        Some(other) => out.fail(format!("crictl: No help topic for '{other}'")),
        None => {
            let mut o = out;
            o.out("NAME:\n   crictl - client for CRI\n\nUSAGE:\n   crictl [global options] command [command options]\n\nCOMMANDS:\n   images, image, img  List images\n   logs                Fetch the logs of a container\n   pods                List pods\n   ps                  List containers\n   version             Display runtime version information\n");
            o
        }
    }
}

fn ps(rt: &Runtime, args: &[String], now: Time) -> Output {
    let mut out = Output::default();
    let all = has(args, &["-a", "--all"]);
    let quiet = has(args, &["-q", "--quiet"]);
    let name = flag_value(args, &["--name"]);
    let pod = flag_value(args, &["-p", "--pod"]);
    let state = flag_value(args, &["-s", "--state"]).map(crate::case::to_lowercase);
    let mut list: Vec<_> = rt
        .containers
        .iter()
        .filter(|c| all || c.running() || state.is_some())
        // crictl's --name is a regular expression (`--name 'etcd|kube-apiserver'`).
        .filter(|c| {
            name.is_none_or(|n| match regex_lite::Regex::new(n) {
                Ok(re) => re.is_match(&c.name),
                Err(_) => c.name.contains(n),
            })
        })
        .filter(|c| pod.is_none_or(|p| c.sandbox_id.starts_with(p)))
        .filter(|c| {
            state.as_deref().is_none_or(|s| match s {
                "running" => c.running(),
                "exited" => !c.running(),
                _ => false,
            })
        })
        .collect();
    crate::sort::sort_by_key(&mut list, |c| std::cmp::Reverse(c.created));
    if quiet {
        for c in list {
            out.out(format!("{}\n", c.id));
        }
        return out;
    }
    let mut rows = vec![[
        "CONTAINER",
        "IMAGE",
        "CREATED",
        "STATE",
        "NAME",
        "ATTEMPT",
        "POD ID",
        "POD",
        "NAMESPACE",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect::<Vec<_>>()];
    for c in list {
        rows.push(vec![
            c.id.chars().take(13).collect(),
            image_id(&c.image).chars().take(13).collect(),
            format!("{} ago", human_duration(now - c.created)),
            if c.running() { "Running" } else { "Exited" }.to_string(),
            c.name.clone(),
            c.attempt.to_string(),
            c.sandbox_id.chars().take(13).collect(),
            c.pod_name.clone(),
            c.namespace.clone(),
        ]);
    }
    out.out(table(&rows));
    out
}

fn pods(rt: &Runtime, args: &[String], now: Time) -> Output {
    let mut out = Output::default();
    let quiet = has(args, &["-q", "--quiet"]);
    let name = flag_value(args, &["--name"]);
    let ns = flag_value(args, &["--namespace"]);
    let mut list: Vec<_> = rt
        .sandboxes
        .iter()
        .filter(|s| name.is_none_or(|n| s.pod_name.contains(n)))
        .filter(|s| ns.is_none_or(|n| s.namespace.contains(n)))
        .collect();
    crate::sort::sort_by_key(&mut list, |s| std::cmp::Reverse(s.created));
    if quiet {
        for s in list {
            out.out(format!("{}\n", s.id));
        }
        return out;
    }
    let mut rows = vec![[
        "POD ID",
        "CREATED",
        "STATE",
        "NAME",
        "NAMESPACE",
        "ATTEMPT",
        "RUNTIME",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect::<Vec<_>>()];
    for s in list {
        rows.push(vec![
            s.id.chars().take(13).collect(),
            format!("{} ago", human_duration(now - s.created)),
            if s.ready { "Ready" } else { "NotReady" }.to_string(),
            s.pod_name.clone(),
            s.namespace.clone(),
            s.attempt.to_string(),
            "(default)".to_string(),
        ]);
    }
    out.out(table(&rows));
    out
}

fn images(rt: &Runtime, args: &[String]) -> Output {
    let mut out = Output::default();
    let quiet = has(args, &["-q", "--quiet"]);
    let mut rows = vec![["IMAGE", "TAG", "IMAGE ID", "SIZE"]
        .iter()
        .map(|s| s.to_string())
        .collect::<Vec<_>>()];
    for r in &rt.images {
        let (repo, tag) = r.rsplit_once(':').unwrap_or((r.as_str(), "latest"));
        let size = crate::kubelet::images::resolve(r)
            .map(|i| i.size)
            .unwrap_or(0);
        if quiet {
            out.out(format!("sha256:{}\n", image_id(r)));
            continue;
        }
        rows.push(vec![
            repo.to_string(),
            tag.to_string(),
            image_id(r).chars().take(13).collect(),
            human_size(size),
        ]);
    }
    if !quiet {
        out.out(table(&rows));
    }
    out
}

fn logs(rt: &Runtime, args: &[String], now: Time) -> Output {
    let out = Output::default();
    let tail = flag_value(args, &["--tail"]).and_then(|t| t.parse::<usize>().ok());
    let mut skip_next = false;
    let id = args.iter().find(|a| {
        if skip_next {
            skip_next = false;
            return false;
        }
        if *a == "--tail" || *a == "--since" {
            skip_next = true;
            return false;
        }
        !a.starts_with('-')
    });
    let Some(id) = id else {
        return out.fail("crictl logs: ID cannot be empty");
    };
    let found: Vec<_> = rt
        .containers
        .iter()
        .filter(|c| c.id.starts_with(id.as_str()))
        .collect();
    let c = match found.as_slice() {
        [one] => *one,
        [] => {
            return out.fail(format!(
                "FATA[0000] rpc error: code = NotFound desc = an error occurred when try to find container \"{id}\": not found"
            ))
        }
        _ => return out.fail(format!("FATA[0000] container ID {id:?} is ambiguous")),
    };
    let lines = c.logs_until(now);
    let skip = tail.map(|t| lines.len().saturating_sub(t)).unwrap_or(0);
    let mut o = out;
    for (_, l) in lines.into_iter().skip(skip) {
        o.out(format!("{l}\n"));
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_durations_print_like_go_units() {
        assert_eq!(human_size(72_195_292), "72.2MB");
        assert_eq!(human_size(2_222_260), "2.222MB");
        assert_eq!(human_size(320_368), "320.4kB");
        assert_eq!(human_duration(Duration::from_secs(0)), "Less than a second");
        assert_eq!(human_duration(Duration::from_secs(45)), "45 seconds");
        assert_eq!(human_duration(Duration::from_secs(70)), "About a minute");
        assert_eq!(human_duration(Duration::from_secs(15 * 60)), "15 minutes");
    }
}
