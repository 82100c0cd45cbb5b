//! Arguments that are text, JSON or `@FILE`.

use std::io::Read;

use serde_json::{Map, Value};

use crate::fail::Fail;

/// `TEXT`, or the contents of FILE for `@FILE` (`@-`: stdin).
pub fn text_or_file(arg: &str) -> Result<String, Fail> {
    match arg.strip_prefix('@') {
        Some("-") => {
            let mut s = String::new();
            std::io::stdin()
                .read_to_string(&mut s)
                .map_err(|e| Fail::usage(format!("cannot read stdin: {e}")))?;
            Ok(s)
        }
        Some(path) if !path.is_empty() => std::fs::read_to_string(path)
            .map_err(|e| Fail::usage(format!("cannot read {path}: {e}"))),
        _ => Ok(arg.to_owned()),
    }
}

/// Parses JSON given on the command line.
pub fn json_arg(text: &str, what: &str) -> Result<Value, Fail> {
    serde_json::from_str(text).map_err(|e| Fail::usage(format!("{what} is not valid JSON: {e}")))
}

/// Parses a JSON object given on the command line.
pub fn json_object(text: &str, what: &str) -> Result<Map<String, Value>, Fail> {
    match json_arg(text, what)? {
        Value::Object(m) => Ok(m),
        _ => Err(Fail::usage(format!("{what} must be a JSON object"))),
    }
}

/// The fields of doctl's `key:value,key:value` notation (a firewall rule,
/// a forwarding rule, a health check).
pub fn key_values(text: &str) -> Result<Vec<(&str, &str)>, Fail> {
    text.split(',')
        .map(|field| {
            field
                .split_once(':')
                .ok_or_else(|| Fail::usage(format!("a field is key:value, not {field:?}")))
        })
        .collect()
}
