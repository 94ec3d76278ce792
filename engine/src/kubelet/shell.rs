//! A small POSIX shell for what runs *inside* containers: `sh -c 'touch
//! /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600'`, `while true;
//! do echo $(date) >> /log/app.log; sleep 5; done`, `for`, `if`, `[ … ]`,
//! `&&`/`||`, redirections, `$VAR`, `${VAR}`, `$(cmd)` and `$((a+b))`.
//! Parsing only: `container.rs` runs the tree on simulated time.

/// A piece of a word.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Seg {
    Lit(String),
    Var(String),
    /// `$(…)` or backticks: the command's output.
    Cmd(String),
    /// `$((…))`.
    Arith(String),
}

use crate::scan;
pub type Word = Vec<Seg>;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Redir {
    Out(Word),
    Append(Word),
    In(Word),
    /// `2>&1`, `>/dev/null 2>&1`: ignored.
    Dup,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Node {
    Simple {
        words: Vec<Word>,
        redirs: Vec<Redir>,
    },
    Pipe(Vec<Node>),
    While {
        cond: Vec<Item>,
        body: Vec<Item>,
        until: bool,
    },
    For {
        var: String,
        items: Vec<Word>,
        body: Vec<Item>,
    },
    If {
        cond: Vec<Item>,
        then: Vec<Item>,
        els: Vec<Item>,
    },
    Group(Vec<Item>),
}

/// How an item joins the one before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Conn {
    Seq,
    And,
    Or,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    pub conn: Conn,
    pub node: Node,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Tok {
    Word(Word, bool),
    Op(&'static str),
}

fn lex(src: &str) -> Result<Vec<Tok>, String> {
    let chars: Vec<char> = src.chars().collect();
    let mut toks = Vec::new();
    let mut i = 0;
    let mut word: Word = Vec::new();
    let mut lit = String::new();
    let mut quoted = false;
    let mut in_word = false;
    macro_rules! flush_lit {
        () => {
            if !lit.is_empty() {
                word.push(Seg::Lit(std::mem::take(&mut lit)));
            }
        };
    }
    macro_rules! end_word {
        () => {
            flush_lit!();
            if in_word {
                toks.push(Tok::Word(std::mem::take(&mut word), quoted));
            }
            in_word = false;
            quoted = false;
        };
    }
    while i < chars.len() {
        let c = scan::char_at(&chars, i);
        match c {
            ' ' | '\t' => {
                end_word!();
                i += 1;
            }
            '\n' | ';' => {
                end_word!();
                if c == ';' && chars.get(i + 1) == Some(&';') {
                    return Err("syntax error near unexpected token `;;'".into());
                }
                toks.push(Tok::Op(";"));
                i += 1;
            }
            '#' if !in_word => {
                while chars.get(i).is_some_and(|&c| c != '\n') {
                    i += 1;
                }
            }
            '&' | '|' => {
                end_word!();
                let double = chars.get(i + 1) == Some(&c);
                toks.push(Tok::Op(match (c, double) {
                    ('&', true) => "&&",
                    ('&', false) => "&",
                    ('|', true) => "||",
                    _ => "|",
                }));
                i += if double { 2 } else { 1 };
            }
            '(' | ')' if !in_word => {
                toks.push(Tok::Op(if c == '(' { "(" } else { ")" }));
                i += 1;
            }
            '>' | '<' => {
                // `2>&1`, `2>/dev/null`: a digit right before is the fd.
                let fd2 = in_word && lit == "2" && word.is_empty();
                let fd1 = in_word && lit == "1" && word.is_empty();
                if fd1 || fd2 {
                    lit.clear();
                    in_word = false;
                } else {
                    end_word!();
                }
                if chars.get(i + 1) == Some(&'&') {
                    // `>&2`, `2>&1`
                    i += 2;
                    while chars.get(i).is_some_and(|&c| c.is_ascii_digit()) {
                        i += 1;
                    }
                    toks.push(Tok::Op("dup"));
                    continue;
                }
                let append = c == '>' && chars.get(i + 1) == Some(&'>');
                i += if append { 2 } else { 1 };
                toks.push(Tok::Op(match (c, append, fd2) {
                    (_, _, true) => "2>",
                    ('<', _, _) => "<",
                    (_, true, _) => ">>",
                    _ => ">",
                }));
            }
            '\'' => {
                in_word = true;
                quoted = true;
                i += 1;
                while chars.get(i).is_some_and(|&c| c != '\'') {
                    lit.push(scan::char_at(&chars, i));
                    i += 1;
                }
                if i >= chars.len() {
                    return Err("unterminated quoted string".into());
                }
                i += 1;
            }
            '"' => {
                in_word = true;
                quoted = true;
                i += 1;
                loop {
                    let Some(&d) = chars.get(i) else {
                        return Err("unterminated quoted string".into());
                    };
                    match d {
                        '"' => {
                            i += 1;
                            break;
                        }
                        '\\' if matches!(chars.get(i + 1), Some('"' | '\\' | '$' | '`')) => {
                            lit.push(scan::char_at(&chars, i + 1));
                            i += 2;
                        }
                        '$' | '`' => {
                            flush_lit!();
                            i = dollar(&chars, i, &mut word, &mut lit)?;
                        }
                        _ => {
                            lit.push(d);
                            i += 1;
                        }
                    }
                }
            }
            '\\' => {
                in_word = true;
                if let Some(&n) = chars.get(i + 1) {
                    if n != '\n' {
                        lit.push(n);
                    }
                }
                i += 2;
            }
            '$' | '`' => {
                in_word = true;
                flush_lit!();
                i = dollar(&chars, i, &mut word, &mut lit)?;
            }
            _ => {
                in_word = true;
                lit.push(c);
                i += 1;
            }
        }
    }
    flush_lit!();
    if in_word {
        toks.push(Tok::Word(word, quoted));
    }
    Ok(toks)
}

/// Reads a `$…` or backtick expansion starting at `i`; returns the index after it.
fn dollar(chars: &[char], i: usize, word: &mut Word, lit: &mut String) -> Result<usize, String> {
    let upto = |from: usize, open: char, close: char| -> Result<(String, usize), String> {
        let mut depth = 1;
        let mut j = from;
        let mut s = String::new();
        while j < chars.len() {
            let c = scan::char_at(chars, j);
            if c == open && open != close {
                depth += 1;
            } else if c == close {
                depth -= 1;
                if depth == 0 {
                    return Ok((s, j + 1));
                }
            }
            s.push(c);
            j += 1;
        }
        Err("unexpected EOF while looking for matching `)'".into())
    };
    if scan::char_at(chars, i) == '`' {
        let (s, j) = upto(i + 1, '`', '`')?;
        word.push(Seg::Cmd(s));
        return Ok(j);
    }
    match chars.get(i + 1) {
        Some('(') if chars.get(i + 2) == Some(&'(') => {
            let (s, j) = upto(i + 3, '(', ')')?;
            // the second `)`
            let j = if chars.get(j) == Some(&')') { j + 1 } else { j };
            word.push(Seg::Arith(s));
            Ok(j)
        }
        Some('(') => {
            let (s, j) = upto(i + 2, '(', ')')?;
            word.push(Seg::Cmd(s));
            Ok(j)
        }
        Some('{') => {
            let (s, j) = upto(i + 2, '{', '}')?;
            let name = s.split([':', '-']).next().unwrap_or("").to_string();
            word.push(Seg::Var(name));
            Ok(j)
        }
        Some(c) if c.is_ascii_alphanumeric() || *c == '_' || *c == '?' || *c == '$' => {
            let mut j = i + 1;
            let mut name = String::new();
            if matches!(c, '?' | '$') || c.is_ascii_digit() {
                name.push(*c);
                j += 1;
            } else {
                while chars
                    .get(j)
                    .is_some_and(|&c| c.is_ascii_alphanumeric() || c == '_')
                {
                    name.push(scan::char_at(chars, j));
                    j += 1;
                }
            }
            word.push(Seg::Var(name));
            Ok(j)
        }
        _ => {
            lit.push('$');
            Ok(i + 1)
        }
    }
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
}

fn is_kw(t: Option<&Tok>, kw: &str) -> bool {
    matches!(t, Some(Tok::Word(w, false)) if matches!(w.as_slice(), [Seg::Lit(l)] if l == kw))
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }
    fn skip_seps(&mut self) {
        while matches!(self.peek(), Some(Tok::Op(";" | "&"))) {
            self.pos += 1;
        }
    }
    fn expect_kw(&mut self, kw: &str) -> Result<(), String> {
        self.skip_seps();
        if is_kw(self.peek(), kw) {
            self.pos += 1;
            Ok(())
        } else {
            Err(format!("syntax error: expected `{kw}'"))
        }
    }
    /// A list up to one of the stop keywords (not consumed).
    fn list(&mut self, stops: &[&str]) -> Result<Vec<Item>, String> {
        let mut items = Vec::new();
        let mut conn = Conn::Seq;
        loop {
            self.skip_seps();
            match self.peek() {
                None => break,
                Some(Tok::Op(")")) => break,
                t if stops.iter().any(|s| is_kw(t, s)) => break,
                _ => {}
            }
            let node = self.pipeline()?;
            items.push(Item { conn, node });
            match self.peek() {
                Some(Tok::Op("&&")) => {
                    conn = Conn::And;
                    self.pos += 1;
                }
                Some(Tok::Op("||")) => {
                    conn = Conn::Or;
                    self.pos += 1;
                }
                _ => conn = Conn::Seq,
            }
        }
        Ok(items)
    }
    fn pipeline(&mut self) -> Result<Node, String> {
        let mut stages = vec![self.command()?];
        while matches!(self.peek(), Some(Tok::Op("|"))) {
            self.pos += 1;
            stages.push(self.command()?);
        }
        Ok(if stages.len() == 1 {
            stages.pop().unwrap_or(Node::Group(Vec::new()))
        } else {
            Node::Pipe(stages)
        })
    }
    fn command(&mut self) -> Result<Node, String> {
        let t = self.peek().cloned();
        if is_kw(t.as_ref(), "while") || is_kw(t.as_ref(), "until") {
            let until = is_kw(t.as_ref(), "until");
            self.pos += 1;
            let cond = self.list(&["do"])?;
            self.expect_kw("do")?;
            let body = self.list(&["done"])?;
            self.expect_kw("done")?;
            return Ok(Node::While { cond, body, until });
        }
        if is_kw(t.as_ref(), "for") {
            self.pos += 1;
            let var = match self.peek() {
                Some(Tok::Word(w, _)) => lit_of(w),
                _ => return Err("syntax error near `for'".into()),
            };
            self.pos += 1;
            let mut items = Vec::new();
            if is_kw(self.peek(), "in") {
                self.pos += 1;
                while let Some(Tok::Word(w, _)) = self.peek() {
                    items.push(w.clone());
                    self.pos += 1;
                }
            }
            self.expect_kw("do")?;
            let body = self.list(&["done"])?;
            self.expect_kw("done")?;
            return Ok(Node::For { var, items, body });
        }
        if is_kw(t.as_ref(), "if") {
            self.pos += 1;
            let cond = self.list(&["then"])?;
            self.expect_kw("then")?;
            let then = self.list(&["else", "elif", "fi"])?;
            self.skip_seps();
            let els = if is_kw(self.peek(), "else") {
                self.pos += 1;
                self.list(&["fi"])?
            } else if is_kw(self.peek(), "elif") {
                // `elif` is an `if` nested in the else branch, sharing its `fi`.
                if let Some(Tok::Word(w, _)) = self.toks.get_mut(self.pos) {
                    *w = vec![Seg::Lit("if".into())];
                }
                let nested = self.command_elif()?;
                vec![Item {
                    conn: Conn::Seq,
                    node: nested,
                }]
            } else {
                Vec::new()
            };
            self.expect_kw("fi")?;
            return Ok(Node::If { cond, then, els });
        }
        if matches!(t, Some(Tok::Op("("))) || is_kw(t.as_ref(), "{") {
            let brace = !matches!(t, Some(Tok::Op("(")));
            self.pos += 1;
            let items = self.list(&["}"])?;
            self.skip_seps();
            if brace {
                self.expect_kw("}")?;
            } else if matches!(self.peek(), Some(Tok::Op(")"))) {
                self.pos += 1;
            }
            return Ok(Node::Group(items));
        }
        let mut words = Vec::new();
        let mut redirs = Vec::new();
        loop {
            match self.peek().cloned() {
                Some(Tok::Word(w, _)) => {
                    words.push(w);
                    self.pos += 1;
                }
                Some(Tok::Op(op @ (">" | ">>" | "<" | "2>"))) => {
                    self.pos += 1;
                    let target = match self.peek() {
                        Some(Tok::Word(w, _)) => w.clone(),
                        _ => return Err("syntax error near unexpected token `newline'".into()),
                    };
                    self.pos += 1;
                    redirs.push(match op {
                        ">" => Redir::Out(target),
                        ">>" => Redir::Append(target),
                        "<" => Redir::In(target),
                        _ => Redir::Dup,
                    });
                }
                Some(Tok::Op("dup")) => {
                    self.pos += 1;
                    redirs.push(Redir::Dup);
                }
                _ => break,
            }
        }
        if words.is_empty() && redirs.is_empty() {
            return Err(match self.peek() {
                Some(Tok::Op(op)) => format!("syntax error near unexpected token `{op}'"),
                _ => "syntax error: unexpected end of file".into(),
            });
        }
        Ok(Node::Simple { words, redirs })
    }
    /// The `if` an `elif` became, without its own `fi`.
    fn command_elif(&mut self) -> Result<Node, String> {
        self.pos += 1;
        let cond = self.list(&["then"])?;
        self.expect_kw("then")?;
        let then = self.list(&["else", "elif", "fi"])?;
        self.skip_seps();
        let els = if is_kw(self.peek(), "else") {
            self.pos += 1;
            self.list(&["fi"])?
        } else if is_kw(self.peek(), "elif") {
            vec![Item {
                conn: Conn::Seq,
                node: self.command_elif()?,
            }]
        } else {
            Vec::new()
        };
        Ok(Node::If { cond, then, els })
    }
}

/// The literal text of a word (its variable parts dropped).
pub fn lit_of(w: &Word) -> String {
    w.iter()
        .map(|s| match s {
            Seg::Lit(l) => l.as_str(),
            _ => "",
        })
        .collect()
}

/// Parses a script into items.
pub fn parse(src: &str) -> Result<Vec<Item>, String> {
    let toks = lex(src)?;
    let mut p = Parser { toks, pos: 0 };
    let items = p.list(&[])?;
    if p.pos < p.toks.len() {
        return Err(match p.peek() {
            Some(Tok::Op(op)) => format!("syntax error near unexpected token `{op}'"),
            _ => "syntax error".into(),
        });
    }
    Ok(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_classic_scripts() {
        let items = parse("touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600")
            .unwrap_or_default();
        assert_eq!(items.len(), 4);
        let items =
            parse("while true; do echo $(date) >> /log/app.log; sleep 5; done").unwrap_or_default();
        assert!(matches!(
            items.first().map(|i| &i.node),
            Some(Node::While { .. })
        ));
        let items = parse("echo \"hi $NAME\" && sleep 3600 || exit 1").unwrap_or_default();
        assert_eq!(items.len(), 3);
        assert!(parse("if [ -f /x ]; then echo y; else echo n; fi").is_ok());
        assert!(parse("for i in 1 2 3; do echo $i; done").is_ok());
        assert!(parse("echo 'unterminated").is_err());
    }
}
