//! The shell: arbitrary text as what the learner types (one input, which
//! may hold several lines), through the parser, expansion, builtins, node
//! commands and kubectl. The parser alone first, then the whole run.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let input = dinghy_fuzz::text(data);
    let _ = engine::shell::parse::parse(&input);
    let _ = engine::Simulation::is_complete(&input);
    let mut sim = dinghy_fuzz::populated();
    // As the terminal does: the input runs once it is complete; what is
    // left at the end runs as it is (as at end of file).
    let _ = sim.complete(&input);
    let text = sim.run_script(&input, false);
    assert!(
        !text.contains("panicked at"),
        "output shows a panic for input {input:?}:\n{text}"
    );
    let out = sim.run("echo done\n");
    dinghy_fuzz::check_readable(&input, &out);
});
