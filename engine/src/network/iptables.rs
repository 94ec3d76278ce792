// Indexing is safe in this module: SHA-256 and base32 over fixed-size arrays, indexed by their own constant-bounded loops.
#![allow(clippy::indexing_slicing)]
//! kube-proxy's rules as a node's `iptables` shows them (iptables mode,
//! v1.33's `pkg/proxy/iptables`): `KUBE-SERVICES` jumps to one
//! `KUBE-SVC-<hash>` chain per Service port with ready endpoints, which
//! picks a `KUBE-SEP-<hash>` chain per endpoint with `statistic`
//! probabilities; NodePorts go through `KUBE-NODEPORTS` and `KUBE-EXT-`;
//! a Service without endpoints gets a REJECT in the filter table. Chain
//! names are kube-proxy's: the first 16 base32 characters of the SHA-256
//! of `ns/name:port` + protocol (+ the endpoint for SEP chains). The rule
//! set is computed from the API objects each time (the same on every
//! node), and printed by `iptables -L/-S` and `iptables-save`.

use crate::api::{object, resolve as resource};
use crate::cluster::Cluster;
use crate::output::Output;
use serde_json::Value;

/// One match of a rule, as `iptables-save` and `iptables -L` print it.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Match {
    save: String,
    list: String,
}

/// One rule of a chain.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
struct Rule {
    chain: String,
    /// `(negated, cidr)`.
    src: Option<(bool, String)>,
    dst: Option<String>,
    proto: Option<&'static str>,
    matches: Vec<Match>,
    target: String,
    /// The target's options: (save form, list form).
    target_opts: Option<(String, String)>,
}

/// A table: its built-in chains with policies, its own chains, its rules.
struct Table {
    name: &'static str,
    builtin: &'static [&'static str],
    chains: Vec<String>,
    rules: Vec<Rule>,
}

const CLUSTER_CIDR: &str = "10.244.0.0/16";

fn comment(text: &str) -> Match {
    Match {
        save: format!("-m comment --comment {}", save_string(text)),
        list: format!("/* {text} */"),
    }
}

fn raw(save: &str, list: &str) -> Match {
    Match {
        save: save.to_string(),
        list: list.to_string(),
    }
}

/// `-m tcp --dport 443` / `tcp dpt:443`.
fn dport(proto: &'static str, port: Option<u16>, numeric: bool) -> Match {
    match port {
        Some(p) => Match {
            save: format!("-m {proto} --dport {p}"),
            list: format!("{proto} dpt:{}", port_name(p, numeric)),
        },
        None => Match {
            save: format!("-m {proto}"),
            list: proto.to_string(),
        },
    }
}

/// `/etc/services` names `iptables -L` prints without `-n`.
fn port_name(p: u16, numeric: bool) -> String {
    let name = match p {
        22 => "ssh",
        53 => "domain",
        80 => "http",
        443 => "https",
        3306 => "mysql",
        5432 => "postgresql",
        5672 => "amqp",
        6379 => "redis",
        8080 => "http-alt",
        _ => "",
    };
    if numeric || name.is_empty() {
        p.to_string()
    } else {
        name.to_string()
    }
}

/// xtables' `xtables_save_string`: bare when only `[A-Za-z0-9_-]`.
fn save_string(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        s.to_string()
    } else {
        let escaped: String = s
            .chars()
            .flat_map(|c| {
                if matches!(c, '"' | '\\' | '\'') {
                    vec!['\\', c]
                } else {
                    vec![c]
                }
            })
            .collect();
        format!("\"{escaped}\"")
    }
}

fn list(cluster: &Cluster, plural: &str) -> Vec<Value> {
    resource(plural)
        .map(|r| cluster.apiserver.list(r, None))
        .unwrap_or_default()
}

/// `portProtoHash`: base32(sha256(servicePortName + protocol))[:16].
pub fn port_proto_hash(service_port_name: &str, protocol: &str, endpoint: &str) -> String {
    let digest = sha256(format!("{service_port_name}{protocol}{endpoint}").as_bytes());
    base32(&digest)[..16].to_string()
}

/// One Service port as kube-proxy sees it.
struct SvcPort {
    /// `ns/name` or `ns/name:port-name`.
    name: String,
    /// `tcp`, `udp`, `sctp`.
    proto: &'static str,
    cluster_ip: String,
    port: u16,
    node_port: Option<u16>,
    endpoints: Vec<(String, u16)>,
}

fn service_ports(cluster: &Cluster) -> Vec<SvcPort> {
    let mut out = Vec::new();
    let mut services = list(cluster, "services");
    crate::sort::sort_by_key(&mut services, |s| {
        (
            object::namespace(s).unwrap_or("").to_string(),
            object::name(s).to_string(),
        )
    });
    for svc in &services {
        let ty = object::str_at(svc, "spec.type").unwrap_or("ClusterIP");
        let cluster_ip = object::str_at(svc, "spec.clusterIP").unwrap_or("");
        if ty == "ExternalName" || cluster_ip.is_empty() || cluster_ip == "None" {
            continue;
        }
        let ns = object::namespace(svc).unwrap_or("default");
        let name = object::name(svc);
        for sp in svc
            .pointer("/spec/ports")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let Some(port) = sp
                .get("port")
                .and_then(Value::as_u64)
                .and_then(|p| u16::try_from(p).ok())
            else {
                continue;
            };
            let port_name = sp.get("name").and_then(Value::as_str).unwrap_or("");
            let proto = match sp.get("protocol").and_then(Value::as_str) {
                Some("UDP") => "udp",
                Some("SCTP") => "sctp",
                _ => "tcp",
            };
            let node_port = (ty == "NodePort" || ty == "LoadBalancer")
                .then(|| {
                    sp.get("nodePort")
                        .and_then(Value::as_u64)
                        .and_then(|p| u16::try_from(p).ok())
                })
                .flatten();
            out.push(SvcPort {
                name: if port_name.is_empty() {
                    format!("{ns}/{name}")
                } else {
                    format!("{ns}/{name}:{port_name}")
                },
                proto,
                cluster_ip: cluster_ip.to_string(),
                port,
                node_port,
                endpoints: super::proxy::endpoints(cluster, svc, sp),
            });
        }
    }
    out
}

/// The probability of the i-th of n endpoint rules, as iptables keeps it
/// (kube-proxy writes `%0.10f`; the kernel's fixed point prints 11 places).
fn probability(remaining: usize) -> String {
    let written: f64 = format!("{:.10}", 1.0 / remaining as f64)
        .parse()
        .unwrap_or(1.0);
    // xt_statistic stores it as a fraction of 2^31.
    let fixed = (written * 2_147_483_648.0).round();
    format!("{:.11}", fixed / 2_147_483_648.0)
}

fn tables(cluster: &Cluster, numeric: bool) -> Vec<Table> {
    let ports = service_ports(cluster);
    let mut nat = Vec::new();
    let mut nat_chains: Vec<String> = [
        "KUBE-KUBELET-CANARY",
        "KUBE-MARK-MASQ",
        "KUBE-NODEPORTS",
        "KUBE-POSTROUTING",
        "KUBE-PROXY-CANARY",
        "KUBE-SERVICES",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let rule = |chain: &str, matches: Vec<Match>, target: &str| Rule {
        chain: chain.to_string(),
        matches,
        target: target.to_string(),
        ..Default::default()
    };
    nat.push(rule(
        "PREROUTING",
        vec![comment("kubernetes service portals")],
        "KUBE-SERVICES",
    ));
    nat.push(rule(
        "OUTPUT",
        vec![comment("kubernetes service portals")],
        "KUBE-SERVICES",
    ));
    nat.push(rule(
        "POSTROUTING",
        vec![comment("kubernetes postrouting rules")],
        "KUBE-POSTROUTING",
    ));
    nat.push(Rule {
        target_opts: Some(("--set-xmark 0x4000/0x4000".into(), "MARK or 0x4000".into())),
        ..rule("KUBE-MARK-MASQ", vec![], "MARK")
    });
    nat.push(rule(
        "KUBE-POSTROUTING",
        vec![raw(
            "-m mark ! --mark 0x4000/0x4000",
            "mark match ! 0x4000/0x4000",
        )],
        "RETURN",
    ));
    nat.push(Rule {
        target_opts: Some(("--set-xmark 0x4000/0x0".into(), "MARK xor 0x4000".into())),
        ..rule("KUBE-POSTROUTING", vec![], "MARK")
    });
    nat.push(Rule {
        target_opts: Some(("--random-fully".into(), "random-fully".into())),
        ..rule(
            "KUBE-POSTROUTING",
            vec![comment("kubernetes service traffic requiring SNAT")],
            "MASQUERADE",
        )
    });
    let mut services = Vec::new();
    let mut nodeports = Vec::new();
    let mut per_service = Vec::new();
    let mut filter_services = Vec::new();
    let mut filter_external = Vec::new();
    for sp in &ports {
        let hash = port_proto_hash(&sp.name, sp.proto, "");
        let svc_chain = format!("KUBE-SVC-{hash}");
        let ext_chain = format!("KUBE-EXT-{hash}");
        let cluster_comment = format!("{} cluster IP", sp.name);
        if sp.endpoints.is_empty() {
            let no_eps = format!("{} has no endpoints", sp.name);
            filter_services.push(Rule {
                dst: Some(format!("{}/32", sp.cluster_ip)),
                proto: Some(sp.proto),
                target_opts: Some((
                    "--reject-with icmp-port-unreachable".into(),
                    "reject-with icmp-port-unreachable".into(),
                )),
                ..rule(
                    "KUBE-SERVICES",
                    vec![comment(&no_eps), dport(sp.proto, Some(sp.port), numeric)],
                    "REJECT",
                )
            });
            if let Some(np) = sp.node_port {
                filter_external.push(Rule {
                    proto: Some(sp.proto),
                    target_opts: Some((
                        "--reject-with icmp-port-unreachable".into(),
                        "reject-with icmp-port-unreachable".into(),
                    )),
                    ..rule(
                        "KUBE-EXTERNAL-SERVICES",
                        vec![
                            comment(&no_eps),
                            raw(
                                "-m addrtype --dst-type LOCAL",
                                "ADDRTYPE match dst-type LOCAL",
                            ),
                            dport(sp.proto, Some(np), numeric),
                        ],
                        "REJECT",
                    )
                });
            }
            continue;
        }
        nat_chains.push(svc_chain.clone());
        services.push(Rule {
            dst: Some(format!("{}/32", sp.cluster_ip)),
            proto: Some(sp.proto),
            ..rule(
                "KUBE-SERVICES",
                vec![
                    comment(&cluster_comment),
                    dport(sp.proto, Some(sp.port), numeric),
                ],
                &svc_chain,
            )
        });
        if let Some(np) = sp.node_port {
            nat_chains.push(ext_chain.clone());
            nodeports.push(Rule {
                proto: Some(sp.proto),
                ..rule(
                    "KUBE-NODEPORTS",
                    vec![comment(&sp.name), dport(sp.proto, Some(np), numeric)],
                    &ext_chain,
                )
            });
            per_service.push(rule(
                &ext_chain,
                vec![comment(&format!(
                    "masquerade traffic for {} external destinations",
                    sp.name
                ))],
                "KUBE-MARK-MASQ",
            ));
            per_service.push(rule(&ext_chain, vec![], &svc_chain));
        }
        per_service.push(Rule {
            src: Some((true, CLUSTER_CIDR.to_string())),
            dst: Some(format!("{}/32", sp.cluster_ip)),
            proto: Some(sp.proto),
            ..rule(
                &svc_chain,
                vec![
                    comment(&cluster_comment),
                    dport(sp.proto, Some(sp.port), numeric),
                ],
                "KUBE-MARK-MASQ",
            )
        });
        let n = sp.endpoints.len();
        for (i, (ip, port)) in sp.endpoints.iter().enumerate() {
            let endpoint = format!("{ip}:{port}");
            let sep = format!(
                "KUBE-SEP-{}",
                port_proto_hash(&sp.name, sp.proto, &endpoint)
            );
            nat_chains.push(sep.clone());
            let mut m = vec![comment(&format!("{} -> {endpoint}", sp.name))];
            if i + 1 < n {
                let p = probability(n - i);
                m.push(raw(
                    &format!("-m statistic --mode random --probability {p}"),
                    &format!("statistic mode random probability {p}"),
                ));
            }
            per_service.push(rule(&svc_chain, m, &sep));
            per_service.push(Rule {
                src: Some((false, format!("{ip}/32"))),
                ..rule(&sep, vec![comment(&sp.name)], "KUBE-MARK-MASQ")
            });
            per_service.push(Rule {
                proto: Some(sp.proto),
                target_opts: Some((
                    format!("--to-destination {endpoint}"),
                    format!("to:{endpoint}"),
                )),
                ..rule(
                    &sep,
                    vec![comment(&sp.name), dport(sp.proto, None, numeric)],
                    "DNAT",
                )
            });
        }
    }
    nat.extend(nodeports);
    nat.extend(services);
    nat.push(rule(
        "KUBE-SERVICES",
        vec![
            comment("kubernetes service nodeports; NOTE: this must be the last rule in this chain"),
            raw(
                "-m addrtype --dst-type LOCAL",
                "ADDRTYPE match dst-type LOCAL",
            ),
        ],
        "KUBE-NODEPORTS",
    ));
    nat.extend(per_service);
    crate::sort::sort(&mut nat_chains);
    nat_chains.dedup();

    let ct_new = || raw("-m conntrack --ctstate NEW", "ctstate NEW");
    let mut filter = vec![
        rule(
            "INPUT",
            vec![ct_new(), comment("kubernetes load balancer firewall")],
            "KUBE-PROXY-FIREWALL",
        ),
        rule(
            "INPUT",
            vec![comment("kubernetes health check service ports")],
            "KUBE-NODEPORTS",
        ),
        rule(
            "INPUT",
            vec![
                ct_new(),
                comment("kubernetes externally-visible service portals"),
            ],
            "KUBE-EXTERNAL-SERVICES",
        ),
        rule("INPUT", vec![], "KUBE-FIREWALL"),
        rule(
            "FORWARD",
            vec![ct_new(), comment("kubernetes load balancer firewall")],
            "KUBE-PROXY-FIREWALL",
        ),
        rule(
            "FORWARD",
            vec![comment("kubernetes forwarding rules")],
            "KUBE-FORWARD",
        ),
        rule(
            "FORWARD",
            vec![ct_new(), comment("kubernetes service portals")],
            "KUBE-SERVICES",
        ),
        rule(
            "FORWARD",
            vec![
                ct_new(),
                comment("kubernetes externally-visible service portals"),
            ],
            "KUBE-EXTERNAL-SERVICES",
        ),
        rule(
            "OUTPUT",
            vec![ct_new(), comment("kubernetes load balancer firewall")],
            "KUBE-PROXY-FIREWALL",
        ),
        rule(
            "OUTPUT",
            vec![ct_new(), comment("kubernetes service portals")],
            "KUBE-SERVICES",
        ),
        rule("OUTPUT", vec![], "KUBE-FIREWALL"),
    ];
    filter.extend(filter_external);
    filter.push(Rule {
        src: Some((true, "127.0.0.0/8".into())),
        dst: Some("127.0.0.0/8".into()),
        ..rule(
            "KUBE-FIREWALL",
            vec![
                comment("block incoming localnet connections"),
                raw(
                    "-m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT",
                    "! ctstate RELATED,ESTABLISHED,DNAT",
                ),
            ],
            "DROP",
        )
    });
    filter.push(rule(
        "KUBE-FORWARD",
        vec![raw("-m conntrack --ctstate INVALID", "ctstate INVALID")],
        "DROP",
    ));
    filter.push(rule(
        "KUBE-FORWARD",
        vec![
            comment("kubernetes forwarding rules"),
            raw("-m mark --mark 0x4000/0x4000", "mark match 0x4000/0x4000"),
        ],
        "ACCEPT",
    ));
    filter.push(rule(
        "KUBE-FORWARD",
        vec![
            comment("kubernetes forwarding conntrack rule"),
            raw(
                "-m conntrack --ctstate RELATED,ESTABLISHED",
                "ctstate RELATED,ESTABLISHED",
            ),
        ],
        "ACCEPT",
    ));
    filter.extend(filter_services);
    let filter_chains = [
        "KUBE-EXTERNAL-SERVICES",
        "KUBE-FIREWALL",
        "KUBE-FORWARD",
        "KUBE-KUBELET-CANARY",
        "KUBE-NODEPORTS",
        "KUBE-PROXY-CANARY",
        "KUBE-PROXY-FIREWALL",
        "KUBE-SERVICES",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    vec![
        Table {
            name: "mangle",
            builtin: &["PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"],
            chains: [
                "KUBE-IPTABLES-HINT",
                "KUBE-KUBELET-CANARY",
                "KUBE-PROXY-CANARY",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect(),
            rules: Vec::new(),
        },
        Table {
            name: "filter",
            builtin: &["INPUT", "FORWARD", "OUTPUT"],
            chains: filter_chains,
            rules: filter,
        },
        Table {
            name: "nat",
            builtin: &["PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"],
            chains: nat_chains,
            rules: nat,
        },
    ]
}

impl Rule {
    /// The rule as `iptables-save` and `iptables -S` print it.
    fn save(&self) -> String {
        let mut s = format!("-A {}", self.chain);
        if let Some((neg, cidr)) = &self.src {
            s.push_str(if *neg { " ! -s " } else { " -s " });
            s.push_str(cidr);
        }
        if let Some(d) = &self.dst {
            s.push_str(" -d ");
            s.push_str(d);
        }
        if let Some(p) = self.proto {
            s.push_str(" -p ");
            s.push_str(p);
        }
        for m in &self.matches {
            s.push(' ');
            s.push_str(&m.save);
        }
        s.push_str(" -j ");
        s.push_str(&self.target);
        if let Some((opts, _)) = &self.target_opts {
            s.push(' ');
            s.push_str(opts);
        }
        s
    }

    /// The rule as a line of `iptables -L` (xtables' print_firewall).
    fn list(&self, numeric: bool) -> String {
        let addr = |cidr: Option<&str>| -> String {
            match cidr {
                None => if numeric { "0.0.0.0/0" } else { "anywhere" }.to_string(),
                Some(c) => c.strip_suffix("/32").unwrap_or(c).to_string(),
            }
        };
        let (neg, src) = match &self.src {
            Some((neg, c)) => (*neg, addr(Some(c))),
            None => (false, addr(None)),
        };
        let mut s = format!(
            "{:<9}  {:<5}-- {}{:<19}  {:<19} ",
            self.target,
            self.proto.unwrap_or("all"),
            if neg { '!' } else { ' ' },
            src,
            addr(self.dst.as_deref()),
        );
        for m in &self.matches {
            s.push(' ');
            s.push_str(&m.list);
        }
        if let Some((_, opts)) = &self.target_opts {
            s.push(' ');
            s.push_str(opts);
        }
        s
    }
}

/// An error on stderr with iptables' exit status.
fn fail(code: i32, message: String) -> Output {
    let mut out = Output::default();
    out.err(message);
    out.status = code;
    out
}

const LIST_HEADER: &str = "target     prot opt source               destination         ";

fn references(table: &Table, chain: &str) -> usize {
    table.rules.iter().filter(|r| r.target == chain).count()
}

fn list_chain(table: &Table, chain: &str, numeric: bool) -> String {
    let mut out = if table.builtin.contains(&chain) {
        format!("Chain {chain} (policy ACCEPT)\n")
    } else {
        format!("Chain {chain} ({} references)\n", references(table, chain))
    };
    out.push_str(LIST_HEADER);
    out.push('\n');
    for r in table.rules.iter().filter(|r| r.chain == chain) {
        out.push_str(&r.list(numeric));
        out.push('\n');
    }
    out
}

fn spec_chain(table: &Table, chain: &str) -> String {
    let mut out = if table.builtin.contains(&chain) {
        format!("-P {chain} ACCEPT\n")
    } else {
        format!("-N {chain}\n")
    };
    for r in table.rules.iter().filter(|r| r.chain == chain) {
        out.push_str(&r.save());
        out.push('\n');
    }
    out
}

/// The rules chain by chain, in the order the chains are declared, as
/// `iptables-save` walks them.
fn ordered_rules(t: &Table) -> Vec<&Rule> {
    all_chains(t)
        .iter()
        .flat_map(|c| t.rules.iter().filter(move |r| &r.chain == c))
        .collect()
}

fn all_chains(t: &Table) -> Vec<String> {
    t.builtin
        .iter()
        .map(|s| s.to_string())
        .chain(t.chains.iter().cloned())
        .collect()
}

/// `iptables [-t TABLE] -L|-S [CHAIN] [-n]`.
pub fn iptables(cluster: &Cluster, args: &[String]) -> Output {
    let mut out = Output::default();
    let mut table = "filter".to_string();
    let mut numeric = false;
    let mut mode = None;
    let mut chain = None;
    let mut it = args.iter().peekable();
    while let Some(a) = it.next() {
        match a.as_str() {
            "-t" | "--table" => table = it.next().cloned().unwrap_or_default(),
            "-n" | "--numeric" => numeric = true,
            "-L" | "--list" | "-S" | "--list-rules" => {
                mode = Some(if a.starts_with("-L") || a == "--list" {
                    'L'
                } else {
                    'S'
                });
                if let Some(c) = it.next_if(|c| !c.starts_with('-')) {
                    chain = Some(c.clone());
                }
            }
            "-v" | "--verbose" | "-w" | "--wait" => {}
            "-h" | "--help" => {
                out.out("iptables v1.8.7\n\nUsage: iptables -[ACD] chain rule-specification [options]\n       iptables -I chain [rulenum] rule-specification [options]\n       iptables -R chain rulenum rule-specification [options]\n       iptables -D chain rulenum [options]\n       iptables -[LS] [chain [rulenum]] [options]\n       iptables -[FZ] [chain] [options]\n       iptables -[NX] chain\n       iptables -E old-chain-name new-chain-name\n       iptables -P chain target [options]\n       iptables -h (print this help information)\n");
                return out;
            }
            s if s.starts_with("-t") && s.len() > 2 => table = s[2..].to_string(),
            s if s.starts_with('-') && s.len() > 2 && !s.starts_with("--") => {
                // Bundled short options: -nL, -Ln, -tnat.
                for ch in s[1..].chars() {
                    match ch {
                        'n' => numeric = true,
                        'L' => mode = Some('L'),
                        'S' => mode = Some('S'),
                        'v' => {}
                        _ => {
                            return fail(
                                2,
                                format!("iptables v1.8.7 (nf_tables): unknown option \"{s}\"\nTry `iptables -h' or 'iptables --help' for more information.\n"),
                            )
                        }
                    }
                }
                if let Some(c) = it.next_if(|c| !c.starts_with('-')) {
                    chain = Some(c.clone());
                }
            }
            other => {
                return fail(
                    2,
                    format!("iptables v1.8.7 (nf_tables): {}\nTry `iptables -h' or 'iptables --help' for more information.\n",
                        if other.starts_with('-') {
                            format!("unknown option \"{other}\"")
                        } else {
                            format!("Bad argument `{other}'")
                        }),
                );
            }
        }
    }
    let Some(mode) = mode else {
        return fail(
            2,
            "iptables v1.8.7 (nf_tables): no command specified\nTry `iptables -h' or 'iptables --help' for more information.\n".into(),
        );
    };
    let tables = tables(cluster, numeric);
    let Some(t) = tables.iter().find(|t| t.name == table) else {
        return fail(
            3,
            format!("iptables v1.8.7 (nf_tables): table '{table}' does not exist\nPerhaps iptables or your kernel needs to be upgraded.\n"),
        );
    };
    let chains = all_chains(t);
    let selected: Vec<String> = match &chain {
        Some(c) if chains.contains(c) => vec![c.clone()],
        Some(_) => return fail(1, "iptables: No chain/target/match by that name.\n".into()),
        None => chains,
    };
    let text = if mode == 'L' {
        selected
            .iter()
            .map(|c| list_chain(t, c, numeric))
            .collect::<Vec<_>>()
            .join("\n")
    } else if chain.is_some() {
        selected.iter().map(|c| spec_chain(t, c)).collect()
    } else {
        // All policies, then all chain names, then the rules chain by chain.
        let mut s: String = t
            .builtin
            .iter()
            .map(|c| format!("-P {c} ACCEPT\n"))
            .collect();
        s.extend(t.chains.iter().map(|c| format!("-N {c}\n")));
        s.extend(ordered_rules(t).iter().map(|r| format!("{}\n", r.save())));
        s
    };
    out.out(text);
    out
}

/// `iptables-save [-t TABLE]`.
pub fn iptables_save(cluster: &Cluster, args: &[String], date: &str) -> Output {
    let mut out = Output::default();
    let mut only = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "-t" | "--table" => only = it.next().cloned(),
            "-c" | "--counters" => {}
            other => return fail(1, format!("iptables-save: unrecognized option '{other}'\n")),
        }
    }
    let mut text = String::new();
    for t in tables(cluster, true) {
        if only.as_deref().is_some_and(|o| o != t.name) {
            continue;
        }
        text.push_str(&format!(
            "# Generated by iptables-save v1.8.7 on {date}\n*{}\n",
            t.name
        ));
        for c in t.builtin {
            text.push_str(&format!(":{c} ACCEPT [0:0]\n"));
        }
        for c in &t.chains {
            text.push_str(&format!(":{c} - [0:0]\n"));
        }
        for r in ordered_rules(&t) {
            text.push_str(&r.save());
            text.push('\n');
        }
        text.push_str(&format!("COMMIT\n# Completed on {date}\n"));
    }
    out.out(text);
    out
}

/// RFC 4648 base32 with padding, as Go's `base32.StdEncoding`.
fn base32(data: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::new();
    let mut buffer: u32 = 0;
    let mut bits = 0;
    for &b in data {
        buffer = (buffer << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            let idx = (buffer >> (bits - 5)) & 31;
            out.push(char::from(ALPHABET[idx as usize]));
            bits -= 5;
        }
    }
    if bits > 0 {
        let idx = (buffer << (5 - bits)) & 31;
        out.push(char::from(ALPHABET[idx as usize]));
    }
    while !out.len().is_multiple_of(8) {
        out.push('=');
    }
    out
}

/// FIPS 180-4 SHA-256.
fn sha256(data: &[u8]) -> [u8; 32] {
    const K: [u32; 64] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
        0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
        0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
        0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
        0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
        0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
        0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
        0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2,
    ];
    let mut h: [u32; 8] = [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
        0x5be0cd19,
    ];
    let mut msg = data.to_vec();
    let bit_len = (data.len() as u64).wrapping_mul(8);
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&bit_len.to_be_bytes());
    for block in msg.chunks_exact(64) {
        let mut w = [0u32; 64];
        for (i, word) in block.chunks_exact(4).enumerate() {
            w[i] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for i in 16..64 {
            let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
            let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16]
                .wrapping_add(s0)
                .wrapping_add(w[i - 7])
                .wrapping_add(s1);
        }
        let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut hh] = h;
        for i in 0..64 {
            let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
            let ch = (e & f) ^ (!e & g);
            let t1 = hh
                .wrapping_add(s1)
                .wrapping_add(ch)
                .wrapping_add(K[i])
                .wrapping_add(w[i]);
            let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
            let maj = (a & b) ^ (a & c) ^ (b & c);
            let t2 = s0.wrapping_add(maj);
            hh = g;
            g = f;
            f = e;
            e = d.wrapping_add(t1);
            d = c;
            c = b;
            b = a;
            a = t1.wrapping_add(t2);
        }
        for (x, y) in h.iter_mut().zip([a, b, c, d, e, f, g, hh]) {
            *x = x.wrapping_add(y);
        }
    }
    let mut out = [0u8; 32];
    for (i, x) in h.iter().enumerate() {
        out[i * 4..i * 4 + 4].copy_from_slice(&x.to_be_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_and_base32_match_the_standards() {
        let hex: String = sha256(b"abc").iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(
            hex,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(base32(b"foobar"), "MZXW6YTBOI======");
    }

    #[test]
    fn chain_names_are_kube_proxys() {
        // The names every kubeadm cluster has for these Services.
        assert_eq!(
            port_proto_hash("default/kubernetes:https", "tcp", ""),
            "NPX46M4PTMTKRN6Y"
        );
        assert_eq!(
            port_proto_hash("kube-system/kube-dns:dns", "udp", ""),
            "TCOU7JCQXEZGVUNU"
        );
        assert_eq!(
            port_proto_hash("kube-system/kube-dns:dns-tcp", "tcp", ""),
            "ERIFXISQEP7F7OF4"
        );
        assert_eq!(
            port_proto_hash("kube-system/kube-dns:metrics", "tcp", ""),
            "JD5MR3NA4I4DYORP"
        );
    }

    #[test]
    fn rules_print_like_iptables() {
        let r = Rule {
            chain: "KUBE-SERVICES".into(),
            dst: Some("10.96.0.1/32".into()),
            proto: Some("tcp"),
            matches: vec![
                comment("default/kubernetes:https cluster IP"),
                dport("tcp", Some(443), true),
            ],
            target: "KUBE-SVC-NPX46M4PTMTKRN6Y".into(),
            ..Default::default()
        };
        assert_eq!(r.save(), "-A KUBE-SERVICES -d 10.96.0.1/32 -p tcp -m comment --comment \"default/kubernetes:https cluster IP\" -m tcp --dport 443 -j KUBE-SVC-NPX46M4PTMTKRN6Y");
        assert_eq!(r.list(true), "KUBE-SVC-NPX46M4PTMTKRN6Y  tcp  --  0.0.0.0/0            10.96.0.1            /* default/kubernetes:https cluster IP */ tcp dpt:443");
        assert_eq!(save_string("kubernetes-dashboard"), "kubernetes-dashboard");
        // The kernel's fixed point shows through, as on real nodes.
        assert_eq!(probability(2), "0.50000000000");
        assert_eq!(probability(3), "0.33333333349");
        assert_eq!(probability(4), "0.25000000000");
    }
}
