//! Golden tests of the generators (`create …`, `run`, `expose`): the
//! outputs in `goldens/*.out` were captured from kubectl v1.33 by
//! `scripts/capture-kubectl-goldens.sh` for the cases in
//! `goldens/cases.txt`; Dinghy must print the same bytes. A second test
//! runs the offline cases through the real binary too, when
//! `kubectl.1.33` is installed, and diffs the two directly.

use crate::Simulation;
use std::path::{Path, PathBuf};
use std::process::Command;

const CASES: &str = include_str!("goldens/cases.txt");

fn goldens_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src/kubectl/cmd/goldens")
}

enum Line<'a> {
    Setup(&'a str),
    Object(&'a str),
    Case(&'a str, &'a str),
}

fn lines() -> Vec<Line<'static>> {
    CASES
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            if let Some(s) = l.strip_prefix("setup: ") {
                Some(Line::Setup(s))
            } else if let Some(s) = l.strip_prefix("object: ") {
                Some(Line::Object(s))
            } else {
                l.split_once(": ").map(|(n, c)| Line::Case(n, c))
            }
        })
        .collect()
}

/// Runs the `setup:` lines with bash in a fresh directory (they write the
/// files the cases read) and returns it.
fn setup_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "dinghy-goldens-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    for l in lines() {
        if let Line::Setup(s) = l {
            let st = Command::new("bash")
                .arg("-c")
                .arg(s)
                .current_dir(&dir)
                .status()
                .unwrap_or_else(|e| panic!("bash: {e}"));
            assert!(st.success(), "setup failed: {s}");
        }
    }
    dir
}

fn copy_into(sim: &mut Simulation, dir: &Path, rel: &str) {
    let entries = std::fs::read_dir(dir.join(rel)).unwrap_or_else(|e| panic!("{e}"));
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().to_string();
        let rel_path = if rel.is_empty() {
            name
        } else {
            format!("{rel}/{name}")
        };
        let target = format!("/root/{rel_path}");
        let m = sim
            .cluster_mut()
            .machine_mut("controlplane")
            .unwrap_or_else(|| panic!("no controlplane"));
        if e.path().is_dir() {
            m.fs.mkdir_p(&target).unwrap_or_else(|e| panic!("{e:?}"));
            copy_into(sim, dir, &rel_path);
        } else {
            let data = std::fs::read(e.path()).unwrap_or_else(|e| panic!("{e}"));
            m.fs.write(&target, &data, false)
                .unwrap_or_else(|e| panic!("{e:?}"));
        }
    }
}

/// A simulation with the setup files in `/root` and the objects created.
fn prepared() -> (Simulation, PathBuf) {
    let dir = setup_dir();
    let mut sim = Simulation::new(1);
    copy_into(&mut sim, &dir, "");
    for l in lines() {
        if let Line::Object(c) = l {
            let out = sim.run(&format!("{c}\n"));
            assert_eq!(out.status, 0, "{c}: {}", out.text());
        }
    }
    (sim, dir)
}

/// stdout, stderr, then `[exit N]`: the layout of the golden files.
fn transcript(stdout: &str, stderr: &str, status: i32) -> String {
    let mut s = format!("{stdout}{stderr}");
    if status != 0 {
        s.push_str(&format!("[exit {status}]\n"));
    }
    normalize_uids(&s)
}

/// UIDs are random in both clusters (the capture's fixtures carry a fixed
/// one): a 36-character UUID after `uid: ` or `"uid": ` becomes `<uid>`.
fn normalize_uids(s: &str) -> String {
    s.lines()
        .map(|l| {
            for key in ["uid: ", "\"uid\": "] {
                if let Some(i) = l.find(key) {
                    let (head, tail) = l.split_at(i + key.len());
                    let quoted = tail.starts_with('"');
                    let v = tail.trim_matches(|c| c == '"' || c == ',');
                    if v.len() == 36 && v.bytes().filter(|&b| b == b'-').count() == 4 {
                        let q = if quoted { "\"" } else { "" };
                        let comma = if tail.ends_with(',') { "," } else { "" };
                        return format!("{head}{q}<uid>{q}{comma}\n");
                    }
                }
            }
            format!("{l}\n")
        })
        .collect()
}

#[test]
fn generators_match_kubectl_goldens() {
    let (mut sim, dir) = prepared();
    let mut failures = Vec::new();
    let mut n = 0;
    for l in lines() {
        let Line::Case(name, cmd) = l else { continue };
        n += 1;
        let want = std::fs::read_to_string(goldens_dir().join(format!("{name}.out")))
            .map(|s| normalize_uids(&s))
            .unwrap_or_else(|e| panic!("{name}.out: {e} (run scripts/capture-kubectl-goldens.sh)"));
        let out = sim.run(&format!("{cmd}\n"));
        let got = transcript(&out.stdout(), &out.stderr(), out.status);
        if got != want {
            failures.push(format!("--- {name}: {cmd}\n--- want\n{want}--- got\n{got}"));
        }
    }
    let _ = std::fs::remove_dir_all(dir);
    assert!(n >= 30, "only {n} cases");
    assert!(
        failures.is_empty(),
        "{} of {n} generator cases differ from kubectl v1.33:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn real_kubectl() -> Option<PathBuf> {
    let candidates = [
        std::env::var("KUBECTL").ok().map(PathBuf::from),
        Some(PathBuf::from("/usr/lib/google-cloud-sdk/bin/kubectl.1.33")),
    ];
    candidates
        .into_iter()
        .flatten()
        .find(|p| p.is_file())
        .or_else(|| {
            let out = Command::new("bash")
                .args(["-c", "command -v kubectl.1.33"])
                .output()
                .ok()?;
            let p = String::from_utf8_lossy(&out.stdout).trim().to_string();
            (!p.is_empty()).then(|| PathBuf::from(p))
        })
}

/// The cases the real binary answers without a server (client-side
/// generators that need no discovery), run through both right now.
#[test]
fn generators_match_the_real_binary_when_installed() {
    let Some(kubectl) = real_kubectl() else {
        eprintln!("kubectl.1.33 not installed: skipped");
        return;
    };
    let (mut sim, dir) = prepared();
    let kubeconfig = dir.join("no-kubeconfig");
    let mut compared = 0;
    let mut failures = Vec::new();
    for l in lines() {
        let Line::Case(name, cmd) = l else { continue };
        // Without a server only client-side dry runs answer.
        let offline = cmd.starts_with("kubectl create ")
            && cmd.contains("--dry-run=client")
            && !cmd.starts_with("kubectl create role ")
            && !cmd.starts_with("kubectl create clusterrole ")
            && !cmd.contains("--from=");
        if !offline {
            continue;
        }
        let real = Command::new("bash")
            .arg("-c")
            .arg(format!("kubectl() {{ {:?} \"$@\"; }}; {cmd}", kubectl))
            .current_dir(&dir)
            .env("KUBECONFIG", &kubeconfig)
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        let want = transcript(
            &String::from_utf8_lossy(&real.stdout),
            &String::from_utf8_lossy(&real.stderr),
            real.status.code().unwrap_or(-1),
        );
        let out = sim.run(&format!("{cmd}\n"));
        let got = transcript(&out.stdout(), &out.stderr(), out.status);
        compared += 1;
        if got != want {
            failures.push(format!(
                "--- {name}: {cmd}\n--- kubectl\n{want}--- dinghy\n{got}"
            ));
        }
    }
    let _ = std::fs::remove_dir_all(dir);
    assert!(compared >= 30, "only {compared} offline cases");
    assert!(
        failures.is_empty(),
        "{} of {compared} differ from {}:\n{}",
        failures.len(),
        kubectl.display(),
        failures.join("\n")
    );
}
