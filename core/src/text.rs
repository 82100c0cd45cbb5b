//! Text from a server, made safe to show a person: [`Safe`]. Every
//! human-facing output passes through it: the `Display` of the core's
//! errors, and the command line's error line ([`line()`]).
//!
//! - Control characters (C0, DEL, C1), the line and paragraph separators,
//!   and the invisible characters that reorder or hide text (bidirectional
//!   controls, zero-width characters, the byte-order mark) are shown
//!   escaped (`\n`, `\u{1b}`), so no escape sequence reaches a terminal and
//!   the text stays on one line. Everything else is kept as it is,
//!   backslashes included, so text made safe twice is the same.
//! - Text longer than the cap is cut at a character boundary and ends with
//!   `… (N more bytes)`, N counting the bytes of the original text left
//!   out. The work done is bounded by the cap, not by the text.
//! - A secret (the API token) is replaced by `<redacted>` wherever it
//!   appears ([`Safe::without`]; [`redact`] for text that is kept). A
//!   secret shorter than [`MIN_SECRET`] bytes is not looked for: it cannot
//!   be told from ordinary text (a token of `x` would blank every `x`), and
//!   no DigitalOcean token is that short.
//!
//! JSON printed for programs is not made safe here: serde's encoder already
//! escapes every control character inside strings, and must stay exact.
//!
//! ```
//! use doapi_core::text::Safe;
//!
//! let shown = Safe::new("\x1b[2Jhello\nworld").to_string();
//! assert_eq!(shown, r"\u{1b}[2Jhello\nworld");
//! let long = "x".repeat(10_000);
//! assert!(Safe::new(&long).cap(8).to_string().ends_with("xxxxxxxx… (9992 more bytes)"));
//! let shown = Safe::new("token=dop_v1_abc").without("dop_v1_abc").to_string();
//! assert_eq!(shown, "token=<redacted>");
//! ```

use std::fmt::{self, Write};

/// The longest one server string is shown in an error: a message, an id, a
/// URL, the start of a body (itself at most
/// [`BODY_SNIPPET_LEN`](crate::error::BODY_SNIPPET_LEN) bytes and the count
/// of those left out).
pub const FIELD_CAP: usize = 1024;

/// The longest a whole line is shown ([`line()`]).
pub const LINE_CAP: usize = 4096;

/// The shortest secret looked for.
pub const MIN_SECRET: usize = 8;

/// What a secret is replaced with.
pub const REDACTED: &str = "<redacted>";

/// Text shown safely: escaped, capped, without the secret. See the
/// [module docs](self).
#[derive(Debug, Clone, Copy)]
pub struct Safe<'a> {
    text: &'a str,
    cap: usize,
    secret: Option<&'a str>,
}

impl<'a> Safe<'a> {
    /// The text, capped at [`FIELD_CAP`] bytes.
    pub fn new(text: &'a str) -> Self {
        Safe {
            text,
            cap: FIELD_CAP,
            secret: None,
        }
    }

    /// The same text with another cap (bytes shown, escapes included).
    pub fn cap(self, cap: usize) -> Self {
        Safe { cap, ..self }
    }

    /// The same text with `secret` replaced wherever it appears (one
    /// shorter than [`MIN_SECRET`] is ignored).
    pub fn without(self, secret: &'a str) -> Self {
        let secret = Some(secret).filter(|s| s.len() >= MIN_SECRET);
        Safe { secret, ..self }
    }
}

/// Whether a character is shown escaped.
fn hidden(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}'
                | '\u{200B}'..='\u{200F}'
                | '\u{2028}'..='\u{202E}'
                | '\u{2060}'..='\u{2069}'
                | '\u{FEFF}'
                | '\u{FFF9}'..='\u{FFFB}'
        )
}

/// How a character is shown, into `buf`.
fn shown(c: char, buf: &mut String) {
    buf.clear();
    match c {
        '\n' => buf.push_str("\\n"),
        '\r' => buf.push_str("\\r"),
        '\t' => buf.push_str("\\t"),
        c if hidden(c) => {
            let _ = write!(buf, "{}", c.escape_unicode());
        }
        c => buf.push(c),
    }
}

impl fmt::Display for Safe<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.text;
        let mut at = 0;
        let mut written = 0;
        let mut piece = String::new();
        while at < text.len() {
            let rest = &text[at..];
            let taken = match self.secret {
                Some(s) if rest.starts_with(s) => {
                    piece.clear();
                    piece.push_str(REDACTED);
                    s.len()
                }
                _ => {
                    let c = rest.chars().next().unwrap_or(char::REPLACEMENT_CHARACTER);
                    shown(c, &mut piece);
                    c.len_utf8()
                }
            };
            if written + piece.len() > self.cap {
                return write!(f, "… ({} more bytes)", text.len() - at);
            }
            f.write_str(&piece)?;
            written += piece.len();
            at += taken;
        }
        Ok(())
    }
}

/// A whole line for a person (the command line's error line): safe, capped
/// at [`LINE_CAP`], without `secret`.
pub fn line(text: &str, secret: Option<&str>) -> String {
    let safe = Safe::new(text).cap(LINE_CAP);
    match secret {
        Some(s) => safe.without(s).to_string(),
        None => safe.to_string(),
    }
}

/// Replaces `secret` wherever it appears in `text` that is kept (one
/// shorter than [`MIN_SECRET`] is ignored).
pub fn redact(text: &mut String, secret: &str) {
    if secret.len() >= MIN_SECRET && text.contains(secret) {
        *text = text.replace(secret, REDACTED);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_invisible_characters_are_escaped() {
        let s = Safe::new("a\x1b]0;title\x07b\r\n\t\u{7f}\u{9b}c\u{202e}d\u{2028}e\u{feff}");
        assert_eq!(
            s.to_string(),
            r"a\u{1b}]0;title\u{7}b\r\n\t\u{7f}\u{9b}c\u{202e}d\u{2028}e\u{feff}"
        );
        // Text already safe stays as it is, backslashes included.
        let once = s.to_string();
        assert_eq!(Safe::new(&once).to_string(), once);
        assert_eq!(Safe::new("é ü 漢字 \\ \"").to_string(), "é ü 漢字 \\ \"");
    }

    #[test]
    fn long_text_is_cut_with_the_count_left_out() {
        let text = format!("{}{}", "é".repeat(300), "z".repeat(5_000_000));
        let shown = Safe::new(&text).cap(512).to_string();
        assert!(shown.len() < 512 + 40, "{}", shown.len());
        assert!(shown.ends_with(&format!("… ({} more bytes)", text.len() - 512)));
        // Escapes count in the cap.
        let shown = Safe::new(&"\x1b".repeat(1000)).cap(12).to_string();
        assert_eq!(shown, r"\u{1b}\u{1b}… (998 more bytes)");
        assert_eq!(Safe::new("abc").cap(3).to_string(), "abc");
        assert_eq!(Safe::new("abcd").cap(3).to_string(), "abc… (1 more bytes)");
    }

    #[test]
    fn the_secret_is_replaced_everywhere() {
        let tok = "dop_v1_secret";
        let s = format!("{tok} {tok}\x1b{tok}");
        assert_eq!(
            Safe::new(&s).without(tok).to_string(),
            r"<redacted> <redacted>\u{1b}<redacted>"
        );
        let mut kept = format!("Bearer {tok}, {tok}");
        redact(&mut kept, tok);
        assert_eq!(kept, "Bearer <redacted>, <redacted>");
        let l = line(&format!("{}{tok}\nx", "a".repeat(100)), Some(tok));
        assert_eq!(l, format!("{}<redacted>\\nx", "a".repeat(100)));
        // Too short to tell from other text: not looked for.
        assert_eq!(
            Safe::new("nonexistent").without("x").to_string(),
            "nonexistent"
        );
        assert_eq!(Safe::new("abc").without("").to_string(), "abc");
    }
}
