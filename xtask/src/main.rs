//! `cargo xtask serve | test | bench | fuzz`: the project's own set-up and checks. Each
//! command first installs what is missing on this machine (and says what
//! and why), so a fresh clone needs nothing but Rust, Node.js and Debian's
//! package manager.

mod bench;
mod fuzz;
mod install;
mod serve;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

const HELP: &str = "\
cargo xtask <command>

Commands:
  serve   Install what is missing, build the web app in release mode and serve
          it on http://127.0.0.1:8080 (loopback only). Ctrl-C stops it.
  test    Install what is missing, then run every check, stopping at the first
          failure: rustfmt, clippy, unit and transcript tests, lab validation,
          the release wasm build, and end-to-end tests in headless Chromium
          against the build served under /dinghy/; the bundle's brotli
          size budget and native smoke benchmarks.
  bench   Build in release mode and print issue 11's figures: each scenario
          natively (scheduling, envelope, command latency, simulated time;
          `cargo xtask bench commands` for one) and in headless Chromium (the
          release build's `?bench` page), one table with both and their ratio;
          then the bundle's size, the cold start, and the real kubectl's start
          time. `--native-only` skips the browser, `--no-build` reuses dist/.
  fuzz    Install nightly and cargo-fuzz if missing, then run each fuzz target
          in fuzz/ (apply, kubectl, shell, lab) for N seconds (`cargo xtask
          fuzz 300 shell`; default 60 each). Not part of `test`.
          `--minimize [TARGET...]` replaces fuzz/corpus/ with the -merge=1
          minimization of it and the runs' scratch corpora.
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rest = args.get(1..).unwrap_or_default();
    let result = match args.first().map(String::as_str) {
        Some("serve") => serve_cmd(),
        Some("test") => test_cmd(),
        Some("bench") => bench::bench(rest),
        Some("fuzz") => fuzz::fuzz(rest),
        None | Some("help" | "--help" | "-h") => {
            print!("{HELP}");
            Ok(())
        }
        Some(other) => Err(format!("unknown xtask command {other:?}\n\n{HELP}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("\nxtask: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root (xtask lives one level below it).
pub fn root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(Path::to_path_buf).unwrap_or(manifest)
}

/// Runs a command in the workspace root, echoing it; fails on a non-zero exit.
pub fn run(cmd: &mut Command) -> Result<(), String> {
    let shown = format!("{cmd:?}").replace('"', "");
    eprintln!("\n$ {shown}");
    let status = cmd
        .current_dir(root())
        .status()
        .map_err(|e| format!("could not start {shown}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{shown}` failed ({status})"))
    }
}

fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

/// Builds `dist/` with Trunk, release mode, offline (tools from PATH).
fn build_web(public_url: &str) -> Result<(), String> {
    let mut trunk = Command::new(install::cargo_bin("trunk"));
    trunk
        .args([
            "build",
            "--release",
            "--offline",
            "--public-url",
            public_url,
        ])
        .env("PATH", install::tool_path())
        // Trunk must not wait for a prompt in CI.
        .env("TRUNK_NO_COLOR", "true");
    run(&mut trunk)
}

fn serve_cmd() -> Result<(), String> {
    install::web_tools()?;
    build_web("/")?;
    serve::serve_forever(&root().join("dist"), "/", 8080)
}

fn test_cmd() -> Result<(), String> {
    install::web_tools()?;
    install::browser()?;
    install::etcd()?;
    run(cargo().args(["fmt", "--all", "--check"]))?;
    run(cargo().args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;
    // Includes the labs validator over every bundled lab at every seed
    // (labs/tests/validator.rs), so `dinghy lab validate` is not run again.
    run(cargo().args(["test", "--workspace"]))?;
    build_web("/dinghy/")?;
    // Issue 11's budgets: bundle size, then order-of-magnitude speed.
    bench::check_size_budget()?;
    bench::smoke()?;
    e2e()
}

/// Serves `dist/` under `/dinghy/` on a free loopback port and runs the
/// Playwright tests in headless Chromium against it.
fn e2e() -> Result<(), String> {
    let server = serve::spawn(&root().join("dist"), "/dinghy/")?;
    let url = format!("http://127.0.0.1:{}/dinghy/", server.port);
    let shots = root().join("target").join("e2e");
    std::fs::create_dir_all(&shots)
        .map_err(|e| format!("cannot create {}: {e}", shots.display()))?;
    let mut node = Command::new("node");
    node.args(["--test", "--test-concurrency=1", "e2e/tests/"])
        .env("DINGHY_URL", &url)
        .env("DINGHY_SCREENSHOTS", &shots)
        .env("CHROMIUM", install::CHROMIUM);
    run(&mut node)
}
