//! Data-driven transcript tests: each `transcripts/NAME.sh` is a script fed
//! to a fresh cluster (seed 1) exactly as `dinghy shell --echo` reads it;
//! the transcript must equal `transcripts/NAME.out` byte for byte. Run with
//! `UPDATE_EXPECT=1` to write the `.out` files after checking them by eye.

use std::path::Path;

#[test]
fn transcripts() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("transcripts");
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "sh"))
        .collect();
    engine::sort::sort(&mut entries);
    assert!(!entries.is_empty(), "no transcripts in {}", dir.display());
    let update = std::env::var("UPDATE_EXPECT").is_ok();
    let mut failures = Vec::new();
    for script_path in entries {
        let script = std::fs::read_to_string(&script_path).unwrap_or_default();
        let got = engine::Simulation::new(1).run_script(&script, true);
        // Determinism: a second run gives the same bytes.
        let again = engine::Simulation::new(1).run_script(&script, true);
        assert_eq!(got, again, "{} is not deterministic", script_path.display());
        let out_path = script_path.with_extension("out");
        let want = std::fs::read_to_string(&out_path).unwrap_or_default();
        if got != want {
            if update {
                std::fs::write(&out_path, &got).unwrap_or_else(|e| panic!("{e}"));
            } else {
                failures.push(format!("{}:\n{}", out_path.display(), diff(&want, &got)));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "transcripts differ (UPDATE_EXPECT=1 to bless):\n{}",
        failures.join("\n")
    );
}

/// A small line diff: enough to see what changed.
fn diff(want: &str, got: &str) -> String {
    let w: Vec<&str> = want.lines().collect();
    let g: Vec<&str> = got.lines().collect();
    let mut out = String::new();
    for i in 0..w.len().max(g.len()) {
        match (w.get(i), g.get(i)) {
            (Some(a), Some(b)) if a == b => {}
            (a, b) => {
                out.push_str(&format!(
                    "line {}:\n- {}\n+ {}\n",
                    i + 1,
                    a.unwrap_or(&"<none>"),
                    b.unwrap_or(&"<none>")
                ));
                if out.len() > 4000 {
                    break;
                }
            }
        }
    }
    out
}
