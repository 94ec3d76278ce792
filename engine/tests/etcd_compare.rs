// A test: its helpers index fixture data of a known shape (clippy.toml exempts #[test] fns only).
#![allow(clippy::indexing_slicing)]
//! The etcd model against a real etcd: the same operations on both, the
//! same revisions, versions and counts. Runs where Debian's `etcd-server`
//! and `etcd-client` are installed (`cargo xtask test` installs them); it
//! says so and passes where they are not, so a bare `cargo test` still works.

use engine::etcd::{RangeRequest, Store};
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Etcd {
    child: Child,
    endpoint: String,
    _dir: std::path::PathBuf,
}

impl Drop for Etcd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self._dir);
    }
}

fn free_port() -> Option<u16> {
    TcpListener::bind("127.0.0.1:0")
        .ok()?
        .local_addr()
        .ok()
        .map(|a| a.port())
}

fn start() -> Option<Etcd> {
    if Command::new("etcd").arg("--version").output().is_err()
        || Command::new("etcdctl").arg("version").output().is_err()
    {
        return None;
    }
    let (client, peer) = (free_port()?, free_port()?);
    let dir = std::env::temp_dir().join(format!("dinghy-etcd-{client}"));
    let endpoint = format!("127.0.0.1:{client}");
    let child = Command::new("etcd")
        .args([
            "--data-dir",
            &dir.to_string_lossy(),
            "--listen-client-urls",
            &format!("http://{endpoint}"),
            "--advertise-client-urls",
            &format!("http://{endpoint}"),
            "--listen-peer-urls",
            &format!("http://127.0.0.1:{peer}"),
            "--initial-advertise-peer-urls",
            &format!("http://127.0.0.1:{peer}"),
            "--initial-cluster",
            &format!("default=http://127.0.0.1:{peer}"),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let etcd = Etcd {
        child,
        endpoint,
        _dir: dir,
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if ctl(&etcd, &["endpoint", "health"]).is_some_and(|o| o.contains("is healthy")) {
            return Some(etcd);
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    None
}

fn ctl(etcd: &Etcd, args: &[&str]) -> Option<String> {
    let out = Command::new("etcdctl")
        .env("ETCDCTL_API", "3")
        .arg(format!("--endpoints={}", etcd.endpoint))
        .args(args)
        .output()
        .ok()?;
    // `endpoint health` reports on stderr.
    Some(format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    ))
}

/// `(key, create_revision, mod_revision, version)` of every key under a prefix, and the header revision.
fn real_state(etcd: &Etcd, prefix: &str) -> (i64, Vec<(String, i64, i64, i64)>) {
    let text = ctl(etcd, &["get", prefix, "--prefix", "-w", "json"]).unwrap_or_default();
    let text = text.lines().find(|l| l.starts_with('{')).unwrap_or("");
    let v: serde_json::Value = serde_json::from_str(text).unwrap_or_default();
    let rev = v["header"]["revision"].as_i64().unwrap_or(-1);
    let kvs = v["kvs"]
        .as_array()
        .map(|kvs| {
            kvs.iter()
                .map(|kv| {
                    let key =
                        engine::shell::base64_decode(kv["key"].as_str().unwrap_or("").as_bytes())
                            .unwrap_or_default();
                    (
                        String::from_utf8_lossy(&key).into_owned(),
                        kv["create_revision"].as_i64().unwrap_or(0),
                        kv["mod_revision"].as_i64().unwrap_or(0),
                        kv["version"].as_i64().unwrap_or(0),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    (rev, kvs)
}

fn model_state(store: &Store, prefix: &str) -> (i64, Vec<(String, i64, i64, i64)>) {
    let r = store
        .range(&RangeRequest::prefix(prefix))
        .unwrap_or_default();
    (
        r.revision,
        r.kvs
            .into_iter()
            .map(|kv| (kv.key, kv.create_revision, kv.mod_revision, kv.version))
            .collect(),
    )
}

#[test]
fn revisions_match_a_real_etcd() {
    let Some(etcd) = start() else {
        eprintln!("etcd and etcdctl are not installed: comparison with a real etcd skipped");
        return;
    };
    let mut model = Store::new();
    let prefix = "/registry/";
    // A fresh etcd and the model both start at revision 1.
    assert_eq!(real_state(&etcd, prefix), model_state(&model, prefix));
    let ops: &[(&str, &str, &str)] = &[
        ("put", "/registry/pods/default/a", "1"),
        ("put", "/registry/pods/default/b", "1"),
        ("put", "/registry/pods/default/a", "2"),
        ("del", "/registry/pods/default/missing", ""),
        ("del", "/registry/pods/default/a", ""),
        ("put", "/registry/pods/default/a", "3"),
        ("put", "/registry/deployments/default/web", "x"),
        ("delp", "/registry/pods/", ""),
        ("put", "/registry/pods/kube-system/c", "y"),
    ];
    for (op, key, value) in ops {
        match *op {
            "put" => {
                ctl(&etcd, &["put", key, value]);
                model.put(key, value.as_bytes().to_vec());
            }
            "del" => {
                ctl(&etcd, &["del", key]);
                model.delete_range(key, false);
            }
            _ => {
                ctl(&etcd, &["del", key, "--prefix"]);
                model.delete_range(key, true);
            }
        }
        assert_eq!(
            real_state(&etcd, prefix),
            model_state(&model, prefix),
            "after {op} {key}"
        );
    }
    // Limits count the whole range, as etcd's `count` does.
    let real = ctl(
        &etcd,
        &["get", prefix, "--prefix", "--limit", "1", "-w", "json"],
    )
    .unwrap_or_default();
    let v: serde_json::Value =
        serde_json::from_str(real.lines().find(|l| l.starts_with('{')).unwrap_or(""))
            .unwrap_or_default();
    let m = model
        .range(&RangeRequest {
            limit: 1,
            ..RangeRequest::prefix(prefix)
        })
        .unwrap_or_default();
    assert_eq!(
        (
            v["count"].as_u64().unwrap_or(0) as usize,
            v["more"].as_bool().unwrap_or(false)
        ),
        (m.count, m.more)
    );
}
