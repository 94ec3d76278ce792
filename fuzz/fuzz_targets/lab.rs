//! Lab files: arbitrary text as a lab file (the format learners and
//! authors write, see labs/README.md), through parsing, parameter drawing
//! and substitution and the static checks; a lab that loads is started
//! (its setup applied) and graded once.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = dinghy_fuzz::text(data);
    let Ok(lab) = labs::Lab::load("fuzz.yaml", &text, dinghy_fuzz::SEED) else {
        return;
    };
    let problems = labs::validate::static_problems(&lab.spec);
    if !problems.is_empty() {
        return;
    }
    let _ = lab.render(labs::format::Lang::En);
    if let Ok(mut sim) = lab.start() {
        let _ = lab.check(&mut sim, &Default::default(), labs::format::Lang::En);
    }
});
