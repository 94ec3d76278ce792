//! Command latency (issue 11, scenario 3): what one kubectl command costs,
//! from the text typed to the bytes printed, on a lab-size cluster (3
//! nodes, 50 pods) and on 10,000 pods. `cargo bench -p dinghy-engine --bench commands`

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use engine::perf;

fn commands(c: &mut Criterion) {
    let mut group = c.benchmark_group("command");
    group.sample_size(10);
    for (workers, pods) in [(2, 50), (100, 10_000)] {
        let mut sim = match perf::cluster_with_pods(1, workers, pods) {
            Ok(sim) => sim,
            Err(e) => panic!("building the cluster: {e}"),
        };
        for command in perf::COMMANDS {
            let input = format!("{command}\n");
            group.bench_with_input(BenchmarkId::new(*command, pods), &input, |b, input| {
                b.iter(|| sim.run(input))
            });
        }
    }
    group.finish();
}

criterion_group!(benches, commands);
criterion_main!(benches);
