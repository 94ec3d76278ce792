//! The shell: arbitrary text as what the learner types (one input, which
//! may hold several lines), through the parser, expansion, builtins, node
//! commands and kubectl. The parser alone first, then the whole run.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let input = dinghy_fuzz::text(data);
    let _ = engine::shell::parse::parse(&input);
    let _ = engine::Simulation::is_complete(&input);
    dinghy_fuzz::with_sim(data, |sim| {
        let _ = sim.complete(&input);
        // As `dinghy shell` reads a script: a command runs once it is
        // complete; what is left at the end runs as it is (end of file).
        let text = sim.run_script(&input, false);
        assert!(
            !text.contains("panicked at"),
            "output shows a panic for input {input:?}:\n{text}"
        );
        // Back to a known place for the next input, as a new terminal would be.
        let out = sim.run("cd /root\n");
        dinghy_fuzz::check_readable(&input, &out);
    });
});
