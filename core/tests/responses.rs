//! Parsing whole responses: rate limit, request id and `meta` reach the
//! caller on success and on error.

use doapi_core::endpoints::*;
use doapi_core::http::{Response, StatusCode};
use doapi_core::{Error, RateLimit};
use serde_json::json;

fn response(status: u16, body: serde_json::Value) -> Response<Vec<u8>> {
    Response::builder()
        .status(status)
        .header("ratelimit-limit", "5000")
        .header("ratelimit-remaining", "4816")
        .header("ratelimit-reset", "1444931833")
        .header("x-request-id", "req-123")
        .header("date", "Thu, 15 Oct 2015 17:50:00 GMT")
        .body(serde_json::to_vec(&body).unwrap())
        .unwrap()
}

const RL: RateLimit = RateLimit {
    limit: 5000,
    remaining: 4816,
    reset: 1444931833,
};

#[test]
fn a_page_carries_meta_links_and_rate_limit() {
    let body = json!({
        "kernels": [{"id": 1, "name": "k1", "version": "v1"}, {"id": 2, "name": "k2", "version": "v2"}],
        "links": {"pages": {"next": "https://api.digitalocean.com/v2/droplets/3/kernels?page=2&per_page=2"}},
        "meta": {"total": 5}
    });
    let reply = ListDropletKernels { id: 3 }
        .parse(&response(200, body))
        .unwrap();
    assert_eq!(reply.value.items.len(), 2);
    assert_eq!(reply.value.total(), Some(5));
    assert_eq!(
        reply.value.next(),
        Some("https://api.digitalocean.com/v2/droplets/3/kernels?page=2&per_page=2")
    );
    assert_eq!(reply.info.rate_limit, Some(RL));
    assert_eq!(reply.info.request_id.as_deref(), Some("req-123"));
    assert_eq!(reply.info.date.unwrap().timestamp(), 1444931400);
    assert_eq!(reply.info.status, StatusCode::OK);
}

#[test]
fn an_error_carries_id_message_request_id_and_rate_limit() {
    let resp = response(
        429,
        json!({"id": "too_many_requests", "message": "API rate limit exceeded."}),
    );
    let err = GetAccount {}.parse(&resp).unwrap_err();
    assert!(err.is_rate_limited() && !err.is_not_found());
    let Error::Api(api) = err else {
        panic!("not an API error")
    };
    assert_eq!(api.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(api.id.as_deref(), Some("too_many_requests"));
    assert_eq!(api.message, "API rate limit exceeded.");
    assert_eq!(api.request_id.as_deref(), Some("req-123"));
    assert_eq!(api.rate_limit, Some(RL));
    assert_eq!(api.attempts, 1);
}

#[test]
fn a_non_json_error_body_becomes_the_message() {
    let resp = Response::builder()
        .status(502)
        .body(b"<html>Bad gateway</html>".to_vec())
        .unwrap();
    let err = GetDroplet { id: 1 }.parse(&resp).unwrap_err();
    let api = err.api().unwrap();
    assert_eq!((api.status.as_u16(), api.id.as_deref()), (502, None));
    assert_eq!(api.message, "<html>Bad gateway</html>");
    assert!(api.is_server_error());
}

#[test]
fn delete_answers_204_and_nothing() {
    let resp = Response::builder().status(204).body(Vec::new()).unwrap();
    let reply = DeleteDroplet { id: 1 }.parse(&resp).unwrap();
    assert_eq!(reply.value, ());
    assert_eq!(reply.info.status, StatusCode::NO_CONTENT);
}

#[test]
fn a_body_that_does_not_fit_is_a_decode_error() {
    let resp = response(200, json!({"droplet": {"id": "seven"}}));
    let Error::Decode(e) = GetDroplet { id: 7 }.parse(&resp).unwrap_err() else {
        panic!("not a decode error")
    };
    assert_eq!(e.path, "droplet.id");
    assert!(e.snippet.starts_with("{\"droplet\""));
}

#[test]
fn last_and_current_action() {
    let page = |status: &str| {
        response(
            200,
            json!({"actions": [{"id": 9, "status": status, "type": "reboot"}], "meta": {"total": 4}}),
        )
    };
    let last = LastAction {
        target: ActionTarget::Droplet(1),
    };
    let current = CurrentAction {
        target: ActionTarget::Droplet(1),
    };
    assert_eq!(last.parse(&page("completed")).unwrap().value.unwrap().id, 9);
    assert_eq!(current.parse(&page("completed")).unwrap().value, None);
    assert_eq!(
        current
            .parse(&page("in-progress"))
            .unwrap()
            .value
            .unwrap()
            .id,
        9
    );
    let empty = response(200, json!({"actions": [], "meta": {"total": 0}}));
    assert_eq!(last.parse(&empty).unwrap().value, None);
}

#[test]
fn raw_requests_give_json_or_nothing() {
    let raw = Raw::get("/v2/account");
    assert_eq!(
        raw.parse(&response(200, json!({"a": 1}))).unwrap().value,
        Some(json!({"a": 1}))
    );
    let resp = Response::builder()
        .status(204)
        .body(b"\n".to_vec())
        .unwrap();
    assert_eq!(raw.parse(&resp).unwrap().value, None);
    let list = RawList {
        url: "/v2/volumes".into(),
        key: "volumes".into(),
        query: vec![],
    };
    let page = list
        .parse(&response(
            200,
            json!({"volumes": [{"id": "v"}], "links": {}, "meta": {"total": 1}}),
        ))
        .unwrap();
    assert_eq!(page.value.items, vec![json!({"id": "v"})]);
    assert_eq!(page.value.next(), None);
}

#[test]
fn raw_answers_as_text_keep_the_text_the_same_request() {
    let text = AsText(Raw::get("/v2/account"));
    let body = br#"{"b": [1, 2], "a": {"x": null}}"#;
    let resp = Response::new(body.to_vec());
    let answer = text.parse(&resp).unwrap().value.expect("JSON");
    assert_eq!(answer.get().as_bytes(), body, "the text as it came");
    let blank = text.parse(&Response::new(b" ".to_vec())).unwrap();
    assert!(blank.value.is_none());
    assert!(matches!(
        text.parse(&Response::new(b"{nope".to_vec())),
        Err(Error::Decode(_))
    ));
    // The same request as the Raw it wraps.
    assert_eq!(
        (text.method(), text.path(), text.query()),
        (text.0.method(), text.0.path(), text.0.query())
    );
    let list = AsText(RawList {
        url: "/v2/volumes".into(),
        key: "volumes".into(),
        query: vec![],
    });
    let page = list
        .parse(&Response::new(
            br#"{"volumes": [{"id": "v"}, 7], "links": {}}"#.to_vec(),
        ))
        .unwrap();
    let items: Vec<&str> = page.value.items.iter().map(|r| r.get()).collect();
    assert_eq!(items, [r#"{"id": "v"}"#, "7"]);
}
