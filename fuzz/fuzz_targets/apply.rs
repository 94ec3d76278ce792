//! Manifest apply: arbitrary bytes as a manifest file (YAML or JSON, one or
//! many documents) handed to kubectl, through the apiserver's decoding,
//! defaulting, validation and admission into the store; then the cluster
//! runs a while and prints what it stored, so controllers, the scheduler,
//! the kubelet and the printers meet whatever got in.
#![no_main]

use engine::clock::Duration;
use libfuzzer_sys::fuzz_target;

/// How the learner hands the file over; the input's first byte chooses.
const VERBS: &[&str] = &[
    "kubectl apply -f /root/m.yaml",
    "kubectl create -f /root/m.yaml",
    "kubectl apply --server-side -f /root/m.yaml",
    "kubectl replace --force -f /root/m.yaml",
    "kubectl apply --dry-run=server -o yaml -f /root/m.yaml",
    "kubectl create --dry-run=client -o json -f /root/m.yaml",
    "kubectl delete -f /root/m.yaml",
    "kubectl apply -f - < /root/m.yaml",
];

fuzz_target!(|data: &[u8]| {
    let Some((&choice, manifest)) = data.split_first() else {
        return;
    };
    dinghy_fuzz::with_sim(data, |sim| {
        let manifest = dinghy_fuzz::text(manifest);
        if let Some(m) = sim.cluster_mut().machine_mut("controlplane") {
            m.fs.write("/root/m.yaml", manifest.as_bytes(), false)
                .expect("/root exists on the control plane");
        }
        let verb = VERBS[usize::from(choice) % VERBS.len()];
        let out = sim.run(&format!("{verb}\n"));
        dinghy_fuzz::check_readable(&manifest, &out);
        // With the first byte's high bit: let the components act on what was
        // stored for 30 simulated seconds, and print it back.
        if choice & 0x80 != 0 {
            sim.step(Duration::from_secs(30));
            for read in [
                "kubectl get all -A -o wide\n",
                "kubectl get -f /root/m.yaml -o yaml\n",
                "kubectl describe -f /root/m.yaml\n",
                "kubectl get events -A\n",
            ] {
                let out = sim.run(read);
                dinghy_fuzz::check_readable(&manifest, &out);
            }
        }
    });
});
