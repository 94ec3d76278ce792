//! Architecture invariants that a grep can check (see ARCHITECTURE.md):
//! the engine never reads the wall clock or an OS random source, does no
//! I/O, and has no web dependencies. A violation here would break
//! determinism (same seed, same bytes) or the wasm build.

use std::path::Path;

fn sources(dir: &Path, out: &mut Vec<(String, String)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            let text = std::fs::read_to_string(&p).unwrap_or_default();
            out.push((p.display().to_string(), text));
        }
    }
}

#[test]
fn engine_reads_no_wall_clock_and_does_no_io() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&root, &mut files);
    assert!(
        files.len() > 20,
        "engine sources not found under {}",
        root.display()
    );
    let forbidden = [
        "Instant::now",
        "SystemTime",
        "std::time::Instant",
        "std::fs::",
        "std::net::",
        "std::process::",
        "std::env::var",
        "thread_rng",
        "getrandom",
    ];
    let mut hits = Vec::new();
    for (path, text) in &files {
        // Unit tests may read fixture files and run the real binaries to compare.
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        if path.ends_with("_tests.rs") || path.ends_with("/tests.rs") {
            continue;
        }
        for f in forbidden {
            if code.contains(f) {
                hits.push(format!("{path}: {f}"));
            }
        }
    }
    assert!(
        hits.is_empty(),
        "engine breaks its invariants:\n{}",
        hits.join("\n")
    );
}

#[test]
fn engine_has_no_web_dependencies() {
    let manifest =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml"))
            .unwrap_or_default();
    let deps = manifest.split("[dependencies]").nth(1).unwrap_or_default();
    let deps = deps.split("\n[").next().unwrap_or_default();
    for web in ["wasm-bindgen", "web-sys", "js-sys", "gloo", "yew"] {
        assert!(!deps.contains(web), "engine depends on {web}");
    }
}
