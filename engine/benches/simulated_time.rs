//! Simulated time (issue 11, scenario 4): a lab cluster (3 nodes, 50 pods
//! with probes, a CronJob, an HPA) run for one simulated hour.
//! `cargo bench -p dinghy-engine --bench simulated_time`

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use engine::clock::Duration;
use engine::perf;

fn one_hour(c: &mut Criterion) {
    let mut group = c.benchmark_group("simulated_time");
    group.sample_size(10);
    group.bench_function("lab cluster, 1 simulated hour", |b| {
        b.iter_batched(
            || match perf::lab_cluster(1) {
                Ok(sim) => sim,
                Err(e) => panic!("building the cluster: {e}"),
            },
            |mut sim| {
                sim.step(Duration::from_secs(3600));
                sim
            },
            BatchSize::LargeInput,
        )
    });
    group.finish();
}

criterion_group!(benches, one_hour);
criterion_main!(benches);
