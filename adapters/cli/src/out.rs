//! JSON on stdout: one value, or a streamed list.

use std::io::{self, BufWriter, Write};

use serde::Serialize;
use serde_json::value::RawValue;

use crate::fail::Fail;

/// Where results go: pretty JSON (arrays for lists), or `--compact` JSON
/// Lines.
pub struct Out {
    compact: bool,
    w: BufWriter<Box<dyn Write>>,
}

impl Out {
    /// Output to stdout.
    pub fn stdout(compact: bool) -> Out {
        Out::to(compact, Box::new(io::stdout()))
    }

    /// Output to any writer.
    pub fn to(compact: bool, w: Box<dyn Write>) -> Out {
        Out {
            compact,
            w: BufWriter::new(w),
        }
    }

    /// Prints one value.
    pub fn one<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Fail> {
        if self.compact {
            serde_json::to_writer(&mut self.w, value).map_err(io::Error::from)?;
        } else {
            serde_json::to_writer_pretty(&mut self.w, value).map_err(io::Error::from)?;
        }
        self.w.write_all(b"\n")?;
        self.w.flush()?;
        Ok(())
    }

    /// Prints JSON text, laid out as [`Out::one`] lays out a value.
    pub fn json(&mut self, json: &RawValue) -> Result<(), Fail> {
        let laid = lay_out(json, self.compact);
        self.one(&laid)
    }

    /// Prints every item of `items`, JSON text, as [`Out::stream`] does.
    pub fn stream_json<E: Into<Fail>>(
        &mut self,
        items: impl IntoIterator<Item = Result<Box<RawValue>, E>>,
    ) -> Result<(), Fail> {
        let compact = self.compact;
        self.stream(items.into_iter().map(|i| i.map(|j| lay_out(&j, compact))))
    }

    /// Starts a list whose items are printed (and flushed) as they come.
    pub fn list(&mut self) -> PrintedList<'_> {
        PrintedList {
            out: self,
            first: true,
        }
    }

    /// Prints a list of plain values.
    pub fn items<T: Serialize>(&mut self, values: impl IntoIterator<Item = T>) -> Result<(), Fail> {
        let mut list = self.list();
        list.items(values)?;
        list.end()
    }

    /// Prints every item of `items` as they come, then ends the list; an
    /// error ends the list early and is returned.
    pub fn stream<T: Serialize, E: Into<Fail>>(
        &mut self,
        items: impl IntoIterator<Item = Result<T, E>>,
    ) -> Result<(), Fail> {
        let mut list = self.list();
        for item in items {
            match item {
                Ok(v) => list.item(&v)?,
                Err(e) => {
                    list.end()?;
                    return Err(e.into());
                }
            }
        }
        list.end()
    }
}

/// A list being printed; [`PrintedList::end`] closes it.
pub struct PrintedList<'a> {
    out: &'a mut Out,
    first: bool,
}

impl PrintedList<'_> {
    /// Prints one item.
    pub fn item<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Fail> {
        let w = &mut self.out.w;
        if self.out.compact {
            serde_json::to_writer(&mut *w, value).map_err(io::Error::from)?;
            w.write_all(b"\n")?;
        } else {
            w.write_all(if self.first { b"[\n  " } else { b",\n  " })?;
            serde_json::to_writer_pretty(Indented(&mut *w), value).map_err(io::Error::from)?;
        }
        self.first = false;
        w.flush()?;
        Ok(())
    }

    /// Prints every item of an iterator of plain values.
    pub fn items<T: Serialize>(&mut self, values: impl IntoIterator<Item = T>) -> Result<(), Fail> {
        values.into_iter().try_for_each(|v| self.item(&v))
    }

    /// Closes the list.
    pub fn end(self) -> Result<(), Fail> {
        let w = &mut self.out.w;
        if !self.out.compact {
            w.write_all(if self.first { b"[]\n" } else { b"\n]\n" })?;
        }
        w.flush()?;
        Ok(())
    }
}

/// JSON text (checked JSON, as a [`RawValue`] is) laid out as serde_json
/// lays out a value, compact or pretty with two spaces, without building a
/// tree: the text is copied once, strings as they are. The encoder then
/// writes it as it is (a [`RawValue`] is written verbatim), and a pretty
/// list indents it with the rest.
fn lay_out(json: &RawValue, compact: bool) -> Box<RawValue> {
    let text = json.get();
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut depth = 0;
    let newline = |out: &mut String, depth: usize| {
        if !compact {
            out.push('\n');
            (0..depth).for_each(|_| out.push_str("  "));
        }
    };
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'"' => {
                let start = i;
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                out.push_str(text.get(start..=i).unwrap_or_default());
            }
            open @ (b'{' | b'[') => {
                out.push(char::from(open));
                let next = b[i + 1..].iter().position(|c| !c.is_ascii_whitespace());
                match next.map(|n| b[i + 1 + n]) {
                    Some(b'}' | b']') => {}
                    _ => {
                        depth += 1;
                        newline(&mut out, depth);
                    }
                }
            }
            close @ (b'}' | b']') => {
                if !matches!(out.as_bytes().last(), Some(b'{' | b'[')) {
                    depth = depth.saturating_sub(1);
                    newline(&mut out, depth);
                }
                out.push(char::from(close));
            }
            b',' => {
                out.push(',');
                newline(&mut out, depth);
            }
            b':' => out.push_str(if compact { ":" } else { ": " }),
            c if c.is_ascii_whitespace() => {}
            // Numbers and literals: ASCII, as all JSON outside strings.
            c => out.push(char::from(c)),
        }
        i += 1;
    }
    RawValue::from_string(out).unwrap_or_else(|_| json.to_owned())
}

/// Writes through to `W`, indenting every line after the first by two
/// spaces: one item of a pretty list, streamed as it is encoded rather than
/// built as a string first. JSON escapes line breaks inside strings, so
/// every line break is one of the layout's (or whitespace inside raw JSON
/// kept as it came), and indenting it keeps the JSON the same.
struct Indented<'a, W: Write>(&'a mut W);

impl<W: Write> Write for Indented<'_, W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        for (i, line) in buf.split(|&b| b == b'\n').enumerate() {
            if i > 0 {
                self.0.write_all(b"\n  ")?;
            }
            self.0.write_all(line)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    #[derive(Clone, Default)]
    struct Shared(Arc<Mutex<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0
                .lock()
                .map_err(|_| io::ErrorKind::Other)?
                .extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    fn printed(compact: bool, f: impl FnOnce(&mut Out) -> Result<(), Fail>) -> String {
        let buf = Shared::default();
        let mut out = Out::to(compact, Box::new(buf.clone()));
        f(&mut out).expect("prints");
        drop(out);
        let bytes = buf.0.lock().expect("lock").clone();
        String::from_utf8(bytes).expect("utf-8")
    }

    #[test]
    fn a_pretty_list_is_one_json_array() {
        let items = [
            serde_json::json!({"id": 1, "name": "a\nb"}),
            serde_json::json!({"id": 2}),
        ];
        let text = printed(false, |out| out.stream(items.iter().map(Ok::<_, Fail>)));
        let back: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
        assert_eq!(
            back,
            serde_json::json!([{"id": 1, "name": "a\nb"}, {"id": 2}])
        );
        assert!(text.ends_with("\n]\n"));
        assert!(text.starts_with("[\n  {\n    \"id\": 1,\n"), "{text}");
    }

    #[test]
    fn json_text_is_laid_out_as_values_are() {
        let text = r#" {"b": [1, {"x": "a, \"q\" [}"}, [], {}], "a" : null} "#;
        let raw = RawValue::from_string(text.to_owned()).expect("JSON");
        let value: serde_json::Value = serde_json::from_str(text).expect("JSON");
        // As serde_json lays out the same value (keys in their order).
        let pretty = printed(false, |out| out.json(&raw));
        assert_eq!(
            pretty,
            "{\n  \"b\": [\n    1,\n    {\n      \"x\": \"a, \\\"q\\\" [}\"\n    },\n    [],\n    {}\n  ],\n  \"a\": null\n}\n"
        );
        let compact = printed(true, |out| out.json(&raw));
        assert_eq!(
            compact,
            "{\"b\":[1,{\"x\":\"a, \\\"q\\\" [}\"},[],{}],\"a\":null}\n"
        );
        for text in [pretty, compact] {
            assert_eq!(
                serde_json::from_str::<serde_json::Value>(&text).expect("JSON"),
                value
            );
        }
        // In a list, each item is indented with the list.
        let items = [Ok::<_, Fail>(raw.to_owned()), Ok(raw.to_owned())];
        let list = printed(false, |out| out.stream_json(items));
        let back: Vec<serde_json::Value> = serde_json::from_str(&list).expect("JSON");
        assert_eq!(back, [value.clone(), value]);
        assert!(list.starts_with("[\n  {\n    \"b\": [\n      1,"), "{list}");
    }

    #[test]
    fn an_empty_list_is_an_empty_array() {
        let text = printed(false, |out| out.list().end());
        assert_eq!(text, "[]\n");
        assert_eq!(printed(true, |out| out.list().end()), "");
    }

    #[test]
    fn compact_is_one_line_per_item() {
        let text = printed(true, |out| {
            let mut list = out.list();
            list.items([1, 2, 3])?;
            list.end()
        });
        assert_eq!(text, "1\n2\n3\n");
    }

    #[test]
    fn an_error_closes_the_list_before_it_is_returned() {
        let buf = Shared::default();
        let mut out = Out::to(false, Box::new(buf.clone()));
        let items = vec![Ok(1), Err(Fail::usage("boom"))];
        assert!(matches!(out.stream(items), Err(Fail::Usage(m)) if m == "boom"));
        drop(out);
        let text = String::from_utf8(buf.0.lock().expect("lock").clone()).expect("utf-8");
        let back: Vec<i32> = serde_json::from_str(&text).expect("still valid JSON");
        assert_eq!(back, [1]);
    }
}
