//! `dinghy bench schedule [--nodes N] [--pods N]`: the scheduler's hot loop
//! on the upstream scheduler_perf SchedulingBasic shape (nodes of 4 CPU /
//! 32Gi / 110 pods, pods of 100m / 500Mi), timed natively. The last line is
//! the rate, `<N> pods/s`, for scripts to read.

use std::process::ExitCode;

const USAGE: &str = "usage: dinghy bench schedule [--nodes N] [--pods N]";

fn number(flag: &str, v: Option<&str>) -> Result<usize, String> {
    let v = v.ok_or_else(|| format!("flag needs an argument: {flag}"))?;
    v.parse::<usize>()
        .map_err(|_| format!("invalid argument {v:?} for {flag}"))
}

/// `--nodes`, `--pods` (also as `--nodes=N`).
fn options(args: &[String]) -> Result<(usize, usize), String> {
    let (mut nodes, mut pods) = (5000, 50_000);
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let (name, inline) = match a.split_once('=') {
            Some((n, v)) => (n, Some(v)),
            None => (a.as_str(), None),
        };
        let mut value = || inline.map(str::to_string).or_else(|| it.next().cloned());
        match name {
            "--nodes" => nodes = number(name, value().as_deref())?,
            "--pods" => pods = number(name, value().as_deref())?,
            _ => return Err(format!("unknown flag: {name}")),
        }
    }
    if nodes == 0 {
        return Err("--nodes must be at least 1".into());
    }
    Ok((nodes, pods))
}

pub fn bench(args: &[String]) -> ExitCode {
    if args.first().map(String::as_str) != Some("schedule") {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    }
    let (nodes, pods) = match options(&args[1..]) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("dinghy bench: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let (scheduled, took) = engine::scheduler::bench_schedule(nodes, pods);
    let secs = took.as_secs_f64().max(1e-9);
    println!("nodes: {nodes}, pods: {pods}, scheduled: {scheduled}");
    println!("time: {secs:.3}s");
    println!("{:.0} pods/s", scheduled as f64 / secs);
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn flags() {
        assert_eq!(options(&s(&[])), Ok((5000, 50_000)));
        assert_eq!(options(&s(&["--nodes", "10", "--pods=20"])), Ok((10, 20)));
        assert_eq!(
            options(&s(&["--nodes"])),
            Err("flag needs an argument: --nodes".into())
        );
        assert_eq!(
            options(&s(&["--pods", "x"])),
            Err("invalid argument \"x\" for --pods".into())
        );
        assert_eq!(options(&s(&["--x"])), Err("unknown flag: --x".into()));
        assert!(options(&s(&["--nodes", "0"])).is_err());
    }
}
