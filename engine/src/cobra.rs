//! What the Go command-line library cobra does alike in every program
//! built with it (kubectl, kubeadm, etcdctl): the error for an unknown
//! command and its "Did you mean this?" suggestions.

/// A command as cobra's suggestions see it.
#[derive(Clone, Copy, Debug)]
pub struct Candidate<'a> {
    pub name: &'a str,
    /// Words that suggest this command though they are not like its name
    /// (`SuggestFor`: `kubectl rm` suggests delete).
    pub suggest_for: &'a [&'a str],
}

impl<'a> Candidate<'a> {
    pub const fn new(name: &'a str) -> Self {
        Candidate {
            name,
            suggest_for: &[],
        }
    }
}

/// cobra's `SuggestionsFor`: in the order the commands were added, those
/// within two edits of what was typed (ignoring case) or starting with it,
/// and those that name it in their `SuggestFor`.
pub fn suggestions<'a>(typed: &str, commands: &[Candidate<'a>]) -> Vec<&'a str> {
    let lower = crate::case::to_lowercase(typed);
    let mut out = Vec::new();
    for c in commands {
        let name = crate::case::to_lowercase(c.name);
        if distance(lower.as_bytes(), name.as_bytes()) <= 2 || name.starts_with(&lower) {
            out.push(c.name);
        }
        for s in c.suggest_for {
            if s.eq_ignore_ascii_case(typed) {
                out.push(c.name);
            }
        }
    }
    out
}

/// The error cobra returns for an unknown command (without the program's
/// `Error: ` or `error: ` in front): `unknown command "x" for "kubectl"`,
/// then its suggestions, each on a line of its own.
pub fn unknown_command(typed: &str, path: &str, commands: &[Candidate<'_>]) -> String {
    let mut text = format!(
        "unknown command {} for {}",
        crate::go::quote(typed),
        crate::go::quote(path)
    );
    let found = suggestions(typed, commands);
    if !found.is_empty() {
        text.push_str("\n\nDid you mean this?\n");
        for s in found {
            text.push('\t');
            text.push_str(s);
            text.push('\n');
        }
    }
    text
}

/// Levenshtein distance over bytes, as cobra's `ld` computes it.
fn distance(a: &[u8], b: &[u8]) -> usize {
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut diagonal = i;
        let mut left = i + 1;
        for (cb, up) in b.iter().zip(row.iter_mut().skip(1)) {
            let cost = usize::from(ca != cb);
            let best = (diagonal + cost).min(*up + 1).min(left + 1);
            diagonal = *up;
            *up = best;
            left = best;
        }
        if let Some(first) = row.first_mut() {
            *first = i + 1;
        }
    }
    row.last().copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_counts_edits() {
        assert_eq!(distance(b"gett", b"set"), 2);
        assert_eq!(distance(b"gett", b"get"), 1);
        assert_eq!(distance(b"hlp", b"top"), 2);
        assert_eq!(distance(b"", b"cp"), 2);
        assert_eq!(distance(b"kitten", b"sitting"), 3);
    }

    #[test]
    fn suggestions_keep_the_order_commands_were_added() {
        let cmds = [
            Candidate::new("set"),
            Candidate::new("get"),
            Candidate {
                name: "delete",
                suggest_for: &["rm"],
            },
        ];
        assert_eq!(suggestions("gett", &cmds), ["set", "get"]);
        assert_eq!(suggestions("RM", &cmds), ["delete"]);
        assert_eq!(suggestions("de", &cmds), ["set", "get", "delete"]);
        assert_eq!(
            unknown_command("xyz", "kubectl", &cmds),
            "unknown command \"xyz\" for \"kubectl\""
        );
        assert_eq!(
            unknown_command("gett", "kubectl", &cmds),
            "unknown command \"gett\" for \"kubectl\"\n\nDid you mean this?\n\tset\n\tget\n"
        );
    }
}
