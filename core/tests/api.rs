//! The generated API against the official spec (read at run time from
//! `../shared/openapi/digitalocean-v2.json`):
//!
//! - the registry lists every operation of the spec, with its method,
//!   path and parameters;
//! - every response example embedded in the spec (`components.examples`,
//!   media-type `example`s and `examples`, a response schema's own
//!   `example`) of a generated operation decodes into its operation's type
//!   and re-encodes to the same JSON value;
//! - every generated operation builds a request from the spec's example
//!   body (or a minimal one) and minimal parameters, whose method and path
//!   are the registry's, and the registry's type-erased build of it sends
//!   the same request.
//!
//! Run with the default features by `cargo test`; `.ci/run` runs it again
//! with `--features full`, for every operation. Operations whose feature
//! is off are counted as such.

use std::collections::BTreeMap;
use std::path::PathBuf;

use doapi_core::api::registry::{
    self, FromParams, Implementation, Location, Operation, ParamKind, Params, Prepared, Visitor,
};
use doapi_core::api::rt::Reply;
use doapi_core::endpoint::{Endpoint, List};
use doapi_core::models::json::Json;
use doapi_core::{Config, Token};
use serde_json::{json, Value};

/// The spec, or `None` (with a message) when `../shared` is absent. With
/// `DOAPI_REQUIRE_SHARED=1` (as CI sets) absence is a failure.
fn spec() -> Option<Value> {
    let shared = std::env::var_os("DOAPI_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared"));
    let path = shared.join("openapi/digitalocean-v2.json");
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(serde_json::from_str(&text).expect("the spec is JSON")),
        Err(_) if std::env::var("DOAPI_REQUIRE_SHARED").as_deref() == Ok("1") => {
            panic!("{} is absent and DOAPI_REQUIRE_SHARED=1", path.display())
        }
        Err(_) => {
            eprintln!(
                "SKIPPED: {} is absent; the spec tests did not run",
                path.display()
            );
            None
        }
    }
}

/// `$ref`s followed.
fn resolve<'a>(spec: &'a Value, mut v: &'a Value) -> &'a Value {
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
fn operations(spec: &Value) -> BTreeMap<String, (String, String, &Value)> {
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

#[test]
fn the_registry_is_every_operation_of_the_spec() {
    let Some(spec) = spec() else { return };
    let ops = operations(&spec);
    assert_eq!(registry::OPERATIONS.len(), ops.len());
    assert!(
        registry::OPERATIONS.windows(2).all(|w| w[0].id < w[1].id),
        "sorted by id, each once"
    );
    let mut kinds = BTreeMap::new();
    for op in registry::OPERATIONS {
        let (method, path, raw) = &ops[op.id];
        assert_eq!(
            (op.method, op.path),
            (method.as_str(), path.as_str()),
            "{}",
            op.id
        );
        assert_eq!(registry::find(op.id), Some(op));
        let declared: Vec<String> = raw["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|p| resolve(&spec, p)["name"].as_str().unwrap_or("").to_owned())
            .collect();
        for p in op.params {
            assert!(
                declared.iter().any(|d| d == p.name),
                "{}: {} is not the spec's",
                op.id,
                p.name
            );
        }
        let kind = match op.implementation {
            Implementation::Generated(_) => "generated",
            Implementation::Handmade(_) => "hand-made",
            Implementation::Skipped(_) => "skipped",
        };
        *kinds.entry(kind).or_insert(0) += 1;
    }
    println!("{} operations: {kinds:?}", registry::OPERATIONS.len());
    assert_eq!(kinds.get("hand-made"), Some(&51));
}

/// A minimal value of a schema: its example if it has one, else the
/// smallest value its type allows, with every required property.
fn minimal(spec: &Value, s: &Value, depth: usize) -> Value {
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
            if let Some(p) = props.get(&r) {
                out.insert(r, minimal(spec, p, depth + 1));
            }
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
fn param_value(example: Option<&Value>, kind: &ParamKind) -> String {
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
fn minimal_params(spec: &Value, op: &Operation, raw: &Value) -> Params {
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

/// Every response example of an operation: (where it is, its JSON).
fn response_examples(spec: &Value, raw: &Value) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    let Some(responses) = raw["responses"].as_object() else {
        return out;
    };
    for (code, r) in responses {
        if !code.starts_with('2') {
            continue;
        }
        let media = &resolve(spec, r)["content"]["application/json"];
        if let Some(e) = media.get("example") {
            out.push((format!("{code} example"), e.clone()));
        }
        for (name, e) in media
            .get("examples")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let e = resolve(spec, e);
            if let Some(v) = e.get("value") {
                out.push((format!("{code} examples.{name}"), v.clone()));
            }
        }
        if let Some(e) = resolve(spec, &media["schema"]).get("example") {
            out.push((format!("{code} schema example"), e.clone()));
        }
    }
    out
}

/// Decodes a body as a generated operation's output and re-encodes it.
struct Decode<'a> {
    params: &'a Params,
    body: &'a [u8],
}

impl Visitor for Decode<'_> {
    type Output = Result<Value, String>;
    fn one<E: Endpoint + FromParams>(self, _: &'static Operation) -> Self::Output
    where
        E::Output: Reply,
    {
        let op = E::from_params(self.params).map_err(|e| format!("from_params: {e}"))?;
        let out = op.decode(self.body).map_err(|e| e.to_string())?;
        Ok(out.to_json(None))
    }
    fn list<E: List + FromParams>(self, info: &'static Operation) -> Self::Output
    where
        E::Item: Json,
    {
        let op = E::from_params(self.params).map_err(|e| format!("from_params: {e}"))?;
        let page = op.decode(self.body).map_err(|e| e.to_string())?;
        Ok(page.to_json(info.list_key))
    }
}

/// Whether two strings are the same time in RFC 3339 (`.000Z` and `Z`):
/// a time re-encodes in chrono's form, the same instant.
fn same_time(a: &str, b: &str) -> bool {
    let t = |s: &str| chrono::DateTime::parse_from_rfc3339(s).ok();
    t(a).is_some() && t(a) == t(b)
}

/// The first place two JSON values differ (times compared as instants).
fn first_difference(a: &Value, b: &Value, at: &str) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for k in x.keys().chain(y.keys()) {
                let here = format!("{at}.{k}");
                match (x.get(k), y.get(k)) {
                    (Some(p), Some(q)) => {
                        if let Some(d) = first_difference(p, q, &here) {
                            return Some(d);
                        }
                    }
                    (p, q) => return Some(format!("{here}: {p:?} / {q:?}")),
                }
            }
            None
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(i, (p, q))| first_difference(p, q, &format!("{at}[{i}]"))),
        _ if a == b => None,
        (Value::String(x), Value::String(y)) if same_time(x, y) => None,
        _ => Some(format!("{at}: {a} / {b}")),
    }
}

/// The examples `core/gen/overrides.json` lists as contradicting their
/// schema, with why.
fn bad_examples() -> BTreeMap<String, String> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("gen/overrides.json");
    let ov: Value = serde_json::from_str(&std::fs::read_to_string(path).expect("overrides.json"))
        .expect("JSON");
    ov["bad_examples"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, v)| (k.clone(), v["reason"].as_str().unwrap_or("").to_owned()))
        .collect()
}

#[test]
fn every_response_example_decodes_and_re_encodes_unchanged() {
    let Some(spec) = spec() else { return };
    let ops = operations(&spec);
    let bad = bad_examples();
    let mut skipped = 0;
    let (mut checked, mut operations_checked, mut off) = (0, 0, 0);
    let mut failures = Vec::new();
    for op in registry::OPERATIONS {
        if !matches!(op.implementation, Implementation::Generated(_)) {
            continue;
        }
        let (_, _, raw) = &ops[op.id];
        let params = minimal_params(&spec, op, raw);
        let examples = response_examples(&spec, raw);
        let mut any = false;
        for (name, example) in &examples {
            if let Some(why) = bad.get(&format!("{} {name}", op.id)) {
                println!("not checked: {} ({name}): {why}", op.id);
                skipped += 1;
                continue;
            }
            let body = serde_json::to_vec(example).expect("JSON");
            let Some(result) = registry::visit(
                op.id,
                Decode {
                    params: &params,
                    body: &body,
                },
            ) else {
                off += 1;
                break;
            };
            any = true;
            let want = match op.response {
                registry::Response::One(key) => example.get(key).cloned().unwrap_or(Value::Null),
                _ => example.clone(),
            };
            match result {
                Ok(got) => {
                    if let Some(d) = first_difference(&want, &got, "") {
                        failures.push(format!("{} ({name}): re-encoded differently at {d}", op.id));
                    }
                }
                Err(e) => failures.push(format!("{} ({name}): {e}", op.id)),
            }
            checked += 1;
        }
        operations_checked += usize::from(any);
    }
    println!(
        "{checked} response examples of {operations_checked} generated operations decoded and re-encoded ({off} operations' features off, {skipped} examples contradicting their schema: core/gen/overrides.json)"
    );
    assert!(
        failures.is_empty(),
        "{} of {checked} examples failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        operations_checked > 50,
        "only {operations_checked} operations had examples checked"
    );
}

/// Builds a generated operation typed, and its request.
struct Build<'a> {
    params: &'a Params,
    config: &'a Config,
}

impl Visitor for Build<'_> {
    type Output = Result<doapi_core::http::Request<Vec<u8>>, String>;
    fn one<E: Endpoint + FromParams>(self, _: &'static Operation) -> Self::Output
    where
        E::Output: Reply,
    {
        let op = E::from_params(self.params).map_err(|e| format!("from_params: {e}"))?;
        self.config
            .request(&op)
            .map_err(|e| format!("request: {e}"))
    }
    fn list<E: List + FromParams>(self, _: &'static Operation) -> Self::Output
    where
        E::Item: Json,
    {
        let op = E::from_params(self.params).map_err(|e| format!("from_params: {e}"))?;
        self.config
            .request(&op)
            .map_err(|e| format!("request: {e}"))
    }
}

/// The path template with the parameters' values, percent-encoded.
fn expected_path(op: &Operation, params: &Params) -> String {
    let mut path = op.path.to_owned();
    for p in op.params.iter().filter(|p| p.location == Location::Path) {
        let v = params.get(p.name).unwrap_or_default();
        let mut enc = String::new();
        for b in v.bytes() {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
                enc.push(b as char);
            } else {
                enc.push_str(&format!("%{b:02X}"));
            }
        }
        path = path.replace(&format!("{{{}}}", p.name), &enc);
    }
    path
}

#[test]
fn every_generated_operation_builds_the_request_the_registry_describes() {
    let Some(spec) = spec() else { return };
    let ops = operations(&spec);
    let config = Config::new(Token::new("test-token").expect("a token"));
    let (mut built, mut off) = (0, 0);
    let mut failures = Vec::new();
    for op in registry::OPERATIONS {
        if !matches!(op.implementation, Implementation::Generated(_)) {
            continue;
        }
        let (_, _, raw) = &ops[op.id];
        let params = minimal_params(&spec, op, raw);
        let Some(typed) = registry::visit(
            op.id,
            Build {
                params: &params,
                config: &config,
            },
        ) else {
            off += 1;
            continue;
        };
        let typed = match typed {
            Ok(r) => r,
            Err(e) => {
                failures.push(format!("{}: {e} (params {:?})", op.id, params));
                continue;
            }
        };
        built += 1;
        let path = expected_path(op, &params);
        if typed.method().as_str() != op.method || typed.uri().path() != path {
            failures.push(format!(
                "{}: {} {} is not {} {path}",
                op.id,
                typed.method(),
                typed.uri(),
                op.method
            ));
        }
        // The registry's type-erased build sends the same request.
        let prepared = match registry::prepare(op.id, &params) {
            Ok(p) => p,
            Err(e) => {
                failures.push(format!("{}: prepare: {e}", op.id));
                continue;
            }
        };
        let erased = match &prepared {
            Prepared::One(o) => {
                assert!(o.is_typed(), "{}: its feature is on", op.id);
                config.request(o)
            }
            Prepared::List(l) => config.request(l),
        };
        let erased = erased.map_err(|e| e.to_string());
        match erased {
            Ok(e) => {
                let body = |r: &doapi_core::http::Request<Vec<u8>>| {
                    serde_json::from_slice::<Value>(r.body()).ok()
                };
                if e.method() != typed.method()
                    || e.uri().path() != typed.uri().path()
                    || body(&e) != body(&typed)
                {
                    failures.push(format!(
                        "{}: prepare sends {} {} {:?}, the type {} {} {:?}",
                        op.id,
                        e.method(),
                        e.uri(),
                        body(&e),
                        typed.method(),
                        typed.uri(),
                        body(&typed)
                    ));
                }
                if e.headers() != typed.headers() {
                    failures.push(format!(
                        "{}: prepare sends the headers {:?}, the type {:?}",
                        op.id,
                        e.headers(),
                        typed.headers()
                    ));
                }
            }
            Err(e) => failures.push(format!("{}: the prepared request: {e}", op.id)),
        }
    }
    println!("{built} generated operations built their requests ({off} features off)");
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(built > 100, "only {built} operations were built");
}

// What does not need the spec: the generated types and the registry.

use doapi_core::api::droplets::DropletsDestroyWithAssociatedResourcesDangerous;
use doapi_core::api::firewalls::{
    Firewall, FirewallInboundRulesItem, FirewallStatus, FirewallsCreate, FirewallsCreateBody,
    FirewallsGet, FirewallsList,
};
use doapi_core::endpoint::decode::Page;
use doapi_core::RequestError;

fn config() -> Config {
    Config::new(Token::new("test-token").expect("a token"))
}

#[test]
fn a_generated_model_keeps_what_it_does_not_know() {
    let text = r#"{"id": "fw-1", "name": "web", "status": "rebuilding", "droplet_ids": [1, 2],
        "inbound_rules": [{"protocol": "tcp", "ports": "22", "sources": {"addresses": ["0.0.0.0/0"]}, "future": {"a": 1}}],
        "created_at": null, "brand_new": [true]}"#;
    let fw = Firewall::from_json_str(text).expect("a firewall");
    assert_eq!(fw.name.as_deref(), Some("web"));
    assert_eq!(
        fw.status,
        Some(FirewallStatus::Unknown("rebuilding".into()))
    );
    assert_eq!(fw.droplet_ids.as_deref(), Some(&[1, 2][..]));
    assert!(
        fw.created_at.is_none() && fw.extra.contains_key("created_at"),
        "a null is kept"
    );
    assert_eq!(fw.extra.value("brand_new"), Some(json!([true])));
    let rule: &FirewallInboundRulesItem = &fw.inbound_rules.as_ref().expect("rules")[0];
    assert_eq!(rule.extra.value("future"), Some(json!({"a": 1})));
    let back: Value = serde_json::from_str(&fw.to_json_string()).expect("JSON");
    assert_eq!(
        back,
        serde_json::from_str::<Value>(text).expect("JSON"),
        "decode then encode is the same JSON value"
    );
    // serde's traits are the same decoding and encoding.
    let via_serde: Firewall = serde_json::from_str(text).expect("serde");
    assert_eq!(via_serde, fw);
    assert_eq!(serde_json::to_value(&fw).expect("serde"), back);
    // A wrong type names its path.
    let err = Firewall::from_json_str(r#"{"inbound_rules": [{"ports": 22}]}"#).unwrap_err();
    assert_eq!(err.path(), "inbound_rules[0].ports");
}

#[test]
fn generated_operations_build_their_requests() {
    let config = config();
    let get = FirewallsGet {
        firewall_id: "a b".into(),
    };
    let req = config.request(&get).expect("a request");
    assert_eq!(
        (req.method().as_str(), req.uri().path()),
        ("GET", "/v2/firewalls/a%20b")
    );
    assert!(matches!(
        config.request(&FirewallsGet::default()),
        Err(RequestError::Empty { .. })
    ));
    let page: Page<Firewall> = FirewallsList {}
        .decode(br#"{"firewalls": [{"id": "x"}], "links": {}, "meta": {"total": 1}}"#)
        .expect("a page");
    assert_eq!((page.items.len(), page.total()), (1, Some(1)));

    // A body's required properties are checked before anything is sent.
    let create = FirewallsCreate {
        body: Some(FirewallsCreateBody::default()),
    };
    let err = config.request(&create).unwrap_err();
    assert!(err.to_string().contains("name"), "{err}");
    let body = FirewallsCreateBody {
        name: Some("web".into()),
        inbound_rules: Some(vec![FirewallInboundRulesItem {
            protocol: None,
            ..Default::default()
        }]),
        ..Default::default()
    };
    let err = config
        .request(&FirewallsCreate {
            body: Some(body.clone()),
        })
        .unwrap_err();
    assert!(
        err.to_string().contains("FirewallInboundRulesItem."),
        "nested required properties are checked: {err}"
    );
    let body = FirewallsCreateBody {
        inbound_rules: None,
        ..body
    };
    let req = config
        .request(&FirewallsCreate { body: Some(body) })
        .expect("a request");
    assert_eq!(
        serde_json::from_slice::<Value>(req.body()).expect("JSON"),
        json!({"name": "web"})
    );
    assert_eq!(req.headers()["content-type"], "application/json");

    // A header parameter is sent as a header.
    let op = DropletsDestroyWithAssociatedResourcesDangerous {
        droplet_id: 7,
        x_dangerous: true,
    };
    let req = config.request(&op).expect("a request");
    assert_eq!(req.headers()["x-dangerous"], "true");
    assert_eq!(
        req.uri().path(),
        "/v2/droplets/7/destroy_with_associated_resources/dangerous"
    );
    let zero = DropletsDestroyWithAssociatedResourcesDangerous {
        droplet_id: 0,
        x_dangerous: true,
    };
    assert!(
        config.request(&zero).is_err(),
        "droplet_id has a minimum of 1"
    );
}

#[test]
fn the_registry_checks_parameters_before_building() {
    let op =
        registry::find("droplets_destroy_withAssociatedResourcesDangerous").expect("in the spec");
    let p = |pairs: &[(&str, &str)]| {
        let mut p = Params::new();
        for (k, v) in pairs {
            p.push(*k, *v);
        }
        p
    };
    let ok = p(&[("droplet_id", "7"), ("X-Dangerous", "true")]);
    assert_eq!(op.check(&ok), Ok(()));
    let refused = [
        (
            p(&[("X-Dangerous", "true")]),
            "missing required parameter \"droplet_id\"",
        ),
        (
            p(&[("droplet_id", "0"), ("X-Dangerous", "true")]),
            "out of range",
        ),
        (
            p(&[("droplet_id", "x"), ("X-Dangerous", "true")]),
            "not an integer",
        ),
        (
            p(&[("droplet_id", "7"), ("X-Dangerous", "yes")]),
            "not true or false",
        ),
        (
            p(&[("droplet_id", "7"), ("X-Dangerous", "true"), ("nope", "1")]),
            "unknown parameter \"nope\"",
        ),
        (
            p(&[
                ("droplet_id", "7"),
                ("droplet_id", "8"),
                ("X-Dangerous", "true"),
            ]),
            "takes one value",
        ),
        (ok.clone().with_body("{}"), "takes no body"),
    ];
    for (params, want) in refused {
        let err = registry::prepare(op.id, &params).unwrap_err();
        assert!(err.to_string().contains(want), "{params:?}: {err}");
    }
    let Prepared::One(built) = registry::prepare(op.id, &ok).expect("built") else {
        panic!("not a listing")
    };
    let req = config().request(&built).expect("a request");
    assert_eq!(req.headers()["x-dangerous"], "true");

    // An enum parameter takes its values only, and an array one repeats.
    let list = registry::find("droplets_list").expect("in the spec");
    assert!(list.check(&p(&[("type", "gpus")])).is_ok());
    assert!(list
        .check(&p(&[("type", "tpus")]))
        .unwrap_err()
        .to_string()
        .contains("not one of"));

    // A body is checked against the generated body type.
    let err = registry::prepare("firewalls_create", &Params::new().with_body("{}")).unwrap_err();
    assert!(err.to_string().contains("name"), "{err}");
    let err = registry::prepare("firewalls_create", &Params::new().with_body("{")).unwrap_err();
    assert!(err.to_string().contains("not JSON"), "{err}");
    assert!(matches!(
        registry::prepare("no_such_op", &Params::new()),
        Err(registry::ParamError::NoOperation(_))
    ));
    assert!(matches!(
        registry::prepare("inference_upload_batch_file", &Params::new()),
        Err(registry::ParamError::Skipped { .. })
    ));
}

#[test]
fn prepared_operations_answer_json_checked_against_the_generated_type() {
    let get = Params::new().param("firewall_id", "fw-1");
    let Prepared::One(op) = registry::prepare("firewalls_get", &get).expect("built") else {
        panic!("not a listing")
    };
    assert!(op.is_typed());
    let answer = op
        .decode(br#"{"firewall": {"id": "fw-1", "new": 1}}"#)
        .expect("decoded");
    assert_eq!(answer, json!({"firewall": {"id": "fw-1", "new": 1}}));
    let err = op.decode(br#"{"firewall": {"id": 5}}"#).unwrap_err();
    assert_eq!(err.path, "firewall.id");

    let Prepared::List(list) = registry::prepare("firewalls_list", &Params::new()).expect("built")
    else {
        panic!("a listing")
    };
    let page = list
        .decode(br#"{"firewalls": [{"id": "a"}], "meta": {"total": 1}}"#)
        .expect("a page");
    assert_eq!(page.items, [json!({"id": "a"})]);
    assert!(list
        .decode(br#"{"firewalls": [{"id": []}]}"#)
        .unwrap_err()
        .path
        .starts_with("firewalls[0]"));

    // A hand-made operation is built from the registry's data alone.
    let Prepared::One(droplet) =
        registry::prepare("droplets_get", &Params::new().param("droplet_id", "42")).expect("built")
    else {
        panic!("not a listing")
    };
    assert!(!droplet.is_typed());
    assert_eq!(
        config().request(&droplet).expect("a request").uri().path(),
        "/v2/droplets/42"
    );
    assert!(matches!(
        registry::find("droplets_get")
            .expect("in the spec")
            .implementation,
        Implementation::Handmade(["GetDroplet"])
    ));
}
