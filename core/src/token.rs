//! The API token: trimmed as pasted, never shown.

use std::fmt;

use http::header::HeaderValue;

use crate::error::RequestError;

/// An API token. Its `Debug` and `Display` never show it, and the header it
/// makes is marked sensitive.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    /// Takes a token as a user may paste it: surrounding whitespace and
    /// quotes are removed. Refused if nothing is left or if it holds
    /// characters an HTTP header cannot carry.
    pub fn new(raw: &str) -> Result<Self, RequestError> {
        let t = raw.trim().trim_matches(|c| c == '"' || c == '\'').trim();
        if t.is_empty() {
            return Err(RequestError::InvalidToken("empty"));
        }
        if !t.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(RequestError::InvalidToken(
                "only visible ASCII characters are allowed",
            ));
        }
        Ok(Token(t.to_owned()))
    }

    /// The token itself, to remove it from text that is shown.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }

    /// The `Authorization` header's value, marked sensitive.
    pub(crate) fn header(&self) -> HeaderValue {
        // Visible ASCII only (checked in `new`), so this cannot fail.
        let mut v = HeaderValue::from_str(&format!("Bearer {}", self.0))
            .unwrap_or_else(|_| HeaderValue::from_static("Bearer"));
        v.set_sensitive(true);
        v
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(<redacted>)")
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_is_trimmed_and_never_shown() {
        let t = Token::new("  \"dop_v1_secret\"\n").unwrap();
        assert_eq!(t.0, "dop_v1_secret");
        assert!(!format!("{t:?} {t}").contains("secret"));
        assert!(t.header().is_sensitive());
        assert_eq!(Token::new(" '' "), Err(RequestError::InvalidToken("empty")));
        assert!(Token::new("a b").is_err());
    }
}
