//! The cluster's PKI as the learner inspects it: `openssl x509` on the
//! files under `/etc/kubernetes/pki`, `kubeadm certs check-expiration`,
//! `kubeadm token create|list`. The simulation does no cryptography: a
//! certificate file names its profile (`dinghy simulated CERTIFICATE for
//! apiserver`), and the profile — subject, issuer, SANs, usages, validity
//! as kubeadm v1.33 makes them — is what the tools print. Keys and
//! signatures are deterministic filler derived from the name.

use super::Session;
use crate::api::{object, resolve};
use crate::clock::{Duration, Time};
use crate::cluster::Cluster;
use crate::kubelet::status::image_digest;
use crate::node::fs;
use crate::output::Output;
use serde_json::{json, Value};

const DAY_MS: i64 = 86_400_000;
/// kubeadm's `CertificateValidityPeriod` and `CACertificateValidityPeriod`.
const LEAF_DAYS: i64 = 365;
const CA_DAYS: i64 = 3_650;
/// kubeadm backdates `NotBefore` by `CertificateBackdate` (5 minutes).
const BACKDATE_MS: i64 = 5 * 60_000;

/// What kubeadm puts in one certificate.
struct Profile {
    subject: String,
    issuer: &'static str,
    ca: bool,
    server: bool,
    client: bool,
    sans: Vec<String>,
}

/// The profile named in a certificate file, from the cluster's machines.
fn profile(name: &str, cluster: &Cluster) -> Option<Profile> {
    let cp = cluster.machines.values().find(|m| m.control_plane);
    let host = cp.map(|m| m.hostname.clone()).unwrap_or_default();
    let ip = cp.map(|m| m.ip.clone()).unwrap_or_default();
    let leaf = |subject: &str, issuer, server, client, sans: Vec<String>| Profile {
        subject: subject.to_string(),
        issuer,
        ca: false,
        server,
        client,
        sans,
    };
    let ca = |cn: &'static str| Profile {
        subject: format!("CN = {cn}"),
        issuer: cn,
        ca: true,
        server: false,
        client: false,
        sans: vec![format!("DNS:{cn}")],
    };
    let etcd_sans = vec![
        format!("DNS:{host}"),
        "DNS:localhost".to_string(),
        format!("IP Address:{ip}"),
        "IP Address:127.0.0.1".to_string(),
        "IP Address:0:0:0:0:0:0:0:1".to_string(),
    ];
    Some(match name {
        "ca" => ca("kubernetes"),
        "etcd/ca" => ca("etcd-ca"),
        "front-proxy-ca" => ca("front-proxy-ca"),
        "apiserver" => leaf(
            "CN = kube-apiserver",
            "kubernetes",
            true,
            false,
            vec![
                format!("DNS:{host}"),
                "DNS:kubernetes".into(),
                "DNS:kubernetes.default".into(),
                "DNS:kubernetes.default.svc".into(),
                "DNS:kubernetes.default.svc.cluster.local".into(),
                "IP Address:10.96.0.1".into(),
                format!("IP Address:{ip}"),
            ],
        ),
        "apiserver-kubelet-client" => leaf(
            "O = kubeadm:cluster-admins, CN = kube-apiserver-kubelet-client",
            "kubernetes",
            false,
            true,
            vec![],
        ),
        "apiserver-etcd-client" => leaf(
            "CN = kube-apiserver-etcd-client",
            "etcd-ca",
            false,
            true,
            vec![],
        ),
        "front-proxy-client" => leaf(
            "CN = front-proxy-client",
            "front-proxy-ca",
            false,
            true,
            vec![],
        ),
        "etcd/server" => leaf(&format!("CN = {host}"), "etcd-ca", true, true, etcd_sans),
        "etcd/peer" => leaf(&format!("CN = {host}"), "etcd-ca", true, true, etcd_sans),
        "etcd/healthcheck-client" => leaf(
            "CN = kube-etcd-healthcheck-client",
            "etcd-ca",
            false,
            true,
            vec![],
        ),
        // A certificate kube-controller-manager's signer issued for a CSR.
        n if n.starts_with("subject ") => leaf(
            n.trim_start_matches("subject "),
            "kubernetes",
            false,
            true,
            vec![],
        ),
        n if n.starts_with("system:node:") => leaf(
            &format!("O = system:nodes, CN = {n}"),
            "kubernetes",
            false,
            true,
            vec![],
        ),
        _ => return None,
    })
}

/// The profile name and issue time a PEM file carries.
fn read_pem(text: &str) -> Option<(String, Time)> {
    let body: String = text
        .lines()
        .skip_while(|l| !l.starts_with("-----BEGIN CERTIFICATE-----"))
        .skip(1)
        .take_while(|l| !l.starts_with("-----END"))
        .collect();
    let decoded = super::base64_decode(body.trim().as_bytes())?;
    let decoded = String::from_utf8(decoded).ok()?;
    let rest = decoded.strip_prefix("dinghy simulated CERTIFICATE for ")?;
    let (name, issued) = match rest.split_once(" issued ") {
        Some((n, t)) => (n, Time::parse_rfc3339(t).unwrap_or(Time::EPOCH)),
        None => (rest, Time::EPOCH),
    };
    Some((name.to_string(), issued))
}

/// A renewed certificate's file content (`kubeadm certs renew`).
pub(crate) fn pem_issued(name: &str, issued: Time) -> String {
    let body = super::base64_encode(
        format!(
            "dinghy simulated CERTIFICATE for {name} issued {}",
            issued.rfc3339()
        )
        .as_bytes(),
    );
    format!("-----BEGIN CERTIFICATE-----\n{body}\n-----END CERTIFICATE-----\n")
}

fn validity(p: &Profile, issued: Time) -> (Time, Time) {
    let days = if p.ca { CA_DAYS } else { LEAF_DAYS };
    (Time(issued.0 - BACKDATE_MS), Time(issued.0 + days * DAY_MS))
}

/// `Apr 23 07:55:00 2025 GMT`, as OpenSSL prints times.
#[allow(clippy::indexing_slicing)] // month index clamped to 1..=12
fn openssl_time(t: Time) -> String {
    let s = t.rfc3339();
    let month_idx: usize = s.get(5..7).and_then(|x| x.parse().ok()).unwrap_or(1);
    let day: u32 = s.get(8..10).and_then(|x| x.parse().ok()).unwrap_or(1);
    format!(
        "{} {day:>2} {} {} GMT",
        MONTHS[month_idx.clamp(1, 12) - 1],
        s.get(11..19).unwrap_or(""),
        s.get(0..4).unwrap_or("")
    )
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Deterministic bytes standing in for a key or a signature.
fn filler(seed: &str, n: usize) -> Vec<u8> {
    let hex = image_digest(seed);
    let start = u64::from_str_radix(&hex[..16], 16).unwrap_or(0);
    let mut rng = crate::rng::Rng::new(start);
    let mut out = Vec::with_capacity(n + 8);
    while out.len() < n {
        out.extend(rng.next_u64().to_be_bytes());
    }
    out.truncate(n);
    out
}

fn hex_lines(bytes: &[u8], per_line: usize, indent: &str) -> String {
    bytes
        .chunks(per_line)
        .enumerate()
        .map(|(i, c)| {
            let last = (i + 1) * per_line >= bytes.len();
            let h: Vec<String> = c.iter().map(|b| format!("{b:02x}")).collect();
            format!("{indent}{}{}\n", h.join(":"), if last { "" } else { ":" })
        })
        .collect()
}

/// PEM with the body wrapped at 64 columns, as OpenSSL writes it.
fn pem(kind: &str, body: &[u8]) -> String {
    let b64 = super::base64_encode(body);
    let lines: Vec<&str> = b64
        .as_bytes()
        .chunks(64)
        .filter_map(|c| std::str::from_utf8(c).ok())
        .collect();
    format!(
        "-----BEGIN {kind}-----\n{}\n-----END {kind}-----\n",
        lines.join("\n")
    )
}

/// Writes `text` to `file` (relative to the working directory), or prints it.
fn emit(session: &Session, cluster: &mut Cluster, file: Option<&String>, text: String) -> Output {
    let mut out = Output::default();
    match file {
        None => out.out(text),
        Some(f) => {
            let path = fs::normalize(&session.cwd, f);
            let written = super::session_fs_mut(session, cluster)
                .map(|fs| fs.write(&path, text.as_bytes(), false).is_ok())
                .unwrap_or(false);
            if !written {
                return out.fail(format!(
                    "Can't open \"{f}\" for writing, No such file or directory"
                ));
            }
        }
    }
    out
}

/// `openssl genrsa [-out FILE] [BITS]`: a (simulated) PKCS#8 private key.
fn genrsa(session: &Session, cluster: &mut Cluster, args: &[String]) -> Output {
    let mut file = None;
    let mut bits = 2048usize;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "-out" => file = it.next(),
            n if n.parse::<usize>().is_ok() => bits = n.parse().unwrap_or(2048),
            other => {
                return Output::default().fail(format!(
                    "genrsa: Unknown option or message digest: {}\ngenrsa: Use -help for summary.",
                    other.trim_start_matches('-')
                ))
            }
        }
    }
    let seed = format!(
        "key {} {}",
        file.map(String::as_str).unwrap_or("-"),
        cluster.now().0
    );
    // A PKCS#8 RSA key is about 0.6 bytes per modulus bit.
    let key = pem("PRIVATE KEY", &filler(&seed, bits * 5 / 8 + 64));
    emit(session, cluster, file, key)
}

/// `openssl req -new -key KEY -subj SUBJECT [-out FILE]`: a certificate
/// signing request naming the subject (kubectl's CSR object carries it).
fn req(session: &Session, cluster: &mut Cluster, args: &[String]) -> Output {
    let (mut key, mut subj, mut file) = (None, None, None);
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "-new" | "-nodes" | "-noenc" | "-sha256" => {}
            "-key" => key = it.next(),
            "-subj" => subj = it.next(),
            "-out" => file = it.next(),
            other => {
                return Output::default().fail(format!(
                    "req: Unknown option or message digest: {}\nreq: Use -help for summary.",
                    other.trim_start_matches('-')
                ))
            }
        }
    }
    let Some(key) = key else {
        return Output::default()
            .fail("req: -key is needed here (the simulated openssl makes no key itself)");
    };
    let path = fs::normalize(&session.cwd, key);
    let has_key = super::session_fs(session, cluster)
        .and_then(|f| f.read_to_string(&path).ok())
        .is_some_and(|t| t.contains("PRIVATE KEY-----"));
    if !has_key {
        return Output::default().fail(format!(
            "Could not open file or uri for loading private key from {key}"
        ));
    }
    let Some(subj) = subj.filter(|s| s.starts_with('/')) else {
        return Output::default().fail(
            "req: -subj \"/CN=name/O=group\" is needed here (the simulated openssl does not prompt)",
        );
    };
    let body = format!("dinghy simulated CERTIFICATE REQUEST for {subj}");
    let csr = pem("CERTIFICATE REQUEST", body.as_bytes());
    emit(session, cluster, file, csr)
}

/// `openssl x509 -in FILE [-text] [-noout] [-subject] [-issuer] [-dates] [-enddate] [-startdate]`.
pub fn openssl(session: &Session, cluster: &mut Cluster, args: &[String]) -> Output {
    let out = Output::default();
    match args.first().map(String::as_str) {
        Some("x509") => {}
        Some("genrsa") => return genrsa(session, cluster, args.get(1..).unwrap_or_default()),
        Some("req") => return req(session, cluster, args.get(1..).unwrap_or_default()),
        Some("version") => {
            let mut o = out;
            o.out("OpenSSL 3.0.2 15 Mar 2022 (Library: OpenSSL 3.0.2 15 Mar 2022)\n");
            return o;
        }
        Some(other) => {
            return out.fail(format!(
                "Invalid command '{other}'; type \"help\" for a list."
            ))
        }
        None => {
            return out
                .fail("openssl: a subcommand is needed here (openssl x509 -in FILE -text -noout)")
        }
    }
    let mut file = None;
    let mut shows: Vec<&str> = Vec::new();
    let mut noout = false;
    let mut it = args.iter().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "-in" => file = it.next().cloned(),
            "-noout" => noout = true,
            "-text" | "-subject" | "-issuer" | "-dates" | "-enddate" | "-startdate" | "-serial" => {
                shows.push(a.as_str())
            }
            "-nameopt" | "-inform" => {
                it.next();
            }
            other => {
                return out.fail(format!(
                    "x509: Unknown option or message digest: {}\nx509: Use -help for summary.",
                    other.trim_start_matches('-')
                ))
            }
        }
    }
    let Some(file) = file else {
        return out.fail("Could not read certificate from <stdin>\nUnable to load certificate");
    };
    let path = fs::normalize(&session.cwd, &file);
    let cluster = &*cluster;
    let Some(text) = super::session_fs(session, cluster).and_then(|f| f.read_to_string(&path).ok())
    else {
        return out.fail(format!(
            "Could not open file or uri for loading certificate from {file}\n40F7C2B6D27F0000:error:80000002:system library:file_open:No such file or directory:../providers/implementations/storemgmt/file_store.c:267:calling stat({file})\nUnable to load certificate"
        ));
    };
    let Some((name, issued, p)) =
        read_pem(&text).and_then(|(n, t)| profile(&n, cluster).map(|p| (n, t, p)))
    else {
        return out.fail(format!(
            "Could not read certificate from {file}\nUnable to load certificate"
        ));
    };
    let (not_before, not_after) = validity(&p, issued);
    let issuer = format!("CN = {}", p.issuer);
    let serial = filler(&format!("serial {name} {}", issued.0), 8);
    let mut o = out;
    for s in &shows {
        match *s {
            "-subject" => o.out(format!("subject={}\n", p.subject)),
            "-issuer" => o.out(format!("issuer={issuer}\n")),
            "-startdate" => o.out(format!("notBefore={}\n", openssl_time(not_before))),
            "-enddate" => o.out(format!("notAfter={}\n", openssl_time(not_after))),
            "-dates" => o.out(format!(
                "notBefore={}\nnotAfter={}\n",
                openssl_time(not_before),
                openssl_time(not_after)
            )),
            "-serial" => o.out(format!(
                "serial={}\n",
                serial
                    .iter()
                    .map(|b| format!("{b:02X}"))
                    .collect::<String>()
            )),
            _ => o.out(text_form(
                &name, &p, &issuer, &serial, not_before, not_after,
            )),
        }
    }
    if !noout {
        o.out(text.clone());
    }
    o
}

fn text_form(
    name: &str,
    p: &Profile,
    issuer: &str,
    serial: &[u8],
    not_before: Time,
    not_after: Time,
) -> String {
    let serial_dec = serial.iter().fold(0u64, |a, b| (a << 8) | u64::from(*b)) >> 1;
    let mut modulus = vec![0u8];
    modulus.extend(filler(&format!("key {name}"), 256));
    if let Some(top) = modulus.get_mut(1) {
        *top |= 0x80;
    }
    let mut usage = vec!["Digital Signature", "Key Encipherment"];
    if p.ca {
        usage.push("Certificate Sign");
    }
    let mut ext = format!(
        "            X509v3 Key Usage: critical\n                {}\n",
        usage.join(", ")
    );
    if !p.ca {
        let mut eku = Vec::new();
        if p.server {
            eku.push("TLS Web Server Authentication");
        }
        if p.client {
            eku.push("TLS Web Client Authentication");
        }
        ext.push_str(&format!(
            "            X509v3 Extended Key Usage: \n                {}\n",
            eku.join(", ")
        ));
    }
    ext.push_str(&format!(
        "            X509v3 Basic Constraints: critical\n                CA:{}\n",
        if p.ca { "TRUE" } else { "FALSE" }
    ));
    let key_id = |who: &str| {
        filler(&format!("ski {who}"), 20)
            .iter()
            .map(|b| format!("{b:02X}"))
            .collect::<Vec<_>>()
            .join(":")
    };
    if p.ca {
        ext.push_str(&format!(
            "            X509v3 Subject Key Identifier: \n                {}\n",
            key_id(p.issuer)
        ));
    } else {
        ext.push_str(&format!(
            "            X509v3 Authority Key Identifier: \n                {}\n",
            key_id(p.issuer)
        ));
    }
    if !p.sans.is_empty() {
        ext.push_str(&format!(
            "            X509v3 Subject Alternative Name: \n                {}\n",
            p.sans.join(", ")
        ));
    }
    format!(
        "Certificate:\n    Data:\n        Version: 3 (0x2)\n        Serial Number: {serial_dec} ({serial_dec:#x})\n        Signature Algorithm: sha256WithRSAEncryption\n        Issuer: {issuer}\n        Validity\n            Not Before: {}\n            Not After : {}\n        Subject: {}\n        Subject Public Key Info:\n            Public Key Algorithm: rsaEncryption\n                Public-Key: (2048 bit)\n                Modulus:\n{}                Exponent: 65537 (0x10001)\n        X509v3 extensions:\n{ext}    Signature Algorithm: sha256WithRSAEncryption\n    Signature Value:\n{}",
        openssl_time(not_before),
        openssl_time(not_after),
        p.subject,
        hex_lines(&modulus, 15, "                    "),
        hex_lines(&filler(&format!("sig {name}"), 256), 18, "        "),
    )
}

/// kubeadm's `duration.ShortHumanDuration`.
fn short_human(d: Duration) -> String {
    let s = d.as_secs();
    match s {
        s if s < 0 => "<invalid>".into(),
        s if s < 60 => format!("{s}s"),
        s if s < 3_600 => format!("{}m", s / 60),
        s if s < 48 * 3_600 => format!("{}h", s / 3_600),
        s if s < 2 * 365 * 86_400 => format!("{}d", s / 86_400),
        s => format!("{}y", s / (365 * 86_400)),
    }
}

/// `Apr 23, 2026 08:00 UTC`.
#[allow(clippy::indexing_slicing)] // month index clamped to 1..=12
fn kubeadm_time(t: Time) -> String {
    let s = t.rfc3339();
    let month_idx: usize = s.get(5..7).and_then(|x| x.parse().ok()).unwrap_or(1);
    format!(
        "{} {}, {} {} UTC",
        MONTHS[month_idx.clamp(1, 12) - 1],
        s.get(8..10).unwrap_or(""),
        s.get(0..4).unwrap_or(""),
        s.get(11..16).unwrap_or("")
    )
}

/// The certificates `kubeadm certs` manages: the table name, the file
/// (kubeconfigs embed theirs), the CA.
const MANAGED: &[(&str, &str, &str)] = &[
    ("admin.conf", "admin.conf", "ca"),
    ("apiserver", "pki/apiserver.crt", "ca"),
    (
        "apiserver-etcd-client",
        "pki/apiserver-etcd-client.crt",
        "etcd-ca",
    ),
    (
        "apiserver-kubelet-client",
        "pki/apiserver-kubelet-client.crt",
        "ca",
    ),
    ("controller-manager.conf", "controller-manager.conf", "ca"),
    (
        "etcd-healthcheck-client",
        "pki/etcd/healthcheck-client.crt",
        "etcd-ca",
    ),
    ("etcd-peer", "pki/etcd/peer.crt", "etcd-ca"),
    ("etcd-server", "pki/etcd/server.crt", "etcd-ca"),
    (
        "front-proxy-client",
        "pki/front-proxy-client.crt",
        "front-proxy-ca",
    ),
    ("scheduler.conf", "scheduler.conf", "ca"),
    ("super-admin.conf", "super-admin.conf", "ca"),
];

const AUTHORITIES: &[(&str, &str)] = &[
    ("ca", "pki/ca.crt"),
    ("etcd-ca", "pki/etcd/ca.crt"),
    ("front-proxy-ca", "pki/front-proxy-ca.crt"),
];

/// When a managed certificate was issued: its file's, or for a kubeconfig
/// the `# issued` mark `kubeadm certs renew` leaves (else cluster creation).
fn issued_at(session: &Session, cluster: &Cluster, file: &str) -> Option<Time> {
    let f = super::session_fs(session, cluster)?;
    let text = f.read_to_string(&format!("/etc/kubernetes/{file}")).ok()?;
    if file.ends_with(".conf") {
        return Some(
            text.lines()
                .find_map(|l| l.strip_prefix("# dinghy: client certificate issued "))
                .and_then(Time::parse_rfc3339)
                .unwrap_or(Time::EPOCH),
        );
    }
    read_pem(&text).map(|(_, t)| t)
}

/// A tab writer as kubeadm's (min width 10, padding 3).
#[allow(clippy::indexing_slicing)] // column indices below each row's length; widths has one per column
pub(super) fn table(rows: &[Vec<String>]) -> String {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..cols)
        .map(|c| {
            rows.iter()
                .filter(|r| c + 1 < r.len())
                .map(|r| r[c].chars().count() + 3)
                .max()
                .unwrap_or(0)
                .max(10)
        })
        .collect();
    rows.iter()
        .map(|r| {
            let mut line = String::new();
            for (c, cell) in r.iter().enumerate() {
                if c + 1 < r.len() {
                    line.push_str(&format!("{cell:<w$}", w = widths[c]));
                } else {
                    line.push_str(cell);
                }
            }
            line + "\n"
        })
        .collect()
}

fn check_expiration(session: &Session, cluster: &Cluster) -> Output {
    let mut out = Output::default();
    let now = cluster.now();
    if !cluster
        .machine(&session.node)
        .is_some_and(|m| m.control_plane)
    {
        return out.fail("[check-expiration] Reading configuration from the \"kubeadm-config\" ConfigMap in namespace \"kube-system\"...\n[check-expiration] Use 'kubeadm init phase upload-config --config your-config.yaml' to re-upload it.\nerror reading configuration from the Cluster. Use '--config' with the kubeadm configuration file: could not read certificate from /etc/kubernetes/pki/ca.crt");
    }
    out.out("[check-expiration] Reading configuration from the \"kubeadm-config\" ConfigMap in namespace \"kube-system\"...\n[check-expiration] Use 'kubeadm init phase upload-config --config your-config.yaml' to re-upload it.\n\n");
    let mut rows = vec![vec![
        "CERTIFICATE".to_string(),
        "EXPIRES".into(),
        "RESIDUAL TIME".into(),
        "CERTIFICATE AUTHORITY".into(),
        "EXTERNALLY MANAGED".into(),
    ]];
    for (name, file, ca) in MANAGED {
        let Some(issued) = issued_at(session, cluster, file) else {
            out.err(format!("!MISSING! {name}\n"));
            continue;
        };
        let expires = Time(issued.0 + LEAF_DAYS * DAY_MS);
        rows.push(vec![
            name.to_string(),
            kubeadm_time(expires),
            short_human(expires - now),
            ca.to_string(),
            "no      ".into(),
        ]);
    }
    out.out(table(&rows));
    out.out("\n");
    let mut rows = vec![vec![
        "CERTIFICATE AUTHORITY".to_string(),
        "EXPIRES".into(),
        "RESIDUAL TIME".into(),
        "EXTERNALLY MANAGED".into(),
    ]];
    for (name, file) in AUTHORITIES {
        let issued = issued_at(session, cluster, file).unwrap_or(Time::EPOCH);
        let expires = Time(issued.0 + CA_DAYS * DAY_MS);
        rows.push(vec![
            name.to_string(),
            kubeadm_time(expires),
            short_human(expires - now),
            "no      ".into(),
        ]);
    }
    out.out(table(&rows));
    out
}

/// `kubeadm certs renew all|NAME`.
fn renew(session: &Session, cluster: &mut Cluster, which: Option<&str>) -> Output {
    let mut out = Output::default();
    let now = cluster.now();
    let Some(which) = which else {
        return out.fail("missing subcommand; \"renew\" is not meant to be run on its own\nTo see the stack trace of this error execute with --v=5 or higher");
    };
    let targets: Vec<&(&str, &str, &str)> = MANAGED
        .iter()
        .filter(|(n, _, _)| which == "all" || *n == which)
        .collect();
    if targets.is_empty() {
        return out.fail(format!("unknown command \"{which}\" for \"kubeadm certs renew\"\nTo see the stack trace of this error execute with --v=5 or higher"));
    }
    out.out("[renew] Reading configuration from the cluster...\n[renew] FYI: You can look at this config file with 'kubectl -n kube-system get cm kubeadm-config -o yaml'\n\n");
    let Some(f) = super::session_fs_mut(session, cluster) else {
        return out;
    };
    for (name, file, _) in targets {
        let path = format!("/etc/kubernetes/{file}");
        if file.ends_with(".conf") {
            let Ok(text) = f.read_to_string(&path) else {
                continue;
            };
            let kept: String = text
                .lines()
                .filter(|l| !l.starts_with("# dinghy: client certificate issued "))
                .map(|l| format!("{l}\n"))
                .collect();
            let _ = f.write(
                &path,
                format!(
                    "# dinghy: client certificate issued {}\n{kept}",
                    now.rfc3339()
                )
                .as_bytes(),
                false,
            );
            out.out(format!(
                "certificate embedded in the kubeconfig file for {} renewed\n",
                conf_subject(name)
            ));
        } else {
            let profile_name = file.trim_start_matches("pki/").trim_end_matches(".crt");
            let _ = f.write(&path, pem_issued(profile_name, now).as_bytes(), false);
            out.out(format!("{} renewed\n", cert_description(name)));
        }
    }
    out.out("\nDone renewing certificates. You must restart the kube-apiserver, kube-controller-manager, kube-scheduler and etcd, so that they can use the new certificates.\n");
    out
}

fn conf_subject(name: &str) -> &'static str {
    match name {
        "admin.conf" => "the admin to use",
        "super-admin.conf" => "the super-admin",
        "controller-manager.conf" => "the controller manager to use",
        _ => "the scheduler manager to use",
    }
}

fn cert_description(name: &str) -> &'static str {
    match name {
        "apiserver" => "certificate for serving the Kubernetes API",
        "apiserver-etcd-client" => "certificate the apiserver uses to access etcd",
        "apiserver-kubelet-client" => "certificate for the API server to connect to kubelet",
        "etcd-healthcheck-client" => "certificate for liveness probes to healthcheck etcd",
        "etcd-peer" => "certificate for etcd nodes to communicate with each other",
        "etcd-server" => "certificate for serving etcd",
        _ => "certificate for the front proxy client",
    }
}

/// `kubeadm token create [--print-join-command] [--ttl D]` / `kubeadm token list`:
/// bootstrap tokens are Secrets `bootstrap-token-<id>` in kube-system.
fn token(session: &Session, cluster: &mut Cluster, args: &[String]) -> Output {
    let out = Output::default();
    let Some(secrets) = resolve("secrets") else {
        return out;
    };
    let now = cluster.now();
    match args.first().map(String::as_str) {
        Some("create") => {
            let existing = cluster.apiserver.list(secrets, Some("kube-system")).len();
            let hex = image_digest(&format!("token {} {existing} {}", now.0, session.node));
            let alphabet: Vec<char> = "abcdefghijklmnopqrstuvwxyz0123456789".chars().collect();
            let pick = |i: usize| {
                let b = u8::from_str_radix(&hex[(i * 2) % 62..(i * 2) % 62 + 2], 16).unwrap_or(0);
                alphabet.get((usize::from(b) + i * 7) % alphabet.len()).copied().unwrap_or('a')
            };
            let id: String = (0..6).map(pick).collect();
            let secret: String = (6..22).map(pick).collect();
            let ttl_h = 24;
            let expires = Time(now.0 + ttl_h * 3_600_000);
            let secret_obj = json!({
                "apiVersion": "v1",
                "kind": "Secret",
                "metadata": {"name": format!("bootstrap-token-{id}"), "namespace": "kube-system"},
                "type": "bootstrap.kubernetes.io/token",
                "data": {
                    "auth-extra-groups": super::base64_encode(b"system:bootstrappers:kubeadm:default-node-token"),
                    "expiration": super::base64_encode(expires.rfc3339().as_bytes()),
                    "token-id": super::base64_encode(id.as_bytes()),
                    "token-secret": super::base64_encode(secret.as_bytes()),
                    "usage-bootstrap-authentication": super::base64_encode(b"true"),
                    "usage-bootstrap-signing": super::base64_encode(b"true"),
                }
            });
            if let Err(e) =
                cluster
                    .apiserver
                    .create(secrets, Some("kube-system"), secret_obj, now)
            {
                return out.fail(format!("{e:?}"));
            }
            let mut o = out;
            if args.iter().any(|a| a == "--print-join-command") {
                let ip = cluster
                    .machines
                    .values()
                    .find(|m| m.control_plane)
                    .map(|m| m.ip.clone())
                    .unwrap_or_default();
                o.out(format!(
                    "kubeadm join {ip}:6443 --token {id}.{secret} --discovery-token-ca-cert-hash sha256:{} \n",
                    image_digest("cluster ca public key")
                ));
            } else {
                o.out(format!("{id}.{secret}\n"));
            }
            o
        }
        Some("list") => {
            let mut rows = vec![vec![
                "TOKEN".to_string(),
                "TTL".into(),
                "EXPIRES".into(),
                "USAGES".into(),
                "DESCRIPTION".into(),
                "EXTRA GROUPS".into(),
            ]];
            for s in cluster.apiserver.list(secrets, Some("kube-system")) {
                if object::str_at(&s, "type") != Some("bootstrap.kubernetes.io/token") {
                    continue;
                }
                let field = |k: &str| {
                    s.get("data")
                        .and_then(|d| d.get(k))
                        .and_then(Value::as_str)
                        .and_then(|v| super::base64_decode(v.as_bytes()))
                        .and_then(|b| String::from_utf8(b).ok())
                        .unwrap_or_default()
                };
                let expires = field("expiration");
                let ttl = Time::parse_rfc3339(&expires)
                    .map(|t| short_human(Time(t.0 - 1) - now))
                    .unwrap_or_else(|| "<forever>".into());
                let desc = field("description");
                rows.push(vec![
                    format!("{}.{}", field("token-id"), field("token-secret")),
                    ttl,
                    if expires.is_empty() { "<never>".into() } else { expires },
                    "authentication,signing".into(),
                    if desc.is_empty() { "<none>".into() } else { desc },
                    field("auth-extra-groups"),
                ]);
            }
            let mut o = out;
            if rows.len() > 1 {
                o.out(table(&rows));
            }
            o
        }
        Some(other) => out.fail(format!(
            "unknown command \"{other}\" for \"kubeadm token\"\nTo see the stack trace of this error execute with --v=5 or higher"
        )),
        None => out.fail("missing subcommand; \"token\" is not meant to be run on its own\nTo see the stack trace of this error execute with --v=5 or higher"),
    }
}

/// `kubeadm certs …`, `kubeadm token …`, `kubeadm version`.
pub fn kubeadm(session: &Session, cluster: &mut Cluster, args: &[String]) -> Output {
    let words: Vec<&str> = args
        .iter()
        .map(String::as_str)
        .filter(|a| !a.starts_with('-'))
        .collect();
    match words.as_slice() {
        ["certs", "check-expiration", ..] => check_expiration(session, cluster),
        ["certs", "renew", rest @ ..] => renew(session, cluster, rest.first().copied()),
        ["token", ..] => token(session, cluster, args.get(1..).unwrap_or_default()),
        ["version", ..] => {
            let mut o = Output::default();
            let v = cluster
                .machine(&session.node)
                .and_then(|m| m.packages.version_of("kubeadm"))
                .unwrap_or_else(|| crate::cluster::KUBERNETES_VERSION.to_string());
            let minor = crate::node::packages::parts(&v).1;
            if args.iter().any(|a| a == "-o=short" || a == "short") {
                o.out(format!("{v}\n"));
            } else {
                o.out(format!("kubeadm version: &version.Info{{Major:\"1\", Minor:\"{minor}\", EmulationMajor:\"\", EmulationMinor:\"\", MinCompatibilityMajor:\"\", MinCompatibilityMinor:\"\", GitVersion:\"{v}\", GitCommit:\"8adc0f041b8e7ad1d30e29cc59c6ae7a15e19828\", GitTreeState:\"clean\", BuildDate:\"2025-05-15T08:25:00Z\", GoVersion:\"go1.24.2\", Compiler:\"gc\", Platform:\"linux/amd64\"}}\n"));
            }
            o
        }
        [other, ..] => Output::default().fail(format!(
            "unknown command \"{other}\" for \"kubeadm\"\nTo see the stack trace of this error execute with --v=5 or higher"
        )),
        [] => Output::default().fail("kubeadm: easily bootstrap a secure Kubernetes cluster\n\nUsage:\n  kubeadm [command]\n\nAvailable Commands:\n  certs       Commands related to handling kubernetes certificates\n  token       Manage bootstrap tokens\n  upgrade     Upgrade your cluster smoothly to a newer version with this command\n  version     Print the version of kubeadm"),
    }
}
