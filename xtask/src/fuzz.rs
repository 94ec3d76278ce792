//! `cargo xtask fuzz [SECONDS] [TARGET...]`: runs each cargo-fuzz target in
//! fuzz/ for SECONDS (default 60), one after the other, starting from the
//! committed corpus. Not part of `cargo xtask test`: fuzzing is open-ended
//! and wants a quiet machine; docs/fuzzing.md records the long runs.
//!
//! New inputs go into a scratch corpus under the target directory, never
//! into fuzz/corpus/ (which stays the minimized, committed one); a crash is
//! written to fuzz/artifacts/<target>/ and stops the run with the command
//! that replays it.
//!
//! `cargo xtask fuzz --minimize [TARGET...]` replaces the committed corpus
//! with libFuzzer's `-merge=1` minimization of the committed and scratch
//! corpora (the smallest set of inputs with the same coverage), keeping the
//! `regression-*` inputs of fixed findings as they are.

use crate::{root, run};
use std::process::Command;

/// Every target in fuzz/fuzz_targets/, in the order they run.
pub const TARGETS: &[&str] = &["apply", "kubectl", "shell", "lab"];

pub fn fuzz(args: &[String]) -> Result<(), String> {
    let mut seconds = 60u64;
    let mut targets = vec![];
    let mut minimize = false;
    for a in args {
        if a == "--minimize" {
            minimize = true;
        } else if let Ok(n) = a.parse::<u64>() {
            seconds = n;
        } else if TARGETS.contains(&a.as_str()) {
            targets.push(a.as_str());
        } else {
            return Err(format!(
                "unknown fuzz argument {a:?}: give seconds per target and targets among {TARGETS:?}"
            ));
        }
    }
    if targets.is_empty() {
        targets = TARGETS.to_vec();
    }
    crate::install::fuzz_tools()?;
    let target_dir = std::env::var("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| root().join("target"));
    if minimize {
        return targets
            .into_iter()
            .try_for_each(|t| minimize_corpus(&target_dir, t));
    }
    for t in targets {
        let scratch = target_dir.join("fuzz-corpus").join(t);
        std::fs::create_dir_all(&scratch)
            .map_err(|e| format!("cannot create {}: {e}", scratch.display()))?;
        let committed = root().join("fuzz").join("corpus").join(t);
        let mut cmd = Command::new("cargo");
        // No AddressSanitizer: the engine forbids unsafe code, so ASan finds
        // nothing a panic would not, and it costs time per execution.
        cmd.args(["+nightly", "fuzz", "run", "--sanitizer", "none", t])
            .arg(&scratch)
            .arg(&committed)
            .args([
                "--",
                &format!("-max_total_time={seconds}"),
                // A learner's command that takes seconds is a bug too.
                &format!("-timeout={}", timeout()),
                "-rss_limit_mb=2048",
                "-print_final_stats=1",
            ])
            .current_dir(root().join("fuzz"));
        run(&mut cmd).map_err(|e| {
            format!(
                "{e}\nthe crashing input is in fuzz/artifacts/{t}/; replay it with \
                 `cd fuzz && cargo +nightly fuzz run --sanitizer none {t} artifacts/{t}/<file>`"
            )
        })?;
    }
    Ok(())
}

/// libFuzzer's -timeout, in wall-clock seconds: 20, or
/// DINGHY_FUZZ_TIMEOUT. A run at nice 19 beside builds is starved of CPU
/// for tens of seconds at a time, which reads as a timeout of an input that
/// takes a fraction of a second alone; such runs give a longer one.
fn timeout() -> u64 {
    std::env::var("DINGHY_FUZZ_TIMEOUT")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20)
}

/// Merges the committed and scratch corpora of `t` into an empty directory
/// with `-merge=1`, then makes that the committed corpus. The regression
/// inputs stay whatever coverage they add: each is named in a test or a
/// fuzzing.md row.
fn minimize_corpus(target_dir: &std::path::Path, t: &str) -> Result<(), String> {
    let scratch = target_dir.join("fuzz-corpus").join(t);
    let committed = root().join("fuzz").join("corpus").join(t);
    let merged = target_dir.join("fuzz-merged").join(t);
    let io = |e: std::io::Error| format!("{t}: {e}");
    if merged.exists() {
        std::fs::remove_dir_all(&merged).map_err(io)?;
    }
    std::fs::create_dir_all(&merged).map_err(io)?;
    std::fs::create_dir_all(&scratch).map_err(io)?;
    let mut cmd = Command::new("cargo");
    cmd.args(["+nightly", "fuzz", "run", "--sanitizer", "none", t])
        .arg(&merged)
        .arg(&committed)
        .arg(&scratch)
        .args([
            "--",
            "-merge=1",
            &format!("-timeout={}", timeout()),
            "-rss_limit_mb=2048",
        ])
        .current_dir(root().join("fuzz"));
    run(&mut cmd)?;
    let is_regression =
        |e: &std::fs::DirEntry| e.file_name().to_string_lossy().starts_with("regression-");
    let (mut before, mut kept) = (0, 0);
    for e in std::fs::read_dir(&committed).map_err(io)? {
        let e = e.map_err(io)?;
        before += 1;
        if is_regression(&e) {
            kept += 1;
        } else {
            std::fs::remove_file(e.path()).map_err(io)?;
        }
    }
    let mut added = 0;
    for e in std::fs::read_dir(&merged).map_err(io)? {
        let e = e.map_err(io)?;
        std::fs::copy(e.path(), committed.join(e.file_name())).map_err(io)?;
        added += 1;
    }
    eprintln!(
        "{t}: committed corpus {before} -> {} files ({added} from the merge, {kept} regression inputs)",
        added + kept
    );
    Ok(())
}
