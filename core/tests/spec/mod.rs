//! The official spec, read at run time from the shared folder
//! (`$DOAPI_SHARED`, else `../shared` beside the repository), for the tests
//! of the generated API: its operations, and minimal valid parameters and
//! bodies for each. Shared by the core's tests and the command line's
//! (which include this file by its path); the includer imports the
//! registry as `registry` at its root.
#![allow(dead_code)]

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::registry::{self, Operation, ParamKind, Params};

/// The spec, or `None` (with a message) when `../shared` is absent. With
/// `DOAPI_REQUIRE_SHARED=1` (as CI sets) absence is a failure.
pub fn spec() -> Option<Value> {
    let path = doapi_sim::prism::shared_dir().join("openapi/digitalocean-v2.json");
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(serde_json::from_str(&text).expect("the spec is JSON")),
        Err(_) => {
            doapi_sim::prism::skip_or_fail(&format!(
                "{} is absent; the spec tests did not run",
                path.display()
            ));
            None
        }
    }
}

/// `$ref`s followed.
pub fn resolve<'a>(spec: &'a Value, mut v: &'a Value) -> &'a Value {
    for _ in 0..32 {
        match v.get("$ref").and_then(Value::as_str) {
            Some(r) => {
                v = spec
                    .pointer(r.trim_start_matches('#'))
                    .unwrap_or(&Value::Null)
            }
            None => break,
        }
    }
    v
}

/// Every operation object of the spec, by id.
pub fn operations(spec: &Value) -> BTreeMap<String, (String, String, &Value)> {
    let mut out = BTreeMap::new();
    for (path, item) in spec["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("a path item") {
            if let Some(id) = op.get("operationId").and_then(Value::as_str) {
                out.insert(id.to_owned(), (method.to_uppercase(), path.clone(), op));
            }
        }
    }
    out
}

/// A minimal value of a schema: its example if it has one, else the
/// smallest value its type allows, with every required property.
pub fn minimal(spec: &Value, s: &Value, depth: usize) -> Value {
    let s = resolve(spec, s);
    if let Some(e) = s.get("example") {
        return e.clone();
    }
    if depth > 12 {
        return Value::Null;
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(first) = s.get(key).and_then(|v| v.get(0)) {
            let real = s[key]
                .as_array()
                .into_iter()
                .flatten()
                .find(|v| {
                    v.get("required").is_none()
                        || v.get("type").is_some()
                        || v.get("$ref").is_some()
                })
                .unwrap_or(first);
            return minimal(spec, real, depth + 1);
        }
    }
    if let Some(e) = s.get("enum").and_then(|e| e.get(0)) {
        return e.clone();
    }
    let is_object =
        s.get("properties").is_some() || s.get("allOf").is_some() || s["type"] == "object";
    if is_object {
        let mut out = serde_json::Map::new();
        let mut parts = vec![s];
        let mut i = 0;
        while i < parts.len() {
            for p in parts[i]
                .get("allOf")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                parts.push(resolve(spec, p));
            }
            i += 1;
        }
        let mut required = Vec::new();
        let mut props = serde_json::Map::new();
        for p in &parts {
            for r in p
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                required.extend(r.as_str().map(str::to_owned));
            }
            if let Some(ps) = p.get("properties").and_then(Value::as_object) {
                props.extend(ps.clone());
            }
        }
        for r in required {
            // A required property the schema does not define (uptime
            // checks require a `method` they have no property for) takes
            // any value.
            let value = props
                .get(&r)
                .map_or(json!("x"), |p| minimal(spec, p, depth + 1));
            out.insert(r, value);
        }
        return Value::Object(out);
    }
    match s["type"].as_str() {
        Some("array") => match s.get("minItems").and_then(Value::as_u64) {
            Some(n) if n > 0 => json!([minimal(spec, &s["items"], depth + 1)]),
            _ => json!([]),
        },
        Some("integer") => json!(s.get("minimum").and_then(Value::as_i64).unwrap_or(1)),
        Some("number") => json!(1),
        Some("boolean") => json!(true),
        Some("string") => json!(match s["format"].as_str() {
            Some("date-time") => "2024-01-01T00:00:00Z",
            Some("uuid") => "00000000-0000-4000-8000-000000000000",
            Some("ipv4") => "192.0.2.1",
            Some("ipv6") => "2001:db8::1",
            _ => "x",
        }),
        _ => Value::Null,
    }
}

/// A value for a parameter: the spec's example when it has one and it
/// fits, else the smallest its kind allows.
pub fn param_value(example: Option<&Value>, kind: &ParamKind) -> String {
    let from_example = example.and_then(|e| match e {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    });
    let fits = |v: &str| match kind {
        ParamKind::Integer { min, max } => v
            .parse::<i64>()
            .is_ok_and(|n| min.is_none_or(|m| n >= m) && max.is_none_or(|m| n <= m)),
        ParamKind::Number => v.parse::<f64>().is_ok(),
        ParamKind::Boolean => v == "true" || v == "false",
        ParamKind::String { values, format } => {
            (values.is_empty() || values.contains(&v))
                && match format {
                    Some("ipv4") => v.parse::<std::net::Ipv4Addr>().is_ok(),
                    Some("ipv6") => v.parse::<std::net::Ipv6Addr>().is_ok(),
                    Some("date-time") => v.contains('T'),
                    _ => !v.is_empty(),
                }
        }
        ParamKind::Array(_) => false,
    };
    if let Some(v) = from_example.filter(|v| fits(v)) {
        return v;
    }
    match kind {
        ParamKind::Integer { min, .. } => min.unwrap_or(1).max(1).to_string(),
        ParamKind::Number => "1".into(),
        ParamKind::Boolean => "true".into(),
        ParamKind::String { values, format } => match (values.first(), *format) {
            (Some(v), _) => (*v).to_owned(),
            (None, Some("uuid")) => "00000000-0000-4000-8000-000000000000".into(),
            (None, Some("ipv4")) => "192.0.2.1".into(),
            (None, Some("ipv6")) => "2001:db8::1".into(),
            (None, Some("date-time")) => "2024-01-01T00:00:00Z".into(),
            _ => "x".into(),
        },
        ParamKind::Array(k) => param_value(None, k),
    }
}

/// The required parameters of an operation, and its body: the spec's
/// request example, else a minimal one.
pub fn minimal_params(spec: &Value, op: &Operation, raw: &Value) -> Params {
    let mut params = Params::new();
    let declared: Vec<&Value> = raw["parameters"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| resolve(spec, p))
        .collect();
    for p in op.params.iter().filter(|p| p.required) {
        let d = declared.iter().find(|d| d["name"] == p.name);
        let example = d.and_then(|d| d.get("example").or_else(|| d["schema"].get("example")));
        params.push(p.name, param_value(example, &p.kind));
    }
    if op.body != registry::Body::None {
        let rb = resolve(spec, &raw["requestBody"]);
        let media = &rb["content"]["application/json"];
        let example = media.get("example").cloned().or_else(|| {
            media
                .get("examples")
                .and_then(Value::as_object)
                .and_then(|m| m.values().next())
                .map(|e| resolve(spec, e)["value"].clone())
        });
        let body = example.unwrap_or_else(|| minimal(spec, &media["schema"], 0));
        if op.body == registry::Body::Required || !body.is_null() {
            params.set_body(body.to_string());
        }
    }
    params
}

/// The examples `core/gen/overrides.json` lists as contradicting their
/// schema, with why.
pub fn bad_examples() -> BTreeMap<String, String> {
    overrides("bad_examples")
}

/// The entries of a section of `core/gen/overrides.json` that names
/// operations, with why.
pub fn overrides(section: &str) -> BTreeMap<String, String> {
    let ov: Value = serde_json::from_str(include_str!("../../gen/overrides.json")).expect("JSON");
    ov[section]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, v)| (k.clone(), v["reason"].as_str().unwrap_or("").to_owned()))
        .collect()
}
