//! kubectl's help: `kubectl --help`, `kubectl help [COMMAND…]`,
//! `kubectl COMMAND --help`, `kubectl options`.
//!
//! What cobra prints before a command's `Options:` (the description,
//! `Aliases:`, `Examples:`, `Available Commands:`) is kubectl's own prose,
//! kept verbatim in `help/texts.txt` (captured from the v1.33 binary by
//! `scripts/capture-kubectl-help.py`). The `Options:` block is generated
//! from the command's flag table (`flags.rs`) and the `Usage:` line from
//! its [`Command::usage`], so each flag's text lives in one place only.

use super::{cmd, flags, Command, COMMANDS};
use crate::output::Output;

/// `@@ <command>` lines, each followed by that command's prose.
const TEXTS: &str = include_str!("help/texts.txt");

const OPTIONS_FOOTER: &str =
    "Use \"kubectl options\" for a list of global command-line options (applies to all commands).\n";

/// The prose of a command (without a trailing newline).
fn text(name: &str) -> Option<&'static str> {
    let marker = format!("@@ {name}\n");
    let start = if TEXTS.starts_with(&marker) {
        0
    } else {
        TEXTS.find(&format!("\n{marker}"))? + 1
    } + marker.len();
    let end = TEXTS[start..]
        .find("\n@@ ")
        .map_or(TEXTS.len(), |e| start + e);
    Some(TEXTS[start..end].trim_end_matches('\n'))
}

/// Whether kubectl lists subcommands for this command (some are ones
/// Dinghy does not have, like `apply view-last-applied`).
fn has_subcommands(name: &str) -> bool {
    text(name).is_some_and(|t| t.contains("\nAvailable Commands:\n"))
}

/// `kubectl COMMAND --help`.
pub fn command(c: &Command) -> String {
    let mut s = String::from(text(c.name).unwrap_or(c.short));
    s.push_str("\n\n");
    let options = flags::help_block(c.flags);
    if !options.is_empty() {
        s.push_str("Options:\n");
        s.push_str(&options);
    }
    s.push_str(&format!("Usage:\n  {}\n\n", c.usage));
    if has_subcommands(c.name) {
        s.push_str(&format!(
            "Use \"kubectl {} <command> --help\" for more information about a given command.\n",
            c.name
        ));
    }
    s.push_str(OPTIONS_FOOTER);
    s
}

/// What follows the root's description: its command groups and usage.
fn root_usage() -> String {
    let groups = text("kubectl").unwrap_or("");
    let groups = groups
        .find("Basic Commands")
        .map_or(groups, |i| &groups[i..]);
    format!("{groups}\n\nUsage:\n  kubectl [flags] [options]\n\nUse \"kubectl <command> --help\" for more information about a given command.\n{OPTIONS_FOOTER}")
}

/// `kubectl`, `kubectl --help`, `kubectl help`.
pub fn root() -> String {
    let text = text("kubectl").unwrap_or("");
    let description = text.find("Basic Commands").map_or("", |i| &text[..i]);
    format!("{description}{}", root_usage())
}

/// `kubectl options`: the flags every command accepts.
pub fn options() -> String {
    format!(
        "The following options can be passed to any command:\n\n{}",
        flags::help_block(flags::GLOBAL)
    )
}

/// `kubectl help [COMMAND…]`: cobra finds the deepest command the words
/// name and prints its help; words it cannot place make an unknown topic
/// (printed on stderr, yet the exit status is 0, as cobra does).
pub fn help_command(args: &[String]) -> Output {
    let mut out = Output::default();
    // Flags of `help` itself (`kubectl help -h`).
    if args.iter().any(|a| a == "-h" || a == "--help") {
        let own = Command {
            name: "help",
            short: "Help about any command",
            usage: "kubectl help [command] [flags] [options]",
            flags: &[],
            run: |_, _| Output::default(),
        };
        out.out(command(&own));
        return out;
    }
    let Some(first) = args.first() else {
        out.out(root());
        return out;
    };
    let found = match first.as_str() {
        // As kubectl: `help options` prints nothing.
        "options" => return out,
        "help" => None,
        _ => COMMANDS.iter().find(|c| c.name == first),
    };
    match found {
        Some(c) => {
            let (c, _) = cmd::resolve(c, args.get(1..).unwrap_or_default());
            out.out(command(c));
        }
        None => {
            let topic: Vec<String> = args.iter().map(|a| format!("`{a}`")).collect();
            out.err(format!(
                "Unknown help topic [{}]\n\n\n{}",
                topic.join(" "),
                root_usage()
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each golden is the real `kubectl.1.33 <command> --help`
    /// (scripts/capture-kubectl-help.py).
    fn golden(name: &str) -> String {
        let path = format!(
            "{}/src/kubectl/help/goldens/{}.txt",
            env!("CARGO_MANIFEST_DIR"),
            name.replace(' ', "-")
        );
        std::fs::read_to_string(&path).unwrap_or_else(|e| format!("{path}: {e}"))
    }

    fn all_commands() -> Vec<&'static Command> {
        let mut all: Vec<&'static Command> = COMMANDS.iter().collect();
        for (_, children) in cmd::SUBCOMMANDS {
            all.extend(children.iter());
        }
        all
    }

    #[test]
    fn help_matches_kubectl() {
        let mut mismatched = Vec::new();
        let mut compared = 0;
        for c in all_commands() {
            let want = golden(c.name);
            compared += 1;
            let got = command(c);
            if got != want {
                let line = got
                    .lines()
                    .zip(want.lines())
                    .position(|(a, b)| a != b)
                    .unwrap_or(got.lines().count().min(want.lines().count()));
                mismatched.push(format!(
                    "{}: line {}:\n  got:  {:?}\n  want: {:?}",
                    c.name,
                    line + 1,
                    got.lines().nth(line).unwrap_or("<end>"),
                    want.lines().nth(line).unwrap_or("<end>")
                ));
            }
        }
        assert!(compared >= 80, "only {compared} commands");
        assert!(mismatched.is_empty(), "{}", mismatched.join("\n"));
    }

    #[test]
    fn root_options_and_help_match_kubectl() {
        assert_eq!(root(), golden("kubectl"));
        assert_eq!(options(), golden("options"));
        let help = help_command(&["-h".to_string()]);
        assert_eq!(help.stdout(), golden("help"));
        let unknown = help_command(&["foo".to_string()]);
        assert!(unknown
            .stderr()
            .starts_with("Unknown help topic [`foo`]\n\n\nBasic Commands (Beginner):\n"));
        assert_eq!(unknown.status, 0);
        let nested = help_command(&["create".into(), "secret".into(), "tls".into()]);
        assert_eq!(nested.stdout(), golden("create secret tls"));
    }
}
