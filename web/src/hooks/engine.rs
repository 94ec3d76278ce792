//! The engine, shared by every component through a context. Components
//! change it only through `run`, `step`, `editor_done` and the lab
//! methods, which also keep the journal; `version` changes after each, so
//! readers re-render. Starting a lab replaces the simulation with the
//! lab's cluster; `generation` counts such replacements.

use crate::persist::{self, Entry, Journal, LabSource, Loaded};
use engine::clock::Duration;
use engine::{Output, Simulation};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;
use yew::prelude::*;

const DEFAULT_SEED: u64 = 1;

pub struct EngineState {
    pub sim: Simulation,
    journal: Journal,
    /// The lab the cluster was set up for.
    lab: Option<labs::Lab>,
    generation: u64,
}

/// A lab that could not be opened: what is wrong, for the panel to show.
pub type LabError = String;

/// Parses and sets up a lab: the lab and its cluster.
fn open_lab(source: &LabSource, seed: u64) -> Result<(labs::Lab, Simulation), LabError> {
    let (name, text) = source
        .file()
        .ok_or_else(|| "Dinghy has no lab by that name.".to_string())?;
    let lab =
        labs::Lab::load(&name, &text, seed).map_err(|p| format!("{}: {}", p.path, p.message))?;
    let sim = lab.start()?;
    Ok((lab, interactive(sim)))
}

/// A handle to the engine; equal handles with equal versions need no re-render.
#[derive(Clone)]
pub struct Engine {
    state: Rc<RefCell<EngineState>>,
    pub version: u64,
    bump: Callback<()>,
}

impl PartialEq for Engine {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.state, &other.state) && self.version == other.version
    }
}

impl Engine {
    /// Runs a complete shell input and saves it.
    pub fn run(&self, input: &str) -> Output {
        let out = {
            let mut s = self.state.borrow_mut();
            // A line typed at a command's question is its answer, not a command.
            let answering = s.sim.question().is_some();
            let out = s.sim.run(input);
            // Saved only after the command finished: a command that panics is never replayed.
            s.journal.push(if answering {
                Entry::Answer(input.to_string())
            } else {
                Entry::Input(input.to_string())
            });
            persist::save(&s.journal);
            out
        };
        self.bump.emit(());
        out
    }

    /// Closes the editor the last command opened; the command goes on.
    pub fn editor_done(&self, saved: Option<String>) -> Output {
        let out = {
            let mut s = self.state.borrow_mut();
            let out = s.sim.editor_done(saved.clone());
            s.journal.push(Entry::Editor(saved));
            persist::save(&s.journal);
            out
        };
        self.bump.emit(());
        out
    }

    /// Moves simulated time forward.
    pub fn step(&self, d: Duration) {
        {
            let mut s = self.state.borrow_mut();
            s.sim.step(d);
            s.journal.push(Entry::Step(d.as_millis()));
            persist::save(&s.journal);
        }
        self.bump.emit(());
    }

    /// The command holding the terminal (`watch`, `kubectl get -w`,
    /// `kubectl logs -f`, `kubectl rollout status`), if any:
    /// its interval, and whether its output is whole frames (watch) rather
    /// than appended rows.
    pub fn foreground(&self) -> Option<(Duration, bool)> {
        self.with(|s| {
            s.foreground()
                .map(|w| (w.interval, w.get.is_none() && w.follow.is_none()))
        })
    }

    /// One interval of the foreground command passes on the virtual clock;
    /// its next output. Journaled as the step it is, so a reload replays
    /// the same cluster.
    pub fn tick(&self) -> Output {
        let out = {
            let mut s = self.state.borrow_mut();
            let Some(interval) = s.sim.foreground().map(|w| w.interval) else {
                return Output::default();
            };
            let out = s.sim.tick();
            s.journal.push(Entry::Step(interval.as_millis()));
            persist::save(&s.journal);
            out
        };
        self.bump.emit(());
        out
    }

    /// The terminal's width in columns (`watch` fits its title to it).
    /// Output only, so not journaled.
    pub fn set_columns(&self, columns: usize) {
        self.state.borrow_mut().sim.set_columns(columns);
    }

    /// Ctrl-C at a question: the waiting command ends. Journaled, so a
    /// reload does not take the next line for its answer.
    pub fn interrupt_question(&self) -> Output {
        let out = {
            let mut s = self.state.borrow_mut();
            let out = s.sim.interrupt();
            s.journal.push(Entry::Interrupt);
            persist::save(&s.journal);
            out
        };
        self.bump.emit(());
        out
    }

    /// Ctrl-C: ends the foreground command (nothing in the cluster changes).
    pub fn interrupt(&self) -> Output {
        let out = self.state.borrow_mut().sim.interrupt();
        self.bump.emit(());
        out
    }

    /// Read access.
    pub fn with<R>(&self, f: impl FnOnce(&Simulation) -> R) -> R {
        f(&self.state.borrow().sim)
    }

    /// Runs `kubectl ARGS` as the cluster admin outside the learner's
    /// session, for the details view: it reads, so it is not journaled,
    /// and nothing settles afterwards.
    pub fn inspect(&self, args: &[&str]) -> Output {
        let mut s = self.state.borrow_mut();
        let mut ctx = engine::kubectl::Context {
            cluster: s.sim.cluster_mut(),
            namespace: "default".into(),
            node: "controlplane".into(),
            cwd: "/root".into(),
            stdin: None,
            kubeconfig: true,
            kubeconfig_path: "/root/.kube/config".into(),
            terminal: None,
            interactive: false,
            job: None,
        };
        let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        engine::kubectl::run(&mut ctx, &args)
    }

    /// The lab the cluster was set up for, and where it came from.
    pub fn lab(&self) -> Option<(labs::Lab, LabSource)> {
        let s = self.state.borrow();
        Some((s.lab.clone()?, s.journal.lab.clone()?))
    }

    /// How many times the simulation was replaced (a lab started or left).
    pub fn generation(&self) -> u64 {
        self.state.borrow().generation
    }

    /// Replaces the cluster with a fresh one set up for this lab.
    pub fn start_lab(&self, source: LabSource, seed: u64) -> Result<(), LabError> {
        let (lab, sim) = open_lab(&source, seed)?;
        {
            let mut s = self.state.borrow_mut();
            s.sim = sim;
            s.lab = Some(lab);
            s.journal = Journal {
                seed,
                lab: Some(source),
                entries: vec![],
            };
            s.generation += 1;
            persist::save(&s.journal);
        }
        self.bump.emit(());
        Ok(())
    }

    /// Leaves the lab: a fresh default cluster.
    pub fn leave_lab(&self) {
        {
            let mut s = self.state.borrow_mut();
            s.sim = interactive(Simulation::new(DEFAULT_SEED));
            s.lab = None;
            s.journal = Journal {
                seed: DEFAULT_SEED,
                lab: None,
                entries: vec![],
            };
            s.generation += 1;
            persist::save(&s.journal);
        }
        self.bump.emit(());
    }

    /// Grades the lab as the cluster is now.
    pub fn check(
        &self,
        answers: &BTreeMap<String, String>,
        lang: labs::Lang,
    ) -> Option<labs::Report> {
        let report = {
            let mut s = self.state.borrow_mut();
            let lab = s.lab.clone()?;
            let report = lab.check(&mut s.sim, answers, lang);
            s.journal.push(Entry::Check(answers.clone()));
            persist::save(&s.journal);
            report
        };
        self.bump.emit(());
        Some(report)
    }

    pub fn history(&self) -> Vec<String> {
        self.state
            .borrow()
            .journal
            .inputs()
            .map(|s| s.trim_end().to_string())
            .collect()
    }
}

/// The browser can show an editor: `vi` and `kubectl edit` open it.
fn interactive(mut sim: Simulation) -> Simulation {
    sim.set_interactive_editor(true);
    sim
}

/// Builds the simulation, replaying a saved journal if there is one; the
/// note says what happened, for the terminal to show.
fn boot() -> (EngineState, Option<String>) {
    let fresh = || EngineState {
        sim: interactive(Simulation::new(DEFAULT_SEED)),
        journal: Journal {
            seed: DEFAULT_SEED,
            lab: None,
            entries: vec![],
        },
        lab: None,
        generation: 0,
    };
    match persist::load() {
        Loaded::Fresh => (fresh(), None),
        Loaded::Corrupt => (
            fresh(),
            Some(
                "Your saved session could not be read, so Dinghy started a fresh cluster."
                    .to_string(),
            ),
        ),
        Loaded::Restored(journal) => {
            let (lab, mut sim) = match &journal.lab {
                None => (None, interactive(Simulation::new(journal.seed))),
                Some(source) => match open_lab(source, journal.seed) {
                    Ok((lab, sim)) => (Some(lab), sim),
                    Err(e) => {
                        persist::clear();
                        let mut state = fresh();
                        state.journal.seed = DEFAULT_SEED;
                        return (
                            state,
                            Some(format!(
                                "Your saved lab could not be set up again ({e}), so Dinghy started a fresh cluster."
                            )),
                        );
                    }
                },
            };
            let mut commands = 0;
            for e in &journal.entries {
                match e {
                    Entry::Input(s) => {
                        let _ = sim.run(s);
                        commands += 1;
                    }
                    Entry::Answer(s) => {
                        let _ = sim.run(s);
                    }
                    Entry::Step(ms) => sim.step(Duration::from_millis(*ms)),
                    Entry::Interrupt => {
                        let _ = sim.interrupt();
                    }
                    Entry::Editor(saved) => {
                        let _ = sim.editor_done(saved.clone());
                    }
                    Entry::Check(answers) => {
                        if let Some(lab) = &lab {
                            let _ = lab.check(&mut sim, answers, labs::Lang::En);
                        }
                    }
                }
            }
            // A watch that ran when the page closed is not running any more.
            let _ = sim.interrupt();
            let note = format!(
                "Restored your session: {commands} command(s) replayed on the same cluster."
            );
            (
                EngineState {
                    sim,
                    journal,
                    lab,
                    generation: 0,
                },
                Some(note),
            )
        }
    }
}

/// A counter whose increments never get lost between renders.
#[derive(PartialEq)]
struct Counter(u64);

impl Reducible for Counter {
    type Action = ();
    fn reduce(self: Rc<Self>, _: ()) -> Rc<Self> {
        Rc::new(Counter(self.0 + 1))
    }
}

/// The engine and the boot note (shown once by the terminal).
#[hook]
pub fn use_engine_root() -> (Engine, Option<String>) {
    let booted = use_mut_ref(|| None::<(Rc<RefCell<EngineState>>, Option<String>)>);
    let version = use_reducer(|| Counter(0));
    if booted.borrow().is_none() {
        let (state, note) = boot();
        *booted.borrow_mut() = Some((Rc::new(RefCell::new(state)), note));
    }
    let (state, note) = booted.borrow().clone().unwrap_or_else(|| {
        let (s, n) = boot();
        (Rc::new(RefCell::new(s)), n)
    });
    let bump = {
        let version = version.clone();
        Callback::from(move |_| version.dispatch(()))
    };
    (
        Engine {
            state,
            version: version.0,
            bump,
        },
        note,
    )
}

#[hook]
pub fn use_engine() -> Option<Engine> {
    use_context::<Engine>()
}
