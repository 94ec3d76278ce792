//! What a container does, modelled from its image and its command: a server
//! (nginx, redis, mysql, the control-plane binaries) prints its start-up
//! lines and runs until stopped; `sleep 30` exits 0 after 30 simulated
//! seconds; `sh -c '…'` runs the script in `shell.rs`; a shell with nothing
//! to do exits at once. Running a container is a pure function of its
//! inputs and the time: [`run`] returns the log lines with their offsets,
//! the file changes the process makes, when it exits and with what code,
//! and what it serves — so logs and exec can be replayed at any time.

use super::images::Kind;
#[path = "container_apps.rs"]
mod apps;
use super::shell::{self, Conn, Item, Node, Redir, Seg, Word};
use crate::clock::Time;
use crate::scan;
pub use apps::pi;
use std::collections::BTreeMap;

/// A change the process makes to its files.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileOp {
    Write {
        path: String,
        data: String,
        append: bool,
    },
    Remove(String),
    Mkdir(String),
}

/// Read access to the container's file view.
pub trait Files {
    fn read(&self, path: &str) -> Option<String>;
    fn is_dir(&self, path: &str) -> bool;
    fn list(&self, dir: &str) -> Option<Vec<String>>;
    /// `nslookup ARGS` against the cluster DNS, as the container's
    /// resolver sees it: the text it prints and its exit status. `None`
    /// where there is no cluster to ask (tests, probes).
    fn nslookup(&self, _args: &[String]) -> Option<(String, i32)> {
        None
    }
}

/// What a server answers on HTTP.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Paths {
    /// Every path is 200.
    Any,
    /// These paths are 200, the rest 404.
    Only(Vec<&'static str>),
}

/// A server the container runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Serve {
    /// TCP ports listening, once `ready_after` (ms from start) has passed.
    pub ports: Vec<u16>,
    pub http: Vec<(u16, Paths)>,
    pub ready_after: i64,
    /// From this time (ms from start) on, every HTTP path answers 500
    /// (the liveness example servers).
    pub http_fails_after: Option<i64>,
}

/// The run of a container instance up to a horizon.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    pub logs: Vec<(i64, String)>,
    pub ops: Vec<(i64, FileOp)>,
    /// When the process exits (ms from start) and its code; `None` if it
    /// still runs at the horizon.
    pub exit: Option<(i64, i32)>,
    pub serve: Option<Serve>,
    /// The runtime could not start the process (`StartError`).
    pub start_error: Option<String>,
    /// Extra memory the program allocates (stress `--vm-bytes`).
    pub memory_extra: u64,
    /// Extra CPU (millicores) the program burns (stress `--cpu N`).
    pub cpu_extra: u64,
    /// Whether it blocks forever (a server, `sleep infinity`, `tail -f`).
    pub forever: bool,
    /// ms from SIGTERM to exit 0, or `None` when it ignores SIGTERM (a
    /// shell or `sleep` as PID 1: SIGKILL after the grace period, 137).
    pub sigterm_exit: Option<i64>,
}

/// Inputs of a run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunCtx {
    pub kind: Kind,
    pub tag: String,
    pub argv: Vec<String>,
    pub env: Vec<(String, String)>,
    pub hostname: String,
    pub pod_ip: String,
    pub start: Time,
    /// Per-instance entropy (from the container ID).
    pub seed: u64,
}

const BUSYBOX: &[&str] = &[
    "sh", "ash", "sleep", "echo", "cat", "env", "printenv", "date", "touch", "rm", "mkdir", "ls",
    "tail", "head", "true", "false", "hostname", "wget", "nslookup", "ping", "printf", "wc",
    "grep", "sed", "awk", "id", "whoami", "ps", "top", "df", "du", "vi", "nc", "telnet", "which",
    "test", "[", "expr", "seq", "yes", "uname", "mount", "find", "chmod", "chown", "cp", "mv",
    "ln", "base64", "md5sum", "sort", "uniq", "tr", "cut", "xargs", "tee", "kill", "timeout",
    "watch", "free", "uptime", "pwd", "basename", "dirname", "stat", "dd", "tar", "gzip", "less",
    "more", "nohup", "exit", "busybox",
];
const GNU: &[&str] = &[
    "sh", "bash", "dash", "sleep", "echo", "cat", "env", "printenv", "date", "touch", "rm",
    "mkdir", "ls", "tail", "head", "true", "false", "hostname", "printf", "wc", "grep", "sed",
    "awk", "id", "whoami", "which", "test", "[", "expr", "seq", "yes", "uname", "mount", "find",
    "chmod", "chown", "cp", "mv", "ln", "base64", "md5sum", "sort", "uniq", "tr", "cut", "xargs",
    "tee", "kill", "timeout", "pwd", "basename", "dirname", "stat", "dd", "tar", "gzip", "df",
    "du", "apt", "apt-get", "dpkg", "perl", "more", "nohup", "exit", "mawk",
];

fn busybox_like(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::Busybox | Kind::Alpine | Kind::WebappColor | Kind::Stress
    )
}

/// The program names an image has on its PATH (besides its shell userland).
fn extras(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Nginx => &[
            "nginx",
            "docker-entrypoint.sh",
            "nginx-debug",
            "curl",
            "envsubst",
        ],
        Kind::Httpd => &["httpd", "httpd-foreground", "apachectl"],
        Kind::Redis => &[
            "redis-server",
            "redis-cli",
            "docker-entrypoint.sh",
            "redis-sentinel",
        ],
        Kind::Mysql => &["mysqld", "mysql", "docker-entrypoint.sh", "mysqladmin"],
        Kind::Postgres => &[
            "postgres",
            "psql",
            "docker-entrypoint.sh",
            "pg_ctl",
            "initdb",
        ],
        Kind::Memcached => &["memcached", "docker-entrypoint.sh"],
        Kind::Python | Kind::WebappColor => &["python", "python3", "pip", "pip3"],
        Kind::Node => &["node", "npm", "npx", "docker-entrypoint.sh", "yarn"],
        Kind::Stress => &["stress"],
        Kind::Mongo => &["mongod", "mongosh", "mongo", "docker-entrypoint.sh"],
        Kind::Rabbitmq => &[
            "rabbitmq-server",
            "rabbitmqctl",
            "rabbitmq-plugins",
            "rabbitmq-diagnostics",
            "docker-entrypoint.sh",
        ],
        Kind::Wordpress | Kind::PhpApache => &[
            "apache2-foreground",
            "apache2",
            "apachectl",
            "php",
            "docker-entrypoint.sh",
            "docker-php-entrypoint",
            "curl",
        ],
        Kind::Perl => &["perl", "perl5.40.2", "cpan", "cpanm"],
        Kind::Debian | Kind::Busybox | Kind::Alpine | Kind::Server => &[],
        Kind::Binary(_) | Kind::Pause | Kind::HelloWorld | Kind::Liveness => &[],
    }
}

/// Whether `name` (a path or a bare name) is an executable in the image.
pub fn has_program(kind: Kind, name: &str) -> bool {
    let base = name.rsplit('/').next().unwrap_or(name);
    match kind {
        Kind::Pause => base == "pause",
        // `scratch` images: one static binary and nothing else.
        Kind::HelloWorld => base == "hello",
        Kind::Liveness => base == "server",
        Kind::Binary(b) => {
            base == b
                || (b == "etcd" && matches!(base, "etcdctl" | "etcdutl"))
                || (b == "kube-proxy" && matches!(base, "iptables" | "ip6tables" | "conntrack"))
        }
        Kind::Server => BUSYBOX.contains(&base) || !base.is_empty() && base != "pyhton",
        k => {
            extras(k).contains(&base)
                || if busybox_like(k) {
                    BUSYBOX.contains(&base)
                } else {
                    GNU.contains(&base)
                }
        }
    }
}

/// The image's ENTRYPOINT and CMD.
pub fn image_defaults(kind: Kind) -> (Vec<&'static str>, Vec<&'static str>) {
    match kind {
        Kind::Nginx => (
            vec!["/docker-entrypoint.sh"],
            vec!["nginx", "-g", "daemon off;"],
        ),
        Kind::Httpd => (vec![], vec!["httpd-foreground"]),
        Kind::Redis => (vec!["docker-entrypoint.sh"], vec!["redis-server"]),
        Kind::Mysql => (vec!["docker-entrypoint.sh"], vec!["mysqld"]),
        Kind::Postgres => (vec!["docker-entrypoint.sh"], vec!["postgres"]),
        Kind::Memcached => (vec!["docker-entrypoint.sh"], vec!["memcached"]),
        Kind::Busybox => (vec![], vec!["sh"]),
        Kind::Alpine => (vec![], vec!["/bin/sh"]),
        Kind::Debian => (vec![], vec!["/bin/bash"]),
        Kind::Python => (vec![], vec!["python3"]),
        Kind::Node => (vec!["docker-entrypoint.sh"], vec!["node"]),
        Kind::WebappColor => (vec!["python", "app.py"], vec![]),
        Kind::Stress => (
            vec!["/usr/bin/stress"],
            vec!["--verbose", "--vm", "1", "--vm-bytes", "32M"],
        ),
        Kind::Binary(b) => (vec![b], vec![]),
        Kind::Server => (vec!["/usr/local/bin/start"], vec![]),
        Kind::Pause => (vec!["/pause"], vec![]),
        Kind::Mongo => (vec!["docker-entrypoint.sh"], vec!["mongod"]),
        Kind::Rabbitmq => (vec!["docker-entrypoint.sh"], vec!["rabbitmq-server"]),
        Kind::Wordpress => (vec!["docker-entrypoint.sh"], vec!["apache2-foreground"]),
        Kind::PhpApache => (vec!["docker-php-entrypoint"], vec!["apache2-foreground"]),
        Kind::Perl => (vec![], vec!["perl5.40.2", "-de0"]),
        Kind::HelloWorld => (vec![], vec!["/hello"]),
        Kind::Liveness => (vec![], vec!["/server"]),
    }
}

/// The environment the image sets (before the pod's).
pub fn image_env(kind: Kind, tag: &str) -> Vec<(String, String)> {
    let path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    let mut v = vec![("PATH".to_string(), path.to_string())];
    let mut add = |k: &str, val: &str| v.push((k.to_string(), val.to_string()));
    match kind {
        Kind::Nginx => {
            add("NGINX_VERSION", &nginx_version(tag));
            add("NJS_VERSION", "0.8.10");
            add("NJS_RELEASE", "1~bookworm");
            add("PKG_RELEASE", "1~bookworm");
            add("DYNPKG_RELEASE", "1~bookworm");
        }
        Kind::Redis => {
            add(
                "REDIS_DOWNLOAD_URL",
                "http://download.redis.io/releases/redis-7.4.2.tar.gz",
            );
        }
        Kind::Httpd => {
            add("HTTPD_PREFIX", "/usr/local/apache2");
            add("HTTPD_VERSION", "2.4.63");
        }
        Kind::Python | Kind::WebappColor => {
            add("LANG", "C.UTF-8");
            add(
                "PYTHON_VERSION",
                if kind == Kind::WebappColor {
                    "3.6.15"
                } else {
                    "3.13.3"
                },
            );
        }
        Kind::Node => add("NODE_VERSION", "22.15.0"),
        Kind::Mysql => add("MYSQL_VERSION", "9.3.0-1.el9"),
        Kind::Postgres => {
            add("PG_MAJOR", "17");
            add("PGDATA", "/var/lib/postgresql/data");
        }
        Kind::Mongo => {
            add("GOSU_VERSION", "1.17");
            add("JSYAML_VERSION", "3.13.1");
            add("MONGO_PACKAGE", "mongodb-org");
            add("MONGO_REPO", "repo.mongodb.org");
            add("MONGO_MAJOR", "8.0");
            add("MONGO_VERSION", "8.0.9");
            add("HOME", "/data/db");
        }
        Kind::Rabbitmq => {
            add("OPENSSL_VERSION", "3.3.3");
            add("OTP_VERSION", "27.3.3");
            add("RABBITMQ_DATA_DIR", "/var/lib/rabbitmq");
            add("RABBITMQ_VERSION", "4.1.0");
            add("RABBITMQ_HOME", "/opt/rabbitmq");
            add("HOME", "/var/lib/rabbitmq");
            add("LANG", "C.UTF-8");
        }
        Kind::Wordpress | Kind::PhpApache => {
            add("PHP_INI_DIR", "/usr/local/etc/php");
            add("APACHE_CONFDIR", "/etc/apache2");
            add("APACHE_ENVVARS", "/etc/apache2/envvars");
            add("PHP_VERSION", "8.2.28");
        }
        Kind::Perl => add("LANG", "C.UTF-8"),
        _ => {}
    }
    v
}

pub fn nginx_version(tag: &str) -> String {
    match tag {
        "1.14" | "1.14.2" => "1.14.2".into(),
        "1.26" | "stable" | "stable-alpine" => "1.26.3".into(),
        "1.28" => "1.28.0".into(),
        "1.27.4" => "1.27.4".into(),
        t if t.starts_with("1.") && t.len() <= 4 => format!("{t}.0"),
        _ => "1.27.5".into(),
    }
}

/// Base memory (bytes) and CPU (millicores) of a program at rest.
pub fn base_usage(kind: Kind) -> (u64, u64) {
    const MI: u64 = 1024 * 1024;
    match kind {
        Kind::Nginx => (3 * MI + MI / 2, 1),
        Kind::Httpd => (6 * MI, 1),
        Kind::Redis => (3 * MI + MI / 4, 2),
        Kind::Mysql => (380 * MI, 6),
        Kind::Postgres => (28 * MI, 2),
        Kind::Memcached => (2 * MI, 1),
        Kind::Busybox | Kind::Alpine => (MI / 4, 0),
        Kind::Debian => (MI / 2, 0),
        Kind::Python => (9 * MI, 1),
        Kind::WebappColor => (22 * MI, 1),
        Kind::Node => (40 * MI, 1),
        Kind::Stress => (MI, 1),
        Kind::Pause => (MI / 4, 0),
        Kind::Server => (16 * MI, 1),
        Kind::Mongo => (72 * MI, 5),
        Kind::Rabbitmq => (118 * MI, 4),
        Kind::Wordpress => (14 * MI, 1),
        Kind::PhpApache => (9 * MI, 1),
        Kind::Perl => (3 * MI, 1),
        Kind::HelloWorld | Kind::Liveness => (MI, 0),
        Kind::Binary(b) => match b {
            "kube-apiserver" => (252 * MI, 38),
            "etcd" => (46 * MI, 21),
            "kube-controller-manager" => (48 * MI, 14),
            "kube-scheduler" => (21 * MI, 3),
            "kube-proxy" => (16 * MI, 1),
            "coredns" => (13 * MI, 2),
            "metrics-server" => (18 * MI, 4),
            _ => (20 * MI, 2),
        },
    }
}

/// Civil date parts of a time: year, month, day, hour, minute, second, weekday (0 = Sunday).
pub fn civil(t: Time) -> (i64, usize, i64, i64, i64, i64, usize) {
    let s = t.rfc3339();
    let num = |a: usize, b: usize| s.get(a..b).and_then(|x| x.parse::<i64>().ok()).unwrap_or(0);
    let days = t.0.div_euclid(86_400_000);
    let wd = (days + 4).rem_euclid(7) as usize;
    (
        num(0, 4),
        num(5, 7) as usize,
        num(8, 10),
        num(11, 13),
        num(14, 16),
        num(17, 19),
        wd,
    )
}

const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn month(m: usize) -> &'static str {
    MONTHS.get(m.saturating_sub(1)).copied().unwrap_or("Jan")
}

/// `date`'s default output: `Wed Apr 23 08:15:02 UTC 2025`.
pub fn date_text(t: Time) -> String {
    let (y, mo, d, h, mi, s, wd) = civil(t);
    format!(
        "{} {} {d:2} {h:02}:{mi:02}:{s:02} UTC {y}",
        WEEKDAYS.get(wd).copied().unwrap_or("Sun"),
        month(mo)
    )
}

/// Expands `$(VAR)` in a command or argument as the kubelet does
/// (`$$(VAR)` escapes; an unknown variable stays as written).
pub fn expand_kube_vars(s: &str, env: &[(String, String)]) -> String {
    let mut out = String::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < s.len() {
        if scan::byte(b, i) == b'$' && b.get(i + 1) == Some(&b'$') {
            out.push('$');
            i += 2;
            continue;
        }
        if scan::byte(b, i) == b'$' && b.get(i + 1) == Some(&b'(') {
            if let Some(end) = s[i + 2..].find(')') {
                let name = &s[i + 2..i + 2 + end];
                if let Some((_, v)) = env.iter().rev().find(|(k, _)| k == name) {
                    out.push_str(v);
                    i += end + 3;
                    continue;
                }
            }
        }
        let ch = s[i..].chars().next().unwrap_or(' ');
        out.push(ch);
        i += ch.len_utf8();
    }
    out
}

enum Flow {
    Next(i32),
    Exit(i32),
    /// The horizon is reached, or the process blocks forever.
    Stop,
}

/// The interpreter's state.
struct Sim<'a> {
    ctx: &'a RunCtx,
    files: &'a dyn Files,
    overlay: BTreeMap<String, Option<String>>,
    out: Outcome,
    vars: BTreeMap<String, String>,
    t: i64,
    horizon: i64,
    steps: u32,
    capture: Vec<String>,
    status: i32,
}

/// How many simple commands a run may take before it counts as running forever.
const MAX_STEPS: u32 = 20_000;

/// Runs the container up to `horizon` ms after its start.
pub fn run(ctx: &RunCtx, files: &dyn Files, horizon: i64) -> Outcome {
    let mut sim = Sim {
        ctx,
        files,
        overlay: BTreeMap::new(),
        out: Outcome {
            sigterm_exit: None,
            ..Default::default()
        },
        vars: crate::sort::map(ctx.env.iter().cloned()),
        t: 0,
        horizon,
        steps: 0,
        capture: Vec::new(),
        status: 0,
    };
    let Some(first) = ctx.argv.first() else {
        sim.out.start_error = Some("failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: no command specified: unknown".into());
        return sim.out;
    };
    if !has_program(ctx.kind, first) {
        sim.out.start_error = Some(format!("failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: {first:?}: executable file not found in $PATH: unknown"));
        return sim.out;
    }
    // Shells and `sleep` as PID 1 have no SIGTERM handler; servers do.
    let argv = ctx.argv.clone();
    match sim.exec(&argv, None, true) {
        Flow::Next(code) | Flow::Exit(code) => {
            let t = sim.t;
            sim.out.exit = Some((t, code));
        }
        Flow::Stop => {}
    }
    sim.out
}

impl Sim<'_> {
    fn print(&mut self, text: &str) {
        if let Some(buf) = self.capture.last_mut() {
            buf.push_str(text);
            return;
        }
        let t = self.t;
        for line in text.strip_suffix('\n').unwrap_or(text).split('\n') {
            self.out.logs.push((t, line.to_string()));
        }
    }

    fn log_at(&mut self, dt: i64, line: String) {
        let t = self.t + dt;
        self.out.logs.push((t, line));
    }

    fn read(&self, path: &str) -> Option<String> {
        match self.overlay.get(path) {
            Some(v) => v.clone(),
            None => self.files.read(path),
        }
    }

    fn exists(&self, path: &str) -> bool {
        self.read(path).is_some() || self.files.is_dir(path) || path == "/"
    }

    fn write(&mut self, path: &str, data: &str, append: bool) {
        let mut content = if append {
            self.read(path).unwrap_or_default()
        } else {
            String::new()
        };
        content.push_str(data);
        self.overlay.insert(path.to_string(), Some(content));
        self.out.ops.push((
            self.t,
            FileOp::Write {
                path: path.to_string(),
                data: data.to_string(),
                append,
            },
        ));
    }

    fn abs(&self, p: &str) -> String {
        crate::node::fs::normalize("/", p)
    }

    fn gnu(&self) -> bool {
        !busybox_like(self.ctx.kind)
    }

    fn sleep_for(&mut self, ms: Option<i64>) -> Flow {
        match ms {
            Some(ms) if self.t + ms <= self.horizon => {
                self.t += ms;
                Flow::Next(0)
            }
            Some(_) => Flow::Stop,
            None => {
                self.out.forever = true;
                Flow::Stop
            }
        }
    }

    fn expand_word(&mut self, w: &Word) -> String {
        let mut s = String::new();
        for seg in w {
            match seg {
                Seg::Lit(l) => s.push_str(l),
                Seg::Var(v) => s.push_str(&match v.as_str() {
                    "?" => self.status.to_string(),
                    "$" => "1".to_string(),
                    "HOSTNAME" => self
                        .vars
                        .get("HOSTNAME")
                        .cloned()
                        .unwrap_or_else(|| self.ctx.hostname.clone()),
                    _ => self.vars.get(v).cloned().unwrap_or_default(),
                }),
                Seg::Cmd(c) => {
                    self.capture.push(String::new());
                    if let Ok(items) = shell::parse(c) {
                        let _ = self.list(&items);
                    }
                    let out = self.capture.pop().unwrap_or_default();
                    s.push_str(out.trim_end_matches('\n'));
                }
                Seg::Arith(a) => s.push_str(&self.arith(a).to_string()),
            }
        }
        s
    }

    fn arith(&mut self, expr: &str) -> i64 {
        let expr = expr.trim();
        let val = |sim: &Sim, t: &str| -> i64 {
            let t = t.trim().trim_start_matches('$');
            t.parse::<i64>()
                .unwrap_or_else(|_| sim.vars.get(t).and_then(|v| v.parse().ok()).unwrap_or(0))
        };
        for op in ['+', '-', '*', '/', '%'] {
            if let Some((a, b)) = expr.rsplit_once(op) {
                if a.trim().is_empty() {
                    continue;
                }
                let (x, y) = (val(self, a), val(self, b));
                return match op {
                    '+' => x.saturating_add(y),
                    '-' => x.saturating_sub(y),
                    '*' => x.saturating_mul(y),
                    '/' => x.checked_div(y).unwrap_or(0),
                    _ => x.checked_rem(y).unwrap_or(0),
                };
            }
        }
        val(self, expr)
    }

    fn list(&mut self, items: &[Item]) -> Flow {
        let mut last = 0;
        for item in items {
            match item.conn {
                Conn::And if last != 0 => continue,
                Conn::Or if last == 0 => continue,
                _ => {}
            }
            match self.node(&item.node) {
                Flow::Next(c) => {
                    last = c;
                    self.status = c;
                }
                f => return f,
            }
        }
        Flow::Next(last)
    }

    fn node(&mut self, node: &Node) -> Flow {
        self.steps += 1;
        if self.steps > MAX_STEPS {
            self.out.forever = true;
            return Flow::Stop;
        }
        match node {
            Node::Simple { words, redirs } => {
                let mut argv = Vec::new();
                for w in words {
                    argv.push(self.expand_word(w));
                }
                // NAME=value assignments.
                while let Some(first) = argv.first() {
                    match first.split_once('=') {
                        Some((k, v))
                            if !k.is_empty()
                                && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') =>
                        {
                            self.vars.insert(k.to_string(), v.to_string());
                            argv.remove(0);
                        }
                        _ => break,
                    }
                }
                if argv.is_empty() {
                    return Flow::Next(0);
                }
                let mut stdin = None;
                let mut target: Option<(String, bool)> = None;
                for r in redirs {
                    match r {
                        Redir::Out(w) => target = Some((self.expand_word(w), false)),
                        Redir::Append(w) => target = Some((self.expand_word(w), true)),
                        Redir::In(w) => {
                            let p = self.expand_word(w);
                            stdin = Some(self.read(&self.abs(&p)).unwrap_or_default());
                        }
                        Redir::Dup => {}
                    }
                }
                match target {
                    Some((path, append)) => {
                        self.capture.push(String::new());
                        let f = self.exec(&argv, stdin, false);
                        let text = self.capture.pop().unwrap_or_default();
                        if path != "/dev/null" && path != "/dev/stdout" && path != "/proc/1/fd/1" {
                            let p = self.abs(&path);
                            self.write(&p, &text, append);
                        } else if path != "/dev/null" {
                            self.print(&text);
                        }
                        f
                    }
                    None => self.exec(&argv, stdin, false),
                }
            }
            Node::Pipe(stages) => {
                let mut input: Option<String> = None;
                let n = stages.len();
                let mut flow = Flow::Next(0);
                for (i, st) in stages.iter().enumerate() {
                    let last = i + 1 == n;
                    if !last {
                        self.capture.push(String::new());
                    }
                    flow = match st {
                        Node::Simple { words, .. } => {
                            let argv: Vec<String> =
                                words.iter().map(|w| self.expand_word(w)).collect();
                            self.exec(&argv, input.take(), false)
                        }
                        other => self.node(other),
                    };
                    if !last {
                        input = Some(self.capture.pop().unwrap_or_default());
                    }
                    if matches!(flow, Flow::Stop) {
                        return flow;
                    }
                }
                flow
            }
            Node::While { cond, body, until } => loop {
                let c = match self.list(cond) {
                    Flow::Next(c) => c,
                    f => return f,
                };
                if (c == 0) == *until {
                    return Flow::Next(0);
                }
                match self.list(body) {
                    Flow::Next(_) => {}
                    f => return f,
                }
            },
            Node::For { var, items, body } => {
                let values: Vec<String> = items
                    .iter()
                    .map(|w| self.expand_word(w))
                    .flat_map(|s| s.split_whitespace().map(String::from).collect::<Vec<_>>())
                    .collect();
                let mut last = Flow::Next(0);
                for v in values {
                    self.vars.insert(var.clone(), v);
                    last = self.list(body);
                    if !matches!(last, Flow::Next(_)) {
                        return last;
                    }
                }
                last
            }
            Node::If { cond, then, els } => match self.list(cond) {
                Flow::Next(0) => self.list(then),
                Flow::Next(_) => self.list(els),
                f => f,
            },
            Node::Group(items) => self.list(items),
        }
    }

    /// Runs a script as `sh -c` would.
    fn script(&mut self, src: &str, shell_name: &str) -> Flow {
        match shell::parse(src) {
            Ok(items) => self.list(&items),
            Err(e) => {
                let msg = if shell_name == "bash" {
                    format!("bash: -c: line 1: {e}")
                } else if self.gnu() {
                    format!("sh: 1: {e}")
                } else {
                    format!("sh: {e}")
                };
                self.print(&format!("{msg}\n"));
                Flow::Exit(2)
            }
        }
    }

    fn not_found(&mut self, name: &str) -> Flow {
        let msg = if busybox_like(self.ctx.kind) {
            format!("sh: {name}: not found")
        } else {
            format!("sh: 1: {name}: not found")
        };
        self.print(&format!("{msg}\n"));
        Flow::Next(127)
    }

    /// Runs one program. `pid1` is the container's own process.
    fn exec(&mut self, argv: &[String], stdin: Option<String>, pid1: bool) -> Flow {
        let Some(cmd) = argv.first() else {
            return Flow::Next(0);
        };
        let name = cmd.rsplit('/').next().unwrap_or(cmd).to_string();
        let args = argv.get(1..).unwrap_or_default();
        if !pid1 && !has_program(self.ctx.kind, &name) && !is_builtin(&name) {
            return self.not_found(&name);
        }
        match name.as_str() {
            "sh" | "bash" | "ash" | "dash" => {
                let mut it = args.iter();
                while let Some(a) = it.next() {
                    if a == "-c" {
                        let src = it.next().cloned().unwrap_or_default();
                        return self.script(&src, &name);
                    }
                    if !a.starts_with('-') {
                        let p = self.abs(a);
                        return match self.read(&p) {
                            Some(src) => self.script(&src, &name),
                            None => {
                                self.print(&format!("{name}: {a}: No such file or directory\n"));
                                Flow::Exit(127)
                            }
                        };
                    }
                }
                // No script and no terminal: the shell reads EOF and exits.
                Flow::Next(0)
            }
            "sleep" => {
                let mut total = 0i64;
                for a in args {
                    match parse_sleep(a) {
                        Some(None) => return self.sleep_for(None),
                        Some(Some(ms)) => total += ms,
                        None => {
                            self.print(&format!("sleep: invalid number '{a}'\n"));
                            return Flow::Next(1);
                        }
                    }
                }
                if args.is_empty() {
                    self.print("sleep: missing operand\n");
                    return Flow::Next(1);
                }
                self.sleep_for(Some(total))
            }
            "echo" => {
                let (nl, rest) = match args.first().map(String::as_str) {
                    Some("-n") => (false, args.get(1..).unwrap_or_default()),
                    Some("-e") => (true, args.get(1..).unwrap_or_default()),
                    _ => (true, args),
                };
                let mut s = rest.join(" ").replace("\\n", "\n");
                if nl {
                    s.push('\n');
                }
                self.print(&s);
                Flow::Next(0)
            }
            "printf" => {
                let fmt = args.first().cloned().unwrap_or_default();
                let mut s = fmt.replace("\\n", "\n").replace("\\t", "\t");
                for a in args.iter().skip(1) {
                    s = s.replacen("%s", a, 1).replacen("%d", a, 1);
                }
                self.print(&s);
                Flow::Next(0)
            }
            "env" | "printenv" => {
                if name == "printenv" && !args.is_empty() {
                    let vals: Vec<String> = args
                        .iter()
                        .filter_map(|a| self.vars.get(a).cloned())
                        .collect();
                    let found = vals.len() == args.len();
                    for v in vals {
                        self.print(&format!("{v}\n"));
                    }
                    return Flow::Next(if found { 0 } else { 1 });
                }
                let mut text = String::new();
                for (k, v) in &self.ctx.env {
                    if self.vars.get(k) == Some(v) {
                        text.push_str(&format!("{k}={v}\n"));
                    }
                }
                self.print(&text);
                Flow::Next(0)
            }
            "cat" => {
                if args.is_empty() {
                    let s = stdin.unwrap_or_default();
                    self.print(&s);
                    return Flow::Next(0);
                }
                let mut code = 0;
                for a in args.iter().filter(|a| !a.starts_with('-')) {
                    let p = self.abs(a);
                    if self.files.is_dir(&p) {
                        self.print("cat: read error: Is a directory\n");
                        code = 1;
                        continue;
                    }
                    match self.read(&p) {
                        Some(c) => self.print(&c),
                        None => {
                            code = 1;
                            let msg = if self.gnu() {
                                format!("cat: {a}: No such file or directory\n")
                            } else {
                                format!("cat: can't open '{a}': No such file or directory\n")
                            };
                            self.print(&msg);
                        }
                    }
                }
                Flow::Next(code)
            }
            "tee" => {
                let s = stdin.unwrap_or_default();
                for a in args.iter().filter(|a| !a.starts_with('-')) {
                    let p = self.abs(a);
                    let append = args.iter().any(|x| x == "-a");
                    self.write(&p, &s, append);
                }
                self.print(&s);
                Flow::Next(0)
            }
            "date" => {
                let now = self.ctx.start + crate::clock::Duration::from_millis(self.t);
                self.print(&format!("{}\n", date_text(now)));
                Flow::Next(0)
            }
            "hostname" => {
                let h = self.ctx.hostname.clone();
                self.print(&format!("{h}\n"));
                Flow::Next(0)
            }
            "touch" => {
                for a in args.iter().filter(|a| !a.starts_with('-')) {
                    let p = self.abs(a);
                    if self.read(&p).is_none() {
                        self.write(&p, "", true);
                    }
                }
                Flow::Next(0)
            }
            "rm" => {
                let force = args.iter().any(|a| a.starts_with('-') && a.contains('f'));
                let mut code = 0;
                for a in args.iter().filter(|a| !a.starts_with('-')) {
                    let p = self.abs(a);
                    if self.exists(&p) {
                        self.overlay.insert(p.clone(), None);
                        self.out.ops.push((self.t, FileOp::Remove(p)));
                    } else if !force {
                        code = 1;
                        let msg = if self.gnu() {
                            format!("rm: cannot remove '{a}': No such file or directory\n")
                        } else {
                            format!("rm: can't remove '{a}': No such file or directory\n")
                        };
                        self.print(&msg);
                    }
                }
                Flow::Next(code)
            }
            "mkdir" => {
                for a in args.iter().filter(|a| !a.starts_with('-')) {
                    let p = self.abs(a);
                    self.out.ops.push((self.t, FileOp::Mkdir(p)));
                }
                Flow::Next(0)
            }
            "ls" => {
                let dir = args
                    .iter()
                    .find(|a| !a.starts_with('-'))
                    .cloned()
                    .unwrap_or_else(|| "/".into());
                let p = self.abs(&dir);
                match self.files.list(&p) {
                    Some(names) => {
                        let mut names = names;
                        for (k, v) in &self.overlay {
                            if let Some(rest) =
                                k.strip_prefix(&format!("{}/", p.trim_end_matches('/')))
                            {
                                if !rest.contains('/') {
                                    if v.is_some() && !names.contains(&rest.to_string()) {
                                        names.push(rest.to_string());
                                    } else if v.is_none() {
                                        names.retain(|n| n != rest);
                                    }
                                }
                            }
                        }
                        crate::sort::sort(&mut names);
                        let text: String = names.iter().map(|n| format!("{n}\n")).collect();
                        self.print(&text);
                        Flow::Next(0)
                    }
                    None if self.read(&p).is_some() => {
                        self.print(&format!("{dir}\n"));
                        Flow::Next(0)
                    }
                    None => {
                        let msg = if self.gnu() {
                            format!("ls: cannot access '{dir}': No such file or directory\n")
                        } else {
                            format!("ls: {dir}: No such file or directory\n")
                        };
                        self.print(&msg);
                        Flow::Next(if self.gnu() { 2 } else { 1 })
                    }
                }
            }
            "true" | ":" => Flow::Next(0),
            "false" => Flow::Next(1),
            "exit" => Flow::Exit(
                args.first()
                    .and_then(|a| a.parse().ok())
                    .unwrap_or(self.status),
            ),
            "export" | "set" | "trap" | "cd" | "ulimit" | "umask" | "wait" => {
                for a in args {
                    if let Some((k, v)) = a.split_once('=') {
                        self.vars.insert(k.to_string(), v.to_string());
                    }
                }
                Flow::Next(0)
            }
            "test" | "[" => Flow::Next(if self.test(args) { 0 } else { 1 }),
            "tail" | "head" => {
                if args.iter().any(|a| a == "-f" || a == "-F") {
                    return self.sleep_for(None);
                }
                let s = stdin.unwrap_or_default();
                self.print(&s);
                Flow::Next(0)
            }
            "wc" => {
                let s = stdin.unwrap_or_default();
                self.print(&format!("{}\n", s.lines().count()));
                Flow::Next(0)
            }
            "grep" => {
                let pat = args
                    .iter()
                    .find(|a| !a.starts_with('-'))
                    .cloned()
                    .unwrap_or_default();
                let s = stdin.unwrap_or_default();
                let m: String = s
                    .lines()
                    .filter(|l| l.contains(&pat))
                    .map(|l| format!("{l}\n"))
                    .collect();
                let found = !m.is_empty();
                self.print(&m);
                Flow::Next(if found { 0 } else { 1 })
            }
            "seq" => {
                let nums: Vec<i64> = args.iter().filter_map(|a| a.parse().ok()).collect();
                let (a, b) = match nums.as_slice() {
                    [b] => (1, *b),
                    [a, b, ..] => (*a, *b),
                    _ => (1, 0),
                };
                let text: String = (a..=b.min(a + 10_000)).map(|i| format!("{i}\n")).collect();
                self.print(&text);
                Flow::Next(0)
            }
            "yes" => self.sleep_for(None),
            "docker-entrypoint.sh" => {
                if args.is_empty() {
                    return Flow::Next(0);
                }
                let rest: Vec<String> = args.to_vec();
                if self.ctx.kind == Kind::Nginx
                    && rest.first().is_some_and(|a| a.starts_with("nginx"))
                {
                    self.nginx_entrypoint();
                }
                self.exec(&rest, stdin, pid1)
            }
            "nslookup" if self.files.nslookup(args).is_some() => {
                let (text, code) = self.files.nslookup(args).unwrap_or_default();
                self.print(&text);
                Flow::Next(code)
            }
            "wget" | "curl" | "nslookup" | "ping" | "nc" | "telnet" => {
                // Networking from inside containers arrives with the networking issue.
                Flow::Next(0)
            }
            "stress" => self.stress(args),
            "python" | "python3" => match args.first().map(String::as_str) {
                Some("app.py") if self.ctx.kind == Kind::WebappColor => self.webapp(args),
                Some("-m") if args.get(1).is_some_and(|m| m == "http.server") => {
                    let port = args.get(2).and_then(|p| p.parse().ok()).unwrap_or(8000);
                    self.log_at(
                        0,
                        format!("Serving HTTP on 0.0.0.0 port {port} (http://0.0.0.0:{port}/) ..."),
                    );
                    self.serve(vec![port], vec![(port, Paths::Any)], 300, Some(100))
                }
                Some("-c") => {
                    let code = args.get(1).cloned().unwrap_or_default();
                    if let Some(inner) = code
                        .strip_prefix("print(")
                        .and_then(|c| c.strip_suffix(')'))
                    {
                        let text = inner.trim_matches(|c| c == '"' || c == '\'').to_string();
                        self.print(&format!("{text}\n"));
                    }
                    Flow::Next(0)
                }
                Some(script) => {
                    self.print(&format!("python3: can't open file '/{script}': [Errno 2] No such file or directory\n"));
                    Flow::Next(2)
                }
                None => Flow::Next(0),
            },
            "node" => match args.first() {
                None => Flow::Next(0),
                Some(f) => {
                    self.print(&format!("node:internal/modules/cjs/loader:1228\n  throw err;\n  ^\n\nError: Cannot find module '/{f}'\n"));
                    Flow::Next(1)
                }
            },
            "nginx" => self.nginx(args),
            "httpd-foreground" | "httpd" => self.httpd(),
            "redis-server" => self.redis(args),
            "mysqld" => self.mysql(),
            "postgres" => self.postgres(),
            "memcached" => self.serve(vec![11211], vec![], 200, Some(50)),
            "mongod" => self.mongod(args),
            "rabbitmq-server" => self.rabbitmq(),
            "apache2-foreground" => self.apache_php(),
            "docker-php-entrypoint" => self.exec(args, stdin, pid1),
            p if p.starts_with("perl") && self.ctx.kind == Kind::Perl => self.perl(args),
            "hello" if self.ctx.kind == Kind::HelloWorld => self.hello(),
            "server" if self.ctx.kind == Kind::Liveness => self.liveness_server(),
            "pause" => self.serve(vec![], vec![], 0, Some(10)),
            "start" if self.ctx.kind == Kind::Server => {
                self.serve(vec![8080], vec![(8080, Paths::Any)], 1000, Some(100))
            }
            other => {
                if let Kind::Binary(b) = self.ctx.kind {
                    if other == b && b == "agnhost" {
                        return self.agnhost(args);
                    }
                    if other == b {
                        if args.iter().any(|a| a == "-h" || a == "--help") {
                            if let Some(text) = super::binary_help::help(b) {
                                self.print(&text);
                                return Flow::Next(0);
                            }
                        }
                        return self.control_plane(b, args);
                    }
                }
                if pid1 && !has_program(self.ctx.kind, other) {
                    return self.not_found(other);
                }
                // A program we do not model: it succeeds without output.
                Flow::Next(0)
            }
        }
    }

    fn test(&self, args: &[String]) -> bool {
        let args: Vec<&str> = args
            .iter()
            .map(String::as_str)
            .filter(|a| *a != "]")
            .collect();
        match args.as_slice() {
            ["!", rest @ ..] => !self.test(&rest.iter().map(|s| s.to_string()).collect::<Vec<_>>()),
            ["-f", p] | ["-e", p] | ["-s", p] | ["-r", p] => {
                let p = self.abs(p);
                self.read(&p).is_some() || (args.first() == Some(&"-e") && self.files.is_dir(&p))
            }
            ["-d", p] => self.files.is_dir(&self.abs(p)),
            ["-z", s] => s.is_empty(),
            ["-n", s] => !s.is_empty(),
            [a, "=", b] | [a, "==", b] => a == b,
            [a, "!=", b] => a != b,
            [a, op, b] => {
                let (x, y) = (a.parse::<i64>().unwrap_or(0), b.parse::<i64>().unwrap_or(0));
                match *op {
                    "-eq" => x == y,
                    "-ne" => x != y,
                    "-lt" => x < y,
                    "-le" => x <= y,
                    "-gt" => x > y,
                    "-ge" => x >= y,
                    _ => false,
                }
            }
            [s] => !s.is_empty(),
            _ => false,
        }
    }

    /// Starts serving: blocks forever.
    fn serve(
        &mut self,
        ports: Vec<u16>,
        http: Vec<(u16, Paths)>,
        ready_after: i64,
        sigterm: Option<i64>,
    ) -> Flow {
        self.out.serve = Some(Serve {
            ports,
            http,
            ready_after: self.t + ready_after,
            http_fails_after: None,
        });
        self.out.sigterm_exit = sigterm;
        self.out.forever = true;
        Flow::Stop
    }

    fn nginx_time(&self, dt: i64) -> String {
        let (y, mo, d, h, mi, s, _) =
            civil(self.ctx.start + crate::clock::Duration::from_millis(self.t + dt));
        format!("{y:04}/{mo:02}/{d:02} {h:02}:{mi:02}:{s:02}")
    }

    fn nginx_entrypoint(&mut self) {
        let version = nginx_version(&self.ctx.tag);
        if version.as_str() < "1.19" && version.len() == 6 {
            return;
        }
        for line in [
            "/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration",
            "/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/",
            "/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh",
            "10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf",
            "10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf",
            "/docker-entrypoint.sh: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh",
            "/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh",
            "/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh",
            "/docker-entrypoint.sh: Configuration complete; ready for start up",
        ] {
            self.log_at(0, line.to_string());
        }
        self.t += 20;
    }

    fn nginx(&mut self, args: &[String]) -> Flow {
        if args.iter().any(|a| a == "-v") {
            let v = nginx_version(&self.ctx.tag);
            self.print(&format!("nginx version: nginx/{v}\n"));
            return Flow::Next(0);
        }
        let version = nginx_version(&self.ctx.tag);
        let old = version.starts_with("1.1") && version.len() == 6;
        if !old {
            let ts = self.nginx_time(0);
            let gcc = if self.ctx.tag.contains("alpine") {
                "built by gcc 14.2.0 (Alpine 14.2.0)".to_string()
            } else {
                "built by gcc 12.2.0 (Debian 12.2.0-14) ".to_string()
            };
            let w1 = 29 + (self.ctx.seed % 3) as u32;
            for line in [
                "using the \"epoll\" event method".to_string(),
                format!("nginx/{version}"),
                gcc,
                "OS: Linux 5.15.0-1083-gcp".to_string(),
                "getrlimit(RLIMIT_NOFILE): 1048576:1048576".to_string(),
                "start worker processes".to_string(),
                format!("start worker process {w1}"),
                format!("start worker process {}", w1 + 1),
            ] {
                self.log_at(0, format!("{ts} [notice] 1#1: {line}"));
            }
        }
        self.serve(
            vec![80],
            vec![(80, Paths::Only(vec!["/", "/index.html"]))],
            50,
            Some(50),
        )
    }

    fn httpd(&mut self) -> Flow {
        let ip = self.ctx.pod_ip.clone();
        let (y, mo, d, h, mi, s, wd) =
            civil(self.ctx.start + crate::clock::Duration::from_millis(self.t));
        let micros = 100_000 + (self.ctx.seed % 800_000);
        let stamp = format!(
            "[{} {} {d:02} {h:02}:{mi:02}:{s:02}.{micros:06} {y}]",
            WEEKDAYS.get(wd).copied().unwrap_or("Sun"),
            month(mo)
        );
        for _ in 0..2 {
            self.log_at(0, format!("AH00558: httpd: Could not reliably determine the server's fully qualified domain name, using {ip}. Set the 'ServerName' directive globally to suppress this message"));
        }
        self.log_at(0, format!("{stamp} [mpm_event:notice] [pid 1:tid 1] AH00489: Apache/2.4.63 (Unix) configured -- resuming normal operations"));
        self.log_at(
            0,
            format!(
                "{stamp} [core:notice] [pid 1:tid 1] AH00094: Command line: 'httpd -D FOREGROUND'"
            ),
        );
        self.serve(
            vec![80],
            vec![(80, Paths::Only(vec!["/", "/index.html"]))],
            100,
            Some(100),
        )
    }

    fn redis(&mut self, args: &[String]) -> Flow {
        let port = args
            .iter()
            .position(|a| a == "--port")
            .and_then(|i| args.get(i + 1))
            .and_then(|p| p.parse().ok())
            .unwrap_or(6379u16);
        let (y, mo, d, h, mi, s, _) =
            civil(self.ctx.start + crate::clock::Duration::from_millis(self.t));
        let ms = 100 + self.ctx.seed % 800;
        let st = |role: char, ms: u64| {
            format!(
                "1:{role} {d:02} {} {y} {h:02}:{mi:02}:{s:02}.{ms:03}",
                month(mo)
            )
        };
        let version = if self.ctx.tag.starts_with('6') {
            "6.2.17"
        } else if self.ctx.tag.starts_with('5') {
            "5.0.14"
        } else {
            "7.4.2"
        };
        for (role, dm, text) in [
            ('C', 0, "# WARNING Memory overcommit must be enabled! Without it, a background save or replication may fail under low memory condition. Being disabled, it can also cause failures without low memory condition, see https://github.com/jemalloc/jemalloc/issues/1328. To fix this issue add 'vm.overcommit_memory = 1' to /etc/sysctl.conf and then reboot or run the command 'sysctl vm.overcommit_memory=1' for this to take effect.".to_string()),
            ('C', 0, "* oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo".to_string()),
            ('C', 0, format!("* Redis version={version}, bits=64, commit=00000000, modified=0, pid=1, just started")),
            ('C', 0, "# Warning: no config file specified, using the default config. In order to specify a config file use redis-server /path/to/redis.conf".to_string()),
            ('M', 1, "* monotonic clock: POSIX clock_gettime".to_string()),
            ('M', 1, format!("* Running mode=standalone, port={port}.")),
            ('M', 1, "* Server initialized".to_string()),
            ('M', 2, "* Ready to accept connections tcp".to_string()),
        ] {
            let line = format!("{} {text}", st(role, ms + dm));
            self.log_at(0, line);
        }
        self.serve(vec![port], vec![], 20, Some(100))
    }

    fn var(&self, k: &str) -> Option<String> {
        self.vars.get(k).cloned().filter(|v| !v.is_empty())
    }

    fn mysql(&mut self) -> Flow {
        let (y, mo, d, h, mi, s, _) =
            civil(self.ctx.start + crate::clock::Duration::from_millis(self.t));
        let ts = format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}+00:00");
        let ver = "9.3.0-1.el9";
        self.log_at(
            0,
            format!("{ts} [Note] [Entrypoint]: Entrypoint script for MySQL Server {ver} started."),
        );
        self.log_at(
            0,
            format!("{ts} [Note] [Entrypoint]: Switching to dedicated user 'mysql'"),
        );
        self.log_at(
            0,
            format!("{ts} [Note] [Entrypoint]: Entrypoint script for MySQL Server {ver} started."),
        );
        let ok = [
            "MYSQL_ROOT_PASSWORD",
            "MYSQL_ALLOW_EMPTY_PASSWORD",
            "MYSQL_RANDOM_ROOT_PASSWORD",
        ]
        .iter()
        .any(|k| self.var(k).is_some());
        if !ok {
            self.log_at(0, format!("{ts} [ERROR] [Entrypoint]: Database is uninitialized and password option is not specified\n    You need to specify one of the following as an environment variable:\n    - MYSQL_ROOT_PASSWORD\n    - MYSQL_ALLOW_EMPTY_PASSWORD\n    - MYSQL_RANDOM_ROOT_PASSWORD"));
            self.t += 400;
            return Flow::Exit(1);
        }
        self.log_at(
            0,
            format!("{ts} [Note] [Entrypoint]: Initializing database files"),
        );
        self.log_at(
            14_000,
            "2025-04-23T00:00:00.000000Z 0 [System] [MY-015015] [Server] MySQL Server - start."
                .replace(
                    "2025-04-23T00:00:00",
                    &format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}"),
                ),
        );
        self.log_at(21_000, format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.000000Z 0 [System] [MY-010931] [Server] /usr/sbin/mysqld: ready for connections. Version: '9.3.0'  socket: '/var/run/mysqld/mysqld.sock'  port: 3306  MySQL Community Server - GPL."));
        self.serve(vec![3306, 33060], vec![], 21_000, Some(1500))
    }

    fn postgres(&mut self) -> Flow {
        if self.var("POSTGRES_PASSWORD").is_none()
            && self.var("POSTGRES_HOST_AUTH_METHOD").as_deref() != Some("trust")
        {
            self.log_at(0, "Error: Database is uninitialized and superuser password is not specified.\n       You must specify POSTGRES_PASSWORD to a non-empty value for the\n       superuser. For example, \"-e POSTGRES_PASSWORD=password\" on \"docker run\".\n\n       You may also use \"POSTGRES_HOST_AUTH_METHOD=trust\" to allow all\n       connections without a password. This is *not* recommended.\n\n       See PostgreSQL documentation about \"trust\":\n       https://www.postgresql.org/docs/current/auth-trust.html".to_string());
            self.t += 200;
            return Flow::Exit(1);
        }
        let (y, mo, d, h, mi, s, _) =
            civil(self.ctx.start + crate::clock::Duration::from_millis(self.t + 3000));
        let ts = format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}.123 UTC");
        self.log_at(
            0,
            "The files belonging to this database system will be owned by user \"postgres\"."
                .to_string(),
        );
        self.log_at(0, "This user must also own the server process.".to_string());
        self.log_at(3000, format!("{ts} [1] LOG:  starting PostgreSQL 17.4 (Debian 17.4-1.pgdg120+2) on x86_64-pc-linux-gnu, compiled by gcc (Debian 12.2.0-14) 12.2.0, 64-bit"));
        self.log_at(
            3000,
            format!("{ts} [1] LOG:  listening on IPv4 address \"0.0.0.0\", port 5432"),
        );
        self.log_at(
            3000,
            format!("{ts} [1] LOG:  database system is ready to accept connections"),
        );
        self.serve(vec![5432], vec![], 3000, Some(500))
    }

    fn webapp(&mut self, args: &[String]) -> Flow {
        let colors = ["red", "green", "blue", "blue2", "darkblue", "pink"];
        let cli = args
            .iter()
            .position(|a| a == "--color")
            .and_then(|i| args.get(i + 1))
            .cloned();
        let env = self.var("APP_COLOR");
        self.log_at(
            0,
            " This is a sample web application that displays a colored background. ".to_string(),
        );
        self.log_at(0, " A color can be specified in two ways. ".to_string());
        self.log_at(0, "".to_string());
        self.log_at(0, " 1. As a command line argument with --color as the argument. Accepts one of red,green,blue,blue2,pink,darkblue ".to_string());
        self.log_at(0, " 2. As an Environment variable APP_COLOR. Accepts one of red,green,blue,blue2,pink,darkblue ".to_string());
        self.log_at(
            0,
            " 3. If none of the above then a random color is picked from the above list. "
                .to_string(),
        );
        self.log_at(
            0,
            " Note: Command line argument precedes over environment variable.".to_string(),
        );
        self.log_at(0, "".to_string());
        self.log_at(0, "".to_string());
        let line = match (cli, env) {
            (Some(c), _) => format!(" Color from command line argument ={c}"),
            (None, Some(e)) => format!(" Color from environment variable = {e}"),
            (None, None) => {
                let c = colors
                    .get((self.ctx.seed % colors.len() as u64) as usize)
                    .copied()
                    .unwrap_or("blue");
                format!(" No command line argument or environment variable. Picking a Random Color ={c}")
            }
        };
        self.log_at(0, line);
        self.log_at(
            300,
            " * Serving Flask app \"app\" (lazy loading)".to_string(),
        );
        self.log_at(300, " * Environment: production".to_string());
        self.log_at(
            300,
            "   WARNING: This is a development server. Do not use it in a production deployment."
                .to_string(),
        );
        self.log_at(300, "   Use a production WSGI server instead.".to_string());
        self.log_at(300, " * Debug mode: off".to_string());
        self.log_at(
            300,
            " * Running on http://0.0.0.0:8080/ (Press CTRL+C to quit)".to_string(),
        );
        // Flask's dev server as PID 1 has no SIGTERM handler.
        let f = self.serve(
            vec![8080],
            vec![(8080, Paths::Only(vec!["/", "/color", "/version"]))],
            300,
            None,
        );
        self.out.sigterm_exit = None;
        f
    }

    fn stress(&mut self, args: &[String]) -> Flow {
        let get = |flag: &str| {
            args.iter()
                .position(|a| a == flag)
                .and_then(|i| args.get(i + 1))
                .cloned()
        };
        let vm: u64 = get("--vm").and_then(|v| v.parse().ok()).unwrap_or(0);
        let bytes = get("--vm-bytes")
            .map(|b| parse_size(&b))
            .unwrap_or(256 * 1024 * 1024);
        let cpu: u64 = get("--cpu")
            .or_else(|| get("-c"))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        self.out.memory_extra = vm * bytes;
        // Each hog spins a core; a `--vm-hang` worker sleeps on its memory.
        let spinning_vm = if get("--vm-hang").is_some() { 0 } else { vm };
        self.out.cpu_extra = (cpu + spinning_vm) * 1000;
        self.log_at(
            0,
            format!("stress: info: [1] dispatching hogs: {cpu} cpu, 0 io, {vm} vm, 0 hdd"),
        );
        match get("--timeout")
            .or_else(|| get("-t"))
            .and_then(|t| parse_sleep(&t))
            .flatten()
        {
            Some(ms) => {
                if self.t + ms > self.horizon {
                    return Flow::Stop;
                }
                self.t += ms;
                self.log_at(
                    0,
                    format!(
                        "stress: info: [1] successful run completed in {}s",
                        ms / 1000
                    ),
                );
                Flow::Exit(0)
            }
            None => {
                self.out.forever = true;
                Flow::Stop
            }
        }
    }

    fn control_plane(&mut self, b: &'static str, args: &[String]) -> Flow {
        let flag = |name: &str| {
            args.iter()
                .find_map(|a| a.strip_prefix(&format!("--{name}=")).map(String::from))
        };
        let (y, mo, d, h, mi, s, _) =
            civil(self.ctx.start + crate::clock::Duration::from_millis(self.t));
        let klog = |lvl: char, file: &str, msg: &str| {
            format!(
                "{lvl}{mo:02}{d:02} {h:02}:{mi:02}:{s:02}.{:06}       1 {file}] {msg}",
                100_000 + (y % 7) * 1000
            )
        };
        // A broken manifest: the binary prints its error and exits 1.
        let stamp = |ms: i64| {
            let (_, mo, d, h, mi, s, _) =
                civil(self.ctx.start + crate::clock::Duration::from_millis(self.t + ms));
            format!(
                "{mo:02}{d:02} {h:02}:{mi:02}:{s:02}.{:06}",
                100_000 + (y % 7) * 1000 + ms % 1000
            )
        };
        let cp_ip = crate::cluster::node_ip(0);
        if let Some(f) = super::control_plane_start::failure(b, args, self.files, &stamp, &cp_ip) {
            for (ms, line) in f.lines {
                self.log_at(ms, line);
            }
            if self.t + f.after_ms > self.horizon {
                return Flow::Stop;
            }
            self.t += f.after_ms;
            return Flow::Exit(1);
        }
        match b {
            "kube-apiserver" => {
                self.log_at(
                    0,
                    klog(
                        'I',
                        "options.go:249",
                        "external host was not specified, using 192.168.100.10",
                    ),
                );
                self.log_at(0, klog('I', "server.go:147", "Version: v1.33.1"));
                let port = flag("secure-port")
                    .and_then(|p| p.parse().ok())
                    .unwrap_or(6443);
                self.serve(
                    vec![port],
                    vec![(
                        port,
                        Paths::Only(vec!["/livez", "/readyz", "/healthz", "/version"]),
                    )],
                    8000,
                    Some(1000),
                )
            }
            "etcd" => {
                self.log_at(0, "{\"level\":\"info\",\"ts\":\"start\",\"caller\":\"etcdmain/etcd.go:73\",\"msg\":\"Running: \"}".to_string());
                self.serve(
                    vec![2379, 2380, 2381],
                    vec![(
                        2381,
                        Paths::Only(vec!["/health", "/readyz", "/livez", "/metrics"]),
                    )],
                    1000,
                    Some(500),
                )
            }
            "kube-scheduler" => {
                self.log_at(
                    0,
                    klog(
                        'I',
                        "serving.go:386",
                        "Generated self-signed cert in-memory",
                    ),
                );
                self.log_at(
                    0,
                    klog(
                        'I',
                        "server.go:166",
                        "\"Starting Kubernetes Scheduler\" version=\"v1.33.1\"",
                    ),
                );
                // Waiting for the lease is all a scheduler that is not the
                // leader ever prints (a second one left on the default lease).
                let read = |p: &str| self.files.read(p);
                if let Ok(cfg) = crate::scheduler::config::SchedulerConfig::from_args(args, &read) {
                    if cfg.leader_elect {
                        self.log_at(
                            0,
                            klog(
                                'I',
                                "leaderelection.go:257",
                                &format!("attempting to acquire leader lease {}...", cfg.lease),
                            ),
                        );
                    }
                }
                self.serve(
                    vec![10259],
                    vec![(10259, Paths::Only(vec!["/livez", "/readyz", "/healthz"]))],
                    1500,
                    Some(300),
                )
            }
            "kube-controller-manager" => {
                self.log_at(
                    0,
                    klog(
                        'I',
                        "serving.go:386",
                        "Generated self-signed cert in-memory",
                    ),
                );
                self.log_at(
                    0,
                    klog(
                        'I',
                        "controllermanager.go:188",
                        "\"Starting\" version=\"v1.33.1\"",
                    ),
                );
                self.serve(
                    vec![10257],
                    vec![(10257, Paths::Only(vec!["/healthz", "/livez", "/readyz"]))],
                    1500,
                    Some(300),
                )
            }
            "kube-proxy" => {
                self.log_at(
                    0,
                    klog('I', "server_linux.go:66", "\"Using iptables proxy\""),
                );
                self.serve(
                    vec![10249, 10256],
                    vec![(10256, Paths::Any)],
                    500,
                    Some(200),
                )
            }
            "coredns" => {
                self.log_at(0, ".:53".to_string());
                self.log_at(0, "[INFO] plugin/reload: Running configuration SHA512 = 1b226df79860026c6a52e67daa10d7f0d57ec5b023288ec00c5e05f93523c894564e15b91770d3a07ae1cfbe861d15b37d4a0027e69c546ab112970993a3b03b".to_string());
                self.log_at(0, "CoreDNS-1.12.0".to_string());
                self.log_at(0, "linux/amd64, go1.23.3, 51e11f1".to_string());
                self.serve(
                    vec![53, 8080, 8181, 9153],
                    vec![
                        (8080, Paths::Only(vec!["/health"])),
                        (8181, Paths::Only(vec!["/ready"])),
                        (9153, Paths::Only(vec!["/metrics"])),
                    ],
                    1000,
                    Some(5000),
                )
            }
            "metrics-server" => {
                let port = flag("secure-port")
                    .and_then(|p| p.parse().ok())
                    .unwrap_or(10250);
                self.log_at(
                    0,
                    klog(
                        'I',
                        "serving.go:374",
                        "Generated self-signed cert (/tmp/apiserver.crt, /tmp/apiserver.key)",
                    ),
                );
                self.log_at(
                    0,
                    klog(
                        'I',
                        "handler.go:288",
                        "Adding GroupVersion metrics.k8s.io v1beta1 to ResourceManager",
                    ),
                );
                self.log_at(
                    0,
                    klog(
                        'I',
                        "secure_serving.go:213",
                        &format!("Serving securely on [::]:{port}"),
                    ),
                );
                // `/readyz` answers once the storage can serve a rate: after
                // the second scrape, one resolution after the start.
                let resolution = crate::metrics::server::resolution(args).as_millis();
                self.serve(
                    vec![port],
                    vec![(port, Paths::Only(vec!["/livez", "/readyz", "/healthz"]))],
                    resolution + 500,
                    Some(200),
                )
            }
            _ => self.serve(vec![8080], vec![(8080, Paths::Any)], 500, Some(200)),
        }
    }
}

fn is_builtin(name: &str) -> bool {
    matches!(
        name,
        "echo"
            | "printf"
            | "true"
            | "false"
            | ":"
            | "exit"
            | "export"
            | "set"
            | "trap"
            | "cd"
            | "test"
            | "["
            | "ulimit"
            | "umask"
            | "wait"
            | "read"
    )
}

/// `sleep`'s operand: `30`, `1.5`, `5m`, `1h`, `infinity` (→ `Some(None)`).
pub fn parse_sleep(a: &str) -> Option<Option<i64>> {
    if a == "infinity" || a == "inf" {
        return Some(None);
    }
    let (num, mult) = match a.chars().last()? {
        's' => (&a[..a.len() - 1], 1000.0),
        'm' => (&a[..a.len() - 1], 60_000.0),
        'h' => (&a[..a.len() - 1], 3_600_000.0),
        'd' => (&a[..a.len() - 1], 86_400_000.0),
        _ => (a, 1000.0),
    };
    let v: f64 = num.parse().ok()?;
    if !v.is_finite() || v < 0.0 {
        return None;
    }
    Some(Some((v * mult) as i64))
}

/// `15M`, `256m`, `1G`, `100k`, plain bytes.
pub fn parse_size(s: &str) -> u64 {
    let s = s.trim();
    let (num, mult) = match s.chars().last() {
        Some('k' | 'K') => (&s[..s.len() - 1], 1024u64),
        Some('m' | 'M') => (&s[..s.len() - 1], 1024 * 1024),
        Some('g' | 'G') => (&s[..s.len() - 1], 1024 * 1024 * 1024),
        Some('b' | 'B') => (&s[..s.len() - 1], 1),
        _ => (s, 1),
    };
    num.parse::<u64>().unwrap_or(0).saturating_mul(mult)
}

#[cfg(test)]
mod tests {
    use super::*;

    struct NoFiles;
    impl Files for NoFiles {
        fn read(&self, path: &str) -> Option<String> {
            (path == "/etc/config/color").then(|| "blue".to_string())
        }
        fn is_dir(&self, path: &str) -> bool {
            path == "/etc/config"
        }
        fn list(&self, dir: &str) -> Option<Vec<String>> {
            (dir == "/etc/config").then(|| vec!["color".to_string()])
        }
    }

    fn ctx(kind: Kind, argv: &[&str]) -> RunCtx {
        RunCtx {
            kind,
            tag: "latest".into(),
            argv: argv.iter().map(|s| s.to_string()).collect(),
            env: vec![("PATH".into(), "/bin".into()), ("APP".into(), "x".into())],
            hostname: "web".into(),
            pod_ip: "10.244.1.2".into(),
            start: Time::EPOCH,
            seed: 7,
        }
    }

    #[test]
    fn sleeps_exit_zero_after_their_time() {
        let o = run(
            &ctx(Kind::Busybox, &["sleep", "30"]),
            &NoFiles,
            i64::MAX / 4,
        );
        assert_eq!(o.exit, Some((30_000, 0)));
        let o = run(
            &ctx(Kind::Busybox, &["sh", "-c", "echo hi; sleep 3600"]),
            &NoFiles,
            10_000,
        );
        assert_eq!(o.exit, None);
        assert_eq!(o.logs, vec![(0, "hi".to_string())]);
        let o = run(&ctx(Kind::Busybox, &["sh"]), &NoFiles, 10_000);
        assert_eq!(o.exit, Some((0, 0)));
    }

    #[test]
    fn the_classic_liveness_script_touches_and_removes() {
        let o = run(
            &ctx(
                Kind::Busybox,
                &[
                    "/bin/sh",
                    "-c",
                    "touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600",
                ],
            ),
            &NoFiles,
            i64::MAX / 4,
        );
        assert_eq!(o.exit, Some((630_000, 0)));
        assert_eq!(o.ops.len(), 2);
        assert!(matches!(o.ops.get(1), Some((30_000, FileOp::Remove(p))) if p == "/tmp/healthy"));
    }

    #[test]
    fn env_cat_and_loops() {
        let o = run(&ctx(Kind::Busybox, &["env"]), &NoFiles, 1000);
        assert_eq!(o.logs.len(), 2);
        let o = run(
            &ctx(Kind::Busybox, &["cat", "/etc/config/color", "/nope"]),
            &NoFiles,
            1000,
        );
        assert_eq!(o.exit, Some((0, 1)));
        assert_eq!(
            o.logs.get(1).map(|l| l.1.as_str()),
            Some("cat: can't open '/nope': No such file or directory")
        );
        let o = run(
            &ctx(
                Kind::Busybox,
                &["sh", "-c", "while true; do echo tick; sleep 10; done"],
            ),
            &NoFiles,
            35_000,
        );
        assert_eq!(o.logs.len(), 4);
        assert_eq!(o.exit, None);
        let o = run(
            &ctx(
                Kind::Busybox,
                &["sh", "-c", "for i in 1 2 3; do echo $i; done; exit 3"],
            ),
            &NoFiles,
            1000,
        );
        assert_eq!(o.exit, Some((0, 3)));
        assert_eq!(o.logs.len(), 3);
    }

    #[test]
    fn servers_serve_and_missing_programs_fail_to_start() {
        let o = run(
            &ctx(
                Kind::Nginx,
                &["/docker-entrypoint.sh", "nginx", "-g", "daemon off;"],
            ),
            &NoFiles,
            10_000,
        );
        assert!(o.forever && o.exit.is_none());
        assert_eq!(o.serve.map(|s| s.ports), Some(vec![80]));
        assert!(o
            .logs
            .iter()
            .any(|(_, l)| l.contains("Configuration complete")));
        let o = run(
            &ctx(Kind::WebappColor, &["pyhton", "app.py"]),
            &NoFiles,
            10_000,
        );
        assert!(o
            .start_error
            .is_some_and(|e| e.contains("exec: \"pyhton\": executable file not found in $PATH")));
        let o = run(
            &ctx(Kind::Mysql, &["docker-entrypoint.sh", "mysqld"]),
            &NoFiles,
            10_000,
        );
        assert_eq!(o.exit.map(|e| e.1), Some(1));
        let o = run(
            &ctx(
                Kind::Stress,
                &["stress", "--vm", "1", "--vm-bytes", "15M", "--vm-hang", "1"],
            ),
            &NoFiles,
            10_000,
        );
        assert_eq!(o.memory_extra, 15 * 1024 * 1024);
    }

    #[test]
    fn kube_vars_expand() {
        let env = vec![("NODE_NAME".to_string(), "node01".to_string())];
        assert_eq!(
            expand_kube_vars("--hostname-override=$(NODE_NAME)", &env),
            "--hostname-override=node01"
        );
        assert_eq!(
            expand_kube_vars("$(NOPE) $$(NODE_NAME)", &env),
            "$(NOPE) $(NODE_NAME)"
        );
        assert_eq!(date_text(Time::EPOCH), "Wed Apr 23 08:00:00 UTC 2025");
    }
}
