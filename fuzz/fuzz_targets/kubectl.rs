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
    if waits_long(&args) {
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
            terminal: None,
            interactive: false,
            job: None,
        };
        let out = kubectl::run(&mut ctx, &args);
        dinghy_fuzz::check_readable(&input, &out);
        // The components react to what the command changed.
        sim.cluster_mut().settle();
    });
});

/// `kubectl wait --timeout=-1s` waits a week, as kubectl's flag says, and
/// `--timeout=5h` five hours: Dinghy simulates that time when the condition
/// is never met, at a cost that grows with the simulated time asked for
/// (both found by this target, docs/fuzzing.md). Inputs that ask for more
/// than ten simulated minutes are not findings the fuzzer should stop at.
fn waits_long(args: &[String]) -> bool {
    let long = |v: &str| {
        let digits: String = v.chars().take_while(char::is_ascii_digit).collect();
        let n: u64 = digits.parse().unwrap_or(0);
        match v.get(digits.len()..) {
            _ if v.starts_with('-') => true,
            Some("" | "s") => n > 600,
            Some("m") => n > 10,
            Some("ms") => false,
            // Hours, compound (`1h2m`) and anything odd: kubectl refuses
            // what it cannot parse; what it can is long enough.
            _ => v.contains('h') || v.contains('m'),
        }
    };
    args.iter().any(|a| a == "wait")
        && args.iter().enumerate().any(|(i, a)| match a.strip_prefix("--timeout") {
            Some(rest) => match rest.strip_prefix('=') {
                Some(v) => long(v),
                None => rest.is_empty() && args.get(i + 1).is_some_and(|v| long(v)),
            },
            None => false,
        })
}
