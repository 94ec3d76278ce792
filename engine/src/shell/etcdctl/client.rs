//! etcd's Go client as etcdctl v3.5.21 uses it (clientv3 over grpc-go
//! v1.59): which endpoint answers and, when none does, what the learner
//! sees. The client dials without blocking and its calls wait for a ready
//! connection (`WaitForReady(true)`), so a call to an endpoint that never
//! answers waits out `--command-timeout` and fails with grpc's last
//! connection error; `snapshot save`, which has no deadline, waits for
//! ever (see [`super::SnapshotWait`]).
//!
//! A kubeadm etcd listens on port 2379 of the loopback and of its machine's
//! address, with TLS, and takes only clients holding a certificate of its
//! own CA (`--client-cert-auth`). Which credentials the client brings
//! follows the endpoint's scheme (`https://` needs TLS, `http://` drops it,
//! none uses what the flags give), as `endpoint.RequiresCredentials` does.

use super::cli::Values;
use super::zap;
use crate::clock::Duration;
use crate::cluster::Cluster;
use crate::node::fs;
use crate::output::Output;
use crate::shell::{session_fs, Session};

/// Where kubeadm keeps the CA that signs etcd's server and client certificates.
const ETCD_CA: &str = "/etc/kubernetes/pki/etcd/ca.crt";

/// The client's configuration (`newClientCfg`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// `--endpoints` as given (or set by `ETCDCTL_ENDPOINTS`).
    pub endpoints: Vec<String>,
    tls: Option<Tls>,
    insecure_skip_verify: bool,
    pub command_timeout: Duration,
}

/// The TLS the flags set up.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Tls {
    /// `--cacert` (the trusted CA, normalized; `None`: the system's roots)
    /// and whether a client certificate comes with it.
    Files {
        ca: Option<String>,
        client_cert: bool,
    },
    /// `--insecure-transport=false` alone: TLS with the system's roots.
    Empty,
}

/// The configuration the flags give: `Err` is etcdctl's exit when a
/// certificate file cannot be read (`ExitBadArgs`).
pub fn config(session: &Session, cluster: &Cluster, values: &Values) -> Result<Config, Output> {
    let given = |name: &str| values.given(name).filter(|v| !v.is_empty());
    let (cert, key, ca) = (given("cert"), given("key"), given("cacert"));
    // transport.TLSInfo.ClientConfig reads the key pair first, then the CA.
    for f in [cert, key, ca].into_iter().flatten() {
        let p = fs::normalize(&session.cwd, f);
        if !session_fs(session, cluster).is_some_and(|fsys| fsys.is_file(&p)) {
            return Err(Output::default()
                .fail(format!("Error: open {f}: no such file or directory"))
                .with_status(128));
        }
    }
    let tls = if cert.is_some() || key.is_some() || ca.is_some() {
        Some(Tls::Files {
            ca: ca.map(|c| fs::normalize(&session.cwd, c)),
            client_cert: cert.is_some() && key.is_some(),
        })
    } else if values.get("insecure-transport") == "false" {
        Some(Tls::Empty)
    } else {
        None
    };
    Ok(Config {
        endpoints: values.strings("endpoints"),
        tls,
        insecure_skip_verify: values.bool("insecure-skip-tls-verify"),
        command_timeout: crate::kubectl::flags::go_duration_ms(values.get("command-timeout"))
            .map(Duration::from_millis)
            .unwrap_or(Duration::from_secs(5)),
    })
}

impl Config {
    /// The same client for one endpoint (`endpoint health` makes one each).
    pub fn only(&self, endpoint: &str) -> Config {
        Config {
            endpoints: vec![endpoint.to_string()],
            ..self.clone()
        }
    }

    /// The target grpc dials, named after the first endpoint's authority
    /// (`%p` of the client: one fixed address here).
    pub fn target(&self) -> String {
        let first = self
            .endpoints
            .first()
            .map(String::as_str)
            .unwrap_or_default();
        format!("etcd-endpoints://0xc0002b2000/{}", authority(first))
    }

    /// Connects to one endpoint. `Err` is grpc's connection error (the text
    /// after `connection error: desc = `), or `None` when the attempt is
    /// still going when the call gives up (an address that never answers).
    pub fn connect(
        &self,
        session: &Session,
        cluster: &Cluster,
        endpoint: &str,
    ) -> Result<(), Option<String>> {
        let scheme = endpoint.split_once("://").map_or("", |(s, _)| s);
        let address = authority(endpoint);
        if endpoint.starts_with("unix") {
            return Err(Some(dialing(&format!(
                "dial unix {address}: connect: no such file or directory"
            ))));
        }
        let address = address.split('/').next().unwrap_or(address);
        let Some((host, port)) = address.rsplit_once(':') else {
            return Err(Some(dialing(&format!(
                "dial tcp: address {address}: missing port in address"
            ))));
        };
        let host = host.trim_start_matches('[').trim_end_matches(']');
        let machine = match host {
            "127.0.0.1" | "localhost" | "::1" => cluster.machine(&session.node),
            _ => cluster
                .machines
                .values()
                .find(|m| m.ip == host || m.hostname == host),
        };
        let Some(machine) = machine else {
            if crate::network::ipv4(host).is_some() || host.contains(':') {
                // Nothing answers the SYN: the dial is still waiting.
                return Err(None);
            }
            return Err(Some(dialing(&format!(
                "dial tcp: lookup {host} on 127.0.0.53:53: no such host"
            ))));
        };
        let listening = machine.control_plane
            && matches!(port, "2379" | "2380")
            && etcd_serving(machine, cluster.now());
        if !listening {
            return Err(Some(dialing(&format!(
                "dial tcp {address}: connect: connection refused"
            ))));
        }
        let tls = match scheme {
            "http" => None,
            "https" => Some(self.tls.clone().unwrap_or(Tls::Empty)),
            _ => self.tls.clone(),
        };
        let Some(tls) = tls else {
            // gRPC's preface sent in clear: the TLS listener hangs up.
            return Err(Some("error reading server preface: EOF".into()));
        };
        let (trusted, client_cert) = match &tls {
            Tls::Files { ca, client_cert } => (ca.as_deref() == Some(ETCD_CA), *client_cert),
            Tls::Empty => (false, false),
        };
        if !trusted && !self.insecure_skip_verify {
            return Err(Some("transport: authentication handshake failed: tls: failed to verify certificate: x509: certificate signed by unknown authority".into()));
        }
        if !client_cert {
            return Err(Some(
                "error reading server preface: remote error: tls: certificate required".into(),
            ));
        }
        if port == "2380" {
            // The peer listener speaks HTTP/1 (rafthttp), not gRPC.
            return Err(Some(
                "error reading server preface: http2: frame too large".into(),
            ));
        }
        Ok(())
    }

    /// A unary call waits for a ready connection (`WaitForReady`) until
    /// the command timeout, grpc reconnecting at its back-off: an etcd that
    /// comes back within the timeout answers the call. `Err` leaves the
    /// clock at the deadline.
    pub fn wait_for_ready(
        &self,
        session: &Session,
        cluster: &mut Cluster,
    ) -> Result<String, Option<String>> {
        let results = self.wait_each(session, cluster, &self.endpoints, true);
        let mut last = Err(None);
        for (ep, r) in results {
            match r {
                Ok(()) => return Ok(ep),
                Err(e) if e.is_some() || last == Err(None) => last = Err(e),
                Err(_) => {}
            }
        }
        last
    }

    /// Each endpoint through its own connection, all waiting at once until
    /// the command timeout (or, with `any`, until one answers).
    pub fn wait_each(
        &self,
        session: &Session,
        cluster: &mut Cluster,
        endpoints: &[String],
        any: bool,
    ) -> Vec<(String, Result<(), Option<String>>)> {
        // A timeout of zero or less is a context already done: every call
        // fails before it picks a connection.
        if self.command_timeout <= Duration::ZERO {
            return endpoints.iter().map(|ep| (ep.clone(), Err(None))).collect();
        }
        let deadline = cluster.now() + self.command_timeout;
        let mut backoff = Duration::from_secs(1);
        loop {
            let results: Vec<_> = endpoints
                .iter()
                .map(|ep| (ep.clone(), self.connect(session, cluster, ep)))
                .collect();
            let ok = results.iter().filter(|(_, r)| r.is_ok()).count();
            let done = ok == endpoints.len() || (any && ok > 0);
            if done {
                return results;
            }
            if cluster.now() + backoff >= deadline {
                cluster.step(deadline - cluster.now());
                return results;
            }
            cluster.step(backoff);
            backoff = next_backoff(backoff);
        }
    }

    /// A unary call that found no connection by its deadline: the retry
    /// interceptor logs the failed attempt, and the command prints the
    /// context's error.
    pub fn deadline_exceeded(
        &self,
        cluster: &Cluster,
        logger: &str,
        error: Option<String>,
    ) -> Output {
        let mut out = Output::default();
        out.err(self.retry_warning(
            cluster,
            logger,
            &format!("code = DeadlineExceeded desc = {}", deadline_desc(error)),
        ));
        out.fail("Error: context deadline exceeded")
    }

    /// The retry interceptor's warning for a failed attempt.
    pub fn retry_warning(&self, cluster: &Cluster, logger: &str, status: &str) -> String {
        let target = self.target();
        let error = format!("rpc error: {status}");
        zap::Entry {
            level: "warn",
            ts: cluster.now(),
            logger: Some(logger),
            caller: "v3@v3.5.21/retry_interceptor.go:63",
            msg: "retrying of unary invoker failed",
            fields: &[
                ("target", zap::Value::Str(&target)),
                ("attempt", zap::Value::Uint(0)),
                ("error", zap::Value::Str(&error)),
            ],
        }
        .line()
    }
}

/// clientv3's `authority`: what follows `scheme://`, or a `unix:`/`unixs:`
/// address without its prefix, or the endpoint as it is.
fn authority(endpoint: &str) -> &str {
    match endpoint.split_once("://") {
        Some((_, rest)) => rest,
        None => endpoint
            .strip_prefix("unixs:")
            .or_else(|| endpoint.strip_prefix("unix:"))
            .unwrap_or(endpoint),
    }
}

/// grpc-go's reconnection back-off (`backoff.DefaultConfig`: 1 s, ×1.6,
/// at most 120 s). Its ±20 % jitter is left out so that runs repeat.
pub fn next_backoff(b: Duration) -> Duration {
    Duration::from_millis((b.as_millis() * 8 / 5).min(120_000))
}

/// What a call that waited for a connection until its deadline says:
/// the picker's last error, or the context's when there was none yet.
pub fn deadline_desc(error: Option<String>) -> String {
    match error {
        Some(e) => format!(
            "latest balancer error: last connection error: connection error: desc = {}",
            crate::go::quote(&e)
        ),
        None => "context deadline exceeded".into(),
    }
}

/// grpc-go's wording for a failed dial.
fn dialing(err: &str) -> String {
    format!("transport: Error while dialing: {err}")
}

/// Whether the machine's etcd container is up and listening.
fn etcd_serving(machine: &crate::node::Machine, now: crate::clock::Time) -> bool {
    machine.runtime.containers.iter().any(|c| {
        c.namespace == "kube-system"
            && c.ctx
                .argv
                .first()
                .map(|a| a.rsplit('/').next().unwrap_or(a))
                == Some("etcd")
            && c.exited.is_none()
            && c.exit_by(now).is_none()
            && c.outcome
                .serve
                .as_ref()
                .is_some_and(|sv| c.started + Duration::from_millis(sv.ready_after) <= now)
    })
}
