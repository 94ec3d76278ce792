//! Manifest apply (issue 11): `kubectl apply -f` of a Deployment and a
//! Service, then the cluster settling, on a fresh lab cluster — the most
//! common thing a learner does. `cargo bench -p dinghy-engine --bench apply`

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use engine::Simulation;

const MANIFEST: &str = "kubectl apply -f - <<'END'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
  - port: 80
END
";

fn apply(c: &mut Criterion) {
    let mut group = c.benchmark_group("apply");
    group.bench_function("fresh cluster", |b| b.iter(|| Simulation::new(1)));
    group.bench_function("deployment and service", |b| {
        b.iter_batched(
            || Simulation::new(1),
            |mut sim| sim.run(MANIFEST),
            BatchSize::LargeInput,
        )
    });
    group.finish();
}

criterion_group!(benches, apply);
criterion_main!(benches);
