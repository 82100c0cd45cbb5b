//! RFC 3339 timestamps, decoded quickly in the form DigitalOcean sends.
//!
//! DigitalOcean writes every timestamp as `YYYY-MM-DDTHH:MM:SSZ`. chrono's
//! general parser took about 7% of decoding a droplet listing; [`parse`]
//! reads that one form directly and hands anything else (fractional
//! seconds, offsets, leap seconds, a space for the `T`, malformed text) to
//! chrono, so the result is chrono's for every input.

use std::fmt;

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;

/// Parses an RFC 3339 timestamp exactly as chrono's `Deserialize` for
/// `DateTime<Utc>` does (the same value, or the same error), fast for
/// `YYYY-MM-DDTHH:MM:SSZ`.
pub fn parse(s: &str) -> Result<DateTime<Utc>, chrono::ParseError> {
    match exact(s.as_bytes()) {
        Some(t) => Ok(t),
        None => s
            .parse::<DateTime<FixedOffset>>()
            .map(|t| t.with_timezone(&Utc)),
    }
}

/// `YYYY-MM-DDTHH:MM:SSZ` with a valid date and a time before 24:00:00 (a
/// leap second, `:60`, is left to chrono); `None` for anything else.
fn exact(b: &[u8]) -> Option<DateTime<Utc>> {
    let &[y0, y1, y2, y3, b'-', mo0, mo1, b'-', d0, d1, b'T', h0, h1, b':', mi0, mi1, b':', s0, s1, b'Z'] =
        b
    else {
        return None;
    };
    let two = |hi: u8, lo: u8| {
        (hi.is_ascii_digit() && lo.is_ascii_digit())
            .then(|| u32::from(hi - b'0') * 10 + u32::from(lo - b'0'))
    };
    let year = two(y0, y1)? * 100 + two(y2, y3)?;
    let date = NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, two(mo0, mo1)?, two(d0, d1)?)?;
    let time = date.and_hms_opt(two(h0, h1)?, two(mi0, mi1)?, two(s0, s1)?)?;
    Some(time.and_utc())
}

/// A `DateTime<Utc>` decoded with [`parse`]: what a model's timestamp
/// fields are decoded as (`via Rfc3339` in [`model!`](super::macros)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rfc3339(pub DateTime<Utc>);

impl<'de> Deserialize<'de> for Rfc3339 {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Rfc3339;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                // chrono's words, so errors read as they did.
                f.write_str("an RFC 3339 formatted date and time string")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Rfc3339, E> {
                parse(v).map(Rfc3339).map_err(E::custom)
            }
        }
        d.deserialize_str(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// chrono's own result, as `Deserialize` for `DateTime<Utc>` gives it.
    fn chrono(s: &str) -> Result<DateTime<Utc>, String> {
        serde_json::from_value::<DateTime<Utc>>(serde_json::Value::String(s.to_owned()))
            .map_err(|e| e.to_string())
    }

    fn ours(s: &str) -> Result<DateTime<Utc>, String> {
        serde_json::from_value::<Rfc3339>(serde_json::Value::String(s.to_owned()))
            .map(|t| t.0)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn the_usual_form_is_read_directly() {
        let t = exact(b"2020-07-21T18:37:44Z").unwrap();
        assert_eq!(t.to_rfc3339(), "2020-07-21T18:37:44+00:00");
        assert_eq!(
            exact(b"0000-01-01T00:00:00Z"),
            chrono("0000-01-01T00:00:00Z").ok()
        );
        assert_eq!(
            exact(b"9999-12-31T23:59:59Z"),
            chrono("9999-12-31T23:59:59Z").ok()
        );
        assert_eq!(
            exact(b"2024-02-29T12:00:00Z"),
            chrono("2024-02-29T12:00:00Z").ok()
        );
    }

    #[test]
    fn other_forms_and_malformed_text_go_to_chrono() {
        for s in [
            "2020-07-21T18:37:44.123Z",
            "2020-07-21T18:37:44.123456789Z",
            "2020-07-21T18:37:44+02:00",
            "2020-07-21T18:37:44-05:30",
            "2020-07-21t18:37:44z",
            "2020-07-21 18:37:44Z",
            "2016-12-31T23:59:60Z",
            "2023-02-30T00:00:00Z",
            "2023-02-29T00:00:00Z",
            "2023-13-01T00:00:00Z",
            "2023-00-10T00:00:00Z",
            "2023-01-00T00:00:00Z",
            "2023-04-31T00:00:00Z",
            "2023-01-01T24:00:00Z",
            "2023-01-01T23:60:00Z",
            "2023-01-01T23:59:61Z",
            "2023-01-01T23:59:5xZ",
            "+2023-01-01T00:00:00Z",
            "2023-1-01T00:00:00Z",
            "2023-01-01T00:00:00",
            "2023-01-01T00:00:00ZZ",
            "2023-01-01",
            "",
            "not a date",
            "２０２３-01-01T00:00:00Z",
        ] {
            assert!(exact(s.as_bytes()).is_none(), "{s}");
            assert_eq!(ours(s), chrono(s), "{s}");
        }
        // Rejected with chrono's typed error, not a panic.
        assert!(parse("2023-02-30T00:00:00Z").is_err());
        assert!(parse("2016-12-31T23:59:60Z").is_ok());
    }

    #[test]
    fn equals_chrono_on_many_inputs() {
        // Every month and day number 00..=32, over leap and common years and
        // centuries, with times at and past the edges; then each position of
        // a timestamp replaced by a few bytes.
        let mut n = 0;
        for year in [0, 1, 1900, 1970, 1999, 2000, 2023, 2024, 2100, 2400, 9999] {
            for month in 0..=13 {
                for day in 0..=32 {
                    for time in [
                        "00:00:00", "23:59:59", "12:34:56", "24:00:00", "23:60:59", "23:59:60",
                    ] {
                        let s = format!("{year:04}-{month:02}-{day:02}T{time}Z");
                        assert_eq!(ours(&s), chrono(&s), "{s}");
                        n += 1;
                    }
                }
            }
        }
        let base = "2020-07-21T18:37:44Z";
        for at in 0..base.len() {
            for c in ['0', '9', 'a', '-', ':', 'T', 'Z', ' ', '.', '+', '/'] {
                let mut s = base.to_owned();
                s.replace_range(at..=at, c.encode_utf8(&mut [0; 4]));
                assert_eq!(ours(&s), chrono(&s), "{s}");
                n += 1;
            }
        }
        assert!(n > 30_000);
        // Not a string: chrono's message.
        assert_eq!(
            serde_json::from_str::<Rfc3339>("5")
                .unwrap_err()
                .to_string(),
            serde_json::from_str::<DateTime<Utc>>("5")
                .unwrap_err()
                .to_string()
        );
    }
}
