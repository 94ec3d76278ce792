//! kubectl: arbitrary arguments (one per line of the input, so any byte
//! can sit inside an argument, spaces and quotes included) through flag
//! parsing and the verb, against a cluster with objects in it. No shell in
//! between: this is the argument vector kubectl itself receives.
#![no_main]

use engine::kubectl::{self, Context};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let input = dinghy_fuzz::text(data);
    let mut lines = input.split('\n');
    // The first line is standard input (for `-f -`), `\t` standing for a
    // newline so a manifest fits on it.
    let stdin = lines.next().map(|s| s.replace('\t', "\n"));
    let args: Vec<String> = lines.map(str::to_string).collect();
    if waits_a_week(&args) {
        return;
    }
    dinghy_fuzz::with_sim(data, |sim| {
        let mut ctx = Context {
            cluster: sim.cluster_mut(),
            namespace: "default".to_string(),
            node: "controlplane".to_string(),
            cwd: "/root".to_string(),
            stdin,
            kubeconfig: true,
            kubeconfig_path: "/root/.kube/config".to_string(),
            editor: None,
        };
        let out = kubectl::run(&mut ctx, &args);
        dinghy_fuzz::check_readable(&input, &out);
        // The components react to what the command changed.
        sim.cluster_mut().settle();
    });
});

/// `kubectl wait --timeout=-1s` waits a week, as kubectl's flag says, and
/// Dinghy simulates that week when the condition is never met: a minute of
/// CPU natively, by specification (found by this target, docs/fuzzing.md).
/// Not a finding the fuzzer should stop at again.
fn waits_a_week(args: &[String]) -> bool {
    args.iter().any(|a| a == "wait")
        && args.iter().enumerate().any(|(i, a)| {
            a.starts_with("--timeout=-")
                || (a == "--timeout" && args.get(i + 1).is_some_and(|v| v.starts_with('-')))
        })
}
