//! The `tracing` spans of the blocking client's requests: method, path,
//! attempt, status and request id, never the token. In a test binary of its
//! own: the capture is the global subscriber.

use doapi_blocking::{Api, Client};
use doapi_conformance::{sim_with_faults, start, SpanCapture, Subject, TOKEN};

#[test]
fn spans_name_the_request_but_never_the_token() {
    let capture = SpanCapture::install();
    let server = start(sim_with_faults(&["503,from=1,to=1,route=GET /v2/account"]));
    Client::client(&server).fetch_account().unwrap();
    let text = capture.text();
    assert!(!text.contains(TOKEN), "{text}");
    for field in "method=GET path=/v2/account status=503 status=200 request_id=".split(' ') {
        assert!(text.contains(field), "{field}: {text}");
    }
    let retried = text.contains("attempt=2");
    assert!(retried, "the retry is its own span: {text}");
}
