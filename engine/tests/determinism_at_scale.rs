//! Determinism at scale: the same seed and the same long session give the
//! same bytes — every line printed and every key, value and revision in
//! etcd — however much the cluster did in between. The web app relies on it
//! (a session is stored as its seed and inputs, and replayed), and so do
//! labs and golden transcripts.

use engine::Simulation;

/// A long session: every seed-note manifest applied, workloads created,
/// exposed and listed, and simulated time passing between them.
fn long_script() -> String {
    let sep = "\n#---- next manifest ----\n";
    let manifests = include_str!("corpus/seed_manifests.yaml")
        .split(sep)
        .chain(include_str!("corpus/extra_manifests.yaml").split(sep));
    let mut script = String::new();
    // A dozen manifests keep it to seconds in a debug build; the loop's
    // shape (apply, create, expose, run, wait) is what matters.
    for (i, m) in manifests.step_by(3).take(12).enumerate() {
        script.push_str(&format!("kubectl apply -f - <<'EOF_M'\n{m}EOF_M\n"));
        script.push_str(&format!(
            "kubectl create deployment d{i} --image=nginx:1.27 --replicas={}\n",
            1 + i % 4
        ));
        if i % 3 == 0 {
            script.push_str(&format!("kubectl expose deployment d{i} --port=80\n"));
        }
        if i % 5 == 0 {
            script.push_str(&format!("kubectl run p{i} --image=busybox -- sleep 3600\n"));
            script.push_str("kubectl get all -A -o wide\n");
        }
        script.push_str(&format!("sleep {}\n", 7 + i * 13 % 90));
    }
    script.push_str("kubectl get pods -A -o yaml\nkubectl get events -A\n");
    script
}

/// Everything in etcd, byte for byte, with its revisions.
fn store_dump(sim: &Simulation) -> String {
    let store = sim.cluster().apiserver.store();
    let mut out = format!("revision {}\n", store.revision());
    for kv in store.iter() {
        out.push_str(&format!(
            "{} c{} m{} v{} {}\n",
            kv.key,
            kv.create_revision,
            kv.mod_revision,
            kv.version,
            String::from_utf8_lossy(&kv.value)
        ));
    }
    out
}

fn session(seed: u64, script: &str) -> (String, String) {
    let mut sim = Simulation::new(seed);
    let transcript = sim.run_script(script, true);
    (transcript, store_dump(&sim))
}

#[test]
fn same_seed_same_bytes_after_a_long_session() {
    let script = long_script();
    for seed in [1, 20250423] {
        let (t1, s1) = session(seed, &script);
        let (t2, s2) = session(seed, &script);
        // Whole-string comparisons would print megabytes; point at the line.
        for (what, a, b) in [("transcript", &t1, &t2), ("store", &s1, &s2)] {
            if a != b {
                let line = a
                    .lines()
                    .zip(b.lines())
                    .position(|(x, y)| x != y)
                    .unwrap_or(a.lines().count().min(b.lines().count()));
                panic!(
                    "seed {seed}: the {what} differs between two runs, first at line {line}:\n{:?}\n{:?}",
                    a.lines().nth(line),
                    b.lines().nth(line)
                );
            }
        }
        // The session did real work: objects were created and time passed.
        assert!(t1.contains("deployment.apps/d3 created"), "{t1}");
        assert!(s1.lines().count() > 100, "{s1}");
    }
}

#[test]
fn different_seeds_differ() {
    // A check that the comparison above can fail: the seed reaches the
    // bytes (UIDs and generated names in the store).
    let script =
        "kubectl create deployment web --image=nginx --replicas=2\nkubectl get pods -o name\n";
    let (_, s1) = session(1, script);
    let (_, s2) = session(2, script);
    assert_ne!(s1, s2);
}
