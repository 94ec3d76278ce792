//! kubectl's flags, declared once as data (the ripgrep way): each command
//! lists its [`Flag`]s, and the parser, `--help`, usage errors and Tab
//! completion are all generated from that list. Parsing follows pflag as
//! cobra uses it: `--flag=v`, `--flag v`, `-n v`, `-nv`, bool flags without a
//! value, `--` ending flags, flags anywhere among the arguments.

use crate::scan;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlagKind {
    Bool,
    String,
    /// May be repeated; values accumulate (`--env A=1 --env B=2`).
    StringArray,
    Int,
    /// A Go duration (`30s`, `1m0s`).
    Duration,
    /// `key=value,…` pairs (pflag's stringToString).
    Map,
}

#[derive(Clone, Copy, Debug)]
pub struct Flag {
    pub long: &'static str,
    pub short: Option<char>,
    pub kind: FlagKind,
    pub default: &'static str,
    pub help: &'static str,
    /// Kept for scripts but not listed in `--help` (kubectl's hidden and
    /// deprecated flags).
    pub hidden: bool,
    /// kubectl has this flag but Dinghy does not simulate what it does:
    /// accepted (and listed in `--help`) only with its default value,
    /// refused honestly otherwise rather than silently ignored.
    pub unsupported: bool,
}

impl Flag {
    pub const fn bool(long: &'static str, help: &'static str) -> Flag {
        Flag {
            long,
            short: None,
            kind: FlagKind::Bool,
            default: "false",
            help,
            hidden: false,
            unsupported: false,
        }
    }
    pub const fn string(long: &'static str, default: &'static str, help: &'static str) -> Flag {
        Flag {
            long,
            short: None,
            kind: FlagKind::String,
            default,
            help,
            hidden: false,
            unsupported: false,
        }
    }
    pub const fn strings(long: &'static str, help: &'static str) -> Flag {
        Flag {
            long,
            short: None,
            kind: FlagKind::StringArray,
            default: "[]",
            help,
            hidden: false,
            unsupported: false,
        }
    }
    pub const fn int(long: &'static str, default: &'static str, help: &'static str) -> Flag {
        Flag {
            long,
            short: None,
            kind: FlagKind::Int,
            default,
            help,
            hidden: false,
            unsupported: false,
        }
    }
    pub const fn duration(long: &'static str, default: &'static str, help: &'static str) -> Flag {
        Flag {
            long,
            short: None,
            kind: FlagKind::Duration,
            default,
            help,
            hidden: false,
            unsupported: false,
        }
    }
    pub const fn map(long: &'static str, help: &'static str) -> Flag {
        Flag {
            long,
            short: None,
            kind: FlagKind::Map,
            default: "",
            help,
            hidden: false,
            unsupported: false,
        }
    }
    pub const fn short(mut self, c: char) -> Flag {
        self.short = Some(c);
        self
    }
    pub const fn default(mut self, default: &'static str) -> Flag {
        self.default = default;
        self
    }
    pub const fn hidden(mut self) -> Flag {
        self.hidden = true;
        self
    }
    pub const fn unsupported(mut self) -> Flag {
        self.unsupported = true;
        self
    }
}

/// Flags every kubectl command accepts (kubectl's persistent flags).
pub const GLOBAL: &[Flag] = &[
    Flag::string("as", "", "Username to impersonate for the operation. User could be a regular user or a service account in a namespace."),
    Flag::strings("as-group", "Group to impersonate for the operation, this flag can be repeated to specify multiple groups."),
    Flag::string("as-uid", "", "UID to impersonate for the operation.").unsupported(),
    Flag::string("cache-dir", "/root/.kube/cache", "Default cache directory").unsupported(),
    Flag::string("certificate-authority", "", "Path to a cert file for the certificate authority").unsupported(),
    Flag::string("client-certificate", "", "Path to a client certificate file for TLS").unsupported(),
    Flag::string("client-key", "", "Path to a client key file for TLS").unsupported(),
    Flag::string("cluster", "", "The name of the kubeconfig cluster to use"),
    Flag::string("context", "", "The name of the kubeconfig context to use"),
    Flag::bool("disable-compression", "If true, opt-out of response compression for all requests to the server").unsupported(),
    Flag::bool("insecure-skip-tls-verify", "If true, the server's certificate will not be checked for validity. This will make your HTTPS connections insecure").unsupported(),
    Flag::string("kubeconfig", "", "Path to the kubeconfig file to use for CLI requests."),
    Flag::duration("log-flush-frequency", "5s", "Maximum number of seconds between log flushes").unsupported(),
    Flag::bool("match-server-version", "Require server version to match client version").unsupported(),
    Flag::string("namespace", "", "If present, the namespace scope for this CLI request").short('n'),
    Flag::string("password", "", "Password for basic authentication to the API server").unsupported(),
    Flag::string("profile", "none", "Name of profile to capture. One of (none|cpu|heap|goroutine|threadcreate|block|mutex)").unsupported(),
    Flag::string("profile-output", "profile.pprof", "Name of the file to write the profile to").unsupported(),
    Flag::string("request-timeout", "0", "The length of time to wait before giving up on a single server request. Non-zero values should contain a corresponding time unit (e.g. 1s, 2m, 3h). A value of zero means don't timeout requests."),
    Flag::string("server", "", "The address and port of the Kubernetes API server").short('s'),
    Flag::string("tls-server-name", "", "Server name to use for server certificate validation. If it is not provided, the hostname used to contact the server is used").unsupported(),
    Flag::string("token", "", "Bearer token for authentication to the API server").unsupported(),
    Flag::string("user", "", "The name of the kubeconfig user to use"),
    Flag::string("username", "", "Username for basic authentication to the API server").unsupported(),
    Flag::int("v", "0", "number for the log level verbosity").short('v'),
    Flag::map("vmodule", "comma-separated list of pattern=N settings for file-filtered logging (only works for the default text log format)").unsupported(),
    Flag::bool("warnings-as-errors", "Treat warnings received from the server as errors and exit with a non-zero exit code").unsupported(),
];

/// The parsed command line of one kubectl command.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Parsed {
    pub args: Vec<String>,
    /// Arguments after a `--` (`kubectl exec pod -- ls`), kept apart.
    pub after_dashes: Option<Vec<String>>,
    /// The values given, by flag, in the order the flags were first given. A
    /// command line sets a handful of flags, so a list searched in order is
    /// as quick as a map and adds no map type's code to the wasm bundle
    /// (issue 11).
    values: Vec<(&'static str, Vec<String>)>,
}

impl Parsed {
    fn values(&self, long: &str) -> Option<&Vec<String>> {
        self.values.iter().find(|(l, _)| *l == long).map(|(_, v)| v)
    }
    /// The values of flag `long`, for the parser to fill: a new, empty
    /// entry the first time the flag is given.
    // `at` is an index of `values`: found there, or the entry just pushed.
    #[allow(clippy::indexing_slicing)]
    fn slot(&mut self, long: &'static str) -> &mut Vec<String> {
        let at = match self.values.iter().position(|(l, _)| *l == long) {
            Some(at) => at,
            None => {
                self.values.push((long, Vec::new()));
                self.values.len() - 1
            }
        };
        &mut self.values[at].1
    }
    pub fn string(&self, long: &str) -> Option<&str> {
        self.values(long).and_then(|v| v.last()).map(String::as_str)
    }
    pub fn strings(&self, long: &str) -> Vec<String> {
        self.values(long).cloned().unwrap_or_default()
    }
    pub fn bool(&self, long: &str) -> bool {
        self.string(long).is_some_and(|v| v == "true")
    }
    pub fn is_set(&self, long: &str) -> bool {
        self.values(long).is_some()
    }
    /// Sets a flag as a command's own logic implies it (kubectl's
    /// `--all-pods` sets `--prefix`).
    pub fn imply(&mut self, long: &'static str, value: &str) {
        *self.slot(long) = vec![value.to_string()];
    }
}

/// A usage error, already in kubectl's words (without the `See …` line,
/// which the caller adds with the command's name).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UsageError(pub String);

pub fn parse(argv: &[String], flags: &[Flag]) -> Result<Parsed, UsageError> {
    let find_long = |name: &str| flags.iter().chain(GLOBAL).find(|f| f.long == name);
    let find_short = |c: char| flags.iter().chain(GLOBAL).find(|f| f.short == Some(c));
    let mut parsed = Parsed::default();
    let mut i = 0;
    while let Some(arg) = argv.get(i) {
        i += 1;
        if arg == "--" {
            parsed.after_dashes = Some(argv.get(i..).unwrap_or_default().to_vec());
            break;
        }
        if let Some(body) = arg.strip_prefix("--") {
            let (name, inline) = match body.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (body, None),
            };
            let flag =
                find_long(name).ok_or_else(|| UsageError(format!("unknown flag: --{name}")))?;
            let value = match (flag.kind, inline) {
                (_, Some(v)) => v,
                (FlagKind::Bool, None) => "true".to_string(),
                (_, None) => {
                    let v = argv
                        .get(i)
                        .cloned()
                        .ok_or_else(|| UsageError(format!("flag needs an argument: --{name}")))?;
                    i += 1;
                    v
                }
            };
            set(&mut parsed, flag, value, &format!("--{name}"))?;
        } else if arg.len() > 1 && arg.starts_with('-') {
            // A run of shorthands: `-it`, `-nkube-system`, `-n kube-system`.
            let chars: Vec<char> = arg[1..].chars().collect();
            let mut j = 0;
            while j < chars.len() {
                let c = scan::char_at(&chars, j);
                let flag = find_short(c)
                    .ok_or_else(|| UsageError(format!("unknown shorthand flag: '{c}' in {arg}")))?;
                j += 1;
                if flag.kind == FlagKind::Bool {
                    let value = if chars.get(j) == Some(&'=') {
                        let v: String = scan::tail(&chars, j + 1).iter().collect();
                        j = chars.len();
                        v
                    } else {
                        "true".to_string()
                    };
                    set(&mut parsed, flag, value, arg)?;
                    continue;
                }
                let rest: String = scan::tail(&chars, j).iter().collect();
                let value = if !rest.is_empty() {
                    rest.strip_prefix('=').unwrap_or(&rest).to_string()
                } else {
                    let v = argv.get(i).cloned().ok_or_else(|| {
                        UsageError(format!("flag needs an argument: '{c}' in {arg}"))
                    })?;
                    i += 1;
                    v
                };
                set(&mut parsed, flag, value, arg)?;
                break;
            }
        } else {
            parsed.args.push(arg.clone());
        }
    }
    Ok(parsed)
}

fn set(parsed: &mut Parsed, flag: &Flag, value: String, spelled: &str) -> Result<(), UsageError> {
    if flag.unsupported && value != flag.default && !(flag.default.is_empty() && value.is_empty()) {
        return Err(UsageError(format!(
            "{} is not simulated by Dinghy (only its default, {}, is accepted)",
            flag_name(flag),
            display_default(flag)
        )));
    }
    match flag.kind {
        FlagKind::Bool
            if !matches!(
                value.as_str(),
                "true" | "false" | "1" | "0" | "t" | "f" | "TRUE" | "FALSE" | "True" | "False"
            ) =>
        {
            return Err(UsageError(format!("invalid argument \"{value}\" for \"{spelled}\" flag: strconv.ParseBool: parsing \"{value}\": invalid syntax")));
        }
        FlagKind::Int if value.parse::<i64>().is_err() => {
            return Err(UsageError(format!("invalid argument \"{value}\" for \"{}\" flag: strconv.ParseInt: parsing \"{value}\": invalid syntax", flag_name(flag))));
        }
        FlagKind::Duration if go_duration_ms(&value).is_none() => {
            return Err(UsageError(format!(
                "invalid argument \"{value}\" for \"{}\" flag: time: invalid duration \"{value}\"",
                flag_name(flag)
            )));
        }
        _ => {}
    }
    let value = match (flag.kind, value.as_str()) {
        (FlagKind::Bool, "1" | "t" | "TRUE" | "True") => "true".to_string(),
        (FlagKind::Bool, "0" | "f" | "FALSE" | "False") => "false".to_string(),
        _ => value,
    };
    let slot = parsed.slot(flag.long);
    if flag.kind == FlagKind::StringArray {
        slot.push(value);
    } else {
        *slot = vec![value];
    }
    Ok(())
}

fn flag_name(flag: &Flag) -> String {
    match flag.short {
        Some(c) => format!("-{c}, --{}", flag.long),
        None => format!("--{}", flag.long),
    }
}

/// The `Options:` block of `--help`, as cobra prints it.
pub fn help_block(flags: &[Flag]) -> String {
    let mut out = String::new();
    let mut sorted: Vec<&Flag> = flags.iter().collect();
    crate::sort::sort_by_key(&mut sorted, |f| f.long);
    for f in sorted.into_iter().filter(|f| !f.hidden) {
        let head = match f.short {
            Some(c) => format!("    -{c}, --{}", f.long),
            None => format!("    --{}", f.long),
        };
        out.push_str(&format!("{head}={}:\n\t{}\n\n", display_default(f), f.help));
    }
    out
}

/// A flag's default as kubectl's help shows it: strings quoted, the rest
/// (bools, numbers, durations, lists, maps) bare.
fn display_default(f: &Flag) -> String {
    match f.kind {
        FlagKind::String => format!("'{}'", f.default),
        _ => f.default.to_string(),
    }
}

/// A Go `time.ParseDuration` for the units kubectl users type.
pub fn go_duration_ms(s: &str) -> Option<i64> {
    if s == "0" {
        return Some(0);
    }
    let (neg, mut rest) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s),
    };
    if rest.is_empty() {
        return None;
    }
    let mut total = 0f64;
    while !rest.is_empty() {
        let n = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .filter(|&n| n > 0)?;
        let value: f64 = rest[..n].parse().ok()?;
        rest = &rest[n..];
        let u = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let unit = match &rest[..u] {
            "ns" => 1e-6,
            "us" | "µs" => 1e-3,
            "ms" => 1.0,
            "s" => 1000.0,
            "m" => 60_000.0,
            "h" => 3_600_000.0,
            _ => return None,
        };
        rest = &rest[u..];
        total += value * unit;
    }
    let ms = total as i64;
    Some(if neg { -ms } else { ms })
}

/// Completion candidates for a partial flag (`--na` → `--namespace=`).
pub fn complete(prefix: &str, flags: &[Flag]) -> Vec<String> {
    let Some(body) = prefix.strip_prefix("--") else {
        return vec![];
    };
    let mut out: Vec<String> = flags
        .iter()
        .chain(GLOBAL)
        .filter(|f| f.long.starts_with(body))
        .map(|f| {
            if f.kind == FlagKind::Bool {
                format!("--{}", f.long)
            } else {
                format!("--{}=", f.long)
            }
        })
        .collect();
    crate::sort::sort(&mut out);
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const FLAGS: &[Flag] = &[
        Flag::string("output", "", "Output format.").short('o'),
        Flag::bool("all-namespaces", "List across all namespaces.").short('A'),
        Flag::bool("stdin", "Pass stdin").short('i'),
        Flag::bool("tty", "Allocate a TTY").short('t'),
        Flag::strings("env", "Environment variables"),
    ];

    fn argv(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn pflag_forms() {
        let p = parse(
            &argv("pods -n kube-system -owide --env A=1 --env=B=2 -it x -- sh -c ls"),
            FLAGS,
        )
        .unwrap_or_default();
        assert_eq!(p.args, vec!["pods", "x"]);
        assert_eq!(p.string("namespace"), Some("kube-system"));
        assert_eq!(p.string("output"), Some("wide"));
        assert_eq!(p.strings("env"), vec!["A=1", "B=2"]);
        assert!(p.bool("stdin") && p.bool("tty"));
        assert_eq!(p.after_dashes, Some(argv("sh -c ls")));
        assert_eq!(
            parse(&argv("-nfoo"), FLAGS)
                .unwrap_or_default()
                .string("namespace"),
            Some("foo")
        );
        assert!(!parse(&argv("--all-namespaces=false"), FLAGS)
            .unwrap_or_default()
            .bool("all-namespaces"));
    }

    #[test]
    fn errors_in_kubectl_words() {
        let err = |s: &str| {
            parse(&argv(s), FLAGS)
                .err()
                .map(|e| e.0)
                .unwrap_or_default()
        };
        assert_eq!(err("--foo"), "unknown flag: --foo");
        assert_eq!(err("-x"), "unknown shorthand flag: 'x' in -x");
        assert_eq!(err("pods -n"), "flag needs an argument: 'n' in -n");
        assert_eq!(err("--output"), "flag needs an argument: --output");
    }

    #[test]
    fn completion_from_the_same_data() {
        assert_eq!(complete("--all", FLAGS), vec!["--all-namespaces"]);
        assert_eq!(complete("--names", FLAGS), vec!["--namespace="]);
        assert!(complete("-", FLAGS).is_empty());
    }
}
