//! What the fuzz targets share: a fresh simulation per input (so every
//! crash replays from its input alone), and the check that whatever comes
//! back is output a learner can read, never a Rust panic message.

use engine::{Output, Simulation};

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
    for leak in [
        "panicked at",
        "RUST_BACKTRACE",
        "called `Option::unwrap",
        "called `Result::unwrap",
    ] {
        assert!(
            !text.contains(leak),
            "output shows {leak:?} for input {input:?}:\n{text}"
        );
    }
}
