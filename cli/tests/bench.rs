//! `dinghy bench schedule --nodes N --pods M`: the interface issue 4 names —
//! every pod placed, the rate as the last line. (How fast is measured by
//! `cargo xtask bench`, not asserted here.)

use std::process::Command;

fn dinghy(args: &[&str]) -> (String, String, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_dinghy"))
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot start dinghy: {e}"));
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

#[test]
fn schedule_with_sizes_places_every_pod_and_ends_with_the_rate() {
    let (out, err, code) = dinghy(&["bench", "schedule", "--nodes", "20", "--pods", "300"]);
    assert_eq!(code, 0, "stderr: {err}");
    let last = out.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("300 of 300 pods scheduled onto 20 nodes in ")
            && last.ends_with(" pods/s"),
        "last line: {last:?}"
    );
}

#[test]
fn bad_sizes_are_refused_readably() {
    let (_, err, code) = dinghy(&["bench", "schedule", "--nodes", "many"]);
    assert_eq!(code, 2);
    assert!(
        err.starts_with("dinghy bench: --nodes: \"many\" is not a positive number"),
        "{err}"
    );
    // `commands` takes --pods (one case alone) but never --nodes; `time`
    // takes neither; `envelope` takes --nodes but not --pods.
    for args in [
        &["bench", "commands", "--nodes", "5"][..],
        &["bench", "time", "--pods", "5"][..],
        &["bench", "envelope", "--pods", "5"][..],
    ] {
        let (_, err, code) = dinghy(args);
        assert_eq!(code, 2, "{args:?}");
        assert!(
            err.contains(
                "--nodes applies to the schedule and envelope scenarios, --pods to schedule and commands"
            ),
            "{err}"
        );
    }
    // The envelope's shape flags belong to it alone.
    let (_, err, code) = dinghy(&["bench", "schedule", "--replicas", "5"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("--deployments and --replicas apply to the envelope scenario alone"),
        "{err}"
    );
}
