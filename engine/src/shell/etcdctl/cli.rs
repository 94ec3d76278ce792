//! How etcdctl reads its command line: cobra v1.1.3 finds the command
//! (unique prefixes match, `cobra.EnablePrefixMatching`), pflag v1.0.5
//! parses its flags, and etcd's own usage template prints the help, through
//! a tabwriter that pads with tabs (`crate::go::tabwriter`). Only the table in [`super::table`] says
//! which commands and flags there are.

use super::table::{commands, Command, Flag, Kind};
use crate::output::Output;
use std::collections::{BTreeMap, BTreeSet};

/// The version `etcdctl version` and the help print.
pub const VERSION: &str = "3.5.21";
const API_VERSION: &str = "3.5";

/// What the command line asks for.
#[derive(Debug)]
pub enum Invocation {
    /// Print this command's help (`-h`, `help`, a group, etcdctl alone).
    Help(String),
    /// Run the command with its flags' values and its arguments.
    Run {
        command: Box<Command>,
        values: Values,
        args: Vec<String>,
        /// The flags it inherits, which `ETCDCTL_*` variables may set.
        inherited: Vec<Flag>,
    },
}

/// The flags' values after parsing: given or default.
#[derive(Clone, Debug, Default)]
pub struct Values {
    /// Keyed by `String`, not the flag's `&'static str`: the map then
    /// shares `BTreeMap`'s code with the other maps of strings (issue 11:
    /// the bundle's size).
    values: BTreeMap<String, String>,
    changed: BTreeSet<&'static str>,
}

impl Values {
    pub fn get(&self, name: &str) -> &str {
        self.values
            .get(name)
            .map(String::as_str)
            .unwrap_or_default()
    }

    pub fn bool(&self, name: &str) -> bool {
        self.get(name) == "true"
    }

    /// `Some` when the flag was given (on the command line or by a variable).
    pub fn given(&self, name: &str) -> Option<&str> {
        self.changed.contains(name).then(|| self.get(name))
    }

    pub fn changed(&self, name: &str) -> bool {
        self.changed.contains(name)
    }

    /// pflag's `Set`: checks the value against the flag's type.
    pub fn set(&mut self, flag: &Flag, value: &str) -> Result<(), String> {
        let parsed = match flag.kind {
            Kind::Bool => parse_bool(value).map(|b| b.to_string()),
            Kind::Int => parse_int(value).map(|i| i.to_string()),
            Kind::Duration => parse_duration(value).map(|()| value.to_string()),
            Kind::String => Ok(value.to_string()),
            Kind::StringSlice => {
                // The first use replaces the default; later ones append.
                let old = if self.changed.contains(flag.name) {
                    format!("{},", self.get(flag.name))
                } else {
                    String::new()
                };
                Ok(format!("{old}{value}"))
            }
        };
        match parsed {
            Ok(v) => {
                self.values.insert(flag.name.to_string(), v);
                self.changed.insert(flag.name);
                Ok(())
            }
            Err(e) => {
                let name = match flag.shorthand {
                    Some(s) => format!("-{s}, --{}", flag.name),
                    None => format!("--{}", flag.name),
                };
                Err(format!(
                    "invalid argument {} for {} flag: {e}",
                    crate::go::quote(value),
                    crate::go::quote(&name)
                ))
            }
        }
    }
}

/// cobra's `Execute` up to the command's `Run`: finds the command, parses
/// its flags. `Err` is what the failure prints, with its exit status.
pub fn parse(args: &[String]) -> Result<Invocation, Output> {
    let tree = commands();
    let (index, rest) = find(&tree, args);
    let Some(command) = tree.get(index) else {
        return Err(Output::default().fail("Error: no command"));
    };
    let flags = all_flags(&tree, index);
    // legacyArgs: only the root refuses words that name no command.
    if index == 0 {
        if let Some(word) = strip_flags(&rest, &flags).first() {
            let candidates: Vec<crate::cobra::Candidate<'_>> = command
                .children
                .iter()
                .filter_map(|c| tree.get(*c))
                .filter(|c| c.name() != "help")
                .map(|c| crate::cobra::Candidate::new(c.name()))
                .collect();
            let msg = crate::cobra::unknown_command(word, "etcdctl", &candidates);
            let mut out = Output::default();
            out.err(format!(
                "Error: {msg}\nRun 'etcdctl --help' for usage.\nError: {msg}\n"
            ));
            out.status = 1;
            return Err(out);
        }
    }
    let mut values = Values::default();
    for f in &flags {
        values
            .values
            .insert(f.name.to_string(), f.default.to_string());
    }
    let words = match parse_flags(&rest, &flags, &mut values) {
        Ok(words) => words,
        Err(e) => {
            // cobra prints the error and the usage (etcd's usage function
            // writes it to stdout itself, so cobra's own line is empty),
            // then etcdctl prints the error again.
            let mut out = Output::default();
            out.err(format!("Error: {e}\n"));
            out.out(help(&tree, index));
            out.err(format!("\nError: {e}\n"));
            out.status = 1;
            return Err(out);
        }
    };
    if values.bool("help") || !command.runnable {
        let text = help(&tree, index);
        return Ok(Invocation::Help(text));
    }
    if command.path == "help" {
        // cobra's help command: the help of the command its words name.
        let (target, rest) = find(&tree, &words);
        let mut text = String::new();
        let target = if rest.is_empty() || words.is_empty() {
            target
        } else {
            text.push_str(&format!("Unknown help topic [`{}`]\n", words.join("` `")));
            0
        };
        text.push_str(&help(&tree, target));
        return Ok(Invocation::Help(text));
    }
    Ok(Invocation::Run {
        command: Box::new(command.clone()),
        values,
        args: words,
        inherited: inherited_flags(&tree, index),
    })
}

/// cobra's `Find`: follows the words that name subcommands, an exact name
/// or else a prefix only one subcommand has.
fn find(tree: &[Command], args: &[String]) -> (usize, Vec<String>) {
    let mut index = 0;
    let mut rest = args.to_vec();
    loop {
        let flags = all_flags(tree, index);
        let words = strip_flags(&rest, &flags);
        let Some(next) = words.first() else {
            return (index, rest);
        };
        let children: Vec<usize> = tree
            .get(index)
            .map(|c| c.children.clone())
            .unwrap_or_default();
        let exact = children
            .iter()
            .find(|c| tree.get(**c).is_some_and(|c| c.name() == next));
        let prefixed: Vec<&usize> = children
            .iter()
            .filter(|c| {
                tree.get(**c)
                    .is_some_and(|c| c.name().starts_with(next.as_str()))
            })
            .collect();
        let found = match (exact, prefixed.as_slice()) {
            (Some(c), _) => *c,
            (None, [only]) => **only,
            _ => return (index, rest),
        };
        if let Some(at) = rest.iter().position(|a| a == next) {
            rest.remove(at);
        }
        index = found;
    }
}

/// cobra's `stripFlags`: the words left once flags (and the values of
/// those that take one) are skipped.
fn strip_flags(args: &[String], flags: &[Flag]) -> Vec<String> {
    let takes_value = |f: Option<&Flag>| f.is_none_or(|f| f.kind != Kind::Bool);
    let mut words = Vec::new();
    let mut i = 0;
    while let Some(s) = args.get(i) {
        i += 1;
        if s == "--" {
            break;
        }
        let long = s
            .strip_prefix("--")
            .filter(|n| !n.contains('='))
            .map(|n| flags.iter().find(|f| f.name == n));
        let short = s
            .strip_prefix('-')
            .filter(|n| n.len() == 1)
            .map(|n| flags.iter().find(|f| f.shorthand == n.chars().next()));
        match long.or(short) {
            Some(f) if takes_value(f) => {
                // The flag's value goes too; a last word is taken as it.
                if args.len() - i <= 1 {
                    break;
                }
                i += 1;
            }
            _ if !s.is_empty() && !s.starts_with('-') => words.push(s.clone()),
            _ => {}
        }
    }
    words
}

/// pflag's `Parse`: sets the flags, returns the other words.
fn parse_flags(
    args: &[String],
    flags: &[Flag],
    values: &mut Values,
) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut i = 0;
    while let Some(s) = args.get(i) {
        i += 1;
        if s.len() < 2 || !s.starts_with('-') {
            words.push(s.clone());
            continue;
        }
        if s == "--" {
            words.extend(args.iter().skip(i).cloned());
            break;
        }
        if let Some(body) = s.strip_prefix("--") {
            if body.starts_with(['-', '=']) {
                return Err(format!("bad flag syntax: {s}"));
            }
            let (name, inline) = match body.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (body, None),
            };
            let Some(flag) = flags.iter().find(|f| f.name == name) else {
                return Err(format!("unknown flag: --{name}"));
            };
            let value = match inline {
                Some(v) => v,
                None if flag.kind == Kind::Bool => "true".to_string(),
                None => match args.get(i) {
                    Some(v) => {
                        i += 1;
                        v.clone()
                    }
                    None => return Err(format!("flag needs an argument: {s}")),
                },
            };
            values.set(flag, &value)?;
            continue;
        }
        // Shorthands, several in one word: `-wjson`, `-w=json`, `-ih`.
        let mut shorts = s.get(1..).unwrap_or_default();
        while let Some(c) = shorts.chars().next() {
            let after = shorts.get(c.len_utf8()..).unwrap_or_default();
            let Some(flag) = flags.iter().find(|f| f.shorthand == Some(c)) else {
                return Err(format!("unknown shorthand flag: '{c}' in -{shorts}"));
            };
            let value = if let Some(v) = after.strip_prefix('=').filter(|v| !v.is_empty()) {
                shorts = "";
                v.to_string()
            } else if flag.kind == Kind::Bool {
                shorts = after;
                "true".to_string()
            } else if !after.is_empty() {
                shorts = "";
                after.to_string()
            } else if let Some(v) = args.get(i) {
                i += 1;
                shorts = "";
                v.clone()
            } else {
                return Err(format!("flag needs an argument: '{c}' in -{shorts}"));
            };
            values.set(flag, &value)?;
        }
    }
    Ok(words)
}

/// Every flag the command accepts: its own, its persistent ones, those it
/// inherits, and cobra's `--help`.
fn all_flags(tree: &[Command], index: usize) -> Vec<Flag> {
    let mut flags = local_flags(tree, index);
    flags.extend(inherited_flags(tree, index));
    flags
}

/// cobra's `LocalFlags`: the command's own flags and persistent flags, and
/// `-h, --help`.
fn local_flags(tree: &[Command], index: usize) -> Vec<Flag> {
    let Some(c) = tree.get(index) else {
        return Vec::new();
    };
    let mut flags: Vec<Flag> = c.flags.iter().chain(&c.persistent).cloned().collect();
    flags.push(Flag {
        name: "help",
        shorthand: Some('h'),
        kind: Kind::Bool,
        default: "false",
        usage: "",
    });
    flags
}

/// cobra's `InheritedFlags`: the persistent flags of its ancestors.
fn inherited_flags(tree: &[Command], index: usize) -> Vec<Flag> {
    let mut flags = Vec::new();
    let mut at = tree.get(index).and_then(|c| c.parent);
    while let Some(p) = at.and_then(|p| tree.get(p)) {
        flags.extend(p.persistent.iter().cloned());
        at = p.parent;
    }
    flags
}

/// etcd's usage template (`pkg/cobrautl/help.go`) for one command.
fn help(tree: &[Command], index: usize) -> String {
    let Some(c) = tree.get(index) else {
        return String::new();
    };
    let root = index == 0;
    let mut s = String::from("NAME:\n");
    let name = if root { c.name() } else { c.path };
    s.push_str(&format!(
        "\t{name} - {}\n\nUSAGE:\n\t{}\n",
        c.short,
        use_line(tree, index)
    ));
    if root {
        s.push_str(&format!("\nVERSION:\n\t{VERSION}\n"));
    }
    if !c.children.is_empty() {
        s.push_str(&format!("\nAPI VERSION:\n\t{API_VERSION}\n\n\nCOMMANDS:\n"));
        let mut below = Vec::new();
        descendants(tree, index, &mut below);
        for d in below.iter().filter_map(|d| tree.get(*d)) {
            if d.runnable {
                let relative = d
                    .path
                    .strip_prefix(c.path)
                    .map(str::trim_start)
                    .unwrap_or(d.path);
                s.push_str(&format!("\t{relative}\t{}\n", d.short));
            }
        }
    }
    let long = c.long.join("\n");
    let long = long.trim_matches(['\n', '\t', ' ']);
    if !long.is_empty() {
        s.push_str("\nDESCRIPTION:\n");
        for line in long.split('\n') {
            s.push_str(&format!("\t{line}\n"));
        }
    }
    s.push_str("\nOPTIONS:\n");
    s.push_str(&flag_usages(local_flags(tree, index), c.name()));
    if !root {
        s.push_str("\nGLOBAL OPTIONS:\n");
        s.push_str(&flag_usages(inherited_flags(tree, index), c.name()));
    }
    s.push('\n');
    // etcd's usage goes through a tabwriter: minwidth 0, tabwidth 8,
    // padding 1, padded with tabs.
    crate::go::tabwriter::format_padded(&s, 0, 1, crate::go::tabwriter::Pad::Tabs { tabwidth: 8 })
}

/// cobra's `UseLine`: the parent's path, the command's `Use`, `[flags]`.
fn use_line(tree: &[Command], index: usize) -> String {
    let Some(c) = tree.get(index) else {
        return String::new();
    };
    if index == 0 {
        return format!("{} [flags]", c.usage);
    }
    let parent = c
        .parent
        .and_then(|p| tree.get(p))
        .map(|p| p.path)
        .unwrap_or_default();
    let parent = format!("etcdctl {parent}");
    format!("{} {} [flags]", parent.trim_end(), c.usage)
}

/// Every command below `index`, each group's children sorted by name and
/// followed by their own (cobra's `Commands()`, as `getSubCommands` walks).
fn descendants(tree: &[Command], index: usize, out: &mut Vec<usize>) {
    let mut children: Vec<usize> = tree
        .get(index)
        .map(|c| c.children.clone())
        .unwrap_or_default();
    crate::sort::sort_by_key(&mut children, |c| tree.get(*c).map(Command::name));
    for c in children {
        out.push(c);
        descendants(tree, c, out);
    }
}

/// etcd's `etcdFlagUsages`: sorted by name, `[=false]` for booleans,
/// strings' defaults quoted, then a tab and the usage.
fn flag_usages(mut flags: Vec<Flag>, command: &str) -> String {
    crate::sort::sort_by_key(&mut flags, |f| f.name);
    let mut s = String::new();
    for f in flags {
        match f.shorthand {
            Some(c) => s.push_str(&format!("  -{c}, --{}", f.name)),
            None => s.push_str(&format!("      --{}", f.name)),
        }
        let default = match f.kind {
            Kind::String => crate::go::quote(f.default),
            _ => f.default.to_string(),
        };
        if f.kind == Kind::Bool {
            s.push_str(&format!("[={default}]"));
        } else {
            s.push_str(&format!("={default}"));
        }
        let usage = if f.name == "help" {
            format!("help for {command}")
        } else {
            f.usage.to_string()
        };
        s.push_str(&format!("\t{usage}\n"));
    }
    s
}

/// strconv.ParseBool.
fn parse_bool(s: &str) -> Result<bool, String> {
    match s {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Ok(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Ok(false),
        _ => Err(format!(
            "strconv.ParseBool: parsing {}: invalid syntax",
            crate::go::quote(s)
        )),
    }
}

/// strconv.ParseInt(s, 0, 64): decimal, or 0x, 0o, 0b and 0 prefixes.
fn parse_int(s: &str) -> Result<i64, String> {
    let syntax = || {
        format!(
            "strconv.ParseInt: parsing {}: invalid syntax",
            crate::go::quote(s)
        )
    };
    let (negative, body) = match s.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let lower = body.to_ascii_lowercase();
    let (radix, digits) = if let Some(d) = lower.strip_prefix("0x") {
        (16, d.to_string())
    } else if let Some(d) = lower.strip_prefix("0o") {
        (8, d.to_string())
    } else if let Some(d) = lower.strip_prefix("0b") {
        (2, d.to_string())
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, lower.get(1..).unwrap_or_default().to_string())
    } else {
        (10, lower.clone())
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return Err(syntax());
    }
    let signed = if negative {
        format!("-{digits}")
    } else {
        digits
    };
    i64::from_str_radix(&signed, radix).map_err(|_| {
        format!(
            "strconv.ParseInt: parsing {}: value out of range",
            crate::go::quote(s)
        )
    })
}

/// time.ParseDuration, for its errors.
fn parse_duration(s: &str) -> Result<(), String> {
    if crate::kubectl::flags::go_duration_ms(s).is_some() {
        return Ok(());
    }
    let quoted = crate::go::quote(s);
    if !s.is_empty() && s.chars().all(|c| c.is_ascii_digit() || c == '.') && s != "0" {
        return Err(format!("time: missing unit in duration {quoted}"));
    }
    Err(format!("time: invalid duration {quoted}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn prefixes_find_commands_and_flags_are_skipped() {
        let tree = commands();
        let (i, rest) = find(&tree, &args("--endpoints x snap sa f.db"));
        assert_eq!(tree.get(i).map(|c| c.path), Some("snapshot save"));
        assert_eq!(rest, args("--endpoints x f.db"));
        // Ambiguous: endpoint, elect.
        let (i, _) = find(&tree, &args("e"));
        assert_eq!(i, 0);
    }

    #[test]
    fn flags_parse_as_pflag_does() {
        let Ok(Invocation::Run {
            values,
            args: words,
            ..
        }) = parse(&args("get -wjson --prefix /registry --limit=0x10 -- -x"))
        else {
            panic!("no run");
        };
        assert_eq!(values.get("write-out"), "json");
        assert!(values.bool("prefix"));
        assert_eq!(values.get("limit"), "16");
        assert_eq!(words, args("/registry -x"));
        let Err(out) = parse(&args("get --limit abc k")) else {
            panic!("parsed");
        };
        assert!(out.text().starts_with("Error: invalid argument \"abc\" for \"--limit\" flag: strconv.ParseInt: parsing \"abc\": invalid syntax\n"), "{}", out.text());
    }
}
