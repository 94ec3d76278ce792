//! The validator: for every lab and several seeds, the file parses, both
//! languages are complete, every check FAILS on the fresh setup (a lab that
//! passes without work is a defect), every check PASSES after the reference
//! solution, and the solution uses no command Dinghy lacks. A lab needing
//! an engine feature Dinghy lacks is reported as pending, naming it.
//! At every seed the lab runs twice: the two runs must print the same
//! bytes and leave the same etcd keyspace (the engine is deterministic, and
//! a lab that is not would grade two learners differently).

use crate::format::{Check, LabSpec, Text};
use crate::{features, Lab, LabFile, Lang};
use engine::Simulation;
use std::collections::{BTreeMap, BTreeSet};

/// The seeds every lab is validated with.
pub const SEEDS: &[u64] = &[FIRST_SEED, 2, 3];
/// The seed the static checks load a lab with.
const FIRST_SEED: u64 = 1;

/// One problem the validator found, naming the file and the spot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub path: String,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// What the validator found over a set of files.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Validation {
    pub problems: Vec<Problem>,
    /// Labs checked statically only, with the features they wait for.
    pub pending: Vec<(String, Vec<String>)>,
    /// Labs validated against the engine at every seed.
    pub validated: Vec<String>,
}

impl Validation {
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Validates lab files.
pub fn validate(files: &[LabFile]) -> Validation {
    let mut v = Validation::default();
    let mut ids = BTreeMap::<String, String>::new();
    // Files that passed the static checks, with the problem count then.
    let mut runnable: Vec<(&LabFile, usize)> = Vec::new();
    for f in files {
        let before = v.problems.len();
        let lab = match Lab::load(f.path, f.text, FIRST_SEED) {
            Ok(l) => l,
            Err(p) => {
                v.problems.push(p);
                continue;
            }
        };
        if let Some(other) = ids.insert(lab.spec.id.clone(), f.path.to_string()) {
            problem(
                &mut v,
                f.path,
                format!("id {:?} is also the id of {other}", lab.spec.id),
            );
        }
        for p in static_problems(&lab.spec) {
            problem(&mut v, f.path, p);
        }
        if v.problems.len() > before {
            continue;
        }
        let missing = features::missing(&lab.spec.requires);
        if !missing.is_empty() {
            v.pending.push((f.path.to_string(), missing));
            continue;
        }
        for (i, t) in lab.spec.tasks.iter().enumerate() {
            let missing = features::missing(&t.requires);
            if !missing.is_empty() {
                v.pending
                    .push((format!("{} tasks[{i}] ({})", f.path, t.id), missing));
            }
        }
        runnable.push((f, v.problems.len()));
    }
    // Each lab runs in its own simulation: run them on every core.
    let results = in_parallel(&runnable, |(f, _)| seed_problems(f));
    for ((f, before), found) in runnable.iter().zip(results) {
        v.problems.extend(found);
        if v.problems.len() == *before {
            v.validated.push(f.path.to_string());
        }
    }
    v
}

/// Runs the lab at every seed, twice each: the problems found, naming the
/// file and the seed; it stops at the first seed with a problem.
fn seed_problems(f: &LabFile) -> Vec<Problem> {
    let mut out = Vec::new();
    for &seed in SEEDS {
        let lab = match Lab::load(f.path, f.text, seed) {
            Ok(l) => l,
            Err(p) => {
                out.push(p);
                break;
            }
        };
        let (mut found, trace) = run(&lab);
        if found.is_empty() {
            let (_, again) = run(&lab);
            if let Some(d) = trace.first_difference(&again) {
                found.push(format!("two runs of the same seed differ: {d}"));
            }
        }
        let stop = !found.is_empty();
        out.extend(found.into_iter().map(|message| Problem {
            path: f.path.to_string(),
            message: format!("seed {seed}: {message}"),
        }));
        if stop {
            break;
        }
    }
    out
}

/// `work` over `items` on up to as many threads as the machine has cores,
/// the results in the items' order (so the report is the same bytes
/// whatever the scheduling). Without threads (wasm) it runs in order.
fn in_parallel<T: Sync, R: Send>(items: &[T], work: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(items.len());
    if threads <= 1 {
        return items.iter().map(&work).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut done: Vec<(usize, R)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(item) = items.get(i) else { break };
                        mine.push((i, work(item)));
                    }
                    mine
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    engine::sort::sort_by_key(&mut done, |(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}

fn problem(v: &mut Validation, path: &str, message: String) {
    v.problems.push(Problem {
        path: path.to_string(),
        message,
    });
}

fn text_problems(spot: &str, t: &Text, out: &mut Vec<String>) {
    if t.en.trim().is_empty() {
        out.push(format!("{spot}: the en text is missing"));
    }
    if t.ko.trim().is_empty() {
        out.push(format!("{spot}: the ko text is missing"));
    }
}

/// Problems found without running anything.
/// The minor version of `v1.MINOR.PATCH`.
fn kubelet_minor(v: &str) -> Option<u32> {
    let rest = v.strip_prefix("v1.")?;
    let (minor, patch) = rest.split_once('.')?;
    patch.parse::<u32>().ok()?;
    minor.parse().ok()
}

pub fn static_problems(spec: &LabSpec) -> Vec<String> {
    let mut out = Vec::new();
    if spec.id.trim().is_empty()
        || !spec
            .id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        out.push(format!(
            "id: {:?} is not lowercase letters, digits and -",
            spec.id
        ));
    }
    text_problems("title", &spec.title, &mut out);
    text_problems("description", &spec.description, &mut out);
    if spec.minutes == 0 {
        out.push("minutes: must be at least 1".into());
    }
    for r in &spec.requires {
        if !features::is_known(r) {
            out.push(format!(
                "requires: unknown feature {r:?} (known: {}, or \"kubectl VERB\")",
                features::KNOWN.join(", ")
            ));
        }
    }
    for (i, n) in spec.setup.nodes.iter().enumerate() {
        if let Some(v) = &n.kubelet_version {
            if kubelet_minor(v).is_none_or(|m| !(30..=33).contains(&m)) {
                out.push(format!(
                    "setup.nodes[{i}].kubelet_version: {v:?} is not a kubelet the v1.33 control plane supports (v1.30.0 to v1.33.x: at most three minor versions older, never newer)"
                ));
            }
        }
    }
    if spec.tasks.is_empty() {
        out.push("tasks: a lab needs at least one task".into());
    }
    let mut task_ids = BTreeSet::new();
    for (i, t) in spec.tasks.iter().enumerate() {
        let spot = format!("tasks[{i}]");
        if !task_ids.insert(t.id.as_str()) {
            out.push(format!("{spot}.id: {:?} is used twice", t.id));
        }
        text_problems(&format!("{spot}.text"), &t.text, &mut out);
        for r in &t.requires {
            if !features::is_known(r) {
                out.push(format!("{spot}.requires: unknown feature {r:?}"));
            }
        }
        if t.hints.is_empty() {
            out.push(format!("{spot}.hints: give at least one hint"));
        }
        for (j, h) in t.hints.iter().enumerate() {
            text_problems(&format!("{spot}.hints[{j}]"), h, &mut out);
        }
        if t.checks.is_empty() && t.question.is_none() {
            out.push(format!("{spot}: a task needs checks or a question"));
        }
        if t.solution.trim().is_empty() {
            out.push(format!("{spot}.solution: the solution is empty"));
        }
        for (j, c) in t.checks.iter().enumerate() {
            check_problems(&format!("{spot}.checks[{j}]"), c, &mut out);
        }
        if let Some(q) = &t.question {
            if q.answer.is_some() == q.answer_script.is_some() {
                out.push(format!(
                    "{spot}.question: give exactly one of answer, answer_script"
                ));
            }
            if let (Some(a), false) = (&q.answer, q.choices.is_empty()) {
                if !q.choices.contains(a) {
                    out.push(format!(
                        "{spot}.question.answer: {a:?} is not one of the choices"
                    ));
                }
            }
            if let Some(x) = &q.explain {
                text_problems(&format!("{spot}.question.explain"), x, &mut out);
            }
        }
    }
    out
}

fn check_problems(spot: &str, c: &Check, out: &mut Vec<String>) {
    let kinds = c.kinds();
    let &[kind] = kinds.as_slice() else {
        out.push(format!(
            "{spot}: a check has exactly one of exists, absent, field, count, running, event, file, script (found {})",
            if kinds.is_empty() { "none".to_string() } else { kinds.join(", ") }
        ));
        return;
    };
    if kind == "script" && c.explain.is_none() {
        out.push(format!(
            "{spot}.explain: a script check must say what is wrong when it fails"
        ));
    }
    if kind == "field" && c.path.is_none() {
        out.push(format!("{spot}.path: a field check needs a JSONPath"));
    }
    if kind == "event" && c.reason.is_none() {
        out.push(format!("{spot}.reason: an event check needs a reason"));
    }
    let comparisons = usize::from(c.equals.is_some())
        + usize::from(c.matches.is_some())
        + usize::from(c.contains.is_some());
    if comparisons > 1 {
        out.push(format!(
            "{spot}: give at most one of equals, matches, contains"
        ));
    }
    if let Some(m) = &c.matches {
        if let Err(e) = regex_lite::Regex::new(m) {
            out.push(format!("{spot}.matches: {e}"));
        }
    }
    if let Some(x) = &c.explain {
        text_problems(&format!("{spot}.explain"), x, out);
    }
}

/// What makes a solution line a use of something Dinghy lacks.
const LACKS: &[&str] = &[
    "unknown command",
    "command not found",
    "unknown flag",
    "unknown shorthand flag",
];

/// Runs setup, grades (every check must fail), runs the solution, grades
/// again (every check must pass).
pub fn dynamic_problems(lab: &Lab) -> Vec<String> {
    run(lab).0
}

/// What one run of a lab produced, to compare two runs of the same seed.
#[derive(Default, PartialEq, Eq)]
pub struct Trace {
    /// What the solutions printed, then the graded report.
    printed: String,
    /// The etcd snapshot after the last solution.
    store: Vec<u8>,
}

impl Trace {
    /// Where two traces part, for the validator's message.
    fn first_difference(&self, other: &Trace) -> Option<String> {
        if self.printed != other.printed {
            let at = self
                .printed
                .lines()
                .zip(other.printed.lines())
                .position(|(a, b)| a != b)
                .unwrap_or_else(|| {
                    self.printed
                        .lines()
                        .count()
                        .min(other.printed.lines().count())
                });
            let line = |t: &str| t.lines().nth(at).unwrap_or("(end)").to_string();
            return Some(format!(
                "printed line {}: {:?} vs {:?}",
                at + 1,
                line(&self.printed),
                line(&other.printed)
            ));
        }
        if self.store != other.store {
            return Some(format!(
                "the etcd snapshots differ ({} vs {} bytes)",
                self.store.len(),
                other.store.len()
            ));
        }
        None
    }
}

/// Runs the lab once: setup, checks before, every solution, checks after.
fn run(lab: &Lab) -> (Vec<String>, Trace) {
    let mut out = Vec::new();
    let mut trace = Trace::default();
    let mut sim = match lab.start() {
        Ok(s) => s,
        Err(e) => return (vec![e], trace),
    };
    let none = BTreeMap::new();
    let ready: Vec<bool> = lab
        .spec
        .tasks
        .iter()
        .map(|t| features::missing(&t.requires).is_empty())
        .collect();
    let before = lab.check(&mut sim, &none, Lang::En);
    trace.printed.push_str(&before.render(Lang::En));
    for (i, t) in before.tasks.iter().enumerate() {
        if ready.get(i) != Some(&true) {
            continue;
        }
        for (j, c) in t.checks.iter().enumerate() {
            if c.passed {
                let what = if lab.spec.tasks.get(i).is_some_and(|t| j < t.checks.len()) {
                    format!("checks[{j}]")
                } else {
                    "question".to_string()
                };
                out.push(format!(
                    "tasks[{i}].{what} already passes before the solution: the task can be passed without work"
                ));
            } else if c.explanation.starts_with("(lab defect)") {
                out.push(format!("tasks[{i}].checks[{j}]: {}", c.explanation));
            }
        }
    }
    let mut answers = BTreeMap::new();
    for (i, t) in lab.spec.tasks.iter().enumerate() {
        if ready.get(i) != Some(&true) {
            continue;
        }
        match run_solution(&mut sim, &t.solution) {
            Ok(stdout) => {
                trace.printed.push_str(&stdout);
                if t.question.is_some() {
                    answers.insert(t.id.clone(), stdout.trim().to_string());
                }
            }
            Err(e) => out.push(format!("tasks[{i}].solution: {e}")),
        }
        // A learner takes a while between tasks; controllers catch up.
        lab.settle(&mut sim);
    }
    let after = lab.check(&mut sim, &answers, Lang::En);
    trace.printed.push_str(&after.render(Lang::En));
    trace.store = sim.cluster().apiserver.store().snapshot();
    for (i, t) in after.tasks.iter().enumerate() {
        if ready.get(i) != Some(&true) {
            continue;
        }
        for (j, c) in t.checks.iter().enumerate() {
            if !c.passed {
                out.push(format!(
                    "tasks[{i}] check {j} fails after the solution: {}",
                    c.explanation
                ));
            }
        }
    }
    (out, trace)
}

/// Runs a solution as the learner would type it; a command Dinghy lacks
/// or a failing command is an error naming it. Returns what it printed.
pub fn run_solution(sim: &mut Simulation, solution: &str) -> Result<String, String> {
    let mut stdout = String::new();
    let mut pending = String::new();
    let mut lines: Vec<String> = Vec::new();
    for line in solution.split_inclusive('\n') {
        pending.push_str(line);
        if !pending.ends_with('\n') {
            pending.push('\n');
        }
        if Simulation::is_complete(&pending) {
            lines.push(std::mem::take(&mut pending));
        }
    }
    if !pending.trim().is_empty() {
        lines.push(pending);
    }
    for input in lines {
        if input.trim().is_empty() || input.trim_start().starts_with('#') {
            continue;
        }
        let out = sim.run(&input);
        let text = out.text();
        let first = input.trim().lines().next().unwrap_or("");
        if let Some(l) = LACKS.iter().find(|l| text.contains(*l)) {
            return Err(format!(
                "`{first}` uses something Dinghy lacks ({l}): {}",
                text.trim()
            ));
        }
        if out.status != 0 {
            return Err(format!(
                "`{first}` exited with {}: {}",
                out.status,
                text.trim()
            ));
        }
        stdout.push_str(&out.stdout());
    }
    Ok(stdout)
}

#[cfg(test)]
mod determinism_tests {
    use super::*;

    fn trace(printed: &str, store: &[u8]) -> Trace {
        Trace {
            printed: printed.to_string(),
            store: store.to_vec(),
        }
    }

    #[test]
    fn two_runs_are_compared_by_what_they_printed_then_by_the_store() {
        let a = trace("pod/web created\nNAME   READY\nweb    1/1\n", b"kv1");
        assert_eq!(a.first_difference(&trace(&a.printed, b"kv1")), None);
        assert_eq!(
            a.first_difference(&trace(
                "pod/web created\nNAME   READY\nweb    0/1\n",
                b"kv1"
            )),
            Some(r#"printed line 3: "web    1/1" vs "web    0/1""#.to_string())
        );
        assert_eq!(
            a.first_difference(&trace("pod/web created\n", b"kv1")),
            Some(r#"printed line 2: "NAME   READY" vs "(end)""#.to_string())
        );
        assert_eq!(
            a.first_difference(&trace(&a.printed, b"kv12")),
            Some("the etcd snapshots differ (3 vs 4 bytes)".to_string())
        );
    }

    #[test]
    fn parallel_work_keeps_the_items_order() {
        let items: Vec<u32> = (0..40).collect();
        assert_eq!(
            in_parallel(&items, |i| i * 2),
            items.iter().map(|i| i * 2).collect::<Vec<_>>()
        );
    }
}
