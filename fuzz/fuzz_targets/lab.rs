//! Lab files: arbitrary text as a lab file (the format learners and
//! authors write, see labs/README.md), through parsing, parameter drawing
//! and substitution and the static checks. (Starting a lab builds a
//! cluster, a second per input under the fuzzer: its setup commands and
//! manifests are what the shell and apply targets already cover.)
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = dinghy_fuzz::text(data);
    let Ok(lab) = labs::Lab::load("fuzz.yaml", &text, dinghy_fuzz::SEED) else {
        return;
    };
    let _ = labs::validate::static_problems(&lab.spec);
});
