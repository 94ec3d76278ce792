// Indexing is safe in this module: lines is never empty (split() yields at least one line, delete_lines
// refills an emptied buffer) and every edit ends in clamp(), so row < lines.len() and col <= that line's length.
#![allow(clippy::indexing_slicing)]
//! Vim's modal keys for the editor, as a plain state machine: the editor
//! component feeds it the keys pressed in normal mode and shows the text
//! and cursor it computes; in insert mode the text area types natively
//! and the machine takes the text back on Esc. No browser here, so every
//! key is unit-tested.
//!
//! Supported: `i a I A o O`, `h j k l` and the arrows, `0 ^ $`, `w b`,
//! `gg G` (with a count: that line), `x`, `dd yy D`, `p P`, `u` and
//! Ctrl-R, `n N` after a `/search`, counts (`3dd`, `5j`). `:` and `/`
//! ask the host to open its command line.

/// What the host must do after a key.
#[derive(Debug, PartialEq, Eq)]
pub enum Effect {
    Nothing,
    /// Open the command line with this prompt (`:` or `/`).
    CommandLine(char),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Normal,
    Insert,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Snapshot {
    lines: Vec<Vec<char>>,
    row: usize,
    col: usize,
}

/// What `yy`/`dd`/`x` put in the unnamed register.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Register {
    Empty,
    Lines(Vec<Vec<char>>),
    Chars(Vec<char>),
}

pub struct Vim {
    lines: Vec<Vec<char>>,
    row: usize,
    col: usize,
    /// The column `j`/`k` aim for (vim's curswant): a short line in
    /// between does not forget it.
    want: usize,
    pub mode: Mode,
    /// An operator waiting for its second key (`d`, `y`, `g`).
    pending: Option<char>,
    count: String,
    register: Register,
    undo: Vec<Snapshot>,
    redo: Vec<Snapshot>,
    search: Option<String>,
    /// What vim would show in its message line (`Pattern not found`, …).
    pub message: String,
}

impl Vim {
    pub fn new(text: &str) -> Self {
        Vim {
            lines: split(text),
            row: 0,
            col: 0,
            want: 0,
            mode: Mode::Normal,
            pending: None,
            count: String::new(),
            register: Register::Empty,
            undo: vec![],
            redo: vec![],
            search: None,
            message: String::new(),
        }
    }

    pub fn text(&self) -> String {
        let lines: Vec<String> = self.lines.iter().map(|l| l.iter().collect()).collect();
        lines.join("\n")
    }

    /// The cursor as a character offset into [`Vim::text`].
    pub fn offset(&self) -> usize {
        self.lines[..self.row]
            .iter()
            .map(|l| l.len() + 1)
            .sum::<usize>()
            + self.col
    }

    /// The cursor as (line, column), both from 0.
    #[cfg(test)]
    pub fn position(&self) -> (usize, usize) {
        (self.row, self.col)
    }

    /// Takes the text and caret as the text area has them (typed in insert
    /// mode, pasted, or the caret moved by a click). A changed text is one
    /// undo step.
    pub fn sync(&mut self, text: &str, caret: usize) {
        let lines = split(text);
        if lines != self.lines {
            self.save();
            self.lines = lines;
        }
        let mut rest = caret;
        self.row = 0;
        while self.row + 1 < self.lines.len() && rest > self.lines[self.row].len() {
            rest -= self.lines[self.row].len() + 1;
            self.row += 1;
        }
        self.col = rest.min(self.lines[self.row].len());
        self.clamp();
        self.want = self.col;
    }

    /// Esc: back to normal mode; the cursor steps back onto the last typed character.
    pub fn escape(&mut self) {
        if self.mode == Mode::Insert {
            self.col = self.col.saturating_sub(1);
        }
        self.mode = Mode::Normal;
        self.pending = None;
        self.count.clear();
        self.clamp();
        self.want = self.col;
    }

    /// One key, named as `KeyboardEvent.key` names it (`"x"`, `"ArrowUp"`,
    /// `"Escape"`); Ctrl-R is `"C-r"`.
    pub fn key(&mut self, key: &str) -> Effect {
        self.message.clear();
        if key == "Escape" {
            self.escape();
            return Effect::Nothing;
        }
        if self.mode == Mode::Insert {
            self.insert_key(key);
            return Effect::Nothing;
        }
        if let Some(op) = self.pending.take() {
            let n = self.take_count();
            match (op, key) {
                ('d', "d") => self.delete_lines(n),
                ('y', "y") => self.yank_lines(n),
                ('g', "g") => self.go_line(n),
                _ => {}
            }
            return Effect::Nothing;
        }
        if (key != "0" || !self.count.is_empty())
            && key.len() == 1
            && key.as_bytes()[0].is_ascii_digit()
        {
            self.count.push_str(key);
            return Effect::Nothing;
        }
        let explicit = !self.count.is_empty();
        let n = self.take_count();
        match key {
            "h" | "ArrowLeft" | "Backspace" => self.col = self.col.saturating_sub(n),
            "l" | "ArrowRight" | " " => self.col += n,
            "j" | "ArrowDown" | "Enter" => {
                self.row = (self.row + n).min(self.lines.len() - 1);
                self.col = self.want;
                self.clamp();
                return Effect::Nothing;
            }
            "k" | "ArrowUp" => {
                self.row = self.row.saturating_sub(n);
                self.col = self.want;
                self.clamp();
                return Effect::Nothing;
            }
            "0" | "Home" => self.col = 0,
            "^" => self.col = self.first_non_blank(),
            "$" | "End" => self.col = usize::MAX,
            "w" => (0..n).for_each(|_| self.word_forward()),
            "b" => (0..n).for_each(|_| self.word_back()),
            "G" => self.go_line(if explicit { n } else { self.lines.len() }),
            "d" | "y" | "g" => {
                // The count waits for the operator's second key.
                if explicit {
                    self.count = n.to_string();
                }
                self.pending = key.chars().next();
            }
            "x" | "Delete" => self.delete_chars(n),
            "D" => {
                let line = &self.lines[self.row];
                if self.col < line.len() {
                    self.save();
                    let cut = self.lines[self.row].split_off(self.col);
                    self.register = Register::Chars(cut);
                }
            }
            "p" => self.put(true, n),
            "P" => self.put(false, n),
            "u" => self.undo(),
            "C-r" => self.redo(),
            "i" | "Insert" => self.insert(),
            "a" => {
                self.insert();
                self.col = (self.col + 1).min(self.lines[self.row].len());
            }
            "I" => {
                self.insert();
                self.col = self.first_non_blank();
            }
            "A" => {
                self.insert();
                self.col = self.lines[self.row].len();
            }
            "o" | "O" => {
                self.insert();
                let indent: Vec<char> = self.lines[self.row]
                    .iter()
                    .take_while(|c| **c == ' ')
                    .copied()
                    .collect();
                let at = if key == "o" { self.row + 1 } else { self.row };
                self.col = indent.len();
                self.lines.insert(at, indent);
                self.row = at;
            }
            "n" => self.find_next(true),
            "N" => self.find_next(false),
            ":" => return Effect::CommandLine(':'),
            "/" => return Effect::CommandLine('/'),
            _ => {}
        }
        self.clamp();
        self.want = if key == "$" || key == "End" {
            usize::MAX
        } else {
            self.col
        };
        Effect::Nothing
    }

    /// `/pattern`: the next match after the cursor, wrapping around.
    pub fn search(&mut self, pattern: &str) {
        if !pattern.is_empty() {
            self.search = Some(pattern.to_string());
        }
        self.find_next(true);
    }

    fn find_next(&mut self, forward: bool) {
        let Some(pattern) = self.search.clone() else {
            self.message = "E35: No previous regular expression".into();
            return;
        };
        let needle: Vec<char> = pattern.chars().collect();
        let text: Vec<char> = self.text().chars().collect();
        let hits: Vec<usize> = (0..text.len())
            .filter(|&i| text[i..].starts_with(&needle))
            .collect();
        let here = self.offset();
        let found = if forward {
            hits.iter().find(|&&i| i > here).or(hits.first())
        } else {
            hits.iter().rev().find(|&&i| i < here).or(hits.last())
        };
        match found {
            Some(&at) => {
                let wrapped = if forward { at <= here } else { at >= here };
                if wrapped {
                    self.message = if forward {
                        "search hit BOTTOM, continuing at TOP".into()
                    } else {
                        "search hit TOP, continuing at BOTTOM".into()
                    };
                }
                let text = self.text();
                self.sync(&text, at);
            }
            None => self.message = format!("E486: Pattern not found: {pattern}"),
        }
    }

    fn insert_key(&mut self, key: &str) {
        match key {
            "Enter" => {
                let rest = self.lines[self.row].split_off(self.col);
                self.row += 1;
                self.col = 0;
                self.lines.insert(self.row, rest);
            }
            "Backspace" => {
                if self.col > 0 {
                    self.col -= 1;
                    self.lines[self.row].remove(self.col);
                } else if self.row > 0 {
                    let line = self.lines.remove(self.row);
                    self.row -= 1;
                    self.col = self.lines[self.row].len();
                    self.lines[self.row].extend(line);
                }
            }
            // YAML is indented with spaces.
            "Tab" => self.type_text("  "),
            k if k.chars().count() == 1 => self.type_text(k),
            _ => {}
        }
    }

    fn type_text(&mut self, s: &str) {
        for c in s.chars() {
            self.lines[self.row].insert(self.col, c);
            self.col += 1;
        }
    }

    fn insert(&mut self) {
        self.save();
        self.mode = Mode::Insert;
    }

    fn take_count(&mut self) -> usize {
        let n = self.count.parse().unwrap_or(1).max(1);
        self.count.clear();
        n
    }

    fn go_line(&mut self, n: usize) {
        self.row = n.clamp(1, self.lines.len()) - 1;
        self.col = self.first_non_blank();
    }

    fn first_non_blank(&self) -> usize {
        self.lines[self.row]
            .iter()
            .position(|c| !c.is_whitespace())
            .unwrap_or(0)
    }

    fn word_forward(&mut self) {
        let line = &self.lines[self.row];
        let class = |c: char| {
            if c.is_whitespace() {
                0
            } else if c.is_alphanumeric() || c == '_' {
                1
            } else {
                2
            }
        };
        let mut i = self.col;
        if i < line.len() {
            let start = class(line[i]);
            while i < line.len() && class(line[i]) == start && start != 0 {
                i += 1;
            }
        }
        while i < line.len() && line[i].is_whitespace() {
            i += 1;
        }
        if i >= line.len() && self.row + 1 < self.lines.len() {
            self.row += 1;
            self.col = self.first_non_blank();
        } else {
            self.col = i;
        }
    }

    fn word_back(&mut self) {
        if self.col == 0 {
            if self.row > 0 {
                self.row -= 1;
                self.col = self.lines[self.row].len().saturating_sub(1);
            }
            return;
        }
        let line = &self.lines[self.row];
        let mut i = self.col.min(line.len());
        while i > 0 && line[i - 1].is_whitespace() {
            i -= 1;
        }
        let word = |c: char| c.is_alphanumeric() || c == '_';
        if i > 0 {
            let w = word(line[i - 1]);
            while i > 0 && !line[i - 1].is_whitespace() && word(line[i - 1]) == w {
                i -= 1;
            }
        }
        self.col = i;
    }

    fn delete_chars(&mut self, n: usize) {
        let line = &self.lines[self.row];
        if line.is_empty() {
            return;
        }
        self.save();
        let end = (self.col + n).min(self.lines[self.row].len());
        let cut: Vec<char> = self.lines[self.row].drain(self.col..end).collect();
        self.register = Register::Chars(cut);
    }

    fn delete_lines(&mut self, n: usize) {
        self.save();
        let end = (self.row + n).min(self.lines.len());
        let cut: Vec<Vec<char>> = self.lines.drain(self.row..end).collect();
        self.register = Register::Lines(cut);
        if self.lines.is_empty() {
            self.lines.push(vec![]);
        }
        self.row = self.row.min(self.lines.len() - 1);
        self.col = self.first_non_blank();
    }

    fn yank_lines(&mut self, n: usize) {
        let end = (self.row + n).min(self.lines.len());
        self.register = Register::Lines(self.lines[self.row..end].to_vec());
    }

    fn put(&mut self, after: bool, n: usize) {
        match self.register.clone() {
            Register::Empty => self.message = "E353: Nothing in register \"".into(),
            Register::Lines(lines) => {
                self.save();
                let at = if after { self.row + 1 } else { self.row };
                for _ in 0..n {
                    for (i, l) in lines.iter().enumerate() {
                        self.lines.insert(at + i, l.clone());
                    }
                }
                self.row = at;
                self.col = self.first_non_blank();
            }
            Register::Chars(chars) => {
                self.save();
                let line = &mut self.lines[self.row];
                let at = if after && !line.is_empty() {
                    self.col + 1
                } else {
                    self.col
                };
                for _ in 0..n {
                    for (i, c) in chars.iter().enumerate() {
                        line.insert(at + i, *c);
                    }
                }
                self.col = at + chars.len() * n - 1;
            }
        }
    }

    fn snapshot(&self) -> Snapshot {
        Snapshot {
            lines: self.lines.clone(),
            row: self.row,
            col: self.col,
        }
    }

    fn save(&mut self) {
        self.undo.push(self.snapshot());
        self.redo.clear();
    }

    fn undo(&mut self) {
        match self.undo.pop() {
            Some(s) => {
                self.redo.push(self.snapshot());
                self.restore(s);
            }
            None => self.message = "Already at oldest change".into(),
        }
    }

    fn redo(&mut self) {
        match self.redo.pop() {
            Some(s) => {
                self.undo.push(self.snapshot());
                self.restore(s);
            }
            None => self.message = "Already at newest change".into(),
        }
    }

    fn restore(&mut self, s: Snapshot) {
        self.lines = s.lines;
        self.row = s.row;
        self.col = s.col;
        self.clamp();
    }

    /// Normal mode rests on a character, never past the end of the line.
    fn clamp(&mut self) {
        self.row = self.row.min(self.lines.len() - 1);
        let len = self.lines[self.row].len();
        let last = if self.mode == Mode::Insert {
            len
        } else {
            len.saturating_sub(1)
        };
        self.col = self.col.min(last);
    }
}

fn split(text: &str) -> Vec<Vec<char>> {
    text.split('\n').map(|l| l.chars().collect()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(v: &mut Vim, ks: &str) {
        for k in ks.chars() {
            v.key(&k.to_string());
        }
    }

    const YAML: &str = "spec:\n  containers:\n  - image: nginx\n    name: web\n";

    #[test]
    fn dd_then_insert_changes_the_image() {
        let mut v = Vim::new(YAML);
        keys(&mut v, "jj");
        assert_eq!(v.position(), (2, 0));
        keys(&mut v, "dd");
        assert_eq!(v.text(), "spec:\n  containers:\n    name: web\n");
        keys(&mut v, "O");
        assert_eq!(v.mode, Mode::Insert);
        keys(&mut v, "- image: nginx:1.27");
        v.key("Escape");
        assert_eq!(v.mode, Mode::Normal);
        assert_eq!(
            v.text(),
            "spec:\n  containers:\n    - image: nginx:1.27\n    name: web\n"
        );
        // The cursor steps back onto the last typed character, as vim's does.
        assert_eq!(v.position(), (2, 22));
        v.key("u");
        assert_eq!(v.text(), "spec:\n  containers:\n    name: web\n");
        v.key("u");
        assert_eq!(v.text(), YAML);
        v.key("C-r");
        assert_eq!(v.text(), "spec:\n  containers:\n    name: web\n");
    }

    #[test]
    fn motions() {
        let mut v = Vim::new(YAML);
        keys(&mut v, "G");
        assert_eq!(v.position(), (4, 0));
        keys(&mut v, "gg");
        assert_eq!(v.position(), (0, 0));
        keys(&mut v, "3G");
        assert_eq!(v.position(), (2, 2));
        keys(&mut v, "$");
        assert_eq!(v.position(), (2, 15));
        keys(&mut v, "0");
        assert_eq!(v.position(), (2, 0));
        keys(&mut v, "^");
        assert_eq!(v.position(), (2, 2));
        keys(&mut v, "w");
        assert_eq!(v.position(), (2, 4));
        keys(&mut v, "w");
        assert_eq!(v.position(), (2, 9));
        keys(&mut v, "b");
        assert_eq!(v.position(), (2, 4));
        // l stops on the last character; k keeps the column where it fits.
        keys(&mut v, "20l");
        assert_eq!(v.position(), (2, 15));
        keys(&mut v, "k");
        assert_eq!(v.position(), (1, 12));
        v.key("ArrowDown");
        assert_eq!(v.position(), (2, 15));
        v.key("ArrowLeft");
        assert_eq!(v.position(), (2, 14));
        keys(&mut v, "hhh");
        assert_eq!(v.position(), (2, 11));
        keys(&mut v, "5k");
        assert_eq!(v.position(), (0, 4));
    }

    #[test]
    fn yank_put_and_delete_characters() {
        let mut v = Vim::new("a: 1\nb: 2\n");
        keys(&mut v, "yyp");
        assert_eq!(v.text(), "a: 1\na: 1\nb: 2\n");
        assert_eq!(v.position(), (1, 0));
        keys(&mut v, "P");
        assert_eq!(v.text(), "a: 1\na: 1\na: 1\nb: 2\n");
        keys(&mut v, "2dd");
        assert_eq!(v.text(), "a: 1\nb: 2\n");
        keys(&mut v, "gg$x");
        assert_eq!(v.text(), "a: \nb: 2\n");
        keys(&mut v, "j$p");
        assert_eq!(v.text(), "a: \nb: 21\n");
        keys(&mut v, "0D");
        assert_eq!(v.text(), "a: \n\n");
        // Deleting every line leaves one empty line, as vim does.
        keys(&mut v, "gg9dd");
        assert_eq!(v.text(), "");
    }

    #[test]
    fn insert_commands_and_yaml_indent() {
        let mut v = Vim::new("  a: 1");
        keys(&mut v, "A");
        keys(&mut v, "2");
        v.key("Escape");
        keys(&mut v, "I");
        keys(&mut v, "#");
        v.key("Escape");
        assert_eq!(v.text(), "  #a: 12");
        // o keeps the indentation; Tab inserts two spaces.
        keys(&mut v, "o");
        v.key("Tab");
        keys(&mut v, "b: 3");
        v.key("Escape");
        assert_eq!(v.text(), "  #a: 12\n    b: 3");
        keys(&mut v, "0a");
        keys(&mut v, "x");
        v.key("Escape");
        assert_eq!(v.text(), "  #a: 12\n x   b: 3");
        keys(&mut v, "i");
        v.key("Backspace");
        v.key("Backspace");
        v.key("Escape");
        assert_eq!(v.text(), "  #a: 12x   b: 3");
    }

    #[test]
    fn search_and_command_line() {
        let mut v = Vim::new(YAML);
        assert_eq!(v.key("/"), Effect::CommandLine('/'));
        v.search("name");
        assert_eq!(v.position(), (3, 4));
        v.search("image");
        assert_eq!(v.position(), (2, 4));
        v.key("n");
        assert_eq!(v.position(), (2, 4));
        assert_eq!(v.message, "search hit BOTTOM, continuing at TOP");
        v.search("nope");
        assert_eq!(v.message, "E486: Pattern not found: nope");
        v.key("N");
        assert_eq!(v.position(), (2, 4));
        assert_eq!(v.key(":"), Effect::CommandLine(':'));
        // The host's text and caret win: a click moved it.
        v.sync("x\ny\n", 2);
        assert_eq!(v.position(), (1, 0));
        v.key("u");
        assert_eq!(v.text(), YAML);
    }
}
