//! JSON on stdout: one value, or a streamed list.

use std::io::{self, BufWriter, Write};

use serde::Serialize;

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
