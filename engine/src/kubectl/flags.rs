//! kubectl's flags, declared once as data (the ripgrep way): each command
//! lists its [`Flag`]s, and the parser, `--help`, usage errors and Tab
//! completion are all generated from that list. Parsing follows pflag as
//! cobra uses it: `--flag=v`, `--flag v`, `-n v`, `-nv`, bool flags without a
//! value, `--` ending flags, flags anywhere among the arguments.

use std::collections::BTreeMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlagKind {
    Bool,
    String,
    /// May be repeated; values accumulate (`--env A=1 --env B=2`).
    StringArray,
    Int,
}

#[derive(Clone, Copy, Debug)]
pub struct Flag {
    pub long: &'static str,
    pub short: Option<char>,
    pub kind: FlagKind,
    pub default: &'static str,
    pub help: &'static str,
}

impl Flag {
    pub const fn bool(long: &'static str, help: &'static str) -> Flag {
        Flag {
            long,
            short: None,
            kind: FlagKind::Bool,
            default: "false",
            help,
        }
    }
    pub const fn string(long: &'static str, default: &'static str, help: &'static str) -> Flag {
        Flag {
            long,
            short: None,
            kind: FlagKind::String,
            default,
            help,
        }
    }
    pub const fn strings(long: &'static str, help: &'static str) -> Flag {
        Flag {
            long,
            short: None,
            kind: FlagKind::StringArray,
            default: "[]",
            help,
        }
    }
    pub const fn int(long: &'static str, default: &'static str, help: &'static str) -> Flag {
        Flag {
            long,
            short: None,
            kind: FlagKind::Int,
            default,
            help,
        }
    }
    pub const fn short(mut self, c: char) -> Flag {
        self.short = Some(c);
        self
    }
}

/// Flags every kubectl command accepts (kubectl's persistent flags).
pub const GLOBAL: &[Flag] = &[
    Flag::string("namespace", "", "If present, the namespace scope for this CLI request").short('n'),
    Flag::string("context", "", "The name of the kubeconfig context to use"),
    Flag::string("kubeconfig", "", "Path to the kubeconfig file to use for CLI requests."),
    Flag::string("cluster", "", "The name of the kubeconfig cluster to use"),
    Flag::string("user", "", "The name of the kubeconfig user to use"),
    Flag::string("server", "", "The address and port of the Kubernetes API server").short('s'),
    Flag::string("as", "", "Username to impersonate for the operation. User could be a regular user or a service account in a namespace."),
    Flag::strings("as-group", "Group to impersonate for the operation, this flag can be repeated to specify multiple groups."),
    Flag::string("request-timeout", "0", "The length of time to wait before giving up on a single server request."),
    Flag::int("v", "0", "number for the log level verbosity").short('v'),
];

/// The parsed command line of one kubectl command.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Parsed {
    pub args: Vec<String>,
    /// Arguments after a `--` (`kubectl exec pod -- ls`), kept apart.
    pub after_dashes: Option<Vec<String>>,
    values: BTreeMap<&'static str, Vec<String>>,
}

impl Parsed {
    pub fn string(&self, long: &str) -> Option<&str> {
        self.values
            .get(long)
            .and_then(|v| v.last())
            .map(String::as_str)
    }
    pub fn strings(&self, long: &str) -> Vec<String> {
        self.values.get(long).cloned().unwrap_or_default()
    }
    pub fn bool(&self, long: &str) -> bool {
        self.string(long).is_some_and(|v| v == "true")
    }
    pub fn is_set(&self, long: &str) -> bool {
        self.values.contains_key(long)
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
    while i < argv.len() {
        let arg = &argv[i];
        i += 1;
        if arg == "--" {
            parsed.after_dashes = Some(argv[i..].to_vec());
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
                let c = chars[j];
                let flag = find_short(c)
                    .ok_or_else(|| UsageError(format!("unknown shorthand flag: '{c}' in {arg}")))?;
                j += 1;
                if flag.kind == FlagKind::Bool {
                    let value = if chars.get(j) == Some(&'=') {
                        let v: String = chars[j + 1..].iter().collect();
                        j = chars.len();
                        v
                    } else {
                        "true".to_string()
                    };
                    set(&mut parsed, flag, value, arg)?;
                    continue;
                }
                let rest: String = chars[j..].iter().collect();
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
        _ => {}
    }
    let value = match (flag.kind, value.as_str()) {
        (FlagKind::Bool, "1" | "t" | "TRUE" | "True") => "true".to_string(),
        (FlagKind::Bool, "0" | "f" | "FALSE" | "False") => "false".to_string(),
        _ => value,
    };
    let slot = parsed.values.entry(flag.long).or_default();
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
    for f in sorted {
        let head = match f.short {
            Some(c) => format!("    -{c}, --{}", f.long),
            None => format!("    --{}", f.long),
        };
        let default = match f.kind {
            FlagKind::Bool => format!("={}", f.default),
            FlagKind::StringArray => "=[]".to_string(),
            _ => format!("='{}'", f.default),
        };
        out.push_str(&format!("{head}{default}:\n\t{}\n\n", f.help));
    }
    out
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
