//! `watch -n N CMD`: runs the command, shows its output under procps'
//! header, and stays in the foreground. Time is virtual, so the host moves
//! it: each [`tick`] lets one interval pass on the cluster's clock and
//! draws the next frame; [`interrupt`] is Ctrl-C. The browser calls them
//! from a timer and its Ctrl-C key; `dinghy shell` scripts write an empty
//! line for a tick and `^C` for Ctrl-C.

use super::{run_line, Session};
use crate::clock::{Duration, Time};
use crate::cluster::Cluster;
use crate::output::Output;
use crate::scan;

/// The command `watch` keeps re-running.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Watch {
    pub interval: Duration,
    pub command: String,
    /// `-t`: no header.
    pub no_title: bool,
    /// `kubectl get -w`: a stream of rows rather than frames.
    pub get: Option<GetWatch>,
    /// `kubectl logs -f` / `kubectl rollout status` in the browser: new
    /// output appends, and the job may end by itself.
    pub follow: Option<Follow>,
}

/// A command that streams until it is done: each tick re-runs it without
/// its streaming flag and prints what is new. Only an interactive session
/// (the browser, which has a timer and a Ctrl-C key) starts one; `dinghy
/// shell` keeps running these to completion on the spot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Follow {
    /// The `kubectl` arguments re-run each tick.
    pub args: Vec<String>,
    pub kind: FollowKind,
    /// Lines printed so far (logs) or the last status line (rollout).
    pub seen: usize,
    pub last: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FollowKind {
    /// `kubectl logs -f`: ends when the pod has finished.
    Logs { phase_args: Vec<String> },
    /// `kubectl rollout status`: ends when the rollout is done or failed.
    Rollout,
    /// `kubectl wait`: each tick looks once (`--timeout=0s`), prints what
    /// is met so far, and ends when all is met, on an error, or at the
    /// deadline the command's own `--timeout` sets.
    Wait {
        timeout: Duration,
        /// When the command was typed (set as the job starts).
        since: Time,
    },
    /// A command that went on waiting (`kubectl drain`): each tick hands
    /// its state back to it; it ends when it leaves none.
    Job(crate::kubectl::Job),
    /// `etcdctl snapshot save` waiting for its endpoint (no deadline),
    /// `etcdctl watch`.
    Etcdctl(Box<super::etcdctl::Job>),
}

const FOLLOW_FLAGS: &[&str] = &["-f", "--follow", "--follow=true"];

/// The streaming job `kubectl ARGS` starts in an interactive session, if any.
pub fn follow_of(args: &[String]) -> Option<Follow> {
    let end = args.iter().position(|a| a == "--").unwrap_or(args.len());
    let words: Vec<&str> = args.iter().take(end).map(String::as_str).collect();
    let namespace = namespace_flags(&words);
    if words.contains(&"logs") && words.iter().any(|a| FOLLOW_FLAGS.contains(a)) {
        // One stream only: with a selector, lines of several pods interleave.
        if words
            .iter()
            .any(|a| *a == "-l" || a.starts_with("--selector") || a.starts_with("-l"))
        {
            return None;
        }
        let args: Vec<String> = args
            .iter()
            .enumerate()
            .filter(|(i, a)| *i >= end || !FOLLOW_FLAGS.contains(&a.as_str()))
            .map(|(_, a)| a.clone())
            .collect();
        // The pod, to see when it has finished: the first word after `logs`
        // that is no flag (TYPE/NAME of a controller is never "finished").
        let after = words.iter().position(|a| *a == "logs")? + 1;
        let target = words.iter().skip(after).find(|a| !a.starts_with('-'))?;
        let pod = target.strip_prefix("pod/").or(target.strip_prefix("pods/"));
        let pod = pod.or((!target.contains('/')).then_some(*target));
        let mut phase_args = vec![];
        if let Some(pod) = pod {
            phase_args = vec!["get".into(), "pod".into(), pod.to_string()];
            phase_args.extend(namespace);
            phase_args.extend(["-o".into(), "jsonpath={.status.phase}".into()]);
        }
        return Some(Follow {
            args,
            kind: FollowKind::Logs { phase_args },
            seen: 0,
            last: String::new(),
        });
    }
    if subcommand(&words) == Some("wait") {
        return wait_follow(args, end, &words);
    }
    let r = words.iter().position(|a| *a == "rollout")?;
    if words.get(r + 1..)?.iter().find(|a| !a.starts_with('-')) != Some(&"status") {
        return None;
    }
    if words
        .iter()
        .any(|a| matches!(*a, "--watch=false" | "-w=false"))
    {
        return None;
    }
    let mut args = args.to_vec();
    args.insert(end, "--watch=false".into());
    Some(Follow {
        args,
        kind: FollowKind::Rollout,
        seen: 0,
        last: String::new(),
    })
}

/// kubectl's global flags that take their value as the next word.
const VALUE_FLAGS: &[&str] = &[
    "-n",
    "--namespace",
    "--context",
    "--cluster",
    "--user",
    "--kubeconfig",
    "-s",
    "--server",
    "-v",
];

/// The verb: the first word that is neither a flag nor a flag's value.
fn subcommand<'a>(words: &[&'a str]) -> Option<&'a str> {
    let mut it = words.iter();
    while let Some(w) = it.next() {
        if VALUE_FLAGS.contains(w) {
            it.next();
        } else if !w.starts_with('-') {
            return Some(w);
        }
    }
    None
}

/// `kubectl wait` with time to wait: a job that looks once a tick until
/// its `--timeout` (30 s unless given; negative is a week). `--timeout=0`
/// and a timeout kubectl would refuse run on the spot.
fn wait_follow(args: &[String], end: usize, words: &[&str]) -> Option<Follow> {
    let mut timeout = "30s";
    let mut it = words.iter();
    while let Some(w) = it.next() {
        if *w == "--timeout" {
            timeout = it.next()?;
        } else if let Some(v) = w.strip_prefix("--timeout=") {
            timeout = v;
        }
    }
    let ms = crate::kubectl::flags::go_duration_ms(timeout)?;
    if ms == 0 {
        return None;
    }
    let ms = if ms < 0 {
        crate::kubectl::cmd::wait::WEEK_MS
    } else {
        ms
    };
    let mut args = args.to_vec();
    args.insert(end, "--timeout=0s".into());
    Some(Follow {
        args,
        kind: FollowKind::Wait {
            timeout: Duration::from_millis(ms),
            since: Time::default(),
        },
        seen: 0,
        last: String::new(),
    })
}

/// What a `kubectl wait --timeout=0s` failure prints at the deadline, if
/// the failure only means "not yet" (the condition is not met, or the
/// object to wait for is not created yet).
fn wait_not_yet(out: &Output) -> Option<String> {
    let err = out.stderr();
    let line = err.trim_end();
    if let Some(what) = line.strip_prefix("error: condition not met for ") {
        return Some(format!(
            "error: timed out waiting for the condition on {what}\n"
        ));
    }
    (line == "error: timed out waiting for the condition").then(|| format!("{line}\n"))
}

/// One look of a `kubectl wait` job: new `condition met` lines, then
/// either the end (all met, an error, the deadline) or another tick.
fn wait_look(session: &mut Session, cluster: &mut Cluster, mut follow: Follow) -> Output {
    let FollowKind::Wait { timeout, since } = follow.kind else {
        return Output::default();
    };
    let deadline = since + timeout;
    let now = super::commands::kubectl(session, cluster, &follow.args, None);
    let stdout = now.stdout();
    let lines: Vec<&str> = stdout.split_inclusive('\n').collect();
    let mut out = Output::default();
    for l in lines.iter().skip(follow.seen) {
        out.out(*l);
    }
    follow.seen = follow.seen.max(lines.len());
    let end = |session: &mut Session, mut out: Output, status: i32| {
        session.foreground = None;
        session.last_status = status;
        out.status = status;
        out
    };
    if now.status == 0 {
        return end(session, out, 0);
    }
    match wait_not_yet(&now) {
        Some(_) if cluster.now() < deadline => {
            hold(session, follow);
            out
        }
        Some(timed_out) => {
            out.err(timed_out);
            end(session, out, 1)
        }
        None => {
            out.err(now.stderr());
            end(session, out, 1)
        }
    }
}

/// `-n NS` / `--namespace=NS` as given, to ask about the same pod.
fn namespace_flags(words: &[&str]) -> Vec<String> {
    let mut out = vec![];
    for (i, w) in words.iter().enumerate() {
        let value = words.get(i + 1);
        if let Some(value) = value.filter(|_| *w == "-n" || *w == "--namespace") {
            out.extend([w.to_string(), value.to_string()]);
        } else if w.starts_with("--namespace=") || (w.starts_with("-n") && w.len() > 2) {
            out.push(w.to_string());
        }
    }
    out
}

/// Runs the first output of a follow job and holds the terminal while
/// the command has more to say.
pub fn start_follow(session: &mut Session, cluster: &mut Cluster, mut follow: Follow) -> Output {
    if let FollowKind::Wait { timeout, .. } = follow.kind {
        follow.kind = FollowKind::Wait {
            timeout,
            since: cluster.now(),
        };
        return wait_look(session, cluster, follow);
    }
    let first = super::commands::kubectl(session, cluster, &follow.args, None);
    if first.status != 0 {
        return first;
    }
    let text = first.text();
    follow.seen = text.lines().count();
    follow.last = text.clone();
    if follow_done(session, cluster, &follow, &text) {
        return first;
    }
    hold(session, follow);
    first
}

/// The follow job holds the terminal: the host ticks it once a second.
fn hold(session: &mut Session, follow: Follow) {
    session.foreground = Some(Watch {
        interval: Duration::from_secs(1),
        command: follow.args.join(" "),
        no_title: true,
        get: None,
        follow: Some(follow),
    });
}

/// Whether the followed command has nothing more to say.
fn follow_done(session: &mut Session, cluster: &mut Cluster, follow: &Follow, text: &str) -> bool {
    match &follow.kind {
        FollowKind::Rollout => text.contains("successfully rolled out"),
        FollowKind::Wait { .. } | FollowKind::Job(_) | FollowKind::Etcdctl(_) => true,
        FollowKind::Logs { phase_args } => {
            !phase_args.is_empty()
                && matches!(
                    super::commands::kubectl(session, cluster, phase_args, None)
                        .text()
                        .trim(),
                    "Succeeded" | "Failed"
                )
        }
    }
}

/// `kubectl ARGS` left `job` running: it holds the terminal, a second a tick.
pub fn hold_job(session: &mut Session, args: &[String], job: crate::kubectl::Job) {
    hold(
        session,
        Follow {
            args: args.to_vec(),
            kind: FollowKind::Job(job),
            seen: 0,
            last: String::new(),
        },
    );
}

/// An etcdctl command holds the terminal (`snapshot save` until its
/// endpoint answers, `watch` until Ctrl-C).
pub fn hold_etcdctl(session: &mut Session, job: Box<super::etcdctl::Job>) {
    hold(
        session,
        Follow {
            args: vec!["etcdctl".into()],
            kind: FollowKind::Etcdctl(job),
            seen: 0,
            last: String::new(),
        },
    );
}

/// A held job's tick is over: it holds the terminal in its next state, or
/// it has ended and its status is the command's.
fn carry_on(
    session: &mut Session,
    mut follow: Follow,
    next: Option<FollowKind>,
    out: Output,
) -> Output {
    match next {
        Some(kind) => {
            follow.kind = kind;
            if let Some(w) = session.foreground.as_mut() {
                w.follow = Some(follow);
            }
        }
        None => {
            session.foreground = None;
            session.last_status = out.status;
        }
    }
    out
}

fn follow_tick(session: &mut Session, cluster: &mut Cluster, mut follow: Follow) -> Output {
    // A job hands its state to each tick and takes the next one back.
    match std::mem::replace(&mut follow.kind, FollowKind::Rollout) {
        FollowKind::Etcdctl(job) => {
            let (out, next) = super::etcdctl::job_tick(session, cluster, *job);
            let next = next.map(|j| FollowKind::Etcdctl(Box::new(j)));
            return carry_on(session, follow, next, out);
        }
        FollowKind::Job(job) => {
            let (out, next) =
                super::commands::kubectl_job(session, cluster, &follow.args, None, Some(job), true);
            return carry_on(session, follow, next.map(FollowKind::Job), out);
        }
        kind => follow.kind = kind,
    }
    if matches!(follow.kind, FollowKind::Wait { .. }) {
        return wait_look(session, cluster, follow);
    }
    let mut out = Output::default();
    let now = super::commands::kubectl(session, cluster, &follow.args, None);
    let text = now.text();
    let failed = now.status != 0;
    match follow.kind {
        FollowKind::Logs { .. } if !failed => {
            let lines: Vec<&str> = text.lines().collect();
            // A restarted container starts a new log.
            let from = if lines.len() < follow.seen {
                0
            } else {
                follow.seen
            };
            for l in lines.iter().skip(from) {
                out.out(format!("{l}\n"));
            }
            follow.seen = lines.len();
        }
        FollowKind::Rollout if !failed => {
            if text != follow.last {
                out.out(text.clone());
            }
        }
        _ => {
            // The stream ended with an error (pod deleted, deadline exceeded).
            out = now;
            session.foreground = None;
            session.last_status = out.status;
            return out;
        }
    }
    let done = follow_done(session, cluster, &follow, &text);
    follow.last = text;
    if done {
        session.foreground = None;
        session.last_status = 0;
    } else if let Some(job) = session.foreground.as_mut() {
        job.follow = Some(follow);
    }
    out
}

/// `kubectl get -w` / `--watch-only`: after the first listing, one table row
/// per changed object as time passes (its output appends, unlike watch's
/// frames). Changes are seen once per tick: several updates of one object
/// within a tick show as one row.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct GetWatch {
    /// The `kubectl get` arguments without the watch flags.
    pub args: Vec<String>,
    /// `namespace/name` → (resourceVersion, last row printed or listed).
    pub seen: crate::maps::BoxedMap<(String, String)>,
    /// The table's column widths so far: kubectl's tabwriter remembers
    /// them between flushes (`tabwriter.RememberWidths`), so a wider cell
    /// pushes that row's later columns right and widens the column after.
    pub widths: Vec<usize>,
    /// Whether the header line has been printed (`--watch-only` prints it
    /// with the first event).
    pub header: bool,
    /// `-o yaml|json|name`: each object printed whole, one per event
    /// (`None`: table rows).
    pub format: Option<Format>,
    /// Objects printed so far (kubectl's YAML printer writes `---` before
    /// every object but the first).
    pub printed: usize,
}

/// The whole-object formats `kubectl get -w` streams.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Format {
    Yaml,
    Json,
    Name,
    /// `-o jsonpath=TEMPLATE`: the template run on each object alone (as
    /// kubectl's printer gets one object per event), nothing added between.
    JsonPath(String),
}

/// The `-o` value of a command line, in any of pflag's spellings.
fn output_value(args: &[String]) -> Option<String> {
    let mut it = args.iter();
    let mut value = None;
    while let Some(a) = it.next() {
        if a == "--" {
            break;
        }
        if a == "-o" || a == "--output" {
            value = it.next().cloned();
        } else if let Some(v) = a
            .strip_prefix("--output=")
            .or_else(|| a.strip_prefix("-o="))
            .or_else(|| a.strip_prefix("-o"))
        {
            value = Some(v.to_string());
        }
    }
    value
}

const WATCH_FLAGS: &[&str] = &[
    "-w",
    "--watch",
    "--watch=true",
    "--watch-only",
    "--watch-only=true",
];

/// Whether `kubectl ARGS` is a `get` that watches.
pub fn is_get_watch(args: &[String]) -> bool {
    let end = args.iter().position(|a| a == "--").unwrap_or(args.len());
    args.iter().take(end).any(|a| a == "get")
        && args
            .iter()
            .take(end)
            .any(|a| WATCH_FLAGS.contains(&a.as_str()))
}

/// `kubectl get … -w`: the listing (not with `--watch-only`), then the job
/// holds the terminal until Ctrl-C.
pub fn start_get(session: &mut Session, cluster: &mut Cluster, args: &[String]) -> Output {
    let only = args
        .iter()
        .any(|a| a == "--watch-only" || a == "--watch-only=true");
    let base: Vec<String> = args
        .iter()
        .filter(|a| !WATCH_FLAGS.contains(&a.as_str()))
        .cloned()
        .collect();
    let first = super::commands::kubectl(session, cluster, &base, None);
    if first.status != 0 {
        return first;
    }
    let types = base
        .iter()
        .skip_while(|a| *a != "get")
        .skip(1)
        .find(|a| !a.starts_with('-'));
    if types.is_some_and(|t| t.contains(',') || t == "all") {
        return Output::default().fail(
            "error: watch is only supported on individual resources and resource collections, but 2 resources were found",
        );
    }
    let output = output_value(&base);
    // `-o custom-columns=…` streams as a table: its own header, then rows
    // laid out by the same remembered-widths tab writer.
    let custom = output
        .as_deref()
        .is_some_and(|o| o.starts_with("custom-columns="));
    let format = match output.as_deref() {
        None | Some("wide") => None,
        Some(o) if o.starts_with("custom-columns=") => None,
        Some("yaml") => Some(Format::Yaml),
        Some("json") => Some(Format::Json),
        Some("name") => Some(Format::Name),
        Some(o) if o.starts_with("jsonpath=") => {
            Some(Format::JsonPath(o["jsonpath=".len()..].to_string()))
        }
        Some(_) => {
            return Output::default().fail(
                "error: this terminal streams kubectl get -w as a table, -o wide, -o custom-columns, -o yaml, -o json, -o name or -o jsonpath",
            )
        }
    };
    if format.is_some() {
        return start_get_objects(session, cluster, args, base, format, only);
    }
    let mut get = GetWatch {
        args: base,
        ..GetWatch::default()
    };
    let mut out = Output::default();
    let listing = first.text();
    let mut lines = listing.lines();
    if let Some(head) = lines.next().filter(|h| {
        h.starts_with("NAME")
            || h.starts_with("NAMESPACE")
            || (custom && !get.args.iter().any(|a| a == "--no-headers"))
    }) {
        get.widths = widths_of(head);
        if !only {
            get.header = true;
        }
    }
    let snapshot = snapshot(session, cluster, &get.args, None);
    for (key, rv, row) in snapshot {
        get.seen.insert(key, Box::new((rv, row)));
    }
    if !only {
        out.out(listing);
    }
    session.foreground = Some(Watch {
        interval: Duration::from_secs(1),
        command: args.join(" "),
        no_title: true,
        get: Some(get),
        follow: None,
    });
    out
}

/// `kubectl get -w -o yaml|json|name`: as kubectl's watch, the first
/// listing is printed object by object (not as a List), then each change.
fn start_get_objects(
    session: &mut Session,
    cluster: &mut Cluster,
    args: &[String],
    base: Vec<String>,
    format: Option<Format>,
    only: bool,
) -> Output {
    let mut get = GetWatch {
        args: base,
        format,
        ..GetWatch::default()
    };
    let mut out = Output::default();
    for (key, rv, text) in snapshot(session, cluster, &get.args, get.format.clone()) {
        if !only {
            print_object(&mut out, &mut get, &text);
        }
        get.seen.insert(key, Box::new((rv, text)));
    }
    session.foreground = Some(Watch {
        interval: Duration::from_secs(1),
        command: args.join(" "),
        no_title: true,
        get: Some(get),
        follow: None,
    });
    out
}

fn print_object(out: &mut Output, get: &mut GetWatch, text: &str) {
    if get.format == Some(Format::Yaml) && get.printed > 0 {
        out.out("---\n");
    }
    get.printed += 1;
    out.out(text);
}

/// Each object of `kubectl get ARGS -o json` in a whole-object format.
fn objects(
    session: &mut Session,
    cluster: &mut Cluster,
    args: &[String],
    format: &Format,
) -> Vec<(String, String, String)> {
    let mut json_args: Vec<String> = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "-o" || a == "--output" {
            it.next();
        } else if !(a.starts_with("-o") || a.starts_with("--output=")) {
            json_args.push(a.clone());
        }
    }
    json_args.push("-ojson".into());
    let text = super::commands::kubectl(session, cluster, &json_args, None).stdout();
    let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) else {
        return vec![];
    };
    let items = match v.get("items").and_then(|i| i.as_array()) {
        Some(items) => items.clone(),
        None => vec![v],
    };
    items
        .iter()
        .map(|o| {
            let meta = |f: &str| {
                o.get("metadata")
                    .and_then(|m| m.get(f))
                    .and_then(serde_json::Value::as_str)
                    .unwrap_or("")
                    .to_string()
            };
            let text = match format {
                Format::Yaml => crate::yaml::to_string(o),
                Format::Json => format!("{}\n", crate::kubectl::jsonpath::go_json_indent(o)),
                Format::Name => {
                    let kind = crate::case::to_lowercase(o["kind"].as_str().unwrap_or(""));
                    let kind = crate::api::resolve(&kind).map_or(kind, |r| r.singular_for_name());
                    format!("{kind}/{}\n", meta("name"))
                }
                // A key the object lacks prints nothing (kubectl's default
                // --allow-missing-template-keys=true).
                Format::JsonPath(t) => crate::kubectl::jsonpath::Template::parse(t)
                    .and_then(|t| t.execute(o).map_err(|e| e.0))
                    .unwrap_or_default(),
            };
            (
                format!("{}/{}", meta("namespace"), meta("name")),
                meta("resourceVersion"),
                text,
            )
        })
        .collect()
}

/// The objects listed now: key, resourceVersion and table row, in order.
fn snapshot(
    session: &mut Session,
    cluster: &mut Cluster,
    args: &[String],
    format: Option<Format>,
) -> Vec<(String, String, String)> {
    if let Some(format) = format {
        return objects(session, cluster, args, &format);
    }
    let mut keys_args = args.to_vec();
    keys_args.retain(|a| !matches!(a.as_str(), "-owide" | "-o=wide" | "--output=wide"));
    if let Some(i) = keys_args.iter().position(|a| a == "-o" || a == "--output") {
        keys_args.drain(i..(i + 2).min(keys_args.len()));
    }
    keys_args.push("-o".into());
    keys_args.push(
        "custom-columns=NS:.metadata.namespace,NAME:.metadata.name,RV:.metadata.resourceVersion"
            .into(),
    );
    keys_args.push("--no-headers".into());
    let keys = super::commands::kubectl(session, cluster, &keys_args, None).text();
    let mut row_args = args.to_vec();
    row_args.push("--no-headers".into());
    let rows = super::commands::kubectl(session, cluster, &row_args, None).text();
    keys.lines()
        .zip(rows.lines())
        .filter_map(|(k, row)| {
            let mut f = k.split_whitespace();
            let (ns, name, rv) = (f.next()?, f.next()?, f.next()?);
            Some((format!("{ns}/{name}"), rv.to_string(), row.to_string()))
        })
        .collect()
}

/// The width of each column of a header line (the last one open-ended).
fn widths_of(head: &str) -> Vec<usize> {
    let starts = cell_starts(head);
    starts
        .windows(2)
        .map(|w| match w {
            [from, to] => to - from,
            _ => 0,
        })
        .collect()
}

/// Where each cell of a table line starts (cells are at least 3 spaces apart).
fn cell_starts(line: &str) -> Vec<usize> {
    let b = line.as_bytes();
    let mut starts = vec![];
    let mut i = 0;
    while i < b.len() {
        if scan::byte(b, i) != b' ' && (i == 0 || (i >= 3 && scan::span(b, i - 3, i) == b"   ")) {
            starts.push(i);
        }
        i += 1;
    }
    starts
}

/// A row re-laid as kubectl's tabwriter lays one event: each cell padded
/// to its column's remembered width, or to itself plus 3 when wider.
fn lay_out(row: &str, widths: &mut Vec<usize>) -> String {
    let starts = cell_starts(row);
    let cells: Vec<&str> = starts
        .iter()
        .enumerate()
        .map(|(i, &s)| row[s..starts.get(i + 1).copied().unwrap_or(row.len())].trim_end())
        .collect();
    let mut line = String::new();
    for (i, cell) in cells.iter().enumerate() {
        if i + 1 == cells.len() {
            line.push_str(cell);
            break;
        }
        let need = (cell.chars().count() + 3).max(6);
        let w = match widths.get_mut(i) {
            Some(w) => {
                *w = (*w).max(need);
                *w
            }
            None => {
                widths.push(need);
                need
            }
        };
        line.push_str(&format!("{cell:<w$}"));
    }
    line.push('\n');
    line
}

fn get_tick(session: &mut Session, cluster: &mut Cluster, mut get: GetWatch) -> Output {
    let mut out = Output::default();
    let now = snapshot(session, cluster, &get.args, get.format.clone());
    let mut events = vec![];
    for (key, rv, row) in &now {
        if get.seen.get(key).is_none_or(|seen| seen.0 != *rv) {
            events.push(row.clone());
        }
    }
    let keys = crate::sort::set(now.iter().map(|(k, _, _)| k.as_str()));
    for (key, seen) in &get.seen {
        if !keys.contains(key.as_str()) {
            // DELETED: kubectl prints the object's last state.
            events.push(seen.1.clone());
        }
    }
    get.seen = crate::sort::map(now.into_iter().map(|(k, rv, row)| (k, Box::new((rv, row)))));
    if get.format.is_some() {
        for text in events {
            print_object(&mut out, &mut get, &text);
        }
        if let Some(job) = session.foreground.as_mut() {
            job.get = Some(get);
        }
        return out;
    }
    if !events.is_empty() && !get.header {
        let mut head_args = get.args.clone();
        head_args.retain(|a| a != "--no-headers");
        let listing = super::commands::kubectl(session, cluster, &head_args, None).text();
        if let Some(head) = listing.lines().next() {
            out.out(lay_out(head, &mut get.widths));
        }
        get.header = true;
    }
    for row in events {
        out.out(lay_out(&row, &mut get.widths));
    }
    if let Some(job) = session.foreground.as_mut() {
        job.get = Some(get);
    }
    out
}

/// `watch [-n SECS] [-t] COMMAND…`: the first frame; the job stays.
pub fn start(session: &mut Session, cluster: &mut Cluster, args: &[String]) -> Output {
    let out = Output::default();
    let mut interval_ms: i64 = 2_000;
    let mut no_title = false;
    let mut i = 0;
    while let Some(a) = args.get(i).map(String::as_str) {
        let seconds = if a == "-n" || a == "--interval" {
            i += 1;
            Some(args.get(i).cloned().unwrap_or_default())
        } else if let Some(v) = a.strip_prefix("--interval=") {
            Some(v.to_string())
        } else if let Some(v) = a.strip_prefix("-n").filter(|v| !v.is_empty()) {
            Some(v.to_string())
        } else if a == "-t" || a == "--no-title" {
            no_title = true;
            None
        } else if a == "-d" || a == "--differences" || a == "-c" || a == "--color" {
            None
        } else if a.starts_with('-') && a.len() > 1 {
            return out.fail(format!(
                "watch: invalid option -- '{}'\n{USAGE}",
                a.trim_start_matches('-')
            ));
        } else {
            break;
        };
        if let Some(s) = seconds {
            match s.replace(',', ".").parse::<f64>() {
                // procps: at least 0.1 s.
                Ok(v) if v.is_finite() && v >= 0.0 => {
                    interval_ms = ((v.max(0.1) * 1000.0).round() as i64).min(86_400_000)
                }
                _ => return out.fail(format!("watch: failed to parse argument: '{s}'")),
            }
        }
        i += 1;
    }
    if i >= args.len() {
        return out.fail(USAGE).with_status(1);
    }
    let job = Watch {
        interval: Duration::from_millis(interval_ms),
        command: args.get(i..).unwrap_or_default().join(" "),
        no_title,
        get: None,
        follow: None,
    };
    let frame = frame(session, cluster, &job);
    session.foreground = Some(job);
    frame
}

const USAGE: &str = "\nUsage:\n watch [options] command\n";

/// One interval passes, then the next frame.
pub fn tick(session: &mut Session, cluster: &mut Cluster) -> Output {
    let Some(job) = session.foreground.clone() else {
        return Output::default();
    };
    cluster.step(job.interval);
    if let Some(get) = job.get {
        return get_tick(session, cluster, get);
    }
    if let Some(follow) = job.follow {
        return follow_tick(session, cluster, follow);
    }
    frame(session, cluster, &job)
}

/// Ctrl-C: the job ends; bash reports 130 (128 + SIGINT).
pub fn interrupt(session: &mut Session) -> Output {
    let mut out = Output::default();
    if session.foreground.take().is_some() {
        out.out("^C\n");
        session.last_status = 130;
        out.status = 130;
    }
    out
}

fn frame(session: &mut Session, cluster: &mut Cluster, job: &Watch) -> Output {
    // The command runs as `sh -c` does: in a copy of the shell.
    let mut sub = session.clone();
    sub.history.clear();
    let result = run_line(&mut sub, cluster, &format!("{}\n", job.command));
    cluster.settle();
    let mut out = Output::default();
    if !job.no_title {
        let secs = job.interval.as_millis() as f64 / 1000.0;
        let left = format!("Every {secs:.1}s: ");
        let right = format!("{}: {}", session.node, ctime(cluster));
        let line = header(columns(session), &left, &job.command, &right);
        out.out(format!("{line}\n\n"));
    }
    // watch shows what the command writes on both streams.
    out.out(result.text());
    out
}

/// The terminal's width as watch finds it: `COLUMNS` if set to a number
/// (procps reads it first), else the terminal's own width, else 80.
fn columns(session: &Session) -> usize {
    session
        .env
        .get("COLUMNS")
        .and_then(|c| c.parse().ok())
        .filter(|c| *c > 0)
        .or(session.columns)
        .unwrap_or(80)
}

/// watch's title line, clipped to the terminal's width by procps 3.3's
/// rules (`output_header`): the host and time stay flush right; the
/// command is cut and ends in `... ` when it does not fit; in a terminal
/// narrower than the right part, the line is empty. `right_visible` is
/// `host: time` (procps counts ctime's newline too, hence the `+ 1`s).
fn header(width: usize, left: &str, command: &str, right_visible: &str) -> String {
    let rhlen = right_visible.chars().count() + 1;
    let hlen = left.chars().count();
    if width < rhlen {
        return String::new();
    }
    let mut line: Vec<char> = vec![' '; width];
    let mut put = |at: usize, text: &str| {
        for (i, c) in text.chars().enumerate() {
            if let Some(cell) = line.get_mut(at + i) {
                *cell = c;
            }
        }
    };
    if rhlen + hlen < width {
        put(0, left);
        if rhlen + hlen + 2 <= width {
            let ellipsis_at = width.saturating_sub(rhlen + 4);
            let columns = command.chars().count();
            if width < rhlen + hlen + 4 {
                put(ellipsis_at, "... ");
            } else if width < rhlen + hlen + columns {
                let available = width - rhlen - hlen;
                let kept: String = command.chars().take(available - 4).collect();
                put(hlen, &kept);
                put(ellipsis_at, "... ");
            } else {
                put(hlen, command);
            }
        }
    }
    put(width - rhlen + 1, right_visible);
    let line: String = line.into_iter().collect();
    line.trim_end().to_string()
}

/// `Wed Apr 23 08:15:00 2025`, as watch's header shows the time.
fn ctime(cluster: &Cluster) -> String {
    let date = super::commands::date_text(cluster);
    // `Wed Apr 23 08:15:00 UTC 2025` without the zone.
    date.replace(" UTC", "")
}

#[cfg(test)]
mod tests {
    use super::header;
    use crate::clock::Duration;
    use crate::Simulation;

    #[test]
    fn the_header_is_clipped_to_the_terminal_width_as_procps_does() {
        let right = "controlplane: Wed Apr 23 08:00:00 2025"; // 38 columns
        let header = |width| header(width, "Every 2.0s: ", "kubectl get pods -A -o wide", right);
        // Wide: all of it, the time flush right.
        let wide = header(80);
        assert_eq!(wide.chars().count(), 80);
        assert_eq!(
            wide,
            format!(
                "Every 2.0s: kubectl get pods -A -o wide{}{right}",
                " ".repeat(3)
            )
        );
        // Exactly one column short of the whole command: cut, with `... `.
        assert_eq!(
            header(76),
            format!("Every 2.0s: kubectl get pods -A -...  {right}")
        );
        assert_eq!(header(76).chars().count(), 76);
        // Room for the interval and the ellipsis only.
        // Less: procps writes its `... ` over the end of the interval.
        assert_eq!(header(54), format!("Every 2.0s:...  {right}"));
        assert_eq!(header(53), format!("Every 2.0s...  {right}"));
        // Room for the interval only, then only for host and time, then nothing.
        assert_eq!(header(52), format!("Every 2.0s:   {right}"));
        assert_eq!(header(51), format!("{}{right}", " ".repeat(13)));
        assert_eq!(header(39), format!(" {right}"));
        assert_eq!(header(38), "");
    }

    /// The browser's session: it has a timer, so streaming commands hold the terminal.
    fn browser() -> Simulation {
        let mut sim = Simulation::new(7);
        sim.set_interactive_editor(true);
        sim
    }

    #[test]
    fn watch_clips_its_title_to_the_terminal_the_host_measured() {
        let mut sim = browser();
        let command = "watch -n 1 kubectl get pods --all-namespaces -o wide\n";
        // The browser's pane is 60 columns wide: the title does not wrap.
        sim.set_columns(60);
        let frame = sim.run(command).text();
        let title = frame.lines().next().unwrap_or_default();
        assert_eq!(title.chars().count(), 60, "{title:?}");
        assert!(
            title.starts_with("Every 1.0s: kubec...  controlplane: "),
            "{title:?}"
        );
        assert_eq!(sim.interrupt().text(), "^C\n");
        // COLUMNS, when set, wins (procps reads it before asking the terminal).
        sim.run("export COLUMNS=100\n");
        let frame = sim.run(command).text();
        let title = frame.lines().next().unwrap_or_default();
        assert_eq!(title.chars().count(), 100, "{title:?}");
        assert!(title.contains(" -o wide "), "{title:?}");
        sim.interrupt();
    }

    #[test]
    fn logs_follow_streams_new_lines_until_ctrl_c() {
        let mut sim = browser();
        let out = sim.run(
            "kubectl run ticker --image=busybox -- sh -c 'while true; do echo tick; sleep 2; done'\n",
        );
        assert_eq!(out.text(), "pod/ticker created\n");
        sim.step(crate::clock::Duration::from_secs(30));
        let first = sim.run("kubectl logs -f ticker\n").text();
        let before = first.lines().count();
        assert!(before > 0, "{first}");
        assert!(sim.foreground().is_some(), "logs -f holds the terminal");
        let mut more = String::new();
        for _ in 0..6 {
            more.push_str(&sim.tick().text());
        }
        // Six seconds: three more ticks of the loop, each printed once.
        assert_eq!(more, "tick\ntick\ntick\n");
        assert_eq!(sim.interrupt().text(), "^C\n");
        assert!(sim.foreground().is_none());
        // A finished pod's log is printed whole and the prompt comes back.
        sim.run("kubectl run once --image=busybox --restart=Never -- echo done\n");
        sim.step(crate::clock::Duration::from_secs(30));
        assert_eq!(sim.run("kubectl logs -f once\n").text(), "done\n");
        assert!(sim.foreground().is_none());
    }

    #[test]
    fn rollout_status_streams_and_ends_by_itself() {
        let mut sim = browser();
        sim.run("kubectl create deployment web --image=nginx --replicas=3\n");
        let first = sim.run("kubectl rollout status deployment/web\n").text();
        assert!(
            first.starts_with("Waiting for deployment \"web\" rollout to finish: 0 of 3 updated replicas are available...\n"),
            "{first}"
        );
        let mut rest = String::new();
        for _ in 0..60 {
            if sim.foreground().is_none() {
                break;
            }
            rest.push_str(&sim.tick().text());
        }
        assert!(sim.foreground().is_none(), "the rollout finished: {rest}");
        assert!(
            rest.ends_with("deployment \"web\" successfully rolled out\n"),
            "{rest}"
        );
        // Each status line once, as kubectl prints a change.
        let lines: Vec<&str> = first.lines().chain(rest.lines()).collect();
        let mut dedup = lines.clone();
        dedup.dedup();
        assert_eq!(lines, dedup);
    }

    #[test]
    fn wait_holds_the_terminal_until_the_condition_holds_or_its_timeout() {
        let mut sim = browser();
        sim.run("kubectl create deployment web --image=nginx --replicas=2\n");
        let first = sim.run("kubectl wait --for=condition=Available deploy/web --timeout=60s\n");
        assert_eq!(first.text(), "");
        assert!(sim.foreground().is_some(), "wait holds the terminal");
        let mut rest = String::new();
        for _ in 0..60 {
            if sim.foreground().is_none() {
                break;
            }
            rest.push_str(&sim.tick().text());
        }
        assert!(
            sim.foreground().is_none(),
            "the deployment became available"
        );
        assert_eq!(rest, "deployment.apps/web condition met\n");
        assert_eq!(sim.run("echo $?\n").text(), "0\n");
        // Met already: printed on the spot, no job.
        let again = sim.run("kubectl wait --for=condition=Available deploy/web\n");
        assert_eq!(again.text(), "deployment.apps/web condition met\n");
        assert!(sim.foreground().is_none());
        // Never met: the error at the deadline, one tick a second, status 1.
        sim.run("kubectl wait --for=jsonpath='{.status.replicas}'=5 deploy/web --timeout=3s\n");
        let mut ticks = Vec::new();
        while sim.foreground().is_some() && ticks.len() < 10 {
            ticks.push(sim.tick().text());
        }
        assert_eq!(
            ticks,
            [
                "",
                "",
                "error: timed out waiting for the condition on deployments/web\n"
            ]
        );
        assert_eq!(sim.run("echo $?\n").text(), "1\n");
        // Ctrl-C ends it (130); an error in the command ends it at once.
        sim.run("kubectl wait --for=delete deploy/web\n");
        assert!(sim.foreground().is_some());
        assert_eq!(sim.interrupt().text(), "^C\n");
        let bad = sim.run("kubectl -n default wait --for=nope deploy/web\n");
        assert_eq!(bad.text(), "error: unrecognized condition: \"nope\"\n");
        assert!(sim.foreground().is_none());
    }

    #[test]
    fn drain_holds_the_terminal_while_a_budget_refuses_until_it_allows_or_ctrl_c() {
        let mut sim = browser();
        sim.run("kubectl create deployment web --image=nginx --replicas=2\n");
        sim.run("kubectl create pdb web --selector=app=web --min-available=100%\n");
        sim.step(Duration::from_secs(30));
        let node = sim
            .run("kubectl get pods -l app=web -o jsonpath='{.items[0].spec.nodeName}'\n")
            .text();
        let first = sim.run(&format!("kubectl drain {node} --ignore-daemonsets\n"));
        assert!(
            first.stdout().contains(&format!("node/{node} cordoned\n")),
            "{}",
            first.text()
        );
        assert!(
            first.stderr().contains("(will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget."),
            "{}",
            first.text()
        );
        assert!(
            sim.foreground().is_some(),
            "the drain waits, holding the terminal"
        );
        // A refusal is retried every 5 s, for as long as it takes.
        let ticks: Vec<String> = (0..20).map(|_| sim.tick().text()).collect();
        assert!(sim.foreground().is_some(), "still waiting after 20 s");
        let retries = ticks
            .iter()
            .filter(|t| t.contains("will retry after 5s"))
            .count();
        assert_eq!(retries, 4, "{ticks:?}");
        assert!(ticks.iter().take(4).all(String::is_empty), "{ticks:?}");
        // The budget goes: the next attempt evicts, and the drain ends.
        sim.run("kubectl delete pdb web\n");
        let again = sim.run(&format!("kubectl drain {node} --ignore-daemonsets\n"));
        assert!(
            again
                .stdout()
                .contains(&format!("node/{node} already cordoned\n")),
            "{}",
            again.text()
        );
        let mut rest = again.text();
        for _ in 0..60 {
            if sim.foreground().is_none() {
                break;
            }
            rest.push_str(&sim.tick().text());
        }
        assert!(sim.foreground().is_none(), "{rest}");
        assert!(rest.ends_with(&format!("node/{node} drained\n")), "{rest}");
        assert!(rest.contains("evicted\n"), "{rest}");
        assert_eq!(sim.run("echo $?\n").text(), "0\n");
        // Ctrl-C ends a waiting drain with 130.
        sim.run(&format!("kubectl uncordon {node}\n"));
        sim.run("kubectl create pdb web --selector=app=web --min-available=100%\n");
        sim.run("kubectl scale deployment web --replicas=4\n");
        sim.step(Duration::from_secs(30));
        let node = sim
            .run("kubectl get pods -l app=web -o jsonpath='{.items[0].spec.nodeName}'\n")
            .text();
        sim.run(&format!("kubectl drain {node} --ignore-daemonsets\n"));
        assert!(sim.foreground().is_some());
        assert_eq!(sim.interrupt().text(), "^C\n");
        assert_eq!(sim.run("echo $?\n").text(), "130\n");
    }

    #[test]
    fn dinghy_shell_runs_them_to_completion() {
        let mut sim = Simulation::new(7);
        sim.run("kubectl create deployment web --image=nginx --replicas=1\n");
        let out = sim.run("kubectl rollout status deployment/web\n").text();
        assert!(out.ends_with("successfully rolled out\n"), "{out}");
        assert!(sim.foreground().is_none());
    }
}
