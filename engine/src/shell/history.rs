//! History expansion, as interactive bash does it before parsing a line:
//! `!!` (the previous command), `!N` and `!-N` (by number), `!prefix` (the
//! newest command starting with it) and `!$` (the previous command's last
//! word). Bash prints the expanded line before running it; a missing event
//! is `bash: !foo: event not found` and nothing runs.

/// The longest line history expansion may make (see [`expand`]).
pub const MAX_EXPANDED: usize = 65_536;

/// The input with its history references replaced, `Ok(None)` when it has
/// none, or the text of bash's error. Only the first line is expanded: the
/// lines after it are here-document bodies or continuations, pasted text
/// where a `!` is meant literally.
pub fn expand(input: &str, history: &[String]) -> Result<Option<String>, String> {
    let (line, rest) = match input.find('\n') {
        Some(i) => input.split_at(i),
        None => (input, ""),
    };
    Ok(expand_line(line, history)?.map(|l| format!("{l}{rest}")))
}

fn expand_line(line: &str, history: &[String]) -> Result<Option<String>, String> {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::new();
    let mut changed = false;
    let mut in_single = false;
    let mut i = 0;
    while i < chars.len() {
        let c = crate::scan::char_at(&chars, i);
        match c {
            '\'' => in_single = !in_single,
            // A backslash keeps the next character literal (`\!`).
            '\\' if !in_single => {
                out.push(c);
                if let Some(n) = chars.get(i + 1) {
                    out.push(*n);
                }
                i += 2;
                continue;
            }
            // `${!name}` is indirection, not history.
            '!' if !(in_single || i > 0 && crate::scan::char_at(&chars, i - 1) == '{') => {
                if let Some((text, used)) = event(crate::scan::tail(&chars, i + 1), history)? {
                    if out.len() + text.len() > MAX_EXPANDED {
                        // bash would go on doubling the line (each `!!`
                        // repeats the last one) until memory runs out; the
                        // learner's page would freeze long before.
                        return Err(format!(
                            "dinghy: history expansion stopped: the line would be longer than {MAX_EXPANDED} characters"
                        ));
                    }
                    out.push_str(&text);
                    changed = true;
                    i += 1 + used;
                    continue;
                }
            }
            _ => {}
        }
        out.push(c);
        i += 1;
    }
    Ok(changed.then_some(out))
}

/// The event designated after a `!`: its text and how many characters it
/// took, `None` when the `!` is literal (before a blank, `=`, `(` or the end).
fn event(rest: &[char], history: &[String]) -> Result<Option<(String, usize)>, String> {
    let not_found = |spec: &str| format!("bash: !{spec}: event not found");
    match rest.first() {
        None | Some(' ' | '\t' | '\n' | '=' | '(' | '"') => Ok(None),
        Some('!') => match history.last() {
            Some(h) => Ok(Some((h.clone(), 1))),
            None => Err(not_found("!")),
        },
        Some('$') => match history.last() {
            Some(h) => Ok(Some((
                h.split_whitespace().last().unwrap_or("").to_string(),
                1,
            ))),
            None => Err(not_found("$")),
        },
        Some(c) if c.is_ascii_digit() || *c == '-' => {
            let negative = *c == '-';
            let digits: String = crate::scan::tail(rest, usize::from(negative))
                .iter()
                .take_while(|c| c.is_ascii_digit())
                .collect();
            let used = digits.len() + usize::from(negative);
            let spec: String = crate::scan::span(rest, 0, used).iter().collect();
            let n: usize = match digits.parse() {
                Ok(n) => n,
                Err(_) if negative => return Ok(None),
                Err(_) => return Err(not_found(&spec)),
            };
            let index = if negative {
                history.len().checked_sub(n)
            } else {
                n.checked_sub(1)
            };
            match index.and_then(|i| history.get(i)) {
                Some(h) if n > 0 => Ok(Some((h.clone(), used))),
                _ => Err(not_found(&spec)),
            }
        }
        Some(_) => {
            let prefix: String = rest
                .iter()
                .take_while(|c| !c.is_whitespace() && !matches!(c, ';' | '|' | '&' | '"' | '\''))
                .collect();
            match history.iter().rev().find(|h| h.starts_with(&prefix)) {
                Some(h) => Ok(Some((h.clone(), prefix.chars().count()))),
                None => Err(not_found(&prefix)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::expand;

    fn h() -> Vec<String> {
        vec![
            "kubectl get pods".to_string(),
            "echo one two".to_string(),
            "kubectl get nodes".to_string(),
        ]
    }

    #[test]
    fn repeating_the_last_line_stops_before_the_line_grows_past_its_limit() {
        let long = "echo ".to_string() + &"x".repeat(1000);
        let history = vec![long];
        let bangs = "!!".repeat(80);
        let err = expand(&bangs, &history).err().unwrap_or_default();
        assert!(
            err.starts_with("dinghy: history expansion stopped"),
            "{err}"
        );
        assert!(expand(&"!!".repeat(60), &history).is_ok_and(|l| l.is_some()));
    }

    #[test]
    fn designators() {
        let h = h();
        assert_eq!(expand("!!", &h), Ok(Some("kubectl get nodes".into())));
        assert_eq!(
            expand("!! | wc -l", &h),
            Ok(Some("kubectl get nodes | wc -l".into()))
        );
        assert_eq!(expand("!1", &h), Ok(Some("kubectl get pods".into())));
        assert_eq!(expand("!-2", &h), Ok(Some("echo one two".into())));
        assert_eq!(expand("!ec", &h), Ok(Some("echo one two".into())));
        assert_eq!(expand("!kub", &h), Ok(Some("kubectl get nodes".into())));
        assert_eq!(expand("cat !$", &h), Ok(Some("cat nodes".into())));
    }

    #[test]
    fn literal_bangs_and_errors() {
        let h = h();
        assert_eq!(expand("echo 'hi!!'", &h), Ok(None));
        assert_eq!(expand("echo hi !", &h), Ok(None));
        assert_eq!(expand("[ ! -f x ]", &h), Ok(None));
        assert_eq!(expand("echo \\!\\!", &h), Ok(None));
        assert_eq!(expand("echo ${!COMP[*]}", &h), Ok(None));
        assert_eq!(
            expand("cat <<EOF\n!!\nEOF\n", &h),
            Ok(None),
            "here-document bodies are not expanded"
        );
        assert_eq!(expand("!9", &h), Err("bash: !9: event not found".into()));
        assert_eq!(expand("!zz", &h), Err("bash: !zz: event not found".into()));
        assert_eq!(expand("!!", &[]), Err("bash: !!: event not found".into()));
    }
}
