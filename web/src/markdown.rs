//! A small Markdown renderer for lab texts, written for safety first: it
//! builds Yew nodes, never an HTML string, so every character of the
//! source ends up in a text node. `<script>`, `<img onerror=…>` and the
//! like are shown as the text they are and can never run. Links become
//! plain text with their address (a lab has no business sending a
//! learner elsewhere with one click, and `javascript:` addresses are then
//! harmless).
//!
//! Supported: paragraphs, `-`/`*`/`1.` lists, fenced code blocks,
//! `inline code`, **bold** and *italic* — what lab texts use.

use yew::prelude::*;

/// A block of a Markdown text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    Paragraph(String),
    Code(String),
    List { ordered: bool, items: Vec<String> },
}

/// Splits a text into blocks.
pub fn blocks(text: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut para: Vec<&str> = Vec::new();
    let mut lines = text.lines().peekable();
    let flush = |para: &mut Vec<&str>, out: &mut Vec<Block>| {
        if !para.is_empty() {
            out.push(Block::Paragraph(para.join(" ")));
            para.clear();
        }
    };
    while let Some(line) = lines.next() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") {
            flush(&mut para, &mut out);
            let mut code = Vec::new();
            for l in lines.by_ref() {
                if l.trim_start().starts_with("```") {
                    break;
                }
                code.push(l);
            }
            out.push(Block::Code(code.join("\n")));
        } else if trimmed.is_empty() {
            flush(&mut para, &mut out);
        } else if let Some((ordered, item)) = list_item(trimmed) {
            flush(&mut para, &mut out);
            let mut items = vec![item.to_string()];
            while let Some(next) = lines.peek() {
                let t = next.trim_start();
                if let Some((o, item)) = list_item(t) {
                    if o != ordered {
                        break;
                    }
                    items.push(item.to_string());
                } else if !t.is_empty() && next.starts_with("  ") {
                    // A continuation line of the previous item.
                    if let Some(last) = items.last_mut() {
                        last.push(' ');
                        last.push_str(t);
                    }
                } else {
                    break;
                }
                lines.next();
            }
            out.push(Block::List { ordered, items });
        } else {
            para.push(trimmed);
        }
    }
    flush(&mut para, &mut out);
    out
}

fn list_item(line: &str) -> Option<(bool, &str)> {
    if let Some(rest) = line.strip_prefix("- ").or_else(|| line.strip_prefix("* ")) {
        return Some((false, rest));
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 {
        if let Some(rest) = line[digits..].strip_prefix(". ") {
            return Some((true, rest));
        }
    }
    None
}

/// An inline piece of a paragraph.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Inline {
    Text(String),
    Code(String),
    Strong(String),
    Em(String),
}

/// Splits a line into text, `code`, **bold** and *italic*; an unclosed
/// marker stays text.
pub fn inlines(s: &str) -> Vec<Inline> {
    let mut out = Vec::new();
    let mut text = String::new();
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        let closed = |marker: &str, rest: &str| -> Option<(String, usize)> {
            let body = rest.strip_prefix(marker)?;
            let end = body.find(marker)?;
            (end > 0).then(|| (body[..end].to_string(), marker.len() * 2 + end))
        };
        let found = match c {
            '`' => closed("`", rest).map(|(b, n)| (Inline::Code(b), n)),
            '*' if rest.starts_with("**") => {
                closed("**", rest).map(|(b, n)| (Inline::Strong(b), n))
            }
            '*' => closed("*", rest).map(|(b, n)| (Inline::Em(b), n)),
            _ => None,
        };
        match found {
            Some((piece, n)) => {
                if !text.is_empty() {
                    out.push(Inline::Text(std::mem::take(&mut text)));
                }
                out.push(piece);
                rest = &rest[n..];
            }
            None => {
                text.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    if !text.is_empty() {
        out.push(Inline::Text(text));
    }
    out
}

fn render_inline(s: &str) -> Html {
    html! {
        <>
            { for inlines(s).into_iter().map(|i| match i {
                Inline::Text(t) => html! { { t } },
                Inline::Code(t) => html! { <code>{ t }</code> },
                Inline::Strong(t) => html! { <strong>{ t }</strong> },
                Inline::Em(t) => html! { <em>{ t }</em> },
            }) }
        </>
    }
}

#[derive(Properties, PartialEq)]
pub struct MarkdownProps {
    pub text: AttrValue,
    #[prop_or_default]
    pub class: Classes,
}

/// Renders lab Markdown; every character of the source becomes text.
#[function_component(Markdown)]
pub fn markdown(props: &MarkdownProps) -> Html {
    html! {
        <div class={classes!("md", props.class.clone())}>
            { for blocks(&props.text).into_iter().map(|b| match b {
                Block::Paragraph(p) => html! { <p>{ render_inline(&p) }</p> },
                Block::Code(c) => html! { <pre class="md-code"><code>{ c }</code></pre> },
                Block::List { ordered: false, items } => html! { <ul>{ for items.iter().map(|i| html! { <li>{ render_inline(i) }</li> }) }</ul> },
                Block::List { ordered: true, items } => html! { <ol>{ for items.iter().map(|i| html! { <li>{ render_inline(i) }</li> }) }</ol> },
            }) }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_and_inlines() {
        let b = blocks(
            "Create a pod `web`\nwith **care**.\n\n- one\n- two `x`\n\n```\nkubectl get po\n```\n",
        );
        assert_eq!(
            b,
            vec![
                Block::Paragraph("Create a pod `web` with **care**.".into()),
                Block::List {
                    ordered: false,
                    items: vec!["one".into(), "two `x`".into()]
                },
                Block::Code("kubectl get po".into()),
            ]
        );
        assert_eq!(
            inlines("a `b` **c** *d* e*"),
            vec![
                Inline::Text("a ".into()),
                Inline::Code("b".into()),
                Inline::Text(" ".into()),
                Inline::Strong("c".into()),
                Inline::Text(" ".into()),
                Inline::Em("d".into()),
                Inline::Text(" e*".into()),
            ]
        );
    }

    #[test]
    fn html_stays_text() {
        // No HTML is interpreted: the tags are text in a paragraph.
        let b = blocks("<script>alert(1)</script> <img src=x onerror=alert(2)>");
        assert_eq!(
            b,
            vec![Block::Paragraph(
                "<script>alert(1)</script> <img src=x onerror=alert(2)>".into()
            )]
        );
        assert_eq!(inlines("<b>x</b>"), vec![Inline::Text("<b>x</b>".into())]);
    }
}
