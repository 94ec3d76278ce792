// Indexing is safe in this module: args[i] bounded by the while loop's i < args.len().
#![allow(clippy::indexing_slicing)]
//! The client programs: curl, wget (BusyBox), nslookup (bind9 or BusyBox)
//! and `dig`, with the messages of the builds a node or an image carries.

use super::dns::{self, Answer};
use super::proxy::{self, Refusal};
use super::{http, policy, Client, Flavour, Resolver, Run, CLUSTER_DNS};
use crate::apiserver::ApiServer;
use crate::cluster::Cluster;

#[path = "gnu_wget.rs"]
mod gnu_wget;

/// The programs this module runs.
pub const PROGRAMS: [&str; 4] = ["curl", "wget", "nslookup", "dig"];

/// Runs `program args…` for `client`.
pub fn run(cluster: &mut Cluster, client: &Client, program: &str, args: &[String]) -> Run {
    match program {
        "curl" => curl(cluster, client, args),
        "wget" if client.flavour == Flavour::Ubuntu => gnu_wget::run(cluster, client, args),
        "wget" => wget(cluster, client, args),
        "nslookup" => nslookup(&cluster.apiserver, client, args),
        "dig" => dig(cluster, client, args),
        _ => Run::default().fail(127, format!("{program}: command not found\n")),
    }
}

/// A URL split into its parts.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Url {
    scheme: String,
    host: String,
    port: u16,
    path: String,
}

fn parse_url(raw: &str) -> Result<Url, String> {
    let (scheme, rest) = match raw.split_once("://") {
        Some((s, r)) => (s.to_ascii_lowercase(), r),
        None => ("http".to_string(), raw),
    };
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], rest[i..].to_string()),
        None => (rest, "/".to_string()),
    };
    let path = path.split(['?', '#']).next().unwrap_or("/").to_string();
    let default_port = match scheme.as_str() {
        "http" => 80,
        "https" => 443,
        _ => return Err(scheme),
    };
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) => (h, p.parse::<u16>().map_err(|_| String::new())?),
        None => (authority, default_port),
    };
    Ok(Url {
        scheme,
        host: host.to_string(),
        port,
        path: if path.is_empty() { "/".into() } else { path },
    })
}

/// curl's `--write-out` variables and escapes.
fn write_out(fmt: &str, code: u16, size: usize, ip: &str, port: u16, url: &str) -> String {
    let mut s = fmt
        .replace("%{http_code}", &format!("{code:03}"))
        .replace("%{response_code}", &format!("{code:03}"))
        .replace("%{size_download}", &size.to_string())
        .replace("%{remote_ip}", ip)
        .replace("%{remote_port}", &port.to_string())
        .replace("%{url_effective}", url)
        .replace("%{time_total}", "0.001234")
        .replace("%{content_type}", "text/html");
    s = s
        .replace("\\n", "\n")
        .replace("\\t", "\t")
        .replace("\\r", "\r");
    s
}

/// The connection failure as curl says it.
fn curl_connect_error(
    flavour: Flavour,
    host: &str,
    port: u16,
    r: &Refusal,
    max_time: Option<f64>,
) -> (i32, String) {
    let why = |os: &str| -> &'static str {
        match flavour {
            // curl 7.81 prints the system's error text.
            Flavour::Ubuntu => match os {
                "refused" => "Connection refused",
                "noroute" => "No route to host",
                _ => "Connection timed out",
            },
            _ => "Couldn't connect to server",
        }
    };
    match (r, max_time) {
        (Refusal::Refused, _) => (
            7,
            format!(
                "curl: (7) Failed to connect to {host} port {port} after 0 ms: {}\n",
                why("refused")
            ),
        ),
        (Refusal::NoRoute, Some(t)) if t < 3.0 => (
            28,
            format!(
                "curl: (28) Connection timed out after {} milliseconds\n",
                (t * 1000.0) as i64 + 1
            ),
        ),
        (Refusal::NoRoute, _) => (
            7,
            format!(
                "curl: (7) Failed to connect to {host} port {port} after 3071 ms: {}\n",
                why("noroute")
            ),
        ),
        (Refusal::TimedOut, Some(t)) => (
            28,
            format!(
                "curl: (28) Connection timed out after {} milliseconds\n",
                (t * 1000.0) as i64 + 1
            ),
        ),
        (Refusal::TimedOut, None) => (
            28,
            format!(
                "curl: (28) Failed to connect to {host} port {port} after 130937 ms: {}\n",
                why("timeout")
            ),
        ),
    }
}

const PROGRESS_HEAD: &str = "  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n                                 Dload  Upload   Total   Spent    Left  Speed\n";

fn curl(cluster: &mut Cluster, client: &Client, args: &[String]) -> Run {
    let mut run = Run::default();
    let mut silent = false;
    let mut show_error = false;
    let mut head = false;
    let mut include = false;
    let mut fail_http = false;
    let mut output: Option<String> = None;
    let mut wfmt: Option<String> = None;
    let mut max_time: Option<f64> = None;
    let mut urls: Vec<String> = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        let value = |i: &mut usize| -> Option<String> {
            *i += 1;
            args.get(*i).cloned()
        };
        match a {
            "-s" | "--silent" => silent = true,
            "-S" | "--show-error" => show_error = true,
            "-I" | "--head" => head = true,
            "-i" | "--include" => include = true,
            "-f" | "--fail" => fail_http = true,
            "-k" | "--insecure" | "-L" | "--location" | "-v" | "--verbose" => {}
            "-sS" | "-Ss" => {
                silent = true;
                show_error = true;
            }
            "-sI" | "-Is" => {
                silent = true;
                head = true;
            }
            "-o" | "--output" => output = value(&mut i),
            "-w" | "--write-out" => wfmt = value(&mut i),
            "-m" | "--max-time" | "--connect-timeout" => {
                max_time = value(&mut i).and_then(|v| v.parse().ok());
            }
            "-H" | "--header" | "-X" | "--request" | "-A" | "--user-agent" => {
                value(&mut i);
            }
            _ if a.starts_with("--max-time=") => {
                max_time = a["--max-time=".len()..].parse().ok();
            }
            _ if a.starts_with('-') && a.len() > 1 => {
                return run.fail(
                    2,
                    format!("curl: option {a}: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information\n"),
                );
            }
            _ => urls.push(a.to_string()),
        }
        i += 1;
    }
    let Some(raw) = urls.first() else {
        return run.fail(
            2,
            "curl: try 'curl --help' or 'curl --manual' for more information\n",
        );
    };
    let errors = !silent || show_error;
    let say = |run: Run, code: i32, msg: String| -> Run {
        run.fail(code, if errors { msg } else { String::new() })
    };
    let url = match parse_url(raw) {
        Ok(u) => u,
        Err(scheme) if !scheme.is_empty() => {
            return say(
                run,
                1,
                format!("curl: (1) Protocol \"{scheme}\" not supported or disabled in libcurl\n"),
            );
        }
        Err(_) => {
            return say(
                run,
                3,
                "curl: (3) URL using bad/illegal format or missing URL\n".into(),
            )
        }
    };
    let resolved = (!dns_blocked(&cluster.apiserver, client, &url.host))
        .then(|| dns::resolve(&cluster.apiserver, &client.resolver, &url.host))
        .flatten();
    let Some((_, ips)) = resolved else {
        return say(
            run,
            6,
            format!("curl: (6) Could not resolve host: {}\n", url.host),
        );
    };
    let ip = ips.first().cloned().unwrap_or_default();
    let backend = match proxy::connect(cluster, &client.node, &client.source_ip, &ip, url.port) {
        Ok(b) => b,
        Err(r) => {
            let (code, msg) = curl_connect_error(client.flavour, &url.host, url.port, &r, max_time);
            if let Some(f) = &wfmt {
                run.out.push_str(&write_out(f, 0, 0, "", 0, raw));
            }
            return say(run, code, msg);
        }
    };
    if url.scheme == "https" {
        let msg = "curl: (35) error:0A00010B:SSL routines::wrong version number\n".to_string();
        return say(run, 35, msg);
    }
    let now = cluster.now();
    let Some(resp) = http::get(&backend, &url.host, &url.path, now) else {
        return say(run, 52, "curl: (52) Empty reply from server\n".into());
    };
    if fail_http && resp.status >= 400 {
        return say(
            run,
            22,
            format!(
                "curl: (22) The requested URL returned error: {}\n",
                resp.status
            ),
        );
    }
    let mut headers = format!("HTTP/1.1 {} {}\n", resp.status, resp.reason);
    for (k, v) in &resp.headers {
        headers.push_str(&format!("{k}: {v}\n"));
    }
    headers.push('\n');
    let body = if head {
        headers.clone()
    } else if include {
        format!("{headers}{}", resp.body)
    } else {
        resp.body.clone()
    };
    match output.as_deref() {
        Some("-") | None => run.out.push_str(&body),
        Some(path) => {
            if !silent {
                let n = body.len();
                run.err.push_str(PROGRESS_HEAD);
                run.err.push_str(&format!(
                    "100 {n:>5}  100 {n:>5}    0     0   {:>4}k      0 --:--:-- --:--:-- --:--:--  {:>4}k\n",
                    n.max(1) / 2 + 1,
                    n.max(1) / 2 + 1
                ));
            }
            if path != "/dev/null" {
                run.file = Some((path.to_string(), body));
            }
        }
    }
    if let Some(f) = &wfmt {
        run.out.push_str(&write_out(
            f,
            resp.status,
            resp.body.len(),
            &ip,
            url.port,
            raw,
        ));
    }
    run
}

/// BusyBox wget: `wget -qO- URL`, `wget -O- URL`, `wget URL`,
/// `wget --spider URL`, `-T SECONDS`.
fn wget(cluster: &mut Cluster, client: &Client, args: &[String]) -> Run {
    let mut run = Run::default();
    let mut quiet = false;
    let mut out: Option<String> = None;
    let mut spider = false;
    let mut urls = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        match a {
            "-q" => quiet = true,
            "-qO-" | "-qO" => {
                quiet = true;
                out = Some(if a == "-qO" {
                    i += 1;
                    args.get(i).cloned().unwrap_or_default()
                } else {
                    "-".into()
                });
            }
            "-O-" => out = Some("-".into()),
            "-O" => {
                i += 1;
                out = args.get(i).cloned();
            }
            "--spider" | "-s" => spider = true,
            "-T" | "--timeout" => i += 1,
            _ if a.starts_with("--timeout=") || a.starts_with("-T") => {}
            _ => urls.push(a.to_string()),
        }
        i += 1;
    }
    let Some(raw) = urls.first() else {
        return run.fail(1, "BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.\n\nUsage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]\n\t[--post-data STR | --post-file FILE] [-Y on/off]\n\t[-P DIR] [-U AGENT] [-T SEC] URL...\n");
    };
    let url = match parse_url(raw) {
        Ok(u) => u,
        Err(_) => return run.fail(1, format!("wget: not an http or ftp url: {raw}\n")),
    };
    let resolved = (!dns_blocked(&cluster.apiserver, client, &url.host))
        .then(|| dns::resolve(&cluster.apiserver, &client.resolver, &url.host))
        .flatten();
    let Some((_, ips)) = resolved else {
        return run.fail(1, format!("wget: bad address '{}'\n", url.host));
    };
    let ip = ips.first().cloned().unwrap_or_default();
    if !quiet {
        run.head.push_str(&format!(
            "Connecting to {}:{} ({ip}:{})\n",
            url.host, url.port, url.port
        ));
    }
    let backend = match proxy::connect(cluster, &client.node, &client.source_ip, &ip, url.port) {
        Ok(b) => b,
        Err(Refusal::Refused) => {
            return run.fail(
                1,
                format!("wget: can't connect to remote host ({ip}): Connection refused\n"),
            );
        }
        Err(Refusal::NoRoute) => {
            return run.fail(
                1,
                format!("wget: can't connect to remote host ({ip}): Host is unreachable\n"),
            );
        }
        Err(Refusal::TimedOut) => return run.fail(1, "wget: download timed out\n"),
    };
    let now = cluster.now();
    let Some(resp) = http::get(&backend, &url.host, &url.path, now) else {
        return run.fail(
            1,
            "wget: error getting response: Connection reset by peer\n",
        );
    };
    if resp.status >= 400 {
        return run.fail(
            1,
            format!(
                "wget: server returned error: HTTP/1.1 {} {}\n",
                resp.status, resp.reason
            ),
        );
    }
    if spider {
        if !quiet {
            run.err.push_str("remote file exists\n");
        }
        return run;
    }
    let n = resp.body.len();
    match out.as_deref() {
        Some("-") => {
            if !quiet {
                run.head.push_str("writing to stdout\n");
            }
            run.out.push_str(&resp.body);
            if !quiet {
                run.err.push_str(&format!(
                    "-                    100% |********************************| {n:>5}  0:00:00 ETA\nwritten to stdout\n"
                ));
            }
        }
        other => {
            let name = other.map(String::from).unwrap_or_else(|| {
                url.path
                    .rsplit('/')
                    .next()
                    .filter(|s| !s.is_empty())
                    .unwrap_or("index.html")
                    .to_string()
            });
            if !quiet {
                run.err.push_str(&format!(
                    "saving to '{name}'\n{:<20} 100% |********************************| {n:>5}  0:00:00 ETA\n'{name}' saved\n",
                    name
                ));
            }
            run.file = Some((name, resp.body));
        }
    }
    run
}

/// Whether a pod's queries to CoreDNS are dropped by an Egress policy.
fn dns_blocked(api: &ApiServer, client: &Client, name: &str) -> bool {
    matches!(client.resolver, Resolver::Pod { .. })
        && !dns::is_ip(name)
        && !policy::dns_permitted(api, &policy::Peer::at(api, &client.source_ip))
}

/// The server a resolver asks and whether it is CoreDNS.
fn server_of(client: &Client, explicit: Option<&String>) -> (String, bool) {
    match explicit {
        Some(s) => (
            s.clone(),
            s == CLUSTER_DNS || s == "kube-dns.kube-system.svc.cluster.local",
        ),
        None => match client.resolver {
            Resolver::Node => ("127.0.0.53".into(), false),
            Resolver::Pod { .. } => (CLUSTER_DNS.into(), true),
        },
    }
}

/// The answers a query gets: (name that answered, answer).
fn query(api: &ApiServer, client: &Client, name: &str, coredns: bool) -> Option<(String, Answer)> {
    if dns::is_ip(name) {
        return None;
    }
    if !coredns {
        // systemd-resolved on a node: /etc/hosts names only.
        return dns::resolve(api, &Resolver::Node, name).map(|(n, ips)| (n, Answer::A(ips)));
    }
    let resolver = match &client.resolver {
        Resolver::Pod { .. } => client.resolver.clone(),
        // A node asking CoreDNS directly has no cluster search path.
        Resolver::Node => Resolver::Node,
    };
    let cands = match resolver {
        Resolver::Node => vec![name.trim_end_matches('.').to_string()],
        _ => dns::candidates(&resolver, name),
    };
    for c in cands {
        match dns::lookup(api, &c) {
            Answer::NxDomain => continue,
            a => return Some((c, a)),
        }
    }
    None
}

/// nslookup (bind9's on Debian and Ubuntu, BusyBox's elsewhere).
pub fn nslookup(api: &ApiServer, client: &Client, args: &[String]) -> Run {
    let mut run = Run::default();
    let plain: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    let Some(name) = plain.first().map(|s| s.as_str()) else {
        return run.fail(
            1,
            "nslookup: interactive mode is not available here; give a name\n",
        );
    };
    let (server, coredns) = server_of(client, plain.get(1).copied());
    // A reverse lookup of an address.
    if dns::is_ip(name) {
        let ptr = if coredns {
            dns::reverse(api, name)
        } else {
            None
        };
        let rev: String = {
            let mut p: Vec<&str> = name.split('.').collect();
            p.reverse();
            format!("{}.in-addr.arpa", p.join("."))
        };
        return match (client.flavour, ptr) {
            (Flavour::BusyboxOld, p) => {
                run.out.push_str(&old_busybox_server(&server));
                run.out.push_str(&format!(
                    "Name:      {name}\nAddress 1: {name}{}\n",
                    p.map(|p| format!(" {p}")).unwrap_or_default()
                ));
                run
            }
            (_, Some(p)) => {
                run.out.push_str(&server_block(client.flavour, &server));
                run.out.push_str(&format!("{rev}\tname = {p}.\n\n"));
                run
            }
            (_, None) => {
                run.out.push_str(&server_block(client.flavour, &server));
                run.out
                    .push_str(&format!("** server can't find {rev}: NXDOMAIN\n\n"));
                run.code = 1;
                run
            }
        };
    }
    if coredns && dns_blocked(api, client, name) {
        run.out
            .push_str(";; connection timed out; no servers could be reached\n\n");
        run.code = 1;
        return run;
    }
    let answer = query(api, client, name, coredns);
    match client.flavour {
        Flavour::BusyboxOld => {
            run.out.push_str(&old_busybox_server(&server));
            match answer {
                Some((fqdn, Answer::A(ips))) => {
                    run.out.push_str(&format!("Name:      {name}\n"));
                    for (i, ip) in ips.iter().enumerate() {
                        let ptr = dns::reverse(api, ip)
                            .or_else(|| (ips.len() == 1).then(|| fqdn.clone()));
                        run.out.push_str(&format!(
                            "Address {}: {ip}{}\n",
                            i + 1,
                            ptr.map(|p| format!(" {p}")).unwrap_or_default()
                        ));
                    }
                }
                _ => {
                    run.err
                        .push_str(&format!("nslookup: can't resolve '{name}'\n"));
                    run.code = 1;
                }
            }
        }
        flavour => {
            run.out.push_str(&server_block(flavour, &server));
            match answer {
                Some((fqdn, Answer::A(ips))) => {
                    for ip in ips {
                        run.out.push_str(&format!("Name:\t{fqdn}\nAddress: {ip}\n"));
                    }
                    run.out.push('\n');
                }
                Some((fqdn, Answer::Cname(target))) => {
                    run.out
                        .push_str(&format!("{fqdn}\tcanonical name = {target}.\n\n"));
                }
                _ => {
                    let shown = if flavour == Flavour::Ubuntu
                        || !matches!(client.resolver, Resolver::Pod { .. })
                    {
                        name.trim_end_matches('.').to_string()
                    } else {
                        dns::candidates(&client.resolver, name)
                            .last()
                            .cloned()
                            .unwrap_or_default()
                    };
                    run.out
                        .push_str(&format!("** server can't find {shown}: NXDOMAIN\n\n"));
                    run.code = 1;
                }
            }
        }
    }
    run
}

fn server_block(flavour: Flavour, server: &str) -> String {
    match flavour {
        Flavour::Ubuntu | Flavour::Debian => {
            format!("Server:\t\t{server}\nAddress:\t{server}#53\n\n")
        }
        _ => format!("Server:\t\t{server}\nAddress:\t{server}:53\n\n"),
    }
}

fn old_busybox_server(server: &str) -> String {
    let name = if server == CLUSTER_DNS {
        " kube-dns.kube-system.svc.cluster.local"
    } else {
        ""
    };
    format!("Server:    {server}\nAddress 1: {server}{name}\n\n")
}

/// `dig [@server] name [+short]`.
fn dig(cluster: &mut Cluster, client: &Client, args: &[String]) -> Run {
    let mut run = Run::default();
    let short = args.iter().any(|a| a == "+short");
    let server = args
        .iter()
        .find_map(|a| a.strip_prefix('@'))
        .map(String::from);
    let name = args
        .iter()
        .find(|a| !a.starts_with('@') && !a.starts_with('+') && !a.starts_with('-') && *a != "A")
        .cloned()
        .unwrap_or_else(|| ".".into());
    let (server, coredns) = server_of(client, server.as_ref());
    // dig does not use the search list unless told to (+search).
    let fqdn = format!("{}.", name.trim_end_matches('.'));
    let answer = query(&cluster.apiserver, client, &fqdn, coredns);
    if short {
        match answer {
            Some((_, Answer::A(ips))) => {
                for ip in ips {
                    run.out.push_str(&format!("{ip}\n"));
                }
            }
            Some((_, Answer::Cname(t))) => run.out.push_str(&format!("{t}.\n")),
            Some((_, Answer::NxDomain)) | None => {}
        }
        return run;
    }
    let (status, lines): (&str, Vec<String>) = match &answer {
        Some((n, Answer::A(ips))) => (
            "NOERROR",
            ips.iter()
                .map(|ip| format!("{n}.\t\t30\tIN\tA\t{ip}"))
                .collect(),
        ),
        Some((n, Answer::Cname(t))) => ("NOERROR", vec![format!("{n}.\t\t30\tIN\tCNAME\t{t}.")]),
        Some((_, Answer::NxDomain)) | None => ("NXDOMAIN", Vec::new()),
    };
    let now = cluster.now();
    run.out.push_str(&format!(
        "\n; <<>> DiG 9.18.30-0ubuntu0.22.04.2-Ubuntu <<>> {}\n;; global options: +cmd\n;; Got answer:\n;; ->>HEADER<<- opcode: QUERY, status: {status}, id: 4242\n;; flags: qr aa rd; QUERY: 1, ANSWER: {}, AUTHORITY: 0, ADDITIONAL: 1\n;; WARNING: recursion requested but not available\n\n;; OPT PSEUDOSECTION:\n; EDNS: version: 0, flags:; udp: 1232\n;; QUESTION SECTION:\n;{fqdn}\t\t\tIN\tA\n\n",
        args.join(" "),
        lines.len()
    ));
    if !lines.is_empty() {
        run.out.push_str(";; ANSWER SECTION:\n");
        for l in lines {
            run.out.push_str(&l);
            run.out.push('\n');
        }
        run.out.push('\n');
    }
    let (y, mo, d, h, mi, s, wd) = crate::kubelet::container::civil(now);
    const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    run.out.push_str(&format!(
        ";; Query time: 0 msec\n;; SERVER: {server}#53({server}) (UDP)\n;; WHEN: {} {} {d:02} {h:02}:{mi:02}:{s:02} UTC {y}\n;; MSG SIZE  rcvd: 100\n\n",
        DAYS.get(wd).copied().unwrap_or("Wed"),
        MONTHS.get(mo.saturating_sub(1)).copied().unwrap_or("Jan"),
    ));
    run
}
