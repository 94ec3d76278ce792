//! `dinghy shell` as a script runner: standard input read as bash reads a
//! script, output printed with no prompt or echo.

use expect_test::expect;
use std::io::Write;
use std::process::{Command, Stdio};

fn dinghy_shell(script: &str, args: &[&str]) -> (String, String, i32) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dinghy"))
        .arg("shell")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start dinghy: {e}"));
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(script.as_bytes())
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let out = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

#[test]
fn get_nodes_prints_the_default_cluster() {
    let (stdout, stderr, status) = dinghy_shell("kubectl get nodes\n", &[]);
    expect![[r#"
        NAME           STATUS   ROLES           AGE   VERSION
        controlplane   Ready    control-plane   15m   v1.33.1
        node01         Ready    <none>          14m   v1.33.1
    "#]]
    .assert_eq(&stdout);
    assert_eq!((stderr.as_str(), status), ("", 0));
}

#[test]
fn version_reports_client_and_server() {
    let (stdout, _, _) = dinghy_shell("kubectl version\n", &[]);
    expect![[r#"
        Client Version: v1.33.1
        Kustomize Version: v5.6.0
        Server Version: v1.33.1
    "#]]
    .assert_eq(&stdout);
}

#[test]
fn heredocs_and_open_quotes_continue_on_following_lines() {
    let script = "cat <<EOF\nline one\n$HOME\nEOF\necho 'a\nb'\necho done\n";
    let (stdout, _, _) = dinghy_shell(script, &[]);
    expect![[r#"
        line one
        /root
        a
        b
        done
    "#]]
    .assert_eq(&stdout);
}

#[test]
fn errors_go_to_stderr_and_the_last_status_is_the_exit_code() {
    let (stdout, stderr, status) = dinghy_shell("kubectl get nodes nope\nkubectl get --foo\n", &[]);
    assert_eq!(stdout, "");
    expect![[r#"
        Error from server (NotFound): nodes "nope" not found
        error: unknown flag: --foo
        See 'kubectl get --help' for usage.
    "#]]
    .assert_eq(&stderr);
    assert_eq!(status, 1);
}

#[test]
fn same_seed_same_bytes() {
    let script = "kubectl get nodes -o yaml\nsleep 90\nkubectl get ns\n";
    let a = dinghy_shell(script, &["--seed", "7"]);
    let b = dinghy_shell(script, &["--seed", "7"]);
    assert_eq!(a, b);
    let c = dinghy_shell(script, &["--seed", "8"]);
    assert_ne!(a.0, c.0, "uids come from the seed");
}

#[test]
fn node_flag_starts_the_session_on_that_node() {
    let (stdout, _, status) = dinghy_shell(
        "hostname\nls /etc/kubernetes/manifests | wc -l\nexit\n",
        &["--node", "node01"],
    );
    // node01 has no static pods; `exit` leaves it (the session's first node).
    expect![[r#"
        node01
        0
    "#]]
    .assert_eq(&stdout);
    assert_eq!(status, 0);
    let (_, stderr, status) = dinghy_shell("hostname\n", &["--node", "node09"]);
    assert_ne!(status, 0);
    assert!(stderr.contains("node09"), "{stderr}");
}
