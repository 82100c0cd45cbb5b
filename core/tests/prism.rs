//! Every operation of the spec sent to Prism's mock of it
//! (`shared/tools/prism.sh mock`), which validates each request against
//! the spec:
//!
//! - every operation the registry offers (generated or hand-made), built
//!   by the registry's type-erased build from the spec's request example
//!   (or a minimal body) and minimal valid parameters, is a request
//!   without violation; the test prints how many it sent and fails below
//!   the count of operations the generator produced;
//! - every GET operation's answer, from the spec's examples and then
//!   from several rounds of data Prism makes up from the schemas
//!   (`--dynamic`), decodes into the generated type of its operation.
//!
//! Needs the shared folder (`$DOAPI_SHARED`, else `../shared` beside the
//! repository) and node/npm for Prism; prints SKIPPED when they are
//! missing, unless `DOAPI_REQUIRE_SHARED=1`. Compiled with `--features
//! full` only (every group's types): `cargo test -p doapi-core --features
//! full --test prism`; `DOAPI_PRISM_ROUNDS` sets the rounds of made-up
//! data (3).

mod spec;

use std::collections::BTreeMap;

use doapi_core::api::registry::{self, Implementation, Operation, Prepared};
use doapi_core::endpoint::Endpoint;
use doapi_core::http::{Request, Response};
use doapi_core::{Config, Token};
use doapi_sim::prism::{flagged, Prism};
use serde_json::Value;
use spec::{bad_examples, minimal_params, operations, overrides, spec};

const TOKEN: &str = "dop_v1_prism-mock-of-every-operation";

/// A client on the mock.
struct Mock {
    prism: Prism,
    config: Config,
    agent: ureq::Agent,
}

impl Mock {
    /// Prism's mock with `flags`; `None` when it cannot run here.
    fn start(flags: &[&str]) -> Option<Mock> {
        let prism = Prism::mock(flags)?;
        let config = Config::new(Token::new(TOKEN).expect("a token"))
            .with_endpoint(&prism.url)
            .expect("a loopback endpoint");
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .build()
            .new_agent();
        Some(Mock {
            prism,
            config,
            agent,
        })
    }

    /// Sends a request; the response, its body read.
    fn send(&self, request: Request<Vec<u8>>) -> Response<Vec<u8>> {
        let what = format!("{} {}", request.method(), request.uri());
        let response = self
            .agent
            .run(request)
            .unwrap_or_else(|e| panic!("{what}: {e} (Prism's log: {})", self.prism.log.display()));
        let (parts, mut body) = response.into_parts();
        let bytes = body
            .with_config()
            .limit(64 << 20)
            .read_to_vec()
            .unwrap_or_else(|e| panic!("{what}: the body: {e}"));
        Response::from_parts(parts, bytes)
    }

    /// Sends a prepared operation; the response, and what Prism says of
    /// it.
    fn call(&self, prepared: &Prepared) -> (Response<Vec<u8>>, Verdict) {
        let request = match prepared {
            Prepared::One(o) => self.config.request(o),
            Prepared::List(l) => self.config.request(l),
        };
        let request = request.unwrap_or_else(|e| panic!("{}: {e}", prepared.operation().id));
        let response = self.send(request);
        let verdict = verdict(&response);
        (response, verdict)
    }
}

/// What Prism says of an exchange.
#[derive(Debug, PartialEq)]
enum Verdict {
    /// Nothing.
    Fine,
    /// The request violates the spec (or Prism cannot serve it: a path it
    /// does not know, an `Accept` it cannot answer).
    Request(String),
    /// Only the answer Prism gave violates the spec: the spec's own
    /// example, or what Prism made up, is not of the spec's schema.
    Answer(String),
    /// Prism failed on its own (`#UNKNOWN`: an exception of its).
    Crash(String),
}

/// Prism's verdict on a response: its `sl-violations` header (a JSON
/// array of violations, each with its `location`, `request` or
/// `response` first), or its own `application/problem+json` error.
fn verdict(response: &Response<Vec<u8>>) -> Verdict {
    if !flagged(response) {
        return Verdict::Fine;
    }
    let status = response.status();
    let short = |text: &str| format!("{status}: {}", text.chars().take(600).collect::<String>());
    if let Some(header) = response.headers().get("sl-violations") {
        let text = String::from_utf8_lossy(header.as_bytes()).into_owned();
        // A JSON array (cut short after `Too many violations! `): a
        // violation's location starts with `request` or `response`.
        let of_request = text.contains(r#""location":["request""#)
            || !text.contains(r#""location":["response""#);
        return if of_request {
            Verdict::Request(short(&text))
        } else {
            Verdict::Answer(short(&text))
        };
    }
    let body = String::from_utf8_lossy(response.body()).into_owned();
    let problem: Value = serde_json::from_str(&body).unwrap_or_default();
    if problem["type"]
        .as_str()
        .is_some_and(|t| t.ends_with("#UNKNOWN"))
    {
        Verdict::Crash(short(&body))
    } else {
        Verdict::Request(short(&body))
    }
}

/// Decodes a 2xx answer as the prepared operation does: as its generated
/// type when it has one (its feature is on), else as JSON.
fn decode(prepared: &Prepared, body: &[u8]) -> Result<(), String> {
    match prepared {
        Prepared::One(o) => o.decode(body).map(drop),
        Prepared::List(l) => l.decode(body).map(drop),
    }
    .map_err(|e| e.to_string())
}

/// Whether the prepared operation decodes its answers as a generated type.
fn typed(prepared: &Prepared) -> bool {
    match prepared {
        Prepared::One(o) => o.is_typed(),
        Prepared::List(l) => l.is_typed(),
    }
}

/// Every operation the registry offers, prepared from the spec's example
/// body and minimal parameters.
fn prepared_operations(spec: &Value) -> Vec<(&'static Operation, Prepared)> {
    let raw = operations(spec);
    let mut failures = Vec::new();
    let mut out = Vec::new();
    for op in registry::OPERATIONS {
        if matches!(op.implementation, Implementation::Skipped(_)) {
            continue;
        }
        let params = minimal_params(spec, op, raw[op.id].2);
        match registry::prepare(op.id, &params) {
            Ok(p) => out.push((op, p)),
            Err(e) => failures.push(format!("{}: {e} ({params:?})", op.id)),
        }
    }
    assert!(
        failures.is_empty(),
        "not prepared:\n{}",
        failures.join("\n")
    );
    out
}

/// How many operations the generator produced.
fn generated() -> usize {
    registry::OPERATIONS
        .iter()
        .filter(|op| matches!(op.implementation, Implementation::Generated(_)))
        .count()
}

#[test]
fn every_operation_is_a_valid_request_and_every_example_answer_decodes() {
    let Some(spec) = spec() else { return };
    let Some(mock) = Mock::start(&[]) else { return };
    let bad = bad_examples();
    let refuses = overrides("prism_refuses");
    let mut failures = Vec::new();
    let mut spec_answers = Vec::new();
    let (mut sent, mut refused, mut gets, mut decoded) = (0, 0, 0, 0);
    let mut by_kind = BTreeMap::new();
    for (op, prepared) in prepared_operations(&spec) {
        let (response, verdict) = mock.call(&prepared);
        sent += 1;
        let kind = match op.implementation {
            Implementation::Generated(_) => "generated",
            _ => "hand-made",
        };
        *by_kind.entry(kind).or_insert(0) += 1;
        let what = format!("{} {} {}", op.id, op.method, op.path);
        match (verdict, refuses.get(op.id)) {
            (Verdict::Request(_), Some(why)) => {
                println!("refused, as the overrides say: {what}: {why}");
                refused += 1;
                continue;
            }
            (v, Some(_)) => {
                failures.push(format!(
                    "{what}: no longer refused ({v:?}): remove it from prism_refuses"
                ));
                continue;
            }
            (Verdict::Request(v) | Verdict::Crash(v), None) => {
                failures.push(format!("{what}: {v}"));
                continue;
            }
            (Verdict::Answer(v), None) => {
                spec_answers.push(format!("{what}: {v}"));
                continue;
            }
            (Verdict::Fine, None) => {}
        }
        if op.method != "GET" || !response.status().is_success() {
            continue;
        }
        gets += 1;
        if !typed(&prepared) {
            continue;
        }
        match decode(&prepared, response.body()) {
            Ok(()) => decoded += 1,
            // Prism answers with the first example; those the overrides
            // list as contradicting their schema are not the type's.
            Err(_) if bad.keys().any(|k| k.starts_with(&format!("{} ", op.id))) => {
                println!(
                    "not decoded: {} answers an example the overrides list",
                    op.id
                );
            }
            Err(e) => failures.push(format!("{what}: the example answer: {e}")),
        }
    }
    let generated = generated();
    for a in &spec_answers {
        println!("the spec's example answer is not of its schema: {a}");
    }
    println!(
        "Prism's mock: {sent} operations sent ({by_kind:?}; the generator produced {generated}), {} requests violating the spec, {refused} refused as overrides.json says; {decoded} of {gets} GET answers (the spec's examples) decoded as their generated types; {} example answers Prism finds not of their schema",
        failures.len(),
        spec_answers.len()
    );
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        sent >= generated,
        "{sent} operations sent, fewer than the {generated} generated"
    );
    assert!(
        decoded > 250,
        "only {decoded} GET answers decoded as their types"
    );

    // The check sees a violation when there is one: a droplet create whose
    // size is a number.
    let bad = mock.send(mock.prism.violating_create(TOKEN));
    assert!(
        matches!(verdict(&bad), Verdict::Request(_)),
        "Prism flags {}",
        doapi_sim::prism::VIOLATING_CREATE
    );
}

#[test]
fn every_get_answer_of_made_up_data_decodes() {
    let Some(spec) = spec() else { return };
    let Some(mock) = Mock::start(&["--dynamic"]) else {
        return;
    };
    let rounds: usize = std::env::var("DOAPI_PRISM_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(3);
    // Operations whose answers the client's types read otherwise than
    // the schema, on purpose: another envelope, or a type made up data
    // need not fit.
    let mut departs = overrides("made_up_answers");
    departs.extend(overrides("responses"));
    let gets: Vec<_> = prepared_operations(&spec)
        .into_iter()
        .filter(|(op, p)| op.method == "GET" && typed(p))
        .collect();
    let mut failures = Vec::new();
    let mut prisms = BTreeMap::new();
    let mut departed = BTreeMap::new();
    let (mut decoded, mut answered) = (0, 0);
    for round in 0..rounds {
        for (op, prepared) in &gets {
            let (response, verdict) = mock.call(prepared);
            match verdict {
                Verdict::Request(v) => {
                    failures.push(format!("round {round}: {}: the request: {v}", op.id));
                    continue;
                }
                Verdict::Answer(_) | Verdict::Crash(_) => {
                    *prisms.entry(op.id).or_insert(0) += 1;
                    continue;
                }
                Verdict::Fine => {}
            }
            if !response.status().is_success() {
                continue;
            }
            answered += 1;
            match decode(prepared, response.body()) {
                Ok(()) => decoded += 1,
                Err(e) if departs.contains_key(op.id) => {
                    departed.entry(op.id).or_insert(e);
                }
                Err(e) => failures.push(format!(
                    "round {round}: {}: {e}\n  the answer: {}",
                    op.id,
                    String::from_utf8_lossy(response.body())
                        .chars()
                        .take(2000)
                        .collect::<String>()
                )),
            }
        }
    }
    for (id, e) in &departed {
        println!(
            "not decoded, as overrides.json says: {id}: {e} ({})",
            departs[*id]
        );
    }
    println!(
        "Prism's mock, --dynamic: {rounds} rounds of {} typed GET operations: {decoded} of {answered} answers decoded; {} answers of {} operations Prism refused itself (its made-up answer not of the spec's schema, or an exception of its), {} operations not decoded as overrides.json says",
        gets.len(),
        prisms.values().sum::<usize>(),
        prisms.len(),
        departed.len()
    );
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(decoded > 250 * rounds, "only {decoded} answers decoded");
}
