//! Scheduling throughput (issue 4 point 8, issue 11 scenario 1): the
//! upstream scheduler_perf `SchedulingBasic` shape — 5,000 nodes of 4 CPU /
//! 32Gi / 110 pods, pods of 100m / 500Mi — scheduled through the default
//! profile into the scheduler cache. `cargo bench -p dinghy-engine --bench schedule`

use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion, Throughput};
use engine::scheduler::bench::{bench_run, bench_setup};

fn schedule(c: &mut Criterion) {
    let mut group = c.benchmark_group("schedule");
    group.sample_size(10);
    for pods in [10_000usize, 50_000] {
        group.throughput(Throughput::Elements(pods as u64));
        group.bench_with_input(BenchmarkId::new("5000 nodes", pods), &pods, |b, &pods| {
            b.iter_batched(
                || bench_setup(5_000, pods),
                |(mut cache, mut queue)| {
                    let placed = bench_run(&mut cache, &mut queue);
                    assert_eq!(placed, pods, "every pod fits somewhere");
                },
                BatchSize::LargeInput,
            )
        });
    }
    group.finish();
}

criterion_group!(benches, schedule);
criterion_main!(benches);
