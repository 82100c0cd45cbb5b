//! The `tracing` spans of the async client's requests: each request of a
//! listing is a span naming its method, path and attempt, with an event for
//! its response's status and request id, and nothing names the token. In a
//! test binary of its own: the capture is the global subscriber.

use doapi_async::{Api, Client, Error};
use doapi_conformance::{sim_with_faults, SpanCapture, Subject, TOKEN};
use doapi_sim::SimServer;
use futures::TryStreamExt;

#[tokio::test]
async fn each_request_of_a_listing_is_a_span_that_never_names_the_token() -> Result<(), Error> {
    let capture = SpanCapture::install();
    let faults = sim_with_faults(&["503,from=1,to=1,route=GET /v2/sizes"]);
    let server = SimServer::start(faults).await.expect("the simulator");
    let client = Client::builder_for(server.url()).per_page(10).build()?;
    let sizes: Vec<_> = client.fetch_all_sizes().try_collect().await?;
    // The simulator's sizes fill three pages of 10.
    assert!((21..=30).contains(&sizes.len()), "{}", sizes.len());

    let text = capture.text();
    assert!(!text.contains(TOKEN), "{text}");
    // A 503, its retry, then pages 2 and 3: a span each, and its response.
    let lines = |start| text.lines().filter_map(move |l| l.strip_prefix(start));
    let spans: Vec<_> = lines("span doapi ").collect();
    let get = |attempt| format!("method=GET path=/v2/sizes attempt={attempt} ");
    assert_eq!(spans, [get(1), get(2), get(1), get(1)], "{text}");
    assert_eq!(server.stats().requests, 4);
    let responses: Vec<_> = lines("event message=response status=").collect();
    let statuses: Vec<_> = responses.iter().map(|r| &r[..3]).collect();
    assert_eq!(statuses, ["503", "200", "200", "200"], "{text}");
    let with_ids = responses.iter().all(|r| r.contains(" request_id=\""));
    assert!(with_ids, "{text}");
    Ok(())
}
