//! What the fuzz targets share: a simulation with objects in it, and the
//! check that whatever comes back is output a learner can read, never a
//! Rust panic message.
//!
//! Building a cluster costs about a second under the fuzzer's
//! instrumentation, against milliseconds for most inputs, so inputs share
//! one simulation, rebuilt every [`REUSE`] inputs: the search runs a
//! hundred times faster, and inputs also meet the state earlier ones left
//! (a learner's session accumulates too). A crash that needs that state
//! may not replay from its input alone: `DINGHY_FUZZ_FRESH=1` gives every
//! input a fresh simulation, for replaying and minimizing.

use engine::{Output, Simulation};
use std::cell::RefCell;

/// How many inputs share one simulation.
pub const REUSE: u32 = 500;

thread_local! {
    static SHARED: RefCell<Option<(Simulation, u32)>> = const { RefCell::new(None) };
    /// The [`LEAKS`] some input of the current simulation contained: its
    /// objects (a context, a label) may hold them and later output show
    /// them, which is the input's text echoed, not a leak.
    static BROUGHT: RefCell<Vec<&'static str>> = const { RefCell::new(Vec::new()) };
}

/// What output must never show unless an input brought it: Rust's own
/// panic and unwrap messages.
const LEAKS: [&str; 4] = [
    "panicked at",
    "RUST_BACKTRACE",
    "called `Option::unwrap",
    "called `Result::unwrap",
];

/// Notes which [`LEAKS`] `data` holds, for the simulation it runs on;
/// `fresh`: that simulation is new.
fn note_brought(data: &[u8], fresh: bool) {
    let input = text(data);
    BROUGHT.with(|b| {
        let mut b = b.borrow_mut();
        if fresh {
            b.clear();
        }
        for leak in LEAKS {
            if input.contains(leak) && !b.contains(&leak) {
                b.push(leak);
            }
        }
    });
}

/// Runs `f` on the shared [`populated`] simulation (see the module's note).
/// `data` is the raw input, kept only when `DINGHY_FUZZ_LOG` names a
/// directory: every input the current simulation has seen is written
/// there as `NNNN` (the directory is emptied when the simulation is
/// rebuilt), so a crash or timeout that needs earlier inputs' state can be
/// replayed in order: `<target binary> DIR/*`.
pub fn with_sim<R>(data: &[u8], f: impl FnOnce(&mut Simulation) -> R) -> R {
    if std::env::var_os("DINGHY_FUZZ_FRESH").is_some() {
        note_brought(data, true);
        return f(&mut populated());
    }
    SHARED.with(|cell| {
        let mut shared = cell.borrow_mut();
        let (sim, uses) = match shared.take() {
            Some((sim, uses)) if uses < REUSE && !sim.exited() => (sim, uses),
            _ => (populated(), 0),
        };
        note_brought(data, uses == 0);
        if let Some(dir) = std::env::var_os("DINGHY_FUZZ_LOG") {
            let dir = std::path::PathBuf::from(dir);
            if uses == 0 {
                let _ = std::fs::remove_dir_all(&dir);
            }
            let _ = std::fs::create_dir_all(&dir);
            let _ = std::fs::write(dir.join(format!("{uses:04}")), data);
        }
        let (sim, r) = {
            let mut sim = sim;
            let r = f(&mut sim);
            (sim, r)
        };
        *shared = Some((sim, uses + 1));
        r
    })
}

/// The seed every target's simulation starts from: fixed, so an input that
/// crashes once crashes every time.
pub const SEED: u64 = 11;

/// Inputs longer than this are cut: a learner does not paste megabytes, and
/// long inputs only slow the search down.
pub const MAX_INPUT: usize = 8 * 1024;

/// The input as text, as the browser terminal would hand it over (invalid
/// UTF-8 replaced, as `TextDecoder` does), cut to [`MAX_INPUT`].
pub fn text(data: &[u8]) -> String {
    let data = data.get(..MAX_INPUT).unwrap_or(data);
    String::from_utf8_lossy(data).into_owned()
}

/// A simulation with a little of everything in it, so reads and writes have
/// objects to act on: a Deployment, a bare Pod, a Service, a ConfigMap.
pub fn populated() -> Simulation {
    let mut sim = Simulation::new(SEED);
    for line in [
        "kubectl create deployment web --image=nginx --replicas=2\n",
        "kubectl run box --image=busybox -- sleep 3600\n",
        "kubectl expose deployment web --port=80\n",
        "kubectl create configmap conf --from-literal=a=b\n",
    ] {
        let out = sim.run(line);
        assert_eq!(out.status, 0, "setup `{line}` failed: {}", out.text());
    }
    sim.step(engine::clock::Duration::from_secs(20));
    sim
}

/// Panics (a fuzz finding) when output leaks Rust internals instead of a
/// kubectl or bash error.
pub fn check_readable(input: &str, out: &Output) {
    let text = out.text();
    for leak in LEAKS {
        // Output that echoes the input may quote it (an apiVersion in an
        // error message), or an object an earlier input of this
        // simulation named (a context listed by `config get-contexts`):
        // only a leak no input brought counts.
        let brought = input.contains(leak) || BROUGHT.with(|b| b.borrow().contains(&leak));
        assert!(
            !text.contains(leak) || brought,
            "output shows {leak:?} for input {input:?}:\n{text}"
        );
    }
}
