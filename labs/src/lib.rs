//! Labs: graded scenarios written by instructors. The format
//! ([`format`], documented in `labs/README.md`), the grader ([`grader`])
//! and the validator ([`validate`]) live here; the scenarios themselves are
//! files under `labs/scenarios/`, bundled into the binary at build time.
//!
//! The API is plain data, for the web app's lab panel and `dinghy lab`:
//! [`list`] the labs, [`Lab::load`] one with a seed, [`Lab::start`] a
//! simulation with its setup applied, [`Lab::check`] it into per-task
//! results with explanations and hints in the learner's language.
//!
//! **Architecture Invariant:** labs grade cluster state, never the commands
//! a learner typed.

mod decode;
#[cfg(test)]
mod decode_tests;
pub mod features;
pub mod format;
pub mod grader;
pub mod params;
pub mod validate;

pub use format::{Lang, Text};
pub use validate::{validate, Problem, Validation};

use engine::clock::Duration;
use engine::cluster::{NodeSpec, Topology};
use engine::Simulation;
use format::LabSpec;
use serde_json::Value;
use std::collections::BTreeMap;

/// A bundled lab file: its path (for messages) and text.
#[derive(Clone, Copy, Debug)]
pub struct LabFile {
    pub path: &'static str,
    pub text: &'static str,
}

/// The labs shipped with Dinghy: every `labs/scenarios/*.yaml`, by name.
pub const BUNDLED: &[LabFile] = include!(concat!(env!("OUT_DIR"), "/bundled.rs"));

/// A lab as the list shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    pub id: String,
    pub path: String,
    pub title: Text,
    pub topic: String,
    pub difficulty: String,
    pub minutes: u32,
    pub tasks: usize,
    /// Engine features the lab (or one of its tasks) needs that Dinghy
    /// lacks yet (see [`features`]).
    pub missing: Vec<String>,
}

/// Every bundled lab that parses (the validator reports those that do not).
pub fn list() -> Vec<Summary> {
    BUNDLED
        .iter()
        .filter_map(|f| Lab::load(f.path, f.text, 1).ok())
        .map(|l| Summary {
            id: l.spec.id.clone(),
            path: l.path.clone(),
            title: l.spec.title.clone(),
            topic: l.spec.topic.clone(),
            difficulty: engine::case::to_lowercase(&format!("{:?}", l.spec.difficulty)),
            minutes: l.spec.minutes,
            tasks: l.spec.tasks.len(),
            missing: {
                let mut all = l.spec.requires.clone();
                for t in &l.spec.tasks {
                    all.extend(t.requires.iter().cloned());
                }
                engine::sort::sort(&mut all);
                all.dedup();
                features::missing(&all)
            },
        })
        .collect()
}

/// The bundled lab with this id (or file name).
pub fn find(id: &str) -> Option<LabFile> {
    BUNDLED.iter().copied().find(|f| {
        f.path.ends_with(&format!("/{id}.yaml"))
            || Lab::load(f.path, f.text, 1).is_ok_and(|l| l.spec.id == id)
    })
}

/// A lab loaded with a seed: its parameters drawn and substituted.
#[derive(Clone, Debug)]
pub struct Lab {
    pub path: String,
    pub seed: u64,
    pub params: BTreeMap<String, String>,
    pub spec: LabSpec,
}

/// One task's grade.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaskResult {
    pub id: String,
    pub text: String,
    pub passed: bool,
    /// Each check (and the question, last) in order: passed, and what is wrong.
    pub checks: Vec<CheckResult>,
    /// The task's hints, to reveal one by one.
    pub hints: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckResult {
    pub passed: bool,
    pub explanation: String,
}

/// The whole lab's grade.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    pub tasks: Vec<TaskResult>,
}

impl Report {
    pub fn passed(&self) -> bool {
        self.tasks.iter().all(|t| t.passed)
    }

    /// A plain-text rendering, as `dinghy lab check` prints it.
    pub fn render(&self, lang: Lang) -> String {
        let mut s = String::new();
        for t in &self.tasks {
            let mark = if t.passed { "✓" } else { "✗" };
            s.push_str(&format!("{mark} {}: {}\n", t.id, whole_text(&t.text)));
            let mut said: Vec<&str> = Vec::new();
            for c in t.checks.iter().filter(|c| !c.passed) {
                // Two checks on a missing object explain the same thing once.
                if !said.contains(&c.explanation.as_str()) {
                    said.push(&c.explanation);
                    s.push_str(&format!("    - {}\n", c.explanation));
                }
            }
        }
        let done = self.tasks.iter().filter(|t| t.passed).count();
        s.push_str(&match lang {
            Lang::En => format!("{done}/{} tasks done\n", self.tasks.len()),
            Lang::Ko => format!("과제 {}개 중 {done}개 완료\n", self.tasks.len()),
        });
        s
    }
}

/// A task's whole text, its later lines indented under the first (a task
/// often names its file or value on the second line).
fn whole_text(s: &str) -> String {
    s.trim().lines().collect::<Vec<_>>().join("\n  ")
}

impl Lab {
    /// Parses a lab file and draws its parameters from `seed`. Errors name
    /// the file and the spot (`tasks[1].checks[0].equals: …`).
    pub fn load(path: &str, text: &str, seed: u64) -> Result<Lab, Problem> {
        let problem = |message: String| Problem {
            path: path.to_string(),
            message,
        };
        if text.trim().is_empty() {
            return Err(problem("the file is empty".into()));
        }
        let mut docs = engine::yaml::parse_documents(text)
            .map_err(|e| problem(format!("not valid YAML: {e}")))?;
        if docs.len() != 1 {
            return Err(problem(format!(
                "a lab file holds one YAML document, not {}",
                docs.len()
            )));
        }
        let mut tree = docs.remove(0);
        let id = tree
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let params: BTreeMap<String, format::Param> = match tree.get("params") {
            None => BTreeMap::new(),
            Some(p) => decode::params(p).map_err(|(at, e)| problem(format!("params.{at}: {e}")))?,
        };
        let values = params::draw(&id, &params, seed).map_err(problem)?;
        if let Some(map) = tree.as_object_mut() {
            for (k, v) in map.iter_mut() {
                if k != "params" {
                    params::substitute_tree(v, &values, k).map_err(problem)?;
                }
            }
        }
        let spec: LabSpec =
            decode::lab_spec(&tree).map_err(|(at, e)| problem(format!("{at}: {e}")))?;
        Ok(Lab {
            path: path.to_string(),
            seed,
            params: values,
            spec,
        })
    }

    /// A simulation of the lab's cluster with its setup applied: topology,
    /// manifests, commands, then the setup's wait.
    pub fn start(&self) -> Result<Simulation, String> {
        let setup = &self.spec.setup;
        let mut sim = if setup.nodes.is_empty() {
            Simulation::new(self.seed)
        } else {
            let nodes = setup
                .nodes
                .iter()
                .map(|n| {
                    let mut spec = if n.control_plane {
                        NodeSpec::control_plane(&n.name)
                    } else {
                        NodeSpec::worker(&n.name)
                    };
                    if let Some(c) = &n.cpu {
                        spec.cpu = c.clone();
                    }
                    if let Some(m) = &n.memory {
                        spec.memory = m.clone();
                    }
                    if let Some(v) = &n.kubelet_version {
                        spec.kubelet_version = v.clone();
                    }
                    spec
                })
                .collect();
            Simulation::with_topology(self.seed, &Topology { nodes })
        };
        for n in &setup.nodes {
            if !n.labels.is_empty() || !n.taints.is_empty() || n.unschedulable {
                label_and_taint(&mut sim, n)?;
            }
        }
        if !setup.manifests.trim().is_empty() {
            let docs = engine::yaml::parse_documents(&setup.manifests)
                .map_err(|e| format!("setup.manifests: not valid YAML: {e}"))?;
            for (i, doc) in docs.into_iter().enumerate() {
                create(&mut sim, doc).map_err(|e| format!("setup.manifests[{i}]: {e}"))?;
            }
            sim.cluster_mut().settle();
        }
        if !setup.commands.trim().is_empty() {
            let (out, status) = grader::run_script(&mut sim, "controlplane", &setup.commands);
            if status != 0 {
                return Err(format!(
                    "setup.commands: the last command exited with {status}: {}",
                    out.trim()
                ));
            }
        }
        if setup.wait > 0 {
            sim.step(Duration::from_secs(setup.wait as i64));
        }
        Ok(sim)
    }

    /// Grades the cluster: every task's checks and question. `answers`
    /// holds the learner's answers to questions, by task id.
    pub fn check(
        &self,
        sim: &mut Simulation,
        answers: &BTreeMap<String, String>,
        lang: Lang,
    ) -> Report {
        let tasks = self
            .spec
            .tasks
            .iter()
            .map(|t| {
                let mut checks: Vec<CheckResult> = t
                    .checks
                    .iter()
                    .map(|c| result(grader::evaluate(c, sim), lang))
                    .collect();
                if let Some(q) = &t.question {
                    let a = answers.get(&t.id).map(String::as_str);
                    checks.push(result(grader::grade_question(q, a, sim), lang));
                }
                TaskResult {
                    id: t.id.clone(),
                    text: t.text.get(lang).to_string(),
                    passed: checks.iter().all(|c| c.passed),
                    checks,
                    hints: t.hints.iter().map(|h| h.get(lang).to_string()).collect(),
                }
            })
            .collect();
        Report { tasks }
    }

    /// Lets the cluster run for the lab's `wait` (after the learner's or
    /// the solution's commands, before grading).
    pub fn settle(&self, sim: &mut Simulation) {
        sim.step(Duration::from_secs(self.spec.wait as i64));
    }
}

fn result(r: Result<grader::Outcome, String>, lang: Lang) -> CheckResult {
    match r {
        Ok(o) => CheckResult {
            passed: o.passed,
            explanation: o.explanation.get(lang).to_string(),
        },
        Err(e) => CheckResult {
            passed: false,
            explanation: format!("(lab defect) {e}"),
        },
    }
}

/// Creates one manifest as the cluster admin, through the apiserver.
fn create(sim: &mut Simulation, doc: Value) -> Result<(), String> {
    let api_version = doc.get("apiVersion").and_then(Value::as_str).unwrap_or("");
    let kind = doc.get("kind").and_then(Value::as_str).unwrap_or("");
    let res = engine::api::for_kind(api_version, kind)
        .ok_or_else(|| format!("no resource serves {api_version} {kind}"))?;
    let ns = engine::api::object::namespace(&doc).map(str::to_string);
    let now = sim.now();
    sim.cluster_mut()
        .apiserver
        .create(res, ns.as_deref(), doc, now)
        .map(|_| ())
        .map_err(|e| format!("{e:?}"))
}

/// Applies a node's labels and taints (`key=value:Effect`) from the setup.
#[allow(clippy::indexing_slicing)] // serde_json::Value: a missing key reads as Null; writes go into JSON objects (built here or from the store)
fn label_and_taint(sim: &mut Simulation, n: &format::NodeSetup) -> Result<(), String> {
    let res = engine::api::resolve("nodes").ok_or("no nodes resource")?;
    let mut node = sim
        .cluster()
        .apiserver
        .get(res, None, &n.name)
        .map_err(|e| format!("setup.nodes: {}: {e:?}", n.name))?;
    if !n.labels.is_empty() {
        // Label keys hold dots (`node-role.kubernetes.io/…`): no dotted paths here.
        let meta = node
            .get_mut("metadata")
            .and_then(Value::as_object_mut)
            .ok_or("setup.nodes: a node without metadata")?;
        let labels = meta
            .entry("labels")
            .or_insert_with(|| Value::Object(Default::default()));
        if let Some(map) = labels.as_object_mut() {
            for (k, v) in &n.labels {
                map.insert(k.clone(), Value::from(v.clone()));
            }
        }
    }
    let mut taints: Vec<Value> = engine::api::object::at(&node, "spec.taints")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for t in &n.taints {
        let (kv, effect) = t
            .rsplit_once(':')
            .ok_or_else(|| format!("setup.nodes: taint {t:?} is not key=value:Effect"))?;
        let mut taint = serde_json::json!({"effect": effect});
        match kv.split_once('=') {
            Some((k, v)) => {
                taint["key"] = k.into();
                taint["value"] = v.into();
            }
            None => taint["key"] = kv.into(),
        }
        taints.push(taint);
    }
    if let Some(spec) = node.get_mut("spec").and_then(Value::as_object_mut) {
        if !taints.is_empty() {
            spec.insert("taints".into(), Value::Array(taints));
        }
        if n.unschedulable {
            spec.insert("unschedulable".into(), Value::Bool(true));
        }
    }
    sim.cluster_mut()
        .apiserver
        .update(res, None, node)
        .map(|_| ())
        .map_err(|e| format!("setup.nodes: {}: {e:?}", n.name))
}
