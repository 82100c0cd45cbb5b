//! The `tracing` spans of requests: method, path, attempt, status and
//! request id, never the token. In a test binary of its own, with the
//! capture as the global subscriber: a scoped one can miss events that
//! other test threads registered first.

mod common;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use common::{client, sim_with_faults, start, TOKEN};

/// Every field of every span and event, as text.
#[derive(Default)]
struct Capture {
    text: Mutex<String>,
    next: AtomicU64,
}

struct Fields<'a>(&'a mut String);

impl tracing::field::Visit for Fields<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.push_str(&format!("{}={:?} ", field.name(), value));
    }
}

impl tracing::Subscriber for Capture {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        let mut text = self.text.lock().unwrap();
        text.push_str(&format!("\nspan {} ", span.metadata().name()));
        span.record(&mut Fields(&mut text));
        tracing::span::Id::from_u64(self.next.fetch_add(1, Ordering::Relaxed) + 1)
    }
    fn record(&self, _: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        values.record(&mut Fields(&mut self.text.lock().unwrap()));
    }
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        let mut text = self.text.lock().unwrap();
        text.push_str("\nevent ");
        event.record(&mut Fields(&mut text));
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn spans_name_the_request_but_never_the_token() {
    let capture = Arc::new(Capture::default());
    tracing::subscriber::set_global_default(capture.clone()).unwrap();
    let server = start(sim_with_faults(&["503,from=1,to=1,route=GET /v2/account"])).await;
    client(&server).fetch_account().await.unwrap();
    let text = capture.text.lock().unwrap().clone();
    assert!(!text.contains(TOKEN), "{text}");
    assert!(text.contains("method=GET"), "{text}");
    assert!(text.contains("path=/v2/account"), "{text}");
    assert!(
        text.contains("attempt=2"),
        "the retry is its own span: {text}"
    );
    assert!(
        text.contains("status=503") && text.contains("status=200"),
        "{text}"
    );
    assert!(text.contains("request_id="), "{text}");
}
