//! The bench page (`?bench`, issue 11): the scheduling, command-latency and
//! simulated-time scenarios of `dinghy bench`, timed here in the browser
//! with `performance.now()`, so that `cargo xtask bench` can print the
//! native and the wasm figure side by side. The same release build serves
//! it (no second entry point, no extra bundle): with `?bench` in the URL
//! the page runs the scenarios instead of the app and writes one JSON array
//! into `<pre id="bench">`, then sets `data-done` on it.
//!
//! This is a measuring instrument, not the app: it reaches below
//! `Simulation` into `engine::perf` and the scheduler's benchmark loop
//! (the app itself keeps to `Simulation`'s public API). Every scenario
//! builds exactly what `dinghy bench` builds, with the same `key`, so the
//! two runs join row by row.

use engine::clock::Duration as SimDuration;
use engine::perf;
use engine::scheduler::bench::{bench_run, bench_setup};
use serde_json::{json, Value};

/// The scenarios asked for: `?bench` alone runs them all, `?bench=time,commands`
/// those named. `None` when the URL does not ask for the bench page.
pub fn requested() -> Option<Vec<String>> {
    let search = web_sys::window()?.location().search().ok()?;
    let query = search.strip_prefix('?')?;
    let value = query
        .split('&')
        .find_map(|pair| match pair.split_once('=') {
            Some(("bench", v)) => Some(v.to_string()),
            None if pair == "bench" => Some(String::new()),
            _ => None,
        })?;
    let all = ["schedule", "commands", "time"];
    let wanted: Vec<String> = value
        .split(',')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    Some(if wanted.is_empty() {
        all.map(String::from).to_vec()
    } else {
        wanted
    })
}

/// Milliseconds since navigation: the browser's monotonic clock.
fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// One measurement, as `dinghy bench --json` prints it: `value` in `unit`
/// (`pods/s`, or `s` of wall time).
fn row(key: String, value: f64, unit: &str) -> Value {
    json!({"key": key, "value": value, "unit": unit})
}

/// The median of `n` timings of `f`, in seconds.
fn median(n: usize, mut f: impl FnMut()) -> f64 {
    let mut times: Vec<f64> = (0..n.max(1))
        .map(|_| {
            let t = now_ms();
            f();
            (now_ms() - t) / 1000.0
        })
        .collect();
    engine::sort::sort_by(&mut times, f64::total_cmp);
    times.get(times.len() / 2).copied().unwrap_or(0.0)
}

fn schedule(rows: &mut Vec<Value>) {
    for pods in [10_000, 50_000] {
        let (mut cache, mut queue) = bench_setup(5_000, pods);
        let t = now_ms();
        let placed = bench_run(&mut cache, &mut queue);
        let secs = ((now_ms() - t) / 1000.0).max(1e-9);
        rows.push(row(
            format!("schedule {pods} pods / 5000 nodes"),
            placed as f64 / secs,
            "pods/s",
        ));
    }
}

fn commands(rows: &mut Vec<Value>) -> Result<(), String> {
    for (workers, pods) in [(2, 50), (100, 10_000)] {
        let mut sim = perf::cluster_with_pods(1, workers, pods)?;
        for command in perf::COMMANDS {
            let input = format!("{command}\n");
            let runs = if pods > 1000 { 5 } else { 50 };
            let secs = median(runs, || {
                sim.run(&input);
            });
            rows.push(row(format!("{command}, {pods} pods"), secs, "s"));
        }
    }
    Ok(())
}

fn simulated_time(rows: &mut Vec<Value>) -> Result<(), String> {
    let mut sim = perf::lab_cluster(1)?;
    let t = now_ms();
    sim.step(SimDuration::from_secs(3600));
    rows.push(row(
        "lab cluster, 1 simulated hour".into(),
        (now_ms() - t) / 1000.0,
        "s",
    ));
    Ok(())
}

/// Runs the scenarios and returns the JSON the page shows.
fn measure(wanted: &[String]) -> String {
    let mut rows = vec![];
    let mut errors = vec![];
    for w in wanted {
        let result = match w.as_str() {
            "schedule" => {
                schedule(&mut rows);
                Ok(())
            }
            "commands" => commands(&mut rows),
            "time" => simulated_time(&mut rows),
            other => Err(format!("unknown scenario {other:?}")),
        };
        if let Err(e) = result {
            errors.push(e);
        }
    }
    json!({"rows": rows, "errors": errors}).to_string()
}

/// Shows "running" at once, then measures on the next turn of the event
/// loop (so the page has painted and the driver sees it alive).
pub fn start(wanted: Vec<String>) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(body) = document.body() else { return };
    let Ok(pre) = document.create_element("pre") else {
        return;
    };
    pre.set_id("bench");
    pre.set_text_content(Some("running the benchmarks…"));
    if body.append_child(&pre).is_err() {
        return;
    }
    gloo::timers::callback::Timeout::new(50, move || {
        let text = measure(&wanted);
        pre.set_text_content(Some(&text));
        let _ = pre.set_attribute("data-done", "true");
    })
    .forget();
}
