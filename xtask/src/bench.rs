//! Issue 11's measurements: `cargo xtask bench` (the table anyone can
//! reproduce), and the two budgets `cargo xtask test` enforces — the
//! release bundle's brotli size and the native smoke benchmarks.

use crate::{cargo, root, run};
use std::path::Path;
use std::process::Command;
use std::time::Instant;

/// The release `dist/`'s size after brotli (quality 11), in bytes.
///
/// First set from the first measurement plus 10 %: on 2026-11-24 (main at
/// 4e4c31a plus branch `perf`) dist/ was 2,225,737 bytes raw and 645,805
/// with brotli, budget 710,386. The bundle then grew with features, not
/// bloat: `kubectl explain`'s schema text (~65 KB brotli), the lab panel
/// and bundled labs, metrics-server/HPA, network policy; by the end of
/// session 5 (branch `lead`) it was 4,003,998 raw, 1,096,055 brotli. One
/// shared stable sort (`engine::sort`, replacing ~75 instantiations of the
/// standard one) brought it to 3,743,958 raw, 1,063,173 brotli (wasm
/// 3,682,608 raw, 1,052,171 brotli), and the budget is that plus 10 %.
/// This is above the issue's goal of 1 MB brotli: the goal is not met yet
/// (the largest remaining item is k8s-openapi's typed decoding, see
/// apiserver::decoding). Never raise it silently: a larger bundle needs a
/// reason in the commit that raises this number.
///
/// Session 6 (2026-11-25) raised it from 1,169,490 to 1,240,000: the bundle
/// measured 1,214,802 with brotli after features a learner meets in the
/// exam: kubectl's own help for 84 commands, byte-identical to kubectl 1.33
/// (~17 KB brotli of text), `--help` of 25 coreutils/grep/sed programs
/// (~14 KB), the kubeadm upgrade with apt, kube-proxy's iptables view, the
/// image catalog of kubernetes.io's examples, Vim keys in the editor and
/// streaming in the terminal. The 1 MB goal is further away, not forgotten.
///
/// Session 7 (branch `core`) lowered it to 1,050,000: the apiserver's strict
/// decoding walks a table of k8s-openapi's types instead of compiling their
/// serde code (wasm 1,202,931 -> 1,034,871 B brotli), and the bootstrap
/// objects are built as JSON rather than serialized from typed structs
/// (-> 1,018,802). Measured as the release build makes the wasm (`cargo
/// build --release --target wasm32-unknown-unknown -p dinghy-web`,
/// wasm-bindgen 0.2.130, wasm-opt v132 -Oz, which reproduces Trunk's wasm
/// byte for byte); with the rest of dist/ (~11,900 B brotli) the bundle is
/// about 1,030,700 B brotli, and the budget is that plus ~2 %.
///
/// Session 8 (branch `core`) lowered it to 1,016,750: the release bundle
/// is 996,814 B brotli, so the issue's goal of 1 MB (read as 1,000,000 B)
/// is met, by a thin margin. From main at 174519d (wasm 1,041,873 B
/// brotli, measured as above with -Oz): lab files read by a small reader
/// instead of serde's derive inside `serde_path_to_error` (-> 1,029,787);
/// timestamps parsed as Go's `time.Parse` (with Go's texts) instead of
/// through k8s-openapi's jiff (-> 1,002,772); maps and sets built by
/// insertion where `collect` instantiated the standard sort per type
/// (-> 996,761); the shared sort our own merge sort (-> 995,789); the etcd
/// snapshot written through `serde_json::Value` (-> 991,779); one
/// serde_json reader (`from_str`, not also `from_slice`) (-> 991,138).
/// The release build's wasm-opt now also gets `--low-memory-unused
/// --converge` (index.html `data-wasm-opt-params`; Rust's stack sits below
/// 1 MiB and its data above, so nothing lives in the low 1 KiB): 985,132.
/// With the JS glue (6,546), index.html (510) and the stylesheet (4,626)
/// dist/ is 3,413,112 raw, 996,814 brotli; the budget was that plus 2 %.
///
/// Raised on 2026-11-25 (session 9), said here and in its commit: main at
/// 20c97e4 measured 3,485,514 raw, 1,017,502 brotli (+18 KB over the 67f290e
/// gate's 999,410) after the PodDisruptionBudget work (`kubectl create pdb`,
/// the disruption controller, drain's eviction loop), the watch cache's
/// journal and indexes behind the cheaper control loop, and a faster YAML
/// emitter. The 1 MB goal is missed by 17.5 KB until code is removed; the
/// budget is that build plus 1 %, so growth still fails the check.
///
/// Session 10 (2026-11-25, branch `size`, main at 0ca2bdd): 3,483,870 raw,
/// 1,017,061 brotli (wasm 1,005,271). Trunk now minifies the release
/// stylesheet and index.html (Trunk.toml `minify`; its JS minifier cannot
/// parse wasm-bindgen's glue and copies it unchanged): 3,479,131 raw,
/// 1,016,116 brotli. Measured and not kept, as they did not pay: wasm-opt
/// `--gufa-optimizing` (-43 B), `-iit` (+133 B), wasm-bindgen
/// `--reference-types` (identical output: already on), `panic = "abort"`
/// (-150 B before wasm-opt: wasm32 already aborts), opt-level "s" (+183 KB),
/// LLVM `-inline-threshold=0` (-1.4 KB before wasm-opt), ASCII-only case
/// mapping (-3 KB before wasm-opt, and it changes non-ASCII output). The
/// budget stays: 1 % over the new figure (1,026,277) is within 1.5 KB of it.
///
/// Session 11 (2026-11-25, branch `size`, main at b243b2a, whose dist/ was
/// 3,502,290 raw, 1,024,182 brotli: wasm 1,013,333 with the release
/// build's wasm-opt flags, the rest of dist/ 10,849). Each change measured
/// on the wasm alone, with wasm-opt -Oz --low-memory-unused but without
/// `--converge` (a third of the time; the deltas are what count):
///
/// | change                                              | wasm brotli | delta   |
/// |-----------------------------------------------------|-------------|---------|
/// | main b243b2a                                        | 1,015,351   |         |
/// | `json!` built from a template string (`json/`)      | 1,000,162   | -15,189 |
/// | + template entry points by arity, describe's        |   996,937   |  -3,225 |
/// |   `format_args!` lines, packages' maps by insertion |             |         |
/// | + DaemonSet/ReplicaSet/disruption maps by insertion |   993,900   |  -3,037 |
///
/// With `--converge`, as the release build runs it: wasm 1,013,333 ->
/// 992,500 (-20,833), so dist/ is about 1,003,350 B brotli: 3.4 KB over
/// the 1 MB goal (read as 1,000,000 B), before what other branches add.
/// The budget stays where it is.
///
/// Where the rest is (the wasm before wasm-opt, by function): the engine
/// 56 % (kubectl 15 %, shell 9 %, apiserver 7 %, controllers 7 %, kubelet
/// 6 %), yew and the web components 10 %, BTreeMap's code 7 % (one copy
/// per key/value type: ~20 types, and ~800 of the ~1,100 panic locations
/// are its assertions), the data section 1.1 MB raw / ~262 KB brotli
/// (explain's schema 62 KB, kubectl's help 17 KB, and ~160 KB raw of
/// pointer tables — flag and command tables, string slices — at ~64 KB
/// brotli, which compress poorly).
///
/// Session 12 (2026-11-25, branch `size`, main at 1b9ac1b, whose dist/ was
/// 1,017,294 brotli). Measured as in session 11 (the wasm alone, wasm-opt
/// -Oz --low-memory-unused, no `--converge`):
///
/// | change                                              | wasm brotli | delta   |
/// |-----------------------------------------------------|-------------|---------|
/// | main 1b9ac1b                                        | 1,008,221   |         |
/// | the last two standard sorts (`collect` into a       | 1,005,011   |  -3,210 |
/// |   BTreeSet/BTreeMap: the scheduler's changed keys,  |             |         |
/// |   the run queue's machines) by insertion; kubectl's |             |         |
/// |   parsed flags a list, not a map                    |             |         |
/// | `engine::maps::BoxedMap`: string-keyed maps of      |   998,840   |  -6,171 |
/// |   boxed values, which share one copy of BTreeMap's  |             |         |
/// |   code (kubelet workers, probes, back-off; shell    |             |         |
/// |   completions; the controllers' per-object stamps)  |             |         |
/// | + node file systems, the web app's lab progress     |   997,530   |  -1,310 |
/// | + quota usage, metrics-server's points and series,  |   991,604   |  -5,926 |
/// |   `get -w`'s rows, lab task results; the kubelet's  |             |         |
/// |   last pod syncs found by index                     |             |         |
/// | + the HPA controller's last syncs, the scheduler's  | (see below) |         |
/// |   static pod configurations                         |             |         |
///
/// BTreeMap's code is generated per key and value type (insert, remove,
/// rebalancing: several KB of wasm each), but wasm-opt keeps one copy of
/// identical functions: maps whose values have the same size and need no
/// drop of their own already share it, and a `Box` makes any value such.
/// Measured and not kept: wasm-opt `--generate-global-effects` (+347 B),
/// `--traps-never-happen` (-145 B, not worth assuming no trap); kubectl's
/// flag table as text instead of `Flag` records (the 769 records are
/// ~4 KB of brotli, about what the text would cost: not done).
///
/// The full release build (`trunk build --release --public-url /dinghy/`,
/// as `cargo xtask test` runs it, wasm-opt with `--converge`): wasm
/// 3,301,264 raw, 988,070 brotli; dist/ 3,361,280 raw, 998,906 brotli
/// (-18,388 from main). The issue's goal of 1 MB (read as 1,000,000 B) is
/// met, by 1.1 KB, and becomes the budget: growth past it now fails the
/// check, so a feature that adds to the bundle must take as much out.
///
/// Raised again the same session (2026-11-25, session 12, said here and in
/// its commit), because the session's other branches, merged after the size
/// branch was measured, added back more than it took out: dist/ measured
/// with the gate's own build (python's brotli, quality 11, equal to xtask's
/// figure on the same dist/) at each step:
///
/// | tree                                                 | dist/ brotli |
/// |------------------------------------------------------|--------------|
/// | size branch alone (on 1b9ac1b)                       |      998,906 |
/// | + lead's fidelity work (5fe67ba): etcdctl's command  |    1,011,408 |
/// |   table, cobra/pflag reading and help; kubectl's     |              |
/// |   suggestions; `delete -i`; drain/question code      |              |
/// | + envelope (the ReplicaSet facts cache and dirty     |    1,031,277 |
/// |   set, node lifecycle journal), labhour (the GC's    |              |
/// |   incremental graph, CronJob sleep, null shortcut),  |              |
/// |   the compaction interval (903d0b8)                  |              |
///
/// Most of the growth is new map types (each BTreeMap key/value pair is a
/// copy of its code) and code: the next size work is to put the new maps
/// behind `maps::BoxedMap` or sorted lists as the size branch did, and
/// etcdctl's `Values`. The goal is missed by 31 KB; the budget is that
/// build plus 1 %, so further growth still fails.
///
/// Session 13 (2026-11-25, branch `size2`, main at 1bb06b2, whose dist/
/// measured 3,477,080 raw, 1,030,679 brotli). Measured as in session 11
/// (the wasm alone, wasm-opt -Oz --low-memory-unused, no `--converge`);
/// what to change was found by building with `-C
/// symbol-mangling-version=v0` (names with their type parameters) and
/// running wasm-opt with `-g`, so the code left after its merging of
/// identical functions is named: BTreeMap's code was 189 KB of it, and
/// the changes below took 53 KB of it out.
///
/// | change                                              | wasm brotli | delta   |
/// |-----------------------------------------------------|-------------|---------|
/// | main 1bb06b2                                        | 1,021,641   |         |
/// | the garbage collector's node keys a string (kind    | 1,008,573   | -13,068 |
/// |   index in three digits, then the key) instead of a |             |         |
/// |   `(usize, String)` pair, which had its own copy of |             |         |
/// |   BTreeMap's code in five maps and sets and of the  |             |         |
/// |   standard sort (a `collect`); the ReplicaSet       |             |         |
/// |   controller's last syncs, pod facts and the facts  |             |         |
/// |   by pod, CronJob's sleepers, the HPA's usage and   |             |         |
/// |   the YAML list memo boxed; the node lifecycle      |             |         |
/// |   controller's second map (by time) dropped: the    |             |         |
/// |   nodes due and the wake-up are read from the first |             |         |
/// | + etcdctl's flag values keyed by `String`; the      | 1,007,340   |  -1,233 |
/// |   HPA's recommendations and scale events, the       |             |         |
/// |   static pods per machine boxed                     |             |         |
/// | + metrics-server's stores per container and the     | 1,005,524   |  -1,816 |
/// |   collector's dependents boxed                      |             |         |
///
/// The last two `BTreeMap<String, Time>` (pod GC, node lifecycle) boxed
/// as well: -99 B of dist/ (below), as boxing a value of 8 bytes shares
/// little. Measured and not kept: boxing the maps of `Vec`s in the
/// DaemonSet controller, taint eviction, quota admission and `create
/// role`: the same dist/ to the byte (not understood).
///
/// The full release build (`/work/notes/bundle-size.sh`: `trunk build
/// --release`, wasm-opt with `--converge`, python's brotli at quality 11):
///
/// | tree                                     | dist/ raw | dist/ brotli |
/// |------------------------------------------|-----------|--------------|
/// | main 1bb06b2                             | 3,477,080 |    1,030,679 |
/// | the three steps above (de154ad)          | 3,402,541 |    1,014,006 |
/// | + the two maps of times boxed (9441ab0)  | 3,401,110 |    1,013,907 |
///
/// (wasm 1,003,074, the JS glue 6,549, index.html 500, the stylesheet
/// 3,784.) -16,772 B, half of what the session's other branches added:
/// the 1 MB goal is still missed, by 13.9 KB. BTreeMap's code after
/// wasm-opt went from 189 KB to 136 KB raw; what is left of it is mostly
/// maps of strings every part uses (`String` to `String`, to `Arc<Value>`,
/// sets of `String`: ~27 KB), one copy per remaining key/value pair
/// (~1–4 KB each: the watch cache's events by `(String, String)`, 6 KB;
/// etcd's history, 4 KB; the kubelet's slots, 2.7 KB; yew's queue), and
/// the data section (265 KB brotli of the wasm's 1,003 KB: ~80 KB of it
/// is binary, pointer tables and panic locations, which compress poorly).
/// The budget is this build plus 1 %, lowered from 1,041,600: growth
/// still fails the check, and the goal stays where it was.
///
/// Then (branch `size3`, on the merged 0b712ef; the wasm alone, as
/// above): 1,022,392 -> 1,019,120 brotli (-3,272; raw 3,395,550 ->
/// 3,384,012) by boxing the watch cache's Events by object (keyed
/// `namespace/name`, not a pair), etcd's history and the kubelet's slots,
/// and counting the scheduler's fit-error reasons in a list, not a map;
/// then 1,018,670 (-450) with the collector's kinds by segment boxed and
/// the disruption controller's printed labels a sorted list. The full
/// dist/ (`/work/notes/bundle-size.sh`) of 0b712ef measured 1,030,206,
/// and 1,027,624 (-2,582) after the first step.
///
/// Raised on 2026-11-26 (session 13), said here and in its commit: the
/// merged tree (f9bfb17: the size branches, the memory and envelope work,
/// and the lead's fidelity work) measures 3,439,722 raw, **1,027,373**
/// brotli (`cargo xtask bench time`, 00:03 UTC). That is 3.3 KB smaller
/// than the session began (1,030,679) but over the size branch's own
/// budget of 1,024,100, which was that branch alone plus 1 %: the lead's
/// etcdctl/etcdutl work (the Go client's connection and errors, one zap
/// encoder, `snapshot save`'s wait, `watch`, etcdutl's own command table
/// with cobra's default usage template, bash's `$'…'` quoting) added about
/// 6 KB, and the memory and envelope branches (`apiserver/fitted.rs`,
/// `encoding.rs`, `controllers/journal.rs`) about 5 KB. The budget is the
/// merged build plus 1 % (below the 1,041,600 this session started with);
/// the 1 MB goal is missed by 27 KB.
///
/// Session 14 (2026-11-26, branch `size4`, main at 856a1c3, whose dist/
/// measured 1,027,372 brotli). Measured as in session 13 (the wasm alone,
/// built with `-C symbol-mangling-version=v0`, wasm-opt -Oz
/// --low-memory-unused, no `--converge`, brotli q11); the data section
/// was attributed with wasm-ld's map (`-C link-arg=--Map=…`): besides text,
/// its largest items were tables brotli cannot shrink — ryu's
/// (10.7 KB raw, 10.4 KB brotli), core's float parsing (POWER_OF_FIVE_128,
/// 10.4 KB, 10.1 KB brotli) and case mapping (LOWERCASE/UPPERCASE_TABLE,
/// 24 KB raw, 7.8 KB brotli).
///
/// | change                                              | wasm brotli | delta   |
/// |-----------------------------------------------------|-------------|---------|
/// | main 856a1c3                                        | 1,018,976   |         |
/// | ryu's `small` feature (serde_yaml prints floats     | 1,008,788   | -10,188 |
/// |   with ryu: the same digits from ~1 KB of tables);  |             |         |
/// |   the journal's named keys a set by insertion (its  |             |         |
/// |   `collect` was the last standard sort of `String`) |             |         |
/// | `engine::case`: Unicode case mapping as the         | 1,001,352   |  -7,436 |
/// |   standard library's, from runs (one 64-bit word    |             |         |
/// |   per run of ~380) instead of one pair per mapping; |             |         |
/// |   every character and Σ's final form checked        |             |         |
/// |   against the standard library; clippy.toml now     |             |         |
/// |   disallows the standard case functions             |             |         |
///
/// The full release build (`/work/notes/bundle-size.sh`: `trunk build
/// --release`, wasm-opt with `--converge`, python's brotli at quality 11)
/// of dbd6ffb: dist/ 3,397,651 raw, **1,008,972** brotli (wasm 998,142,
/// the JS glue 6,544, index.html 502, the stylesheet 3,784): -18,400 from
/// main's 1,027,372. The 1 MB goal is still missed, by 9.0 KB; the budget
/// is this build plus 1 % (1,019,100, down from 1,037,700), so growth
/// still fails the check.
///
/// Not possible: core's float parsing tables stay, as serde_yaml parses
/// YAML floats with `f64::from_str`. Left (a draft on branch
/// `size4-boxedmap-draft`, compiling but for the web app's lab progress and
/// not measured): the maps of boxed values still have one copy of
/// BTreeMap's code each (~27 KB raw: LLVM inlines differently per value
/// type, so `insert` for `Box<Slot>` and for `Box<LabProgress>` differ and
/// wasm-opt cannot merge them); a `BoxedMap` over one
/// `BTreeMap<String, Box<dyn Any + Send + Sync>>` would share it.
pub const BROTLI_BUDGET: u64 = 1_019_100;

/// Sizes of the files in `dir` (top level, as Trunk writes dist/): raw and
/// brotli-compressed with Node's zlib (Node is already needed by the
/// end-to-end tests, so this adds no tool).
pub fn bundle_size(dir: &Path) -> Result<(u64, u64), String> {
    const SCRIPT: &str = r#"
const fs = require("fs"), path = require("path"), zlib = require("zlib");
const dir = process.argv[1];
let raw = 0, br = 0;
for (const f of fs.readdirSync(dir)) {
  const p = path.join(dir, f);
  if (!fs.statSync(p).isFile()) continue;
  const b = fs.readFileSync(p);
  const c = zlib.brotliCompressSync(b, { params: {
    [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
    [zlib.constants.BROTLI_PARAM_SIZE_HINT]: b.length } });
  raw += b.length; br += c.length;
}
console.log(raw + " " + br);
"#;
    let out = Command::new("node")
        .args(["-e", SCRIPT])
        .arg(dir)
        .output()
        .map_err(|e| format!("could not start node to measure {}: {e}", dir.display()))?;
    if !out.status.success() {
        return Err(format!(
            "measuring {} failed: {}",
            dir.display(),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let mut it = text.split_whitespace().map(str::parse::<u64>);
    match (it.next(), it.next()) {
        (Some(Ok(raw)), Some(Ok(br))) => Ok((raw, br)),
        _ => Err(format!("unexpected output from the size script: {text:?}")),
    }
}

/// Fails when the built `dist/` is over its brotli budget.
pub fn check_size_budget() -> Result<(), String> {
    let (raw, br) = bundle_size(&root().join("dist"))?;
    eprintln!(
        "\nxtask: release bundle dist/ is {raw} bytes, {br} with brotli (budget {BROTLI_BUDGET})"
    );
    if br > BROTLI_BUDGET {
        return Err(format!(
            "the release bundle is {br} bytes with brotli, over its budget of {BROTLI_BUDGET} \
             (xtask/src/bench.rs): make it smaller, or raise the budget in a commit that says why"
        ));
    }
    Ok(())
}

/// The native smoke benchmarks: order-of-magnitude regressions only.
pub fn smoke() -> Result<(), String> {
    run(cargo().args([
        "run",
        "--quiet",
        "--package",
        "dinghy-cli",
        "--",
        "bench",
        "--smoke",
    ]))
}

/// The real kubectl's start time on this machine (median of 9 runs of
/// `kubectl.1.33 version --client`), for comparison with our per-command
/// latency: it is what a learner waits before any real kubectl command.
fn kubectl_start() -> Option<f64> {
    const KUBECTL: &str = "/usr/lib/google-cloud-sdk/bin/kubectl.1.33";
    if !Path::new(KUBECTL).exists() {
        return None;
    }
    let mut times = vec![];
    for _ in 0..9 {
        let t = Instant::now();
        let ok = Command::new(KUBECTL)
            .args(["version", "--client"])
            .output()
            .ok()?
            .status
            .success();
        if !ok {
            return None;
        }
        times.push(t.elapsed().as_secs_f64());
    }
    // A native tool: the wasm bundle's one-sort rule (clippy.toml) does not apply.
    #[allow(clippy::disallowed_methods)]
    times.sort_by(f64::total_cmp);
    times.get(times.len() / 2).copied()
}

/// What `cargo xtask bench` was asked for.
struct BenchArgs {
    scenarios: Vec<String>,
    /// Measure in the browser too (`--native-only` turns it off).
    wasm: bool,
    /// Rebuild `dist/` first (`--no-build` measures the one there).
    build: bool,
}

fn bench_args(args: &[String]) -> Result<BenchArgs, String> {
    let mut b = BenchArgs {
        scenarios: vec![],
        wasm: true,
        build: true,
    };
    for a in args {
        match a.as_str() {
            "--native-only" => b.wasm = false,
            "--no-build" => b.build = false,
            "schedule" | "commands" | "time" | "envelope" => b.scenarios.push(a.clone()),
            other => {
                return Err(format!(
                    "unknown bench argument {other:?} (scenarios: schedule commands time envelope; \
                     flags: --native-only --no-build)"
                ))
            }
        }
    }
    if b.scenarios.is_empty() {
        b.scenarios = ["schedule", "commands", "time", "envelope"]
            .map(String::from)
            .to_vec();
    }
    Ok(b)
}

/// One measured case: `value` in `unit` (pods/s, or seconds).
#[derive(Clone, Debug, PartialEq)]
pub struct Figure {
    pub key: String,
    pub value: f64,
    pub unit: String,
    pub goal: String,
}

/// The `rows` of `dinghy bench --json` or of the bench page's JSON.
pub fn figures(json: &serde_json::Value) -> Vec<Figure> {
    let Some(rows) = json.get("rows").and_then(|r| r.as_array()) else {
        return vec![];
    };
    rows.iter()
        .filter_map(|r| {
            Some(Figure {
                key: r.get("key")?.as_str()?.to_string(),
                value: r.get("value")?.as_f64()?,
                unit: r.get("unit")?.as_str()?.to_string(),
                goal: r
                    .get("goal")
                    .and_then(|g| g.as_str())
                    .unwrap_or("")
                    .to_string(),
            })
        })
        .collect()
}

/// A figure as people read it: pods/s as is, seconds as µs, ms or s.
pub fn show(value: f64, unit: &str) -> String {
    if unit != "s" {
        return format!("{value:.0} {unit}");
    }
    let us = value * 1e6;
    if us < 1000.0 {
        format!("{us:.0} µs")
    } else if us < 1e6 {
        format!("{:.2} ms", us / 1000.0)
    } else {
        format!("{value:.2} s")
    }
}

/// The table of both runs: one row per native case, the browser's figure
/// beside it when the bench page measured the same key, and the ratio
/// wasm / native of the times (native / wasm of rates), so that above 1
/// always means "slower in the browser".
pub fn table(native: &[Figure], wasm: &[Figure]) -> String {
    let header = ["case", "native", "wasm", "wasm/native", "goal"].map(String::from);
    let mut cells = vec![header];
    for n in native {
        let w = wasm.iter().find(|w| w.key == n.key && w.unit == n.unit);
        let ratio = w.map(|w| {
            if n.unit == "s" {
                w.value / n.value.max(1e-12)
            } else {
                n.value / w.value.max(1e-12)
            }
        });
        cells.push([
            n.key.clone(),
            show(n.value, &n.unit),
            w.map_or("-".into(), |w| show(w.value, &w.unit)),
            ratio.map_or("-".into(), |r| format!("{r:.2}")),
            n.goal.clone(),
        ]);
    }
    let mut widths = [0usize; 5];
    for row in &cells {
        for (w, c) in widths.iter_mut().zip(row) {
            *w = (*w).max(c.chars().count());
        }
    }
    let mut out = String::new();
    for (i, row) in cells.iter().enumerate() {
        out.push('|');
        for (c, w) in row.iter().zip(widths) {
            out.push_str(&format!(" {c:<w$} |"));
        }
        out.push('\n');
        if i == 0 {
            out.push('|');
            for w in widths {
                out.push_str(&format!("{}|", "-".repeat(w + 2)));
            }
            out.push('\n');
        }
    }
    out
}

fn json_of(stdout: &[u8], what: &str) -> Result<serde_json::Value, String> {
    let text = String::from_utf8_lossy(stdout);
    let line = text
        .lines()
        .rev()
        .find(|l| l.starts_with('{'))
        .ok_or_else(|| format!("{what} printed no JSON: {text}"))?;
    serde_json::from_str(line).map_err(|e| format!("{what} printed bad JSON ({e}): {line}"))
}

/// Runs `cmd`, passing its standard error through, and returns its standard output.
fn output(cmd: &mut Command, what: &str) -> Result<Vec<u8>, String> {
    eprintln!("\n$ {}", format!("{cmd:?}").replace('"', ""));
    let out = cmd
        .current_dir(root())
        .stderr(std::process::Stdio::inherit())
        .output()
        .map_err(|e| format!("could not start {what}: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "{what} failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stdout)
        ));
    }
    Ok(out.stdout)
}

/// The browser half: the release build served on loopback, its bench page
/// (`?bench`) driven in headless Chromium by e2e/bench.mjs.
fn wasm_figures(scenarios: &[String], build: bool) -> Result<serde_json::Value, String> {
    crate::install::web_tools()?;
    crate::install::browser()?;
    if build || !root().join("dist").join("index.html").is_file() {
        crate::build_web("/")?;
    }
    let server = crate::serve::spawn(&root().join("dist"), "/")?;
    let url = format!("http://127.0.0.1:{}/", server.port);
    let in_browser: Vec<&str> = scenarios
        .iter()
        .map(String::as_str)
        .filter(|s| *s != "envelope")
        .collect();
    let mut node = Command::new("node");
    node.arg("e2e/bench.mjs")
        .arg(in_browser.join(","))
        .env("DINGHY_URL", &url)
        .env("CHROMIUM", crate::install::CHROMIUM);
    json_of(&output(&mut node, "the bench page")?, "the bench page")
}

/// `cargo xtask bench`: each scenario natively in its own process (release
/// build, so peak memory is the scenario's own), then in the browser, one
/// table of both; then the bundle's size, the cold start, and the real
/// kubectl's start time.
pub fn bench(args: &[String]) -> Result<(), String> {
    let b = bench_args(args)?;
    run(cargo().args(["build", "--release", "--package", "dinghy-cli"]))?;
    let target = std::env::var("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| root().join("target"));
    let dinghy = target.join("release").join("dinghy");
    let mut native = vec![];
    for s in &b.scenarios {
        let out = output(
            Command::new(&dinghy).args(["bench", s, "--json"]),
            "dinghy bench",
        )?;
        native.extend(figures(&json_of(&out, "dinghy bench")?));
    }
    let (wasm, cold_start) = if b.wasm {
        let json = wasm_figures(&b.scenarios, b.build)?;
        if let Some(errors) = json.get("errors").and_then(|e| e.as_array()) {
            for e in errors {
                eprintln!("bench page: {e}");
            }
        }
        let cold = json.get("coldStartMs").and_then(|c| c.as_f64());
        (figures(&json), cold)
    } else {
        (vec![], None)
    };
    println!("\n{}", table(&native, &wasm));
    let dist = root().join("dist");
    if dist.is_dir() {
        let (raw, br) = bundle_size(&dist)?;
        println!("bundle dist/: {raw} bytes raw, {br} bytes brotli (goal <= 1 MB brotli)");
    } else {
        println!("bundle dist/: not built (cargo xtask serve or test builds it)");
    }
    if let Some(ms) = cold_start {
        println!("cold start (navigation to an interactive terminal, headless Chromium, loopback): {ms:.0} ms (goal <= 1 s)");
    }
    match kubectl_start() {
        Some(s) => println!(
            "real kubectl v1.33 start (`kubectl version --client`, median of 9): {:.1} ms",
            s * 1000.0
        ),
        None => println!("real kubectl v1.33: not found on this machine"),
    }
    println!(
        "machine: {} CPU(s) available to this process",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundle_size_counts_the_files_of_a_directory() {
        let dir = std::env::temp_dir().join(format!("xtask-size-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("sub"))
            .map_err(|e| e.to_string())
            .unwrap_or(());
        let text = "dinghy ".repeat(1000);
        std::fs::write(dir.join("a.js"), &text).unwrap_or(());
        std::fs::write(dir.join("sub").join("ignored"), "x").unwrap_or(());
        let sizes = bundle_size(&dir);
        let _ = std::fs::remove_dir_all(&dir);
        let (raw, br) = sizes.unwrap_or((0, 0));
        // Files at the top only, as Trunk writes dist/; repetitive text compresses.
        assert_eq!(raw, 7000);
        assert!(br > 0 && br < 100, "brotli size {br}");
    }

    #[test]
    fn the_table_joins_native_and_wasm_by_key_and_ratios_read_as_slowdown() {
        let json = |s: &str| serde_json::from_str::<serde_json::Value>(s).unwrap_or_default();
        let native = figures(&json(
            r#"{"rows": [
                {"key": "schedule 10000 pods / 5000 nodes", "value": 40000, "unit": "pods/s", "goal": ">= 10000 pods/s"},
                {"key": "kubectl get pods -A, 50 pods", "value": 0.0002, "unit": "s", "goal": "<= 0.5 ms"},
                {"key": "envelope", "value": 12.5, "unit": "s", "goal": "<= 30 s"}]}"#,
        ));
        let wasm = figures(&json(
            r#"{"rows": [
                {"key": "schedule 10000 pods / 5000 nodes", "value": 20000, "unit": "pods/s"},
                {"key": "kubectl get pods -A, 50 pods", "value": 0.0003, "unit": "s"}]}"#,
        ));
        assert_eq!(native.len(), 3);
        let t = table(&native, &wasm);
        // Times as µs/ms/s, rates as is; the ratio is the slowdown in the
        // browser either way; a case measured natively only has no ratio.
        assert_eq!(
            t,
            "\
| case                             | native       | wasm         | wasm/native | goal            |
|----------------------------------|--------------|--------------|-------------|-----------------|
| schedule 10000 pods / 5000 nodes | 40000 pods/s | 20000 pods/s | 2.00        | >= 10000 pods/s |
| kubectl get pods -A, 50 pods     | 200 µs       | 300 µs       | 1.50        | <= 0.5 ms       |
| envelope                         | 12.50 s      | -            | -           | <= 30 s         |
"
        );
    }
}
