//! Installs what the build and tests need, if it is missing. Every step
//! checks first and is quick when everything is there; each install says
//! what it installs and why. Only crates.io, npm and Debian's packages are
//! used: nothing else can be downloaded on these machines.

use crate::{root, run};
use std::path::PathBuf;
use std::process::Command;

pub const TRUNK_VERSION: &str = "0.21.14";
pub const CHROMIUM: &str = "/usr/bin/chromium";

fn home_cargo_bin() -> PathBuf {
    let home = std::env::var("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            PathBuf::from(std::env::var("HOME").unwrap_or_else(|_| "/root".into())).join(".cargo")
        });
    home.join("bin")
}

pub fn cargo_bin(name: &str) -> PathBuf {
    home_cargo_bin().join(name)
}

/// PATH with cargo's bin (wasm-bindgen, trunk) and npm's (wasm-opt) first.
pub fn tool_path() -> String {
    let npm_bin = root().join("e2e").join("node_modules").join(".bin");
    let old = std::env::var("PATH").unwrap_or_default();
    format!("{}:{}:{old}", npm_bin.display(), home_cargo_bin().display())
}

fn output_of(cmd: &mut Command) -> Option<String> {
    let out = cmd.output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

fn say(what: &str, why: &str) {
    eprintln!("\nxtask: installing {what} — {why}");
}

/// Everything the release web build needs.
pub fn web_tools() -> Result<(), String> {
    wasm_target()?;
    trunk()?;
    wasm_bindgen()?;
    npm_packages()
}

fn wasm_target() -> Result<(), String> {
    let installed = output_of(Command::new("rustup").args(["target", "list", "--installed"]))
        .unwrap_or_default();
    if installed
        .lines()
        .any(|l| l.trim() == "wasm32-unknown-unknown")
    {
        return Ok(());
    }
    say(
        "the wasm32-unknown-unknown target",
        "the web app compiles to WebAssembly",
    );
    run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
}

fn trunk() -> Result<(), String> {
    let version = output_of(Command::new(cargo_bin("trunk")).arg("--version")).unwrap_or_default();
    if version.trim() == format!("trunk {TRUNK_VERSION}") {
        return Ok(());
    }
    say(
        &format!("trunk {TRUNK_VERSION} (about 8 minutes, once)"),
        "it builds the web app; trunk 0.22 needs a newer rustc than this machine's",
    );
    run(Command::new("cargo").args(["install", "--locked", &format!("trunk@{TRUNK_VERSION}")]))
}

/// The wasm-bindgen version Cargo.lock pins; the CLI must be the same.
fn locked_wasm_bindgen() -> Result<String, String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "name = \"wasm-bindgen\"" {
            if let Some(v) = lines
                .next()
                .and_then(|l| l.trim().strip_prefix("version = \""))
                .and_then(|v| v.strip_suffix('"'))
            {
                return Ok(v.to_string());
            }
        }
    }
    Err("Cargo.lock names no wasm-bindgen version".into())
}

fn wasm_bindgen() -> Result<(), String> {
    let want = locked_wasm_bindgen()?;
    let have =
        output_of(Command::new(cargo_bin("wasm-bindgen")).arg("--version")).unwrap_or_default();
    if have.trim() == format!("wasm-bindgen {want}") {
        return Ok(());
    }
    say(
        &format!("wasm-bindgen-cli {want}"),
        "it must match the wasm-bindgen version in Cargo.lock",
    );
    // Not --locked: its lock file names a crate version the registry no longer has.
    run(Command::new("cargo").args(["install", "--force", &format!("wasm-bindgen-cli@{want}")]))
}

fn npm_packages() -> Result<(), String> {
    let bin = root().join("e2e").join("node_modules");
    let ready = bin.join(".bin").join("wasm-opt").exists()
        && bin.join("playwright-core").join("package.json").exists();
    let lock = root().join("e2e").join("package-lock.json");
    let stamp = bin.join(".package-lock.json");
    let fresh = match (
        std::fs::metadata(&lock).and_then(|m| m.modified()),
        std::fs::metadata(&stamp).and_then(|m| m.modified()),
    ) {
        (Ok(l), Ok(s)) => s >= l,
        _ => false,
    };
    if ready && fresh {
        return Ok(());
    }
    say("npm packages binaryen and playwright-core", "wasm-opt shrinks the wasm (Debian's is too old); Playwright drives Chromium in the end-to-end tests");
    run(Command::new("npm").args(["ci", "--no-audit", "--no-fund", "--prefix", "e2e"]))
}

/// Debian's Chromium, for the end-to-end tests.
pub fn browser() -> Result<(), String> {
    if std::path::Path::new(CHROMIUM).exists() {
        return Ok(());
    }
    say(
        "Debian's chromium",
        "the end-to-end tests run the app in a real headless browser",
    );
    apt_install(&["chromium"])
}

/// Debian's etcd, for the test that compares the etcd model with a real etcd.
pub fn etcd() -> Result<(), String> {
    let has = |bin: &str, arg: &str| output_of(Command::new(bin).arg(arg)).is_some();
    if has("etcd", "--version") && has("etcdctl", "version") {
        return Ok(());
    }
    say(
        "Debian's etcd-server and etcd-client",
        "a test compares the etcd model's revisions with a real etcd",
    );
    apt_install(&["etcd-server", "etcd-client"])
}

fn apt_install(packages: &[&str]) -> Result<(), String> {
    let root_user = output_of(Command::new("id").arg("-u")).is_some_and(|s| s.trim() == "0");
    let apt = |args: &[&str]| {
        let mut c = if root_user {
            Command::new("apt-get")
        } else {
            Command::new("sudo")
        };
        if !root_user {
            c.arg("apt-get");
        }
        c.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        c
    };
    run(&mut apt(&["update"]))?;
    let mut args = vec!["install", "-y", "--no-install-recommends"];
    args.extend_from_slice(packages);
    run(&mut apt(&args))
}

/// What `cargo xtask fuzz` needs: the nightly toolchain (libFuzzer's
/// instrumentation needs `-Z` flags) and cargo-fuzz from crates.io.
pub fn fuzz_tools() -> Result<(), String> {
    let toolchains =
        output_of(Command::new("rustup").args(["toolchain", "list"])).unwrap_or_default();
    if !toolchains.lines().any(|l| l.starts_with("nightly")) {
        say(
            "the nightly Rust toolchain",
            "cargo-fuzz instruments the code with nightly-only flags",
        );
        run(Command::new("rustup").args([
            "toolchain",
            "install",
            "nightly",
            "--profile",
            "minimal",
        ]))?;
    }
    if output_of(Command::new("cargo").args(["+nightly", "fuzz", "--version"])).is_none() {
        say(
            "cargo-fuzz (about 2 minutes, once)",
            "it builds and runs the libFuzzer targets in fuzz/",
        );
        run(Command::new("cargo").args(["install", "--locked", "cargo-fuzz"]))?;
    }
    Ok(())
}
