//! What a running container uses, as cAdvisor would measure it: a
//! deterministic CPU and memory figure per container from its image and
//! its command (nginx and redis small and steady, `stress --vm 1
//! --vm-bytes 250M` that much memory, `sleep` next to nothing), plus the
//! CPU its clients make it spend (a load generator hitting its Service).
//!
//! Memory over the container's limit is what the kernel answers with the
//! OOM killer: the runtime sees the process die with SIGKILL (137) and
//! reports the reason `OOMKilled` ([`Limits::oom_after`]). CPU over the
//! limit is only throttled: usage is capped at the limit.

use super::container::base_usage;
use super::runtime::Container;
use crate::clock::Time;
use serde_json::Value;

const MI: u64 = 1024 * 1024;

/// A container's `resources.limits`, as the runtime enforces them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Limits {
    /// Bytes (the memory cgroup's `memory.max`).
    pub memory: Option<u64>,
    /// Millicores (the CFS quota).
    pub cpu_milli: Option<u64>,
}

impl Limits {
    /// From a container spec.
    pub fn of(spec: &Value) -> Self {
        Limits {
            memory: super::env::resource(spec, "limits", "memory").map(|b| b.max(0.0) as u64),
            cpu_milli: super::env::resource(spec, "limits", "cpu")
                .map(|c| (c * 1000.0).round().max(0.0) as u64),
        }
    }

    /// How long after start the process is OOM-killed, if its memory
    /// outgrows the limit: a program allocating memory faults its pages in
    /// at about 2 GB/s, so the kill comes within moments of the start.
    pub fn oom_after(&self, peak_memory: u64, allocated: u64) -> Option<i64> {
        let limit = self.memory?;
        (peak_memory > limit).then(|| 40 + (allocated / 2_000_000) as i64)
    }
}

/// A measurement: CPU in nanocores (what metrics-server reports), memory
/// as the working set in bytes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Usage {
    pub cpu_nano: u64,
    pub memory: u64,
}

impl std::ops::AddAssign for Usage {
    fn add_assign(&mut self, o: Usage) {
        self.cpu_nano += o.cpu_nano;
        self.memory += o.memory;
    }
}

/// The most memory a container's process reaches (its base plus what it
/// allocates).
pub fn peak_memory(c: &Container) -> u64 {
    base_usage(c.ctx.kind).0 + c.outcome.memory_extra
}

/// A stable pseudo-random number from a seed and a sample index, for the
/// small wobble real measurements have.
fn wobble(seed: u64, sample: i64) -> u64 {
    let mut z = seed ^ (sample as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A running container's usage at `now`, with `load_milli` millicores of
/// work its clients give it. CPU is capped at the CPU limit.
pub fn container(c: &Container, now: Time, load_milli: u64) -> Usage {
    let (base_mem, base_cpu) = base_usage(c.ctx.kind);
    // Samples change every 15 s (the resolution metrics-server scrapes at).
    let sample = now.0.div_euclid(15_000);
    let w = wobble(c.ctx.seed, sample);
    // ±20 % around the base CPU, at least a few microcores for anything alive.
    let base_nano = base_cpu * 1_000_000;
    let jitter = if base_nano == 0 {
        w % 400_000
    } else {
        base_nano * 80 / 100 + (w % (base_nano * 40 / 100 + 1))
    };
    let mut cpu = jitter + (c.outcome.cpu_extra + load_milli) * 1_000_000;
    if let Some(limit) = c.limits.cpu_milli {
        cpu = cpu.min(limit * 1_000_000);
    }
    // Memory grows a little after start (caches, arenas), then holds: ±1 %.
    let mem = base_mem + c.outcome.memory_extra;
    let warm = ((now - c.started).as_millis().clamp(0, 60_000) as u64) * (mem / 50) / 60_000;
    let memory = mem - mem / 50 + warm + (w >> 20) % (mem / 100 + 1);
    let memory = match c.limits.memory {
        Some(l) => memory.min(l),
        None => memory,
    };
    Usage {
        cpu_nano: cpu,
        memory,
    }
}

/// What a node's own processes use besides its pods (systemd, containerd,
/// the kubelet, the page cache a working set counts): more on a control
/// plane node, which also runs etcd's page cache.
pub fn system(control_plane: bool, seed: u64, now: Time) -> Usage {
    let w = wobble(seed, now.0.div_euclid(15_000));
    let (cpu_milli, mem) = if control_plane {
        (62, 540 * MI)
    } else {
        (21, 260 * MI)
    };
    Usage {
        cpu_nano: cpu_milli * 1_000_000 + w % 9_000_000,
        memory: mem + (w >> 24) % (8 * MI),
    }
}

/// The CPU a load generator makes its target spend: a client loop
/// `while sleep 0.01; do wget -q -O- http://web; done` asks for about a
/// core, one that sleeps a second about 10m.
pub fn load_demand_milli(sleep_seconds: f64) -> u64 {
    if sleep_seconds <= 0.0 {
        return 1000;
    }
    ((10.0 / sleep_seconds) as u64).clamp(10, 1000)
}

/// The Service a container's command keeps calling, and how hard: the
/// host of an `http://HOST[:port]/…` URL fetched by `wget` or `curl`
/// inside a `while` loop, with the loop's sleep. `HOST` may be
/// `svc`, `svc.ns`, or `svc.ns.svc.cluster.local`.
pub fn load_target(argv: &[String]) -> Option<(String, Option<String>, u64)> {
    let script = argv.join(" ");
    if !script.contains("while") || !(script.contains("wget") || script.contains("curl")) {
        return None;
    }
    let at = script.find("http://")?;
    let host: String = script[at + 7..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '.')
        .collect();
    let mut parts = host.split('.');
    let svc = parts.next().filter(|s| !s.is_empty())?.to_string();
    let ns = parts.next().map(str::to_string);
    let sleep = script
        .split("sleep ")
        .nth(1)
        .and_then(|s| s.split([';', ' ']).next())
        .and_then(|s| s.parse::<f64>().ok())
        .unwrap_or(1.0);
    Some((svc, ns, load_demand_milli(sleep)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_and_oom() {
        let spec = serde_json::json!({"resources": {"limits": {"memory": "10Mi", "cpu": "500m"}}});
        let l = Limits::of(&spec);
        assert_eq!(l.memory, Some(10 * MI));
        assert_eq!(l.cpu_milli, Some(500));
        assert_eq!(l.oom_after(16 * MI, 15 * MI), Some(40 + 7));
        assert_eq!(l.oom_after(9 * MI, 8 * MI), None);
        assert_eq!(Limits::default().oom_after(u64::MAX, 1), None);
    }

    #[test]
    fn load_generators_are_recognised() {
        let argv: Vec<String> = [
            "/bin/sh",
            "-c",
            "while sleep 0.01; do wget -q -O- http://php-apache; done",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(
            load_target(&argv),
            Some(("php-apache".to_string(), None, 1000))
        );
        let argv: Vec<String> = [
            "sh",
            "-c",
            "while true; do curl -s http://web.prod.svc.cluster.local:80/; sleep 1; done",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(
            load_target(&argv),
            Some(("web".to_string(), Some("prod".to_string()), 10))
        );
        let argv: Vec<String> = ["wget", "http://web"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(load_target(&argv), None);
    }
}
