//! How etcdctl reads its command line: cobra v1.1.3 finds the command
//! (unique prefixes match, `cobra.EnablePrefixMatching`), pflag v1.0.5
//! parses its flags, and etcd's own usage template prints the help, through
//! a tabwriter that pads with tabs (`crate::go::tabwriter`). Only the table in [`super::table`] says
//! which commands and flags there are.

use super::table::{commands_of, Command, Flag, Kind, ETCDUTL_TABLE, TABLE};
use crate::output::Output;
use std::collections::{BTreeMap, BTreeSet};

/// The version `etcdctl version` and the help print.
pub const VERSION: &str = "3.5.21";
const API_VERSION: &str = "3.5";

/// A program read from a table: etcdctl prints etcd's own usage template
/// (to stdout, by its usage function); etcdutl keeps cobra's default one
/// (v1.1.3: to stderr on errors) with the usage alone as its help.
pub struct Program {
    pub name: &'static str,
    table: &'static str,
    cobra_template: bool,
}

pub const ETCDCTL: Program = Program {
    name: "etcdctl",
    table: TABLE,
    cobra_template: false,
};

pub const ETCDUTL: Program = Program {
    name: "etcdutl",
    table: ETCDUTL_TABLE,
    cobra_template: true,
};

/// What the command line asks for.
#[derive(Debug)]
pub enum Invocation {
    /// Print this command's help (`-h`, `help`, a group, etcdctl alone).
    Help(Output),
    /// Run the command with its flags' values and its arguments.
    Run {
        command: Box<Command>,
        values: Values,
        args: Vec<String>,
        /// The flags it inherits, which `ETCDCTL_*` variables may set.
        inherited: Vec<Flag>,
        /// What cobra said before running it (a deprecated command).
        said: Output,
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

    /// A string slice's items: the values given, comma-separated (pflag
    /// reads each as a CSV line), or the default (`[a,b]` in the table).
    pub fn strings(&self, name: &str) -> Vec<String> {
        let v = self.get(name);
        let v = if self.changed(name) {
            v
        } else {
            v.trim_start_matches('[').trim_end_matches(']')
        };
        if v.is_empty() {
            return Vec::new();
        }
        v.split(',').map(str::to_string).collect()
    }

    /// pflag's `Set`: checks the value against the flag's type.
    pub fn set(&mut self, flag: &Flag, value: &str) -> Result<(), String> {
        let parsed = match flag.kind {
            Kind::Bool => parse_bool(value).map(|b| b.to_string()),
            Kind::Int => parse_int(value).map(|i| i.to_string()),
            Kind::Uint64 => parse_uint(value).map(|i| i.to_string()),
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
pub fn parse(program: &Program, args: &[String]) -> Result<Invocation, Output> {
    let tree = commands_of(program.table);
    let name = program.name;
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
            let msg = crate::cobra::unknown_command(word, name, &candidates);
            let mut out = Output::default();
            out.err(format!(
                "Error: {msg}\nRun '{name} --help' for usage.\nError: {msg}\n"
            ));
            out.status = 1;
            return Err(out);
        }
    }
    let mut out = Output::default();
    if let Some(why) = command.deprecated {
        out.err(format!(
            "Command {} is deprecated, {why}\n",
            crate::go::quote(command.name())
        ));
    }
    let mut values = Values::default();
    for f in &flags {
        values
            .values
            .insert(f.name.to_string(), f.default.to_string());
    }
    // cobra prints the error and the usage, then the program's main prints
    // the error again.
    let failed = |mut out: Output, e: &str| {
        out.err(format!("Error: {e}\n"));
        if program.cobra_template {
            out.err(format!("{}\n", help(program, &tree, index)));
        } else {
            // etcd's usage function writes the usage to stdout itself, so
            // cobra's own line is empty.
            out.out(help(program, &tree, index));
            out.err("\n");
        }
        out.err(format!("Error: {e}\n"));
        out.status = 1;
        out
    };
    let words = match parse_flags(&rest, &flags, &mut values) {
        Ok(words) => words,
        Err(e) => return Err(failed(out, &e)),
    };
    if values.bool("help") || !command.runnable {
        out.out(help(program, &tree, index));
        return Ok(Invocation::Help(out));
    }
    if command.path == "help" {
        // cobra's help command: the help of the command its words name.
        let (target, rest) = find(&tree, &words);
        let target = if rest.is_empty() || words.is_empty() {
            target
        } else {
            out.out(format!("Unknown help topic [`{}`]\n", words.join("` `")));
            0
        };
        out.out(help(program, &tree, target));
        return Ok(Invocation::Help(out));
    }
    let missing: Vec<&str> = command
        .required
        .iter()
        .copied()
        .filter(|f| !values.changed(f))
        .collect();
    if !missing.is_empty() {
        let e = format!("required flag(s) \"{}\" not set", missing.join("\", \""));
        return Err(failed(out, &e));
    }
    Ok(Invocation::Run {
        command: Box::new(command.clone()),
        values,
        args: words,
        inherited: inherited_flags(&tree, index),
        said: out,
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

/// The help of one command, in the program's template.
fn help(program: &Program, tree: &[Command], index: usize) -> String {
    if program.cobra_template {
        cobra_usage(program, tree, index)
    } else {
        etcd_usage(tree, index)
    }
}

/// etcd's usage template (`pkg/cobrautl/help.go`) for one command.
fn etcd_usage(tree: &[Command], index: usize) -> String {
    let Some(c) = tree.get(index) else {
        return String::new();
    };
    let root = index == 0;
    let mut s = String::from("NAME:\n");
    let name = if root { c.name() } else { c.path };
    s.push_str(&format!(
        "\t{name} - {}\n\nUSAGE:\n\t{}\n",
        c.short,
        use_line(&ETCDCTL, tree, index)
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

/// cobra's `UseLine`: the parent's path, the command's `Use`, `[flags]`
/// (every command here has flags: `--help` at least).
fn use_line(program: &Program, tree: &[Command], index: usize) -> String {
    let Some(c) = tree.get(index) else {
        return String::new();
    };
    let line = if index == 0 {
        c.usage.to_string()
    } else {
        let parent = c
            .parent
            .and_then(|p| tree.get(p))
            .map(|p| p.path)
            .unwrap_or_default();
        format!("{} {}", command_path(program, parent), c.usage)
    };
    if c.no_flags_in_use_line || line.contains("[flags]") {
        return line;
    }
    format!("{line} [flags]")
}

/// cobra's `CommandPath`: the program's name and the words to the command.
fn command_path(program: &Program, path: &str) -> String {
    format!("{} {path}", program.name).trim_end().to_string()
}

/// cobra v1.1.3's default usage template for one command.
fn cobra_usage(program: &Program, tree: &[Command], index: usize) -> String {
    let Some(c) = tree.get(index) else {
        return String::new();
    };
    let path = command_path(program, c.path);
    let mut s = String::from("Usage:");
    if c.runnable {
        s.push_str(&format!("\n  {}", use_line(program, tree, index)));
    }
    let mut children: Vec<&Command> = c.children.iter().filter_map(|i| tree.get(*i)).collect();
    crate::sort::sort_by_key(&mut children, |c| c.name());
    // IsAvailableCommand: neither hidden nor deprecated, and runnable or a
    // group with such commands; `help` is listed anyway.
    let available = |c: &Command| {
        c.name() == "help"
            || (!c.hidden && c.deprecated.is_none() && (c.runnable || !c.children.is_empty()))
    };
    let listed: Vec<&&Command> = children.iter().filter(|c| available(c)).collect();
    let has_subcommands = listed.iter().any(|c| c.name() != "help");
    if has_subcommands {
        s.push_str(&format!("\n  {path} [command]"));
        // NamePadding: the longest name added, at least 11.
        let pad = children
            .iter()
            .map(|c| c.name().len())
            .max()
            .unwrap_or(0)
            .max(11);
        s.push_str("\n\nAvailable Commands:");
        for child in &listed {
            s.push_str(&format!("\n  {:<pad$} {}", child.name(), child.short));
        }
    }
    s.push_str("\n\nFlags:\n");
    let mut local = local_flags(tree, index);
    for f in &mut local {
        if f.name == "help" {
            f.usage = "";
        }
    }
    s.push_str(&pflag_usages(local, c.name()));
    let inherited = inherited_flags(tree, index);
    if !inherited.is_empty() {
        s.push_str("\n\nGlobal Flags:\n");
        s.push_str(&pflag_usages(inherited, c.name()));
    }
    if has_subcommands {
        s.push_str(&format!(
            "\n\nUse \"{path} [command] --help\" for more information about a command."
        ));
    }
    s.push('\n');
    s
}

/// pflag's `FlagUsages`: sorted by name, the type's name after the flag
/// (none for booleans), usages aligned two spaces after the longest, a
/// default that is not the zero value in parentheses; trailing
/// whitespace trimmed as the template does.
fn pflag_usages(mut flags: Vec<Flag>, command: &str) -> String {
    crate::sort::sort_by_key(&mut flags, |f| f.name);
    let heads: Vec<String> = flags
        .iter()
        .map(|f| {
            let mut h = match f.shorthand {
                Some(c) => format!("  -{c}, --{}", f.name),
                None => format!("      --{}", f.name),
            };
            let type_name = match f.kind {
                Kind::Bool => "",
                Kind::String => "string",
                Kind::Int => "int",
                Kind::Duration => "duration",
                Kind::StringSlice => "strings",
                Kind::Uint64 => "uint",
            };
            if !type_name.is_empty() {
                h.push(' ');
                h.push_str(type_name);
            }
            h
        })
        .collect();
    let width = heads.iter().map(String::len).max().unwrap_or(0);
    let mut lines = Vec::new();
    for (f, head) in flags.iter().zip(heads) {
        let usage = if f.name == "help" {
            format!("help for {command}")
        } else {
            f.usage.to_string()
        };
        let zero = matches!(f.default, "" | "false" | "0" | "0s" | "[]");
        let default = match (zero, f.kind) {
            (true, _) => String::new(),
            (false, Kind::String) => format!(" (default {})", crate::go::quote(f.default)),
            (false, _) => format!(" (default {})", f.default),
        };
        lines.push(format!("{head:<width$}   {usage}{default}"));
    }
    lines.join("\n").trim_end().to_string()
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

/// strconv.ParseUint(s, 0, 64), for pflag's uint64 flags.
fn parse_uint(s: &str) -> Result<u64, String> {
    let quoted = crate::go::quote(s);
    if s.starts_with(['-', '+']) {
        return Err(format!(
            "strconv.ParseUint: parsing {quoted}: invalid syntax"
        ));
    }
    match parse_int(s) {
        Ok(i) => u64::try_from(i)
            .map_err(|_| format!("strconv.ParseUint: parsing {quoted}: invalid syntax")),
        Err(e) => Err(e.replace("ParseInt", "ParseUint")),
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
        let tree = commands_of(TABLE);
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
        }) = parse(
            &ETCDCTL,
            &args("get -wjson --prefix /registry --limit=0x10 -- -x"),
        )
        else {
            panic!("no run");
        };
        assert_eq!(values.get("write-out"), "json");
        assert!(values.bool("prefix"));
        assert_eq!(values.get("limit"), "16");
        assert_eq!(words, args("/registry -x"));
        let Err(out) = parse(&ETCDCTL, &args("get --limit abc k")) else {
            panic!("parsed");
        };
        assert!(out.text().starts_with("Error: invalid argument \"abc\" for \"--limit\" flag: strconv.ParseInt: parsing \"abc\": invalid syntax\n"), "{}", out.text());
    }
}
