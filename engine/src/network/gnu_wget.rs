// Indexing is safe in this module: args[i] bounded by the while loop's i < args.len().
#![allow(clippy::indexing_slicing)]
//! GNU Wget 1.21.2, the one on an Ubuntu 22.04 node (the containers carry
//! BusyBox's). Its log goes to stderr: the `--DATE--  URL` line, the
//! connection, the response status, the length and where it saves; `-q`
//! silences it, `-O -` writes the body to stdout. Failures exit 4 (network)
//! or 8 (an HTTP error), as wget's exit codes say.

use super::{dns, http, parse_url, proxy, Cluster, Refusal, Run};
use crate::network::Client;

const USAGE: &str =
    "wget: missing URL\nUsage: wget [OPTION]... [URL]...\n\nTry `wget --help' for more options.\n";

const HELP: &str = "GNU Wget 1.21.2, a non-interactive network retriever.
Usage: wget [OPTION]... [URL]...

Mandatory arguments to long options are mandatory for short options too.

Startup:
  -V,  --version                   display the version of Wget and exit
  -h,  --help                      print this help
  -b,  --background                go to background after startup
  -e,  --execute=COMMAND           execute a `.wgetrc'-style command

Logging and input file:
  -o,  --output-file=FILE          log messages to FILE
  -a,  --append-output=FILE        append messages to FILE
  -d,  --debug                     print lots of debugging information
  -q,  --quiet                     quiet (no output)
  -v,  --verbose                   be verbose (this is the default)
  -nv, --no-verbose                turn off verboseness, without being quiet
  -i,  --input-file=FILE           download URLs found in local or external FILE

Download:
  -t,  --tries=NUMBER              set number of retries to NUMBER (0 unlimits)
  -O,  --output-document=FILE      write documents to FILE
  -c,  --continue                  resume getting a partially-downloaded file
  -S,  --server-response           print server response
       --spider                    don't download anything
  -T,  --timeout=SECONDS           set all timeout values to SECONDS
  -P,  --directory-prefix=PREFIX   save files to PREFIX/..

Mail bug reports and suggestions to <bug-wget@gnu.org>
";

/// `YYYY-MM-DD HH:MM:SS` of the cluster's clock.
fn stamp(cluster: &Cluster) -> String {
    let (y, mo, d, h, mi, s, _) = crate::kubelet::container::civil(cluster.now());
    format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}")
}

pub(super) fn run(cluster: &mut Cluster, client: &Client, args: &[String]) -> Run {
    let mut run = Run::default();
    let mut quiet = false;
    let mut no_verbose = false;
    let mut spider = false;
    let mut out: Option<String> = None;
    let mut urls = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        match a {
            "-h" | "--help" => {
                run.out.push_str(HELP);
                return run;
            }
            "-V" | "--version" => {
                run.out.push_str("GNU Wget 1.21.2 built on linux-gnu.\n");
                return run;
            }
            "-q" | "--quiet" => quiet = true,
            "-nv" | "--no-verbose" => no_verbose = true,
            "--spider" => spider = true,
            "-O" | "--output-document" => {
                i += 1;
                out = args.get(i).cloned();
            }
            "-qO-" | "-qO" => {
                quiet = true;
                out = Some(if a == "-qO" {
                    i += 1;
                    args.get(i).cloned().unwrap_or_default()
                } else {
                    "-".into()
                });
            }
            "-T" | "--timeout" | "-t" | "--tries" => i += 1,
            _ if a.starts_with("-O") => out = Some(a[2..].to_string()),
            _ if a.starts_with("--output-document=") => {
                out = Some(a["--output-document=".len()..].to_string())
            }
            _ if a.starts_with("--timeout=") || a.starts_with("--tries=") => {}
            _ if a.starts_with('-') && a.len() > 1 => {
                return run.fail(
                    2,
                    format!("wget: invalid option -- '{}'\nUsage: wget [OPTION]... [URL]...\n\nTry `wget --help' for more options.\n", a.trim_start_matches('-')),
                );
            }
            _ => urls.push(a.to_string()),
        }
        i += 1;
    }
    let Some(raw) = urls.first() else {
        return run.fail(1, USAGE);
    };
    let url = match parse_url(raw) {
        Ok(u) => u,
        Err(scheme) => return run.fail(1, format!("{raw}: Unsupported scheme ‘{scheme}’.\n")),
    };
    let full = format!(
        "{}://{}{}{}",
        url.scheme,
        url.host,
        if (url.scheme == "http" && url.port == 80) || (url.scheme == "https" && url.port == 443) {
            String::new()
        } else {
            format!(":{}", url.port)
        },
        url.path
    );
    let verbose = !quiet && !no_verbose;
    let mut log = String::new();
    if verbose {
        log.push_str(&format!("--{}--  {full}\n", stamp(cluster)));
    }
    let is_ip = dns::is_ip(&url.host);
    let ip = if is_ip {
        url.host.clone()
    } else {
        match dns::resolve(&cluster.apiserver, &client.resolver, &url.host) {
            Some((_, ips)) => {
                let ip = ips.first().cloned().unwrap_or_default();
                if verbose {
                    log.push_str(&format!(
                        "Resolving {host} ({host})... {}\n",
                        ips.join(", "),
                        host = url.host
                    ));
                }
                ip
            }
            None => {
                if verbose {
                    log.push_str(&format!(
                        "Resolving {host} ({host})... failed: Temporary failure in name resolution.\n",
                        host = url.host
                    ));
                }
                if !quiet {
                    log.push_str(&format!(
                        "wget: unable to resolve host address ‘{}’\n",
                        url.host
                    ));
                }
                return run.fail(4, log);
            }
        }
    };
    if verbose {
        if is_ip {
            log.push_str(&format!("Connecting to {ip}:{}... ", url.port));
        } else {
            log.push_str(&format!(
                "Connecting to {host} ({host})|{ip}|:{}... ",
                url.port,
                host = url.host
            ));
        }
    }
    let backend = match proxy::connect(cluster, &client.node, &client.source_ip, &ip, url.port) {
        Ok(b) => b,
        Err(r) => {
            let why = match r {
                Refusal::Refused => "Connection refused",
                Refusal::NoRoute => "No route to host",
                Refusal::TimedOut => "Connection timed out",
            };
            if verbose {
                log.push_str(&format!("failed: {why}.\n"));
            }
            return run.fail(4, log);
        }
    };
    if verbose {
        log.push_str("connected.\n");
    }
    if url.scheme == "https" {
        if verbose {
            log.push_str("GnuTLS: An unexpected TLS packet was received.\nUnable to establish SSL connection.\n");
        }
        return run.fail(4, log);
    }
    let now = cluster.now();
    let Some(resp) = http::get(&backend, &url.host, &url.path, now) else {
        if verbose {
            log.push_str(
                "HTTP request sent, awaiting response... No data received.\nRetrying.\n\n",
            );
        }
        return run.fail(4, log);
    };
    if verbose {
        log.push_str(&format!(
            "HTTP request sent, awaiting response... {} {}\n",
            resp.status, resp.reason
        ));
    }
    if resp.status >= 400 {
        if !quiet {
            log.push_str(&format!(
                "{} ERROR {}: {}.\n\n",
                stamp(cluster),
                resp.status,
                resp.reason
            ));
        }
        return run.fail(8, log);
    }
    let n = resp.body.len();
    let ctype = resp
        .headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("Content-Type"))
        .map(|(_, v)| v.clone())
        .unwrap_or_else(|| "text/html".into());
    if verbose {
        log.push_str(&format!("Length: {n} [{ctype}]\n"));
    }
    if spider {
        if verbose {
            log.push_str("Remote file exists and could contain further links,\nbut recursion is disabled -- not retrieving.\n\n");
        }
        run.err.push_str(&log);
        return run;
    }
    let name = out.unwrap_or_else(|| {
        url.path
            .rsplit('/')
            .next()
            .filter(|s| !s.is_empty())
            .unwrap_or("index.html")
            .to_string()
    });
    let shown = if name == "-" {
        "STDOUT".to_string()
    } else {
        format!("‘{name}’")
    };
    if verbose {
        log.push_str(&format!("Saving to: {shown}\n\n"));
        let bar_name = if name == "-" { "-" } else { name.as_str() };
        log.push_str(&format!(
            "{bar_name:<20}100%[===================>] {n:>7}  --.-KB/s    in 0s      \n\n"
        ));
        let done = if name == "-" {
            format!("written to stdout [{n}/{n}]")
        } else {
            format!("{shown} saved [{n}/{n}]")
        };
        log.push_str(&format!("{} (61.2 MB/s) - {done}\n\n", stamp(cluster)));
    } else if no_verbose && name != "-" {
        log.push_str(&format!(
            "{} URL:{full} [{n}/{n}] -> \"{name}\" [1]\n",
            stamp(cluster)
        ));
    }
    if name == "-" {
        // The log is written around the body, as it comes.
        let cut = log
            .find("Saving to: STDOUT\n\n")
            .map_or(log.len(), |i| i + 19);
        run.head.push_str(&log[..cut]);
        run.out.push_str(&resp.body);
        run.err.push_str(&log[cut..]);
    } else {
        run.err.push_str(&log);
        run.file = Some((name, resp.body));
    }
    run
}
