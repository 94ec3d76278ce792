//! Issue 11's measurements: `cargo xtask bench` (the table anyone can
//! reproduce), and the two budgets `cargo xtask test` enforces — the
//! release bundle's brotli size and the native smoke benchmarks.

use crate::{cargo, root, run};
use std::path::Path;
use std::process::Command;
use std::time::Instant;

/// The release `dist/`'s size after brotli (quality 11), in bytes.
///
/// Set from the first measurement plus 10 %: on 2026-11-24 (main at
/// 4e4c31a plus branch `perf`), `trunk build --release` gave a dist/ of
/// 2,225,737 bytes raw and 645,805 with brotli (the wasm 2,182,349 raw,
/// 637,574 brotli). Never raise it silently: a larger bundle needs a
/// reason in the commit that raises this number (the issue's goal is 1 MB
/// brotli at most).
pub const BROTLI_BUDGET: u64 = 710_386;

/// Sizes of the files in `dir` (top level, as Trunk writes dist/): raw and
/// brotli-compressed with Node's zlib (Node is already needed by the
/// end-to-end tests, so this adds no tool).
pub fn bundle_size(dir: &Path) -> Result<(u64, u64), String> {
    const SCRIPT: &str = r#"
const fs = require("fs"), path = require("path"), zlib = require("zlib");
const dir = process.argv[1];
let raw = 0, br = 0;
for (const f of fs.readdirSync(dir)) {
  const p = path.join(dir, f);
  if (!fs.statSync(p).isFile()) continue;
  const b = fs.readFileSync(p);
  const c = zlib.brotliCompressSync(b, { params: {
    [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
    [zlib.constants.BROTLI_PARAM_SIZE_HINT]: b.length } });
  raw += b.length; br += c.length;
}
console.log(raw + " " + br);
"#;
    let out = Command::new("node")
        .args(["-e", SCRIPT])
        .arg(dir)
        .output()
        .map_err(|e| format!("could not start node to measure {}: {e}", dir.display()))?;
    if !out.status.success() {
        return Err(format!(
            "measuring {} failed: {}",
            dir.display(),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let mut it = text.split_whitespace().map(str::parse::<u64>);
    match (it.next(), it.next()) {
        (Some(Ok(raw)), Some(Ok(br))) => Ok((raw, br)),
        _ => Err(format!("unexpected output from the size script: {text:?}")),
    }
}

/// Fails when the built `dist/` is over its brotli budget.
pub fn check_size_budget() -> Result<(), String> {
    let (raw, br) = bundle_size(&root().join("dist"))?;
    eprintln!(
        "\nxtask: release bundle dist/ is {raw} bytes, {br} with brotli (budget {BROTLI_BUDGET})"
    );
    if br > BROTLI_BUDGET {
        return Err(format!(
            "the release bundle is {br} bytes with brotli, over its budget of {BROTLI_BUDGET} \
             (xtask/src/bench.rs): make it smaller, or raise the budget in a commit that says why"
        ));
    }
    Ok(())
}

/// The native smoke benchmarks: order-of-magnitude regressions only.
pub fn smoke() -> Result<(), String> {
    run(cargo().args([
        "run",
        "--quiet",
        "--package",
        "dinghy-cli",
        "--",
        "bench",
        "--smoke",
    ]))
}

/// The real kubectl's start time on this machine (median of 9 runs of
/// `kubectl.1.33 version --client`), for comparison with our per-command
/// latency: it is what a learner waits before any real kubectl command.
fn kubectl_start() -> Option<f64> {
    const KUBECTL: &str = "/usr/lib/google-cloud-sdk/bin/kubectl.1.33";
    if !Path::new(KUBECTL).exists() {
        return None;
    }
    let mut times = vec![];
    for _ in 0..9 {
        let t = Instant::now();
        let ok = Command::new(KUBECTL)
            .args(["version", "--client"])
            .output()
            .ok()?
            .status
            .success();
        if !ok {
            return None;
        }
        times.push(t.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    times.get(times.len() / 2).copied()
}

/// `cargo xtask bench`: each scenario natively in its own process (release
/// build), then the bundle's size, then the real kubectl's start time.
pub fn bench(args: &[String]) -> Result<(), String> {
    let scenarios: Vec<String> = if args.is_empty() {
        ["schedule", "commands", "time", "envelope"]
            .map(String::from)
            .to_vec()
    } else {
        args.to_vec()
    };
    run(cargo().args(["build", "--release", "--package", "dinghy-cli"]))?;
    let target = std::env::var("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| root().join("target"));
    let dinghy = target.join("release").join("dinghy");
    for s in &scenarios {
        run(Command::new(&dinghy).args(["bench", s]))?;
    }
    let dist = root().join("dist");
    if dist.is_dir() {
        let (raw, br) = bundle_size(&dist)?;
        println!("\nbundle dist/: {raw} bytes raw, {br} bytes brotli (goal <= 1 MB brotli)");
    } else {
        println!("\nbundle dist/: not built (cargo xtask serve or test builds it)");
    }
    match kubectl_start() {
        Some(s) => println!(
            "real kubectl v1.33 start (`kubectl version --client`, median of 9): {:.1} ms",
            s * 1000.0
        ),
        None => println!("real kubectl v1.33: not found on this machine"),
    }
    println!(
        "machine: {} CPU(s) available to this process",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundle_size_counts_the_files_of_a_directory() {
        let dir = std::env::temp_dir().join(format!("xtask-size-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("sub"))
            .map_err(|e| e.to_string())
            .unwrap_or(());
        let text = "dinghy ".repeat(1000);
        std::fs::write(dir.join("a.js"), &text).unwrap_or(());
        std::fs::write(dir.join("sub").join("ignored"), "x").unwrap_or(());
        let sizes = bundle_size(&dir);
        let _ = std::fs::remove_dir_all(&dir);
        let (raw, br) = sizes.unwrap_or((0, 0));
        // Files at the top only, as Trunk writes dist/; repetitive text compresses.
        assert_eq!(raw, 7000);
        assert!(br > 0 && br < 100, "brotli size {br}");
    }
}
