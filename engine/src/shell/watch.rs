//! `watch -n N CMD`: runs the command, shows its output under procps'
//! header, and stays in the foreground. Time is virtual, so the host moves
//! it: each [`tick`] lets one interval pass on the cluster's clock and
//! draws the next frame; [`interrupt`] is Ctrl-C. The browser calls them
//! from a timer and its Ctrl-C key; `dinghy shell` scripts write an empty
//! line for a tick and `^C` for Ctrl-C.

use super::{run_line, Session};
use crate::clock::Duration;
use crate::cluster::Cluster;
use crate::output::Output;

/// The command `watch` keeps re-running.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Watch {
    pub interval: Duration,
    pub command: String,
    /// `-t`: no header.
    pub no_title: bool,
}

/// `watch [-n SECS] [-t] COMMAND…`: the first frame; the job stays.
pub fn start(session: &mut Session, cluster: &mut Cluster, args: &[String]) -> Output {
    let out = Output::default();
    let mut interval_ms: i64 = 2_000;
    let mut no_title = false;
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
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
        command: args[i..].join(" "),
        no_title,
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
        let width: usize = session
            .env
            .get("COLUMNS")
            .and_then(|c| c.parse().ok())
            .unwrap_or(80);
        let secs = job.interval.as_millis() as f64 / 1000.0;
        let left = format!("Every {secs:.1}s: {}", job.command);
        let right = format!("{}: {}", session.node, ctime(cluster));
        let room = width.saturating_sub(right.chars().count() + 1);
        let left: String = if left.chars().count() > room {
            left.chars().take(room).collect()
        } else {
            left
        };
        let pad = width.saturating_sub(left.chars().count() + right.chars().count());
        out.out(format!("{left}{}{right}\n\n", " ".repeat(pad)));
    }
    // watch shows what the command writes on both streams.
    out.out(result.text());
    out
}

/// `Wed Apr 23 08:15:00 2025`, as watch's header shows the time.
fn ctime(cluster: &Cluster) -> String {
    let date = super::commands::date_text(cluster);
    // `Wed Apr 23 08:15:00 UTC 2025` without the zone.
    date.replace(" UTC", "")
}
