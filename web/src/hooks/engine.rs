//! The engine, shared by every component through a context. Components
//! change it only through `run` and `step`, which also keep the journal;
//! `version` changes after each, so readers re-render.

use crate::persist::{self, Entry, Journal, Loaded};
use engine::clock::Duration;
use engine::{Output, Simulation};
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

const DEFAULT_SEED: u64 = 1;

pub struct EngineState {
    pub sim: Simulation,
    journal: Journal,
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
            let out = s.sim.run(input);
            // Saved only after the command finished: a command that panics is never replayed.
            s.journal.push(Entry::Input(input.to_string()));
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

    /// Read access.
    pub fn with<R>(&self, f: impl FnOnce(&Simulation) -> R) -> R {
        f(&self.state.borrow().sim)
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
            entries: vec![],
        },
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
            let mut sim = interactive(Simulation::new(journal.seed));
            let mut commands = 0;
            for e in &journal.entries {
                match e {
                    Entry::Input(s) => {
                        let _ = sim.run(s);
                        commands += 1;
                    }
                    Entry::Step(ms) => sim.step(Duration::from_millis(*ms)),
                    Entry::Editor(saved) => {
                        let _ = sim.editor_done(saved.clone());
                    }
                }
            }
            let note = format!(
                "Restored your session: {commands} command(s) replayed on the same cluster."
            );
            (EngineState { sim, journal }, Some(note))
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
