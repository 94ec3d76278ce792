//! Determinism: the same seed and the same commands give byte-identical
//! clusters — the whole etcd keyspace, revisions included, and every byte
//! printed — and another seed gives another cluster.

use engine::Simulation;

const SCRIPT: &str = r#"kubectl create deployment web --image=nginx:1.27 --replicas=2
kubectl expose deployment web --port=80 --type=NodePort
kubectl run once --image=busybox --restart=Never -- sh -c 'exit 1'
sleep 45
kubectl get pods -o wide
kubectl get events -A
kubectl delete pod once
sleep 5
"#;

fn run(seed: u64) -> (String, Vec<u8>) {
    let mut sim = Simulation::new(seed);
    let printed = sim.run_script(SCRIPT, true);
    let snapshot = sim.cluster().apiserver.store().snapshot();
    (printed, snapshot)
}

#[test]
fn same_seed_same_store_bytes() {
    let (out_a, store_a) = run(11);
    assert!(
        out_a.contains("deployment.apps/web created") && out_a.contains("service/web exposed"),
        "{out_a}"
    );
    let (out_b, store_b) = run(11);
    assert_eq!(out_a, out_b);
    assert!(store_a == store_b, "the etcd snapshots differ");
    let (_, store_c) = run(12);
    assert!(store_a != store_c, "uids, IPs and names come from the seed");
}
