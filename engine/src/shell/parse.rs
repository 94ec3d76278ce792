//! The shell language, bash-like: words and quoting, `$VAR`, pipes,
//! `;`/`&&`/`||`, redirections and here-documents. Parse errors read like
//! bash's. The parser never panics: every input is either a script or a
//! [`ParseError`].

/// One piece of a word, kept apart so expansion knows what was quoted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Part {
    /// Unquoted text (expands variables, `~` at the start).
    Bare(String),
    /// `'…'`: taken as is.
    Single(String),
    /// `"…"`: expands variables, no word splitting.
    Double(String),
}

use crate::scan;
pub type Word = Vec<Part>;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Redirect {
    /// `> file` (append: `>>`), for fd 1 or 2.
    Out { fd: u8, target: Word, append: bool },
    /// `2>&1` (from 2 to 1), `>&2` (from 1 to 2): fd `from` now writes
    /// where `to` writes at this point.
    Dup { from: u8, to: u8 },
    /// `< file`
    In(Word),
    /// `<<< word`: the word and a newline on stdin.
    HereString(Word),
    /// `<<EOF … EOF`; `expand` is false for a quoted delimiter.
    Heredoc { body: String, expand: bool },
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SimpleCommand {
    pub words: Vec<Word>,
    pub redirects: Vec<Redirect>,
}

pub type Pipeline = Vec<SimpleCommand>;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Connector {
    And,
    Or,
    Seq,
}

/// `a && b || c ; d` as a flat list: each pipeline with the connector that precedes it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Script {
    pub items: Vec<(Connector, Pipeline)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParseError {
    /// `bash: syntax error near unexpected token '|'`
    Unexpected(String),
    /// The input stops inside a quote, a here-document or after `|`: more lines are needed.
    Incomplete,
}

impl ParseError {
    pub fn message(&self) -> String {
        match self {
            ParseError::Unexpected(t) => format!("bash: syntax error near unexpected token `{t}'"),
            ParseError::Incomplete => "bash: syntax error: unexpected end of file".to_string(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Token {
    Word(Word),
    Op(&'static str),
    /// A `<<DELIM` whose body follows the current line.
    HeredocStart {
        delim: String,
        expand: bool,
        strip_tabs: bool,
    },
    Newline,
}

struct Lexer<'a> {
    chars: Vec<char>,
    pos: usize,
    _src: &'a str,
}

// Longest first: the lexer takes the first operator that matches.
const OPS: &[&str] = &[
    "&&", "||", ";;", "<<<", "&>>", "1>&2", "2>&1", ">&2", "1>>", "2>>", ">>", "1>", "2>", "&>",
    "|", ";", ">", "<", "&", "(", ")",
];

impl<'a> Lexer<'a> {
    fn new(src: &'a str) -> Self {
        Lexer {
            chars: src.chars().collect(),
            pos: 0,
            _src: src,
        }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn starts_with(&self, s: &str) -> bool {
        s.chars()
            .enumerate()
            .all(|(i, c)| self.chars.get(self.pos + i) == Some(&c))
    }

    fn tokens(&mut self) -> Result<Vec<Token>, ParseError> {
        let mut out = Vec::new();
        let mut pending_heredocs: Vec<usize> = Vec::new();
        loop {
            // Skip blanks and comments.
            while let Some(c) = self.peek() {
                if c == ' ' || c == '\t' {
                    self.pos += 1;
                } else if c == '\\' && self.chars.get(self.pos + 1) == Some(&'\n') {
                    self.pos += 2;
                } else if c == '#' && self.at_word_start(&out) {
                    while self.peek().is_some_and(|c| c != '\n') {
                        self.pos += 1;
                    }
                } else {
                    break;
                }
            }
            let Some(c) = self.peek() else { break };
            if c == '\n' {
                self.pos += 1;
                // Here-document bodies start on the line after their `<<`.
                for idx in std::mem::take(&mut pending_heredocs) {
                    self.read_heredoc_body(&mut out, idx)?;
                }
                out.push(Token::Newline);
                continue;
            }
            if self.starts_with("<<") && !self.starts_with("<<<") {
                self.pos += 2;
                let strip_tabs = self.peek() == Some('-');
                if strip_tabs {
                    self.pos += 1;
                }
                while self.peek() == Some(' ') {
                    self.pos += 1;
                }
                let word = self.word()?;
                if word.is_empty() {
                    return Err(match self.peek() {
                        None => ParseError::Unexpected("newline".into()),
                        Some(c) => ParseError::Unexpected(c.to_string()),
                    });
                }
                let expand = word.iter().all(|p| matches!(p, Part::Bare(_)));
                let delim: String = word
                    .iter()
                    .map(|p| match p {
                        Part::Bare(s) | Part::Single(s) | Part::Double(s) => s.as_str(),
                    })
                    .collect();
                out.push(Token::HeredocStart {
                    delim,
                    expand,
                    strip_tabs,
                });
                pending_heredocs.push(out.len() - 1);
                continue;
            }
            // `((expression))` is one word: an arithmetic command (or a C-style `for` head).
            if self.starts_with("((") && self.at_word_start(&out) {
                let w = self.balanced()?;
                out.push(Token::Word(vec![Part::Bare(w)]));
                continue;
            }
            // `<(…)` is a word (process substitution), not a redirection.
            let process_substitution = self.starts_with("<(");
            if let Some(op) = OPS
                .iter()
                .find(|op| self.starts_with(op))
                .filter(|_| !process_substitution)
            {
                // `2>` is an operator only at the start of a word.
                if op.starts_with(|c: char| c.is_ascii_digit()) && !self.at_word_start(&out) {
                    // fall through to word
                } else {
                    self.pos += op.chars().count();
                    out.push(Token::Op(op));
                    continue;
                }
            }
            let w = self.word()?;
            out.push(Token::Word(w));
        }
        if !pending_heredocs.is_empty() {
            return Err(ParseError::Incomplete);
        }
        Ok(out)
    }

    fn at_word_start(&self, _out: &[Token]) -> bool {
        self.pos == 0
            || matches!(
                self.chars.get(self.pos - 1),
                Some(' ' | '\t' | '\n' | ';' | '|' | '&')
            )
    }

    fn read_heredoc_body(&mut self, out: &mut [Token], idx: usize) -> Result<(), ParseError> {
        let Some(Token::HeredocStart {
            delim, strip_tabs, ..
        }) = out.get(idx).cloned()
        else {
            return Ok(());
        };
        let mut body = String::new();
        loop {
            if self.pos >= self.chars.len() {
                return Err(ParseError::Incomplete);
            }
            let start = self.pos;
            while self.peek().is_some_and(|c| c != '\n') {
                self.pos += 1;
            }
            let mut line: String = scan::span(&self.chars, start, self.pos).iter().collect();
            let had_newline = self.peek() == Some('\n');
            if had_newline {
                self.pos += 1;
            }
            if strip_tabs {
                line = line.trim_start_matches('\t').to_string();
            }
            if line == delim {
                break;
            }
            if !had_newline {
                return Err(ParseError::Incomplete);
            }
            body.push_str(&line);
            body.push('\n');
        }
        if let Some(Token::HeredocStart { delim: d, .. }) = out.get_mut(idx) {
            // Keep the body where the delimiter was; the parser reads it from here.
            *d = body;
        }
        Ok(())
    }

    fn word(&mut self) -> Result<Word, ParseError> {
        let mut parts = Vec::new();
        let mut bare = String::new();
        while let Some(c) = self.peek() {
            match c {
                ' ' | '\t' | '\n' | ';' | '|' | '&' | '<' | '>' | '(' | ')' => {
                    // `$(…)` and `<(…)` keep their parentheses inside the word.
                    if c == '(' && bare.ends_with(['$', '<']) {
                        bare.push_str(&self.balanced()?);
                        continue;
                    }
                    if c == '<'
                        && self.chars.get(self.pos + 1) == Some(&'(')
                        && bare.is_empty()
                        && parts.is_empty()
                    {
                        self.pos += 1;
                        bare.push('<');
                        bare.push_str(&self.balanced()?);
                        continue;
                    }
                    break;
                }
                '\\' => {
                    self.pos += 1;
                    match self.peek() {
                        Some('\n') => self.pos += 1,
                        Some(n) => {
                            flush(&mut bare, &mut parts);
                            parts.push(Part::Single(n.to_string()));
                            self.pos += 1;
                        }
                        None => return Err(ParseError::Incomplete),
                    }
                }
                '\'' => {
                    self.pos += 1;
                    let start = self.pos;
                    while self.peek().is_some_and(|c| c != '\'') {
                        self.pos += 1;
                    }
                    if self.peek().is_none() {
                        return Err(ParseError::Incomplete);
                    }
                    let s: String = scan::span(&self.chars, start, self.pos).iter().collect();
                    self.pos += 1;
                    flush(&mut bare, &mut parts);
                    parts.push(Part::Single(s));
                }
                '"' => {
                    self.pos += 1;
                    let mut s = String::new();
                    loop {
                        match self.peek() {
                            None => return Err(ParseError::Incomplete),
                            Some('"') => {
                                self.pos += 1;
                                break;
                            }
                            // A `$(…)` inside double quotes is read whole:
                            // its own quotes nest (`"$(echo ")")"`).
                            Some('$') if self.chars.get(self.pos + 1) == Some(&'(') => {
                                s.push('$');
                                self.pos += 1;
                                s.push_str(&self.balanced()?);
                            }
                            Some('\\') => {
                                let next = self.chars.get(self.pos + 1).copied();
                                match next {
                                    Some(n @ ('"' | '\\' | '$' | '`')) => {
                                        // Escaped: keep it literal, marked so expansion skips it.
                                        s.push('\u{0}');
                                        s.push(n);
                                        self.pos += 2;
                                    }
                                    Some('\n') => self.pos += 2,
                                    _ => {
                                        s.push('\\');
                                        self.pos += 1;
                                    }
                                }
                            }
                            Some(ch) => {
                                s.push(ch);
                                self.pos += 1;
                            }
                        }
                    }
                    flush(&mut bare, &mut parts);
                    parts.push(Part::Double(s));
                }
                '$' if self.chars.get(self.pos + 1) == Some(&'\'') => {
                    // `$'…'`: bash's ANSI-C quoting, taken as is once its
                    // backslash escapes are read.
                    self.pos += 2;
                    let start = self.pos;
                    loop {
                        match self.peek() {
                            None => return Err(ParseError::Incomplete),
                            Some('\'') => break,
                            Some('\\') => self.pos += 2,
                            Some(_) => self.pos += 1,
                        }
                    }
                    let raw = scan::span(&self.chars, start, self.pos);
                    self.pos += 1;
                    flush(&mut bare, &mut parts);
                    parts.push(Part::Single(ansi_c(raw)));
                }
                '$' if self.chars.get(self.pos + 1) == Some(&'(') => {
                    bare.push('$');
                    self.pos += 1;
                    bare.push_str(&self.balanced()?);
                }
                _ => {
                    bare.push(c);
                    self.pos += 1;
                }
            }
        }
        flush(&mut bare, &mut parts);
        Ok(parts)
    }

    /// Reads `( … )` with nesting and quotes, returned with its parentheses.
    fn balanced(&mut self) -> Result<String, ParseError> {
        let end = scan::closing_paren(&self.chars, self.pos).ok_or(ParseError::Incomplete)?;
        let s = scan::span(&self.chars, self.pos, end).iter().collect();
        self.pos = end;
        Ok(s)
    }
}

/// The text of `$'…'` with bash's escapes read: `\n`, `\t`, … by name,
/// `\NNN` octal, `\xHH` hex, `\uHHHH`/`\UHHHHHHHH` code points, `\cX`
/// control characters; an unknown escape stays as written, and a NUL ends
/// the string as it ends a C string.
fn ansi_c(raw: &[char]) -> String {
    let mut out = String::new();
    let mut i = 0;
    let digits = |from: usize, max: usize, radix: u32| -> (u32, usize) {
        let mut n = 0u32;
        let mut k = 0;
        while k < max {
            match raw.get(from + k).and_then(|c| c.to_digit(radix)) {
                Some(d) => n = n.saturating_mul(radix).saturating_add(d),
                None => break,
            }
            k += 1;
        }
        (n, k)
    };
    while let Some(&c) = raw.get(i) {
        i += 1;
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some(&e) = raw.get(i) else {
            out.push('\\');
            break;
        };
        i += 1;
        let code = match e {
            'a' => 7,
            'b' => 8,
            'e' | 'E' => 0x1b,
            'f' => 0x0c,
            'n' => 0x0a,
            'r' => 0x0d,
            't' => 0x09,
            'v' => 0x0b,
            '\\' | '\'' | '"' | '?' => e as u32,
            '0'..='7' => {
                let (n, k) = digits(i - 1, 3, 8);
                i += k - 1;
                n & 0xff
            }
            'x' | 'u' | 'U' => {
                let max = match e {
                    'x' => 2,
                    'u' => 4,
                    _ => 8,
                };
                let (n, k) = digits(i, max, 16);
                if k == 0 {
                    out.push('\\');
                    out.push(e);
                    continue;
                }
                i += k;
                n
            }
            'c' => match raw.get(i) {
                Some(&x) => {
                    i += 1;
                    (x as u32) & 0x1f
                }
                None => {
                    out.push_str("\\c");
                    continue;
                }
            },
            other => {
                out.push('\\');
                out.push(other);
                continue;
            }
        };
        if code == 0 {
            break;
        }
        out.push(char::from_u32(code).unwrap_or('\u{fffd}'));
    }
    out
}

fn flush(bare: &mut String, parts: &mut Word) {
    if !bare.is_empty() {
        parts.push(Part::Bare(std::mem::take(bare)));
    }
}

/// Parses a whole script (one or more lines).
pub fn parse(src: &str) -> Result<Script, ParseError> {
    let tokens = Lexer::new(src).tokens()?;
    let mut script = Script::default();
    let mut cmd = SimpleCommand::default();
    let mut pipeline: Pipeline = Vec::new();
    let mut connector = Connector::Seq;
    let mut iter = tokens.into_iter().peekable();
    // After `|`, `&&`, `||` a command must follow (possibly on a later line).
    let mut need_command = false;
    while let Some(tok) = iter.next() {
        match tok {
            Token::Word(w) => {
                cmd.words.push(w);
                need_command = false;
            }
            Token::HeredocStart {
                delim: body,
                expand,
                ..
            } => {
                cmd.redirects.push(Redirect::Heredoc { body, expand });
            }
            Token::Op(
                op @ (">" | ">>" | "1>" | "1>>" | "2>" | "2>>" | "&>" | "&>>" | "<" | "<<<"),
            ) => {
                let target = match iter.next() {
                    Some(Token::Word(w)) => w,
                    Some(Token::Op(o)) => return Err(ParseError::Unexpected(o.to_string())),
                    _ => return Err(ParseError::Unexpected("newline".into())),
                };
                match op {
                    ">" | "1>" => cmd.redirects.push(Redirect::Out {
                        fd: 1,
                        target,
                        append: false,
                    }),
                    ">>" | "1>>" => cmd.redirects.push(Redirect::Out {
                        fd: 1,
                        target,
                        append: true,
                    }),
                    "2>" => cmd.redirects.push(Redirect::Out {
                        fd: 2,
                        target,
                        append: false,
                    }),
                    "2>>" => cmd.redirects.push(Redirect::Out {
                        fd: 2,
                        target,
                        append: true,
                    }),
                    "&>" | "&>>" => {
                        cmd.redirects.push(Redirect::Out {
                            fd: 1,
                            target,
                            append: op == "&>>",
                        });
                        cmd.redirects.push(Redirect::Dup { from: 2, to: 1 });
                    }
                    "<<<" => cmd.redirects.push(Redirect::HereString(target)),
                    _ => cmd.redirects.push(Redirect::In(target)),
                }
            }
            Token::Op("2>&1") => cmd.redirects.push(Redirect::Dup { from: 2, to: 1 }),
            Token::Op(">&2" | "1>&2") => cmd.redirects.push(Redirect::Dup { from: 1, to: 2 }),
            Token::Op("|") => {
                if cmd.words.is_empty() {
                    return Err(ParseError::Unexpected("|".into()));
                }
                pipeline.push(std::mem::take(&mut cmd));
                need_command = true;
            }
            Token::Op(op @ ("&&" | "||" | ";" | "&")) | Token::Op(op @ ";;") => {
                if cmd.words.is_empty() && cmd.redirects.is_empty() {
                    return Err(ParseError::Unexpected(op.to_string()));
                }
                pipeline.push(std::mem::take(&mut cmd));
                script
                    .items
                    .push((connector, std::mem::take(&mut pipeline)));
                connector = match op {
                    "&&" => Connector::And,
                    "||" => Connector::Or,
                    _ => Connector::Seq,
                };
                need_command = op == "&&" || op == "||";
            }
            Token::Op(op) => return Err(ParseError::Unexpected(op.to_string())),
            Token::Newline => {
                if need_command {
                    continue;
                }
                if !cmd.words.is_empty() || !cmd.redirects.is_empty() {
                    pipeline.push(std::mem::take(&mut cmd));
                }
                if !pipeline.is_empty() {
                    script
                        .items
                        .push((connector, std::mem::take(&mut pipeline)));
                }
                connector = Connector::Seq;
            }
        }
    }
    if need_command {
        return Err(ParseError::Incomplete);
    }
    if !cmd.words.is_empty() || !cmd.redirects.is_empty() {
        pipeline.push(cmd);
    }
    if !pipeline.is_empty() {
        script.items.push((connector, pipeline));
    }
    Ok(script)
}

/// Whether `src` is a whole command yet, or needs more lines (an open
/// quote, a here-document, a trailing `|` or `&&`) — how a script reader
/// and the terminal decide to continue, as bash shows its `>` prompt.
pub fn is_complete(src: &str) -> bool {
    command_complete(src) && !super::script::block_open(src)
}

/// Whether `src` is whole as a command line (blocks aside).
pub(crate) fn command_complete(src: &str) -> bool {
    !matches!(parse(src), Err(ParseError::Incomplete))
        && !src.trim_end_matches('\n').ends_with('\\')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(src: &str) -> Vec<Vec<String>> {
        let script = parse(src).unwrap_or_default();
        script
            .items
            .iter()
            .flat_map(|(_, p)| p.iter())
            .map(|c| {
                c.words
                    .iter()
                    .map(|w| {
                        w.iter()
                            .map(|p| match p {
                                Part::Bare(s) | Part::Single(s) | Part::Double(s) => s.clone(),
                            })
                            .collect()
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn quoting_and_operators() {
        assert_eq!(
            words(r#"echo 'a b' "c d" e\ f"#),
            vec![vec!["echo", "a b", "c d", "e f"]]
        );
        assert_eq!(
            words("kubectl get po | grep web && echo ok; echo done"),
            vec![
                vec!["kubectl", "get", "po"],
                vec!["grep", "web"],
                vec!["echo", "ok"],
                vec!["echo", "done"]
            ]
        );
        let s = parse("a || b && c").unwrap_or_default();
        assert_eq!(
            s.items.iter().map(|(c, _)| *c).collect::<Vec<_>>(),
            vec![Connector::Seq, Connector::Or, Connector::And]
        );
    }

    #[test]
    fn heredocs() {
        let s =
            parse("cat <<EOF | kubectl apply -f -\napiVersion: v1\nkind: Pod\nEOF\necho after\n")
                .unwrap_or_default();
        let first = &s.items[0].1[0];
        assert_eq!(
            first.redirects,
            vec![Redirect::Heredoc {
                body: "apiVersion: v1\nkind: Pod\n".into(),
                expand: true
            }]
        );
        assert_eq!(s.items.len(), 2);
        let quoted = parse("cat <<'EOF'\n$HOME\nEOF").unwrap_or_default();
        assert_eq!(
            quoted.items[0].1[0].redirects,
            vec![Redirect::Heredoc {
                body: "$HOME\n".into(),
                expand: false
            }]
        );
    }

    #[test]
    fn incomplete_input_asks_for_more() {
        for src in [
            "echo 'open",
            "echo \"open",
            "cat <<EOF\nline",
            "kubectl get po |",
            "a &&",
            "echo \\",
        ] {
            assert!(!is_complete(src), "{src:?}");
        }
        for src in ["echo 'closed'", "cat <<EOF\nx\nEOF", "", "# comment"] {
            assert!(is_complete(src), "{src:?}");
        }
    }

    #[test]
    fn syntax_errors_read_like_bash() {
        assert_eq!(
            parse("| grep x").err().map(|e| e.message()),
            Some("bash: syntax error near unexpected token `|'".into())
        );
        assert_eq!(
            parse("echo >").err().map(|e| e.message()),
            Some("bash: syntax error near unexpected token `newline'".into())
        );
        assert_eq!(
            parse("; ls").err().map(|e| e.message()),
            Some("bash: syntax error near unexpected token `;'".into())
        );
    }

    #[test]
    fn never_panics_on_odd_input() {
        let odd = [
            "", "\\", "'", "\"", "$(", "<(", "<<", "<<-", ">&", "2>&", "&&&", "|||", "((((",
            "))))", "\u{0}", "é'", "$((1+", "<<EOF\n", "a\\\nb",
        ];
        for s in odd {
            let _ = parse(s);
            let _ = is_complete(s);
        }
    }
}
