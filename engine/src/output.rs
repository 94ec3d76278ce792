//! What a command prints: stdout and stderr chunks in the order they were
//! written, and an exit status. Plain data, so the browser, the native
//! binary and the tests all read the same thing.

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Stream {
    Stdout,
    Stderr,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Output {
    pub chunks: Vec<(Stream, String)>,
    pub status: i32,
}

impl Output {
    pub fn out(&mut self, s: impl AsRef<str> + Into<String>) {
        self.push(Stream::Stdout, s);
    }

    pub fn err(&mut self, s: impl AsRef<str> + Into<String>) {
        self.push(Stream::Stderr, s);
    }

    /// Appends to the last chunk if it is the same stream's, else starts a
    /// chunk with the text itself (an owned text is moved, not copied: a
    /// command's whole output passes through here on its way out).
    fn push(&mut self, stream: Stream, s: impl AsRef<str> + Into<String>) {
        if s.as_ref().is_empty() {
            return;
        }
        match self.chunks.last_mut() {
            Some((last, text)) if *last == stream => text.push_str(s.as_ref()),
            _ => self.chunks.push((stream, s.into())),
        }
    }

    /// Appends another command's output (as a shell sequence does).
    pub fn extend(&mut self, other: Output) {
        for (stream, text) in other.chunks {
            self.push(stream, text);
        }
        self.status = other.status;
    }

    /// Everything, both streams interleaved as written.
    pub fn text(&self) -> String {
        self.chunks.iter().map(|(_, t)| t.as_str()).collect()
    }

    pub fn stdout(&self) -> String {
        self.chunks
            .iter()
            .filter(|(s, _)| *s == Stream::Stdout)
            .map(|(_, t)| t.as_str())
            .collect()
    }

    pub fn stderr(&self) -> String {
        self.chunks
            .iter()
            .filter(|(s, _)| *s == Stream::Stderr)
            .map(|(_, t)| t.as_str())
            .collect()
    }

    /// An error line and status 1, the common kubectl failure.
    pub fn fail(mut self, message: impl AsRef<str>) -> Self {
        let m = message.as_ref();
        self.err(if m.ends_with('\n') {
            m.to_string()
        } else {
            format!("{m}\n")
        });
        self.status = 1;
        self
    }
}
