//! Shell arithmetic, as bash evaluates `$((…))`, `((…))` and `let`:
//! 64-bit signed integers that wrap, variables by bare name (unset or empty
//! is 0), assignments (`=`, `+=`, `++`…), comparisons, `&&`/`||`, `?:`.
//! Errors read like bash's (`division by 0 (error token is "0")`).

use crate::scan;
use std::collections::BTreeMap;

/// Evaluates `expr`, updating `vars` for assignments. The error is bash's
/// text after `bash: ` (the caller adds the context, e.g. `let: `).
pub fn eval(expr: &str, vars: &mut BTreeMap<String, String>) -> Result<i64, String> {
    let tokens = tokenize(expr)?;
    if tokens.is_empty() {
        return Ok(0);
    }
    let mut p = Parser {
        src: expr,
        tokens,
        pos: 0,
        vars,
        depth: 0,
        skip: 0,
    };
    let v = p.comma()?;
    if p.pos < p.tokens.len() {
        let rest = p.rest();
        return Err(format!(
            "{}: syntax error in expression (error token is \"{rest}\")",
            expr.trim()
        ));
    }
    Ok(v)
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Num(i64),
    Name(String),
    Op(&'static str),
}

const OPS: &[&str] = &[
    "<<=", ">>=", "**", "++", "--", "<=", ">=", "==", "!=", "&&", "||", "+=", "-=", "*=", "/=",
    "%=", "&=", "|=", "^=", "<<", ">>", "+", "-", "*", "/", "%", "<", ">", "=", "!", "~", "&", "|",
    "^", "?", ":", "(", ")", ",",
];

/// Tokens with the byte offset each starts at (for "error token is").
fn tokenize(expr: &str) -> Result<Vec<(Tok, usize)>, String> {
    let mut out = Vec::new();
    let b = expr.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = scan::byte(b, i);
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        if c.is_ascii_digit() {
            let start = i;
            while b
                .get(i)
                .is_some_and(|&c| c.is_ascii_alphanumeric() || c == b'#')
            {
                i += 1;
            }
            let text = &expr[start..i];
            let value = parse_number(text).ok_or_else(|| {
                format!(
                    "{}: value too great for base (error token is \"{text}\")",
                    expr.trim()
                )
            })?;
            out.push((Tok::Num(value), start));
            continue;
        }
        if c.is_ascii_alphabetic() || c == b'_' {
            let start = i;
            while b
                .get(i)
                .is_some_and(|&c| c.is_ascii_alphanumeric() || c == b'_')
            {
                i += 1;
            }
            out.push((Tok::Name(expr[start..i].to_string()), start));
            continue;
        }
        match OPS.iter().find(|op| expr[i..].starts_with(**op)) {
            Some(op) => {
                out.push((Tok::Op(op), i));
                i += op.len();
            }
            None => {
                let rest = &expr[i..];
                return Err(format!(
                    "{}: syntax error: operand expected (error token is \"{rest}\")",
                    expr.trim()
                ));
            }
        }
    }
    Ok(out)
}

/// `10`, `0x1f`, `017` (octal), `2#101`.
fn parse_number(text: &str) -> Option<i64> {
    if let Some((base, digits)) = text.split_once('#') {
        let base: u32 = base.parse().ok().filter(|b| (2..=36).contains(b))?;
        return i64::from_str_radix(digits, base).ok();
    }
    if let Some(hex) = text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
        return i64::from_str_radix(hex, 16).ok();
    }
    if text.len() > 1 && text.starts_with('0') {
        return i64::from_str_radix(&text[1..], 8).ok();
    }
    text.parse().ok()
}

struct Parser<'a> {
    src: &'a str,
    tokens: Vec<(Tok, usize)>,
    pos: usize,
    vars: &'a mut BTreeMap<String, String>,
    depth: usize,
    /// Inside the untaken side of `&&`, `||` or `?:`: parse without effects.
    skip: usize,
}

const MAX_DEPTH: usize = 64;

impl Parser<'_> {
    fn rest(&self) -> String {
        match self.tokens.get(self.pos) {
            Some((_, at)) => self.src[*at..].trim().to_string(),
            // At the end, bash names the last token.
            None => match self.tokens.last() {
                Some((_, at)) => self.src[*at..].trim().to_string(),
                None => String::new(),
            },
        }
    }

    fn peek_op(&self) -> Option<&'static str> {
        match self.tokens.get(self.pos) {
            Some((Tok::Op(op), _)) => Some(op),
            _ => None,
        }
    }

    fn eat(&mut self, op: &str) -> bool {
        if self.peek_op() == Some(op) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn operand_expected(&self) -> String {
        let rest = self.rest();
        format!(
            "{}: syntax error: operand expected (error token is \"{rest}\")",
            self.src.trim()
        )
    }

    fn var(&mut self, name: &str) -> Result<i64, String> {
        let value = self.vars.get(name).cloned().unwrap_or_default();
        let value = value.trim();
        if value.is_empty() {
            return Ok(0);
        }
        if let Some(n) = parse_number(value) {
            return Ok(n);
        }
        // A variable holding an expression is evaluated in turn, as bash does.
        if self.depth > MAX_DEPTH {
            return Err(format!(
                "{value}: expression recursion level exceeded (error token is \"{value}\")"
            ));
        }
        self.depth += 1;
        let mut vars = self.vars.clone();
        let r = eval(value, &mut vars);
        self.depth -= 1;
        r
    }

    fn set(&mut self, name: &str, value: i64) {
        if self.skip == 0 {
            self.vars.insert(name.to_string(), value.to_string());
        }
    }

    fn comma(&mut self) -> Result<i64, String> {
        let mut v = self.assign()?;
        while self.eat(",") {
            v = self.assign()?;
        }
        Ok(v)
    }

    fn assign(&mut self) -> Result<i64, String> {
        if let (Some((Tok::Name(name), _)), Some((Tok::Op(op), _))) =
            (self.tokens.get(self.pos), self.tokens.get(self.pos + 1))
        {
            let op: &'static str = op;
            if matches!(
                op,
                "=" | "+=" | "-=" | "*=" | "/=" | "%=" | "<<=" | ">>=" | "&=" | "|=" | "^="
            ) {
                let name = name.clone();
                self.pos += 2;
                let rhs = self.assign()?;
                let value = if op == "=" {
                    rhs
                } else {
                    let old = self.var(&name)?;
                    self.binary(&op[..op.len() - 1], old, rhs)?
                };
                self.set(&name, value);
                return Ok(value);
            }
        }
        self.ternary()
    }

    fn ternary(&mut self) -> Result<i64, String> {
        let cond = self.binary_level(0)?;
        if !self.eat("?") {
            return Ok(cond);
        }
        if cond == 0 {
            self.skip += 1;
        }
        let a = self.assign()?;
        if cond == 0 {
            self.skip -= 1;
        }
        if !self.eat(":") {
            return Err(format!(
                "{}: expected `:' (error token is \"{}\")",
                self.src.trim(),
                self.rest()
            ));
        }
        if cond != 0 {
            self.skip += 1;
        }
        let b = self.assign()?;
        if cond != 0 {
            self.skip -= 1;
        }
        Ok(if cond != 0 { a } else { b })
    }

    /// Binary operators by precedence, loosest first.
    fn binary_level(&mut self, level: usize) -> Result<i64, String> {
        const LEVELS: &[&[&str]] = &[
            &["||"],
            &["&&"],
            &["|"],
            &["^"],
            &["&"],
            &["==", "!="],
            &["<", ">", "<=", ">="],
            &["<<", ">>"],
            &["+", "-"],
            &["*", "/", "%"],
        ];
        let Some(ops) = LEVELS.get(level) else {
            return self.power();
        };
        let mut left = self.binary_level(level + 1)?;
        while let Some(op) = self.peek_op().filter(|op| ops.contains(op)) {
            self.pos += 1;
            // `&&`/`||` short-circuit: the other side parses without effects.
            let short = (op == "&&" && left == 0) || (op == "||" && left != 0);
            if short {
                self.skip += 1;
            }
            let right = self.binary_level(level + 1);
            if short {
                self.skip -= 1;
            }
            let right = right?;
            left = match op {
                "&&" => i64::from(left != 0 && right != 0),
                "||" => i64::from(left != 0 || right != 0),
                _ => self.binary(op, left, right)?,
            };
        }
        Ok(left)
    }

    fn binary(&self, op: &str, a: i64, b: i64) -> Result<i64, String> {
        Ok(match op {
            "+" => a.wrapping_add(b),
            "-" => a.wrapping_sub(b),
            "*" => a.wrapping_mul(b),
            "/" | "%" => {
                if b == 0 {
                    if self.skip > 0 {
                        return Ok(0);
                    }
                    return Err(format!(
                        "{}: division by 0 (error token is \"{}\")",
                        self.src.trim(),
                        self.last_operand()
                    ));
                }
                if op == "/" {
                    a.wrapping_div(b)
                } else {
                    a.wrapping_rem(b)
                }
            }
            "<<" => a.wrapping_shl(b as u32),
            ">>" => a.wrapping_shr(b as u32),
            "&" => a & b,
            "|" => a | b,
            "^" => a ^ b,
            "==" => i64::from(a == b),
            "!=" => i64::from(a != b),
            "<" => i64::from(a < b),
            ">" => i64::from(a > b),
            "<=" => i64::from(a <= b),
            ">=" => i64::from(a >= b),
            _ => 0,
        })
    }

    /// The text of the operand just read (bash names it in "division by 0").
    fn last_operand(&self) -> String {
        match self.tokens.get(self.pos.saturating_sub(1)) {
            Some((_, at)) => self.src[*at..].trim().to_string(),
            None => String::new(),
        }
    }

    fn power(&mut self) -> Result<i64, String> {
        let base = self.unary()?;
        if self.eat("**") {
            let exp = self.power()?;
            if exp < 0 {
                return Err(format!(
                    "{}: exponent less than 0 (error token is \"{}\")",
                    self.src.trim(),
                    self.last_operand()
                ));
            }
            return Ok(base.wrapping_pow(exp.min(u32::MAX as i64) as u32));
        }
        Ok(base)
    }

    fn unary(&mut self) -> Result<i64, String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(format!(
                "{}: expression recursion level exceeded",
                self.src.trim()
            ));
        }
        let r = self.unary_inner();
        self.depth -= 1;
        r
    }

    fn unary_inner(&mut self) -> Result<i64, String> {
        if let Some(op @ ("++" | "--")) = self.peek_op() {
            if let Some((Tok::Name(name), _)) = self.tokens.get(self.pos + 1) {
                let name = name.clone();
                self.pos += 2;
                let v = self.var(&name)?;
                let v = if op == "++" {
                    v.wrapping_add(1)
                } else {
                    v.wrapping_sub(1)
                };
                self.set(&name, v);
                return Ok(v);
            }
        }
        match self.peek_op() {
            Some("-") => {
                self.pos += 1;
                return Ok(self.unary()?.wrapping_neg());
            }
            Some("+") => {
                self.pos += 1;
                return self.unary();
            }
            Some("!") => {
                self.pos += 1;
                return Ok(i64::from(self.unary()? == 0));
            }
            Some("~") => {
                self.pos += 1;
                return Ok(!self.unary()?);
            }
            _ => {}
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<i64, String> {
        match self.tokens.get(self.pos).cloned() {
            Some((Tok::Num(n), _)) => {
                self.pos += 1;
                Ok(n)
            }
            Some((Tok::Name(name), _)) => {
                self.pos += 1;
                let v = self.var(&name)?;
                if let Some(op @ ("++" | "--")) = self.peek_op() {
                    self.pos += 1;
                    let new = if op == "++" {
                        v.wrapping_add(1)
                    } else {
                        v.wrapping_sub(1)
                    };
                    self.set(&name, new);
                }
                Ok(v)
            }
            Some((Tok::Op("("), _)) => {
                self.pos += 1;
                let v = self.comma()?;
                if !self.eat(")") {
                    return Err(format!(
                        "{}: missing `)' (error token is \"{}\")",
                        self.src.trim(),
                        self.rest()
                    ));
                }
                Ok(v)
            }
            _ => Err(self.operand_expected()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(expr: &str) -> Result<i64, String> {
        let mut vars = BTreeMap::from([("i".to_string(), "4".to_string())]);
        eval(expr, &mut vars)
    }

    #[test]
    fn operators_and_precedence() {
        assert_eq!(ev("1 + 2 * 3"), Ok(7));
        assert_eq!(ev("(1 + 2) * 3"), Ok(9));
        assert_eq!(ev("7 / 2"), Ok(3));
        assert_eq!(ev("-7 % 3"), Ok(-1));
        assert_eq!(ev("i * 2"), Ok(8));
        assert_eq!(ev("unset + 1"), Ok(1));
        assert_eq!(ev("i > 3 && i < 5"), Ok(1));
        assert_eq!(ev("i == 5 || 0"), Ok(0));
        assert_eq!(ev("2 ** 10"), Ok(1024));
        assert_eq!(ev("i ? 10 : 20"), Ok(10));
        assert_eq!(ev("0x10 + 010"), Ok(24));
        assert_eq!(ev(""), Ok(0));
    }

    #[test]
    fn assignments_update_variables() {
        let mut vars = BTreeMap::new();
        assert_eq!(eval("n = 5", &mut vars), Ok(5));
        assert_eq!(eval("n++", &mut vars), Ok(5));
        assert_eq!(vars.get("n").map(String::as_str), Some("6"));
        assert_eq!(eval("++n", &mut vars), Ok(7));
        assert_eq!(eval("n += 3", &mut vars), Ok(10));
        // The untaken side has no effect.
        assert_eq!(eval("0 && (n = 99)", &mut vars), Ok(0));
        assert_eq!(vars.get("n").map(String::as_str), Some("10"));
    }

    #[test]
    fn errors_read_like_bash() {
        assert_eq!(
            ev("1/0"),
            Err("1/0: division by 0 (error token is \"0\")".into())
        );
        assert_eq!(
            ev("1 +"),
            Err("1 +: syntax error: operand expected (error token is \"+\")".into())
        );
        assert_eq!(
            ev("2 3"),
            Err("2 3: syntax error in expression (error token is \"3\")".into())
        );
        for odd in [
            "((((",
            "))",
            "?:",
            "a=",
            "1#",
            "99999999999999999999",
            "-(-(-(",
            "@",
        ] {
            assert!(ev(odd).is_err(), "{odd}");
        }
        assert!(ev(&"(".repeat(5000)).is_err());
    }
}
