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

mod spec;

use std::collections::BTreeMap;

use doapi_core::api::registry::{
    self, FromParams, Implementation, Location, Operation, Params, Prepared, Visitor,
};
use doapi_core::api::rt::Reply;
use doapi_core::endpoint::{Endpoint, List};
use doapi_core::models::json::Json;
use doapi_core::{Config, Token};
use serde_json::{json, Value};
use spec::{bad_examples, minimal_params, operations, resolve, spec};

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
