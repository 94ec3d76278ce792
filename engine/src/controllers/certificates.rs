// Indexing is safe in this module: serde_json::Value indexing only: a read of a missing key yields Null, and writes go into objects built here or read from the store (always JSON objects).
#![allow(clippy::indexing_slicing)]
//! The CSR signing controller (`pkg/controller/certificates/signer`,
//! kube-controller-manager's `csrsigning`): an approved, not yet issued
//! CertificateSigningRequest for one of the signers kube-controller-manager
//! serves gets `status.certificate`, signed by the cluster CA. The
//! simulation does no cryptography (see `shell/pki.rs`): the certificate
//! names the subject the request carried, which `openssl x509` then prints.

use super::util;
use crate::api::object;
use crate::clock::Time;
use crate::cluster::{Component, SyncContext};
use crate::shell::{base64_decode, base64_encode};
use serde_json::{json, Value};

/// The signers kube-controller-manager signs for with `--cluster-signing-*`.
const SIGNERS: &[&str] = &[
    "kubernetes.io/kube-apiserver-client",
    "kubernetes.io/kube-apiserver-client-kubelet",
    "kubernetes.io/kubelet-serving",
    "kubernetes.io/legacy-unknown",
];

#[derive(Debug, Default)]
pub struct CsrSigningController;

impl CsrSigningController {
    pub fn new() -> Self {
        Self
    }
}

/// The body of a PEM block of the given type.
fn pem_body(text: &str, kind: &str) -> Option<Vec<u8>> {
    let begin = format!("-----BEGIN {kind}-----");
    let body: String = text
        .lines()
        .skip_while(|l| l.trim() != begin)
        .skip(1)
        .take_while(|l| !l.starts_with("-----END"))
        .collect();
    base64_decode(body.trim().as_bytes())
}

/// The subject a (simulated) request carries, as an X.509 subject in the
/// order Go's `pkix.Name` writes attributes (C, ST, L, O, OU, CN): the
/// issued certificate's subject.
pub fn request_subject(request_b64: &str) -> Option<String> {
    let pem = String::from_utf8(base64_decode(request_b64.trim().as_bytes())?).ok()?;
    let body = String::from_utf8(pem_body(&pem, "CERTIFICATE REQUEST")?).ok()?;
    let subj = body.strip_prefix("dinghy simulated CERTIFICATE REQUEST for ")?;
    let mut parts: Vec<(usize, String)> = Vec::new();
    for rdn in subj.split('/').filter(|s| !s.is_empty()) {
        let (k, v) = rdn.split_once('=')?;
        let rank = ["C", "ST", "L", "O", "OU", "CN"]
            .iter()
            .position(|x| *x == k)
            .unwrap_or(6);
        parts.push((rank, format!("{k} = {v}")));
    }
    crate::sort::sort_by_key(&mut parts, |(r, _)| *r);
    Some(
        parts
            .into_iter()
            .map(|(_, s)| s)
            .collect::<Vec<_>>()
            .join(", "),
    )
}

impl Component for CsrSigningController {
    fn name(&self) -> String {
        "csrsigning-controller".into()
    }

    fn ignores(&self) -> &'static [&'static str] {
        crate::controllers::LEASES_AND_EVENTS
    }

    fn sync(&mut self, ctx: &mut SyncContext<'_>) {
        for csr in util::list(ctx.api, "certificatesigningrequests", None) {
            let types: Vec<&str> = object::at(&csr, "status.conditions")
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(|c| c["type"].as_str()).collect())
                .unwrap_or_default();
            let approved = types.contains(&"Approved")
                && !types.contains(&"Denied")
                && !types.contains(&"Failed");
            let signer = object::str_at(&csr, "spec.signerName").unwrap_or("");
            let issued = object::str_at(&csr, "status.certificate").is_some_and(|c| !c.is_empty());
            if !approved || issued || !SIGNERS.contains(&signer) {
                continue;
            }
            let Some(subject) = object::str_at(&csr, "spec.request").and_then(request_subject)
            else {
                continue;
            };
            let cert = crate::shell::pki::pem_issued(&format!("subject {subject}"), ctx.now);
            let mut updated = (*csr).clone();
            updated["status"]["certificate"] = json!(base64_encode(cert.as_bytes()));
            if let Some(res) = util::res("certificatesigningrequests") {
                let _ = ctx.api.update_status(&res, None, updated);
            }
        }
    }

    fn next_wakeup(&self, _now: Time) -> Option<Time> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects_come_out_in_pkix_order() {
        let body = base64_encode(b"dinghy simulated CERTIFICATE REQUEST for /CN=jane/O=dev/O=ops");
        let pem = format!(
            "-----BEGIN CERTIFICATE REQUEST-----\n{body}\n-----END CERTIFICATE REQUEST-----\n"
        );
        let req = base64_encode(pem.as_bytes());
        assert_eq!(
            request_subject(&req).as_deref(),
            Some("O = dev, O = ops, CN = jane")
        );
        assert_eq!(request_subject("bm90IGEgcGVt"), None);
    }
}
