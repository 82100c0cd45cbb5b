//! Both clients against a server that misbehaves on purpose (the
//! [`hostile`](doapi_conformance::hostile) server on 127.0.0.1), one
//! scenario per kind of misbehaviour: what it says is shown escaped, capped
//! and without the token; memory is bounded by the client, measured by the
//! OS in a child process; errors say what happened and are retried only
//! where a retry can help; settings out of range are refused.

use std::time::{Duration, Instant};

use doapi_conformance::hostile::{
    child_done, child_says, child_url, droplet_json, droplet_page, endless, looping, not_http,
    run_child, Hostile, Reply, EVIL, LOOP_BOUND,
};
use doapi_conformance::{both, fast_retry, prism, Subject, TOKEN};
use doapi_core::endpoints::ListDroplets;
use doapi_core::text::FIELD_CAP;
use doapi_core::{Error, Limits, RequestError, RetryPolicy, TransportErrorKind as Kind};
use serde_json::json;

/// What every error shown to a person must be: one line without control
/// characters, no longer than its fields' caps allow, without the token.
#[track_caller]
fn safe(err: &Error) -> String {
    let shown = err.to_string();
    assert!(!shown.chars().any(char::is_control), "{shown:?}");
    assert!(!shown.contains(TOKEN), "{shown}");
    assert!(
        shown.len() <= 4 * FIELD_CAP,
        "{} bytes: {shown}",
        shown.len()
    );
    shown
}

/// 5 MB of text.
fn five_mb() -> String {
    "A".repeat(5_000_000)
}

fn server_text_is_shown_escaped_capped_and_without_the_token<C: Subject>() {
    let server = Hostile::start(|asked| {
        let echo = format!("{EVIL} you sent {}; {}", asked.token(), five_mb());
        let path = asked.target.split('?').next().unwrap_or("");
        match path {
            "/v2/droplets/1" => Reply::json(
                404,
                json!({"id": format!("not_found{EVIL}"), "message": echo,
                       "request_id": format!("{EVIL}{}", asked.token())})
                .to_string(),
            ),
            "/v2/droplets/2" => Reply::Http {
                status: 418,
                headers: Vec::new(),
                body: echo.into_bytes(),
            },
            "/v2/droplets/3" => Reply::json(200, json!({"droplet": {"id": echo}}).to_string()),
            _ => {
                let next = format!("https://evil.test/{EVIL}{}?{}", asked.token(), five_mb());
                let one = [droplet_json(1, "d1", None)];
                Reply::json(200, droplet_page(&one, Some(&next)))
            }
        }
    });
    let c = C::builder_for(server.url()).build().unwrap();
    // An API error whose message, id and request id are hostile.
    let err = c.err(c.fetch_droplet(1));
    let shown = safe(&err);
    assert!(
        shown.contains(r"\u{1b}[2J") && shown.contains("more bytes"),
        "{shown}"
    );
    assert!(shown.contains("<redacted>"), "{shown}");
    let api = err.api().expect("an API error");
    assert!(!api.message.contains(TOKEN) && !api.request_id.as_ref().unwrap().contains(TOKEN));
    // A body that is not JSON.
    let err = c.err(c.fetch_droplet(2));
    assert!(safe(&err).contains("418"), "{err}");
    // A decode error quoting the 5 MB string.
    let err = c.err(c.fetch_droplet(3));
    assert!(matches!(err, Error::Decode(_)), "{err:?}");
    safe(&err);
    // A next link to another origin, 5 MB long, naming the token: refused,
    // as the server's doing.
    let got = c.items(c.fetch_all_droplets());
    let [Ok(_), Err(err)] = &got[..] else {
        panic!("{got:?}");
    };
    assert!(
        matches!(err, Error::BadNext(RequestError::ForeignOrigin { .. })),
        "{err:?}"
    );
    safe(err);
    // Nothing was sent to the other origin.
    assert_eq!(server.requests(), 4);
}

/// Pages the endless listing's child process reads.
const ENDLESS_PAGES: u64 = 1_000;

fn endless_pages_of_long_links_cost_the_memory_of_one_page<C: Subject>() {
    if let Some(url) = child_url() {
        let c = C::builder_for(&url).build().unwrap();
        let mut pages = c.pages(ListDroplets::default());
        for n in 1..=ENDLESS_PAGES {
            let page = c.next_page(&mut pages).expect("a page").expect("a page");
            assert_eq!(page.value.items[0].id, n);
        }
        return child_done();
    }
    let server = Hostile::start(endless);
    let t0 = Instant::now();
    let child = run_child(server.url());
    // Remembering every link would cost 1,000 × 60 kB = 60 MB.
    println!(
        "{} endless pages: peak RSS {} kB, {:.1} s, {} requests",
        C::NAME,
        child.peak_kb,
        t0.elapsed().as_secs_f64(),
        server.requests()
    );
    assert!(child.peak_kb < 40_000, "{child:?}");
    assert!(server.requests() >= ENDLESS_PAGES);
}

fn next_links_that_loop_end_the_listing_within_its_bound<C: Subject>() {
    let server = Hostile::start(looping);
    let c = C::builder_for(server.url()).build().unwrap();
    let got = c.items(c.fetch_all_droplets());
    assert!(
        matches!(got.last(), Some(Err(Error::RepeatedNext { .. }))),
        "{got:?}"
    );
    assert!(server.requests() <= LOOP_BOUND, "{}", server.requests());
}

/// Droplets in the huge page, and the unknown field's entries in each.
const HUGE_DROPLETS: u64 = 200;
const HUGE_ENTRIES: usize = 4_000;

fn huge_page() -> Vec<u8> {
    let entries: Vec<String> = (0..HUGE_ENTRIES)
        .map(|i| format!(r#"{{"k":{i},"v":[true,null,"x"]}}"#))
        .collect();
    let future = format!("[{}]", entries.join(","));
    let droplets: Vec<String> = (1..=HUGE_DROPLETS)
        .map(|id| droplet_json(id, "big", Some(&future)))
        .collect();
    droplet_page(&droplets, None)
}

fn a_page_of_unknown_fields_costs_about_its_size_not_a_tree<C: Subject>() {
    if let Some(url) = child_url() {
        let c = C::builder_for(&url).build().unwrap();
        let droplets = c.all(c.fetch_all_droplets());
        assert_eq!(droplets.len() as u64, HUGE_DROPLETS);
        assert_eq!(droplets[0].extra.len(), 1);
        child_says(format_args!("decoded {}", droplets.len()));
        return child_done();
    }
    let body = huge_page();
    let mb = body.len() / 1_000_000;
    let server = Hostile::start(move |_| Reply::json(200, body.clone()));
    let child = run_child(server.url());
    // As serde_json::Value trees, the unknown fields alone would cost about
    // 18 times the body.
    println!(
        "{} a {mb} MB page of unknown fields: peak RSS {} kB",
        C::NAME,
        child.peak_kb
    );
    assert!(child.said.iter().any(|l| l == "decoded 200"), "{child:?}");
    assert!(child.peak_kb < (3 * mb as u64 + 20) * 1_000, "{child:?}");
}

fn answers_that_are_not_http_are_protocol_errors_sent_once<C: Subject>() {
    for (what, reply) in not_http() {
        let server = Hostile::start(move |_| reply.clone());
        let c = C::builder_for(server.url()).build().unwrap();
        let err = c.err(c.fetch_droplet(1));
        let Error::Transport {
            kind: Kind::Protocol,
            message,
            attempts: 1,
        } = &err
        else {
            panic!("{what}: {err:?}");
        };
        assert!(message.contains(&server.url()[7..]), "{what}: {message}");
        assert_eq!(server.requests(), 1, "{what}: not sent again");
        safe(&err);
    }
}

fn a_body_over_the_size_cap_is_refused_and_not_downloaded_again<C: Subject>() {
    let limits = Limits {
        max_body: 1 << 20,
        ..Limits::default()
    };
    for with_length in [true, false] {
        let len = 50_000_000;
        let server = Hostile::start(move |_| Reply::Huge { len, with_length });
        let c = C::builder_for(server.url()).limits(limits).build().unwrap();
        let t0 = Instant::now();
        let err = c.err(c.fetch_droplet(1));
        assert!(
            matches!(
                err,
                Error::Transport {
                    kind: Kind::TooLarge,
                    attempts: 1,
                    ..
                }
            ),
            "{with_length}: {err:?}"
        );
        assert_eq!(server.requests(), 1);
        assert!(t0.elapsed() < Duration::from_secs(10), "{:?}", t0.elapsed());
    }
}

fn could_not_connect_names_the_host_and_the_cause<C: Subject>() {
    let port = prism::free_port();
    let url = format!("http://127.0.0.1:{port}");
    let c = C::builder_for(&url).build().unwrap();
    let err = c.err(c.fetch_account());
    let Error::Transport {
        kind: Kind::Connect,
        message,
        attempts: 5,
    } = &err
    else {
        panic!("{err:?}");
    };
    assert!(message.contains(&format!("127.0.0.1:{port}")), "{message}");
    assert!(message.to_lowercase().contains("refused"), "{message}");
}

fn an_action_of_an_unknown_status_is_never_taken_for_done<C: Subject>() {
    let server = Hostile::start(|asked| {
        let action = json!({"id": 7, "status": "paused", "type": "reboot"});
        if asked.target.starts_with("/v2/droplets/5/actions") {
            let page = json!({"actions": [action], "links": {}, "meta": {"total": 1}});
            Reply::json(200, page.to_string())
        } else {
            Reply::json(200, json!({ "action": action }).to_string())
        }
    });
    let c = C::builder_for(server.url())
        .wait_time(Some(Duration::from_millis(500)))
        .build()
        .unwrap();
    let action = c.ok(c.fetch_action(7));
    for err in [
        c.err(c.wait_action(action)),
        c.err(c.wait_for_droplet_action(5)),
    ] {
        let Error::WaitTimeout(states) = &err else {
            panic!("{err:?}");
        };
        let seen = states.pending[0]
            .action
            .as_ref()
            .expect("the action as seen");
        assert_eq!(seen.status.as_str(), "paused");
    }
}

fn a_trickling_server_is_bounded_by_the_request_timeout<C: Subject>() {
    let limits = Limits {
        request_timeout: Duration::from_secs(1),
        ..Limits::default()
    };
    let every = Duration::from_millis(100);
    let server = Hostile::start(move |_| Reply::Trickle { every });
    // One attempt: a byte every 100 ms never trips the 60 s read timeout,
    // but the attempt ends at 1 s.
    let once = C::builder_for(server.url())
        .limits(limits)
        .retry(RetryPolicy::no_retries())
        .build()
        .unwrap();
    let t0 = Instant::now();
    let err = once.err(once.fetch_droplet(1));
    let took = t0.elapsed();
    assert!(
        matches!(
            err,
            Error::Transport {
                kind: Kind::Timeout,
                attempts: 1,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(took < Duration::from_secs(5), "{took:?}");
    // A GET is tried again: five attempts of at most 1 s each.
    let c = C::builder_for(server.url()).limits(limits).build().unwrap();
    let t0 = Instant::now();
    let err = c.err(c.fetch_droplet(1));
    let took = t0.elapsed();
    println!("{} trickled: 5 attempts in {took:?}", C::NAME);
    assert_eq!(err.attempts(), Some(5), "{err:?}");
    assert!(took < Duration::from_secs(15), "{took:?}");
    assert_eq!(server.requests(), 6);
}

fn settings_out_of_range_are_refused_not_a_panic<C: Subject>() {
    let forever = Duration::from_secs(10_000_000_000_000_000_000);
    let limits = Limits {
        request_timeout: forever,
        ..Limits::default()
    };
    let refused = |b: doapi_core::ClientBuilder<C>| match b.build() {
        Err(Error::Request(RequestError::InvalidArgument { what, .. })) => what,
        Err(e) => panic!("{e:?}"),
        Ok(_) => panic!("built"),
    };
    let url = "http://127.0.0.1:9";
    assert_eq!(
        refused(C::builder_for(url).limits(limits)),
        "request timeout"
    );
    assert_eq!(
        refused(C::builder_for(url).wait_time(Some(forever))),
        "wait time"
    );
    let mut retry = fast_retry();
    retry.initial_backoff = forever;
    assert_eq!(refused(C::builder_for(url).retry(retry)), "initial backoff");
}

both!(
    server_text_is_shown_escaped_capped_and_without_the_token,
    endless_pages_of_long_links_cost_the_memory_of_one_page,
    next_links_that_loop_end_the_listing_within_its_bound,
    a_page_of_unknown_fields_costs_about_its_size_not_a_tree,
    answers_that_are_not_http_are_protocol_errors_sent_once,
    a_body_over_the_size_cap_is_refused_and_not_downloaded_again,
    could_not_connect_names_the_host_and_the_cause,
    an_action_of_an_unknown_status_is_never_taken_for_done,
    a_trickling_server_is_bounded_by_the_request_timeout,
    settings_out_of_range_are_refused_not_a_panic,
);
