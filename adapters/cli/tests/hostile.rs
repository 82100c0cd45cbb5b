//! `doapi` against a server that misbehaves on purpose (doapi-conformance's
//! hostile server on 127.0.0.1): what the server says reaches stderr
//! escaped, capped and without the token; memory is bounded by `doapi`, as
//! the OS counts it while the process runs; errors say what happened, and
//! exit 1 when the server caused them; numbers out of range exit 2 without
//! a panic.

mod common;

use std::io::{BufRead, BufReader, Read};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{doapi, eventually, signal, Out, Running};
use doapi_conformance::hostile::{
    droplet_json, droplet_page, endless, looping, not_http, peak_kb, Asked, Hostile, Reply, EVIL,
    LOOP_BOUND,
};
use serde_json::json;

/// The most stderr may hold for one error line.
const LINE_MAX: usize = 4096 + 100;

/// The run failed with exit 1 and one safe line: no control character
/// (but its newline), no escape, capped. (The token is checked for every
/// run by `common`.)
#[track_caller]
fn one_safe_line(out: &Out) -> &str {
    assert_eq!(out.code, 1, "{out}");
    let line = out.error_line();
    assert!(!line.chars().any(char::is_control), "{line:?}");
    assert!(out.stderr.len() <= LINE_MAX, "{} bytes", out.stderr.len());
    line
}

/// The path of a request, without its query.
fn path(asked: &Asked) -> &str {
    asked.target.split('?').next().unwrap_or("")
}

#[test]
fn server_text_reaches_stderr_escaped_capped_and_without_the_token() {
    let server = Hostile::start(|asked| {
        let echo = format!(
            "{EVIL} you sent {}; {}",
            asked.token(),
            "A".repeat(5_000_000)
        );
        match path(asked) {
            "/v2/account" => Reply::json(
                401,
                json!({"id": format!("unauthorized{EVIL}"), "message": echo,
                       "request_id": asked.token()})
                .to_string(),
            ),
            "/v2/sizes" => Reply::Http {
                status: 418,
                headers: Vec::new(),
                body: echo.into_bytes(),
            },
            "/v2/droplets/7" => Reply::json(200, json!({"droplet": {"id": echo}}).to_string()),
            _ => {
                let next = format!("https://evil.test/{EVIL}{}?{}", asked.token(), echo);
                Reply::json(
                    200,
                    droplet_page(&[droplet_json(1, "d1", None)], Some(&next)),
                )
            }
        }
    });
    let url = server.url();
    for args in [
        &["account", "show"][..],
        &["size", "show"],
        &["droplet", "show", "7"],
    ] {
        let out = doapi(url).args(args).run();
        let line = one_safe_line(&out);
        assert!(line.contains("more bytes"), "{out}");
        println!("{args:?}: {} bytes on stderr", out.stderr.len());
    }
    let out = doapi(url).args(["account", "show"]).run();
    assert!(
        out.error_line().contains(r"\u{1b}[2J"),
        "shown escaped: {out}"
    );
    assert!(out.error_line().contains("<redacted>"), "{out}");
    // A next link to another origin is the server's doing: exit 1, and the
    // first page was printed, as valid JSON.
    let out = doapi(url).args(["droplet", "show"]).run();
    let line = one_safe_line(&out);
    assert!(line.contains("next page link was refused"), "{out}");
    assert_eq!(out.array().len(), 1, "{out}");
}

/// Reads `n` lines of a running command's stdout, and keeps it open (a
/// closed stdout ends the command).
fn read_lines(run: &mut Running, n: usize) -> (Vec<String>, impl Sized) {
    let mut lines = BufReader::new(run.take_stdout()).lines();
    let read = lines.by_ref().take(n).map(|l| l.expect("a line")).collect();
    (read, lines)
}

#[test]
fn an_endless_listing_streams_in_flat_memory_until_ctrl_c() {
    let server = Hostile::start(endless);
    let mut run = doapi(server.url())
        .args(["droplet", "show", "--compact"])
        .spawn();
    let t0 = Instant::now();
    let (lines, _open) = read_lines(&mut run, 1_000);
    assert_eq!(lines.len(), 1_000);
    let peak = peak_kb(&run.pid().to_string()).expect("the process's peak");
    // Remembering each link would cost 1,000 × 60 kB = 60 MB.
    println!(
        "1,000 endless pages in {:.1} s: peak RSS {peak} kB",
        t0.elapsed().as_secs_f64()
    );
    assert!(peak < 40_000, "{peak} kB");
    // Ctrl-C ends it at once.
    signal(run.pid(), "INT");
    let t0 = Instant::now();
    let out = run.finish();
    assert!(out.code == 130 || out.code == -2, "{out}");
    assert!(t0.elapsed() < Duration::from_secs(10));
}

#[test]
fn next_links_that_loop_exit_1_within_the_bound() {
    let server = Hostile::start(looping);
    let out = doapi(server.url())
        .args(["droplet", "show", "--compact"])
        .run();
    assert!(one_safe_line(&out).contains("already fetched"), "{out}");
    assert!(server.requests() <= LOOP_BOUND, "{}", server.requests());
}

/// Pages of the listing `names_resolve…` goes through, and the page with
/// the droplet named `needle`.
const PAGES: u64 = 30;
const NEEDLE_PAGE: u64 = 17;

#[test]
fn a_name_is_matched_page_by_page_keeping_only_the_matches() {
    // 30 pages of 200 droplets of 12 kB each (70 MB in all), one of them
    // named `needle`; the reboot it leads to is never answered, so that the
    // process can be measured once the listing is behind it.
    let future = format!("\"{}\"", "f".repeat(12_000));
    let rebooting = Arc::new(AtomicBool::new(false));
    let seen = rebooting.clone();
    let server = Hostile::start(move |asked| {
        if asked.method == "POST" {
            seen.store(true, Ordering::SeqCst);
            return Reply::Stall;
        }
        let page: u64 = asked
            .query("page")
            .and_then(|p| p.parse().ok())
            .unwrap_or(1);
        let droplets: Vec<String> = (0..200)
            .map(|i| {
                let id = page * 1_000 + i;
                let name = if page == NEEDLE_PAGE && i == 7 {
                    "needle"
                } else {
                    "hay"
                };
                droplet_json(id, name, Some(&future))
            })
            .collect();
        let next = format!("{}/v2/droplets?page={}", asked.origin, page + 1);
        Reply::json(
            200,
            droplet_page(&droplets, (page < PAGES).then_some(&next[..])),
        )
    });
    let mut run = doapi(server.url())
        .args(["droplet", "reboot", "needle"])
        .spawn();
    eventually("the reboot is sent", || {
        rebooting.load(Ordering::SeqCst).then_some(())
    });
    let peak = peak_kb(&run.pid().to_string()).expect("the process's peak");
    println!("a name over {PAGES} pages of 2.4 MB: peak RSS {peak} kB");
    // Keeping every droplet costs 99 MB (70 MB of droplets). Kept: the
    // pages in flight (3 of 2.4 MB: the window holds 8 MiB), each read on
    // a sending thread of its own, and the page being matched.
    assert!(peak < 60_000, "{peak} kB");
    // Every page and the reboot; the server's total (a billion) has the
    // client fetch up to 7 pages past the last ahead, and drop them.
    let sent = server.requests();
    assert!((PAGES + 1..=PAGES + 8).contains(&sent), "{sent}");
    let _ = run.child.kill();
    let _ = run.child.wait();
}

#[test]
fn one_huge_item_costs_about_twice_its_size_and_is_printed_whole() {
    // One droplet whose unknown field is 20 MB of small objects (as
    // serde_json::Value trees, 18 times that); the next page never comes.
    // What is held at most: the body as it comes in, and the field's raw
    // text (the printer writes the item as it encodes it, adding no copy).
    let page = huge_item_page(Some("NEXT"));
    let item = page.len() - 2_000;
    let mb = page.len() / 1_000_000;
    let server = Hostile::start(move |asked| {
        if asked.query("page").is_some() {
            return Reply::Stall;
        }
        let next = format!("{}/v2/droplets?page=2", asked.origin);
        let body = String::from_utf8_lossy(&page).replace("NEXT", &next);
        Reply::json(200, body)
    });
    let mut run = doapi(server.url()).args(["droplet", "show"]).spawn();
    // The item is printed whole, then the second page is asked for.
    let mut stdout = run.take_stdout();
    let mut printed = 0;
    let mut buf = vec![0; 1 << 20];
    while printed < item {
        match stdout.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => printed += n,
        }
    }
    assert!(printed >= item, "{printed} of {item}");
    eventually("the next page is asked for", || {
        (server.requests() == 2).then_some(())
    });
    let peak = peak_kb(&run.pid().to_string()).expect("the process's peak");
    println!("one item of {mb} MB printed pretty ({printed} bytes): peak RSS {peak} kB");
    // The body and the item's raw text, and no more.
    assert!(peak < (3 * mb as u64 + 15) * 1_000, "{peak} kB");
    let _ = run.child.kill();
    let _ = run.child.wait();
}

/// A page of one droplet whose unknown field is 20 MB of small objects
/// (as serde_json::Value trees, 18 times that), its next link `next`.
fn huge_item_page(next: Option<&str>) -> Vec<u8> {
    let entries: Vec<String> = (0..600_000)
        .map(|i| format!(r#"{{"k":{i},"v":"abcdefghijklmnop"}}"#))
        .collect();
    let future = format!("[{}]", entries.join(","));
    droplet_page(&[droplet_json(1, "huge", Some(&future))], next)
}

#[test]
fn raw_answers_are_printed_from_their_text_not_a_tree_of_values() {
    let page = huge_item_page(None);
    let mb = page.len() / 1_000_000;
    let server = Hostile::start(move |_| Reply::json(200, page.clone()));
    for args in [
        &["request", "/v2/droplets"][..],
        &["request", "--paginate", "droplets", "/v2/droplets"],
    ] {
        let mut run = doapi(server.url()).args(args).spawn();
        // The answer is laid out before its first byte is written; the
        // pipe then holds the process until it is read.
        let mut stdout = run.take_stdout();
        let mut first = [0u8; 1];
        stdout.read_exact(&mut first).expect("a first byte");
        let peak = peak_kb(&run.pid().to_string()).expect("the process's peak");
        let mut rest = Vec::new();
        stdout.read_to_end(&mut rest).expect("the rest");
        let out = run.finish();
        assert_eq!(out.code, 0, "{out}");
        rest.insert(0, first[0]);
        let printed: serde_json::Value = serde_json::from_slice(&rest).expect("JSON");
        assert!(printed.is_object() || printed.is_array());
        println!("{args:?} of {mb} MB: peak RSS {peak} kB");
        // The body, its text and its layout; a tree of values would cost
        // some twenty times the body.
        assert!(peak < (4 * mb as u64 + 15) * 1_000, "{peak} kB");
    }
}

#[test]
fn answers_that_are_not_http_or_too_large_exit_1_after_one_request() {
    let not_http = not_http().map(|(_, reply)| (reply, "not valid HTTP"));
    let too_large = [
        (
            Reply::Huge {
                len: 100_000_000,
                with_length: true,
            },
            "larger than the size cap",
        ),
        (
            Reply::Huge {
                len: 100_000_000,
                with_length: false,
            },
            "larger than the size cap",
        ),
    ];
    for (reply, says) in not_http.into_iter().chain(too_large) {
        let server = Hostile::start(move |_| reply.clone());
        let t0 = Instant::now();
        let out = doapi(server.url()).args(["droplet", "show", "1"]).run();
        let line = one_safe_line(&out);
        assert!(
            line.contains(says) && line.contains("after 1 attempt"),
            "{out}"
        );
        assert!(line.contains(&server.url()[7..]), "names the host: {out}");
        assert_eq!(server.requests(), 1, "{out}");
        assert!(t0.elapsed() < Duration::from_secs(20), "{out}");
    }
}

#[test]
fn an_action_of_an_unknown_status_is_waited_on_to_the_time_limit() {
    let server = Hostile::start(|_| {
        let action = json!({"id": 7, "status": "paused", "type": "reboot"});
        Reply::json(200, json!({ "action": action }).to_string())
    });
    let out = doapi(server.url())
        .args([
            "action",
            "wait",
            "7",
            "--wait-interval",
            "0.1",
            "--wait-time",
            "1",
        ])
        .fails(3);
    assert!(out.error_line().contains("ran out of time"), "{out}");
    assert_eq!(out.array()[0]["status"], "paused", "{out}");
}

#[test]
fn numbers_out_of_range_exit_2_without_a_panic() {
    let server = Hostile::start(|_| Reply::Stall);
    for bad in [
        &["--timeout", "1e19"][..],
        &["--timeout", "0"],
        &["--timeout", "nan"],
        &["--timeout", "inf"],
        &["--wait-time", "1e12"],
        &["--wait-interval", "1e9"],
        &["--wait-interval", "-1"],
    ] {
        let out = doapi(server.url())
            .args(bad)
            .args(["account", "show"])
            .fails(2);
        assert!(!out.stderr.contains("panicked"), "{out}");
    }
    let out = doapi(server.url())
        .args(["--timeout", "1e19", "account", "show"])
        .fails(2);
    assert!(out.error_line().contains("request timeout"), "{out}");
    assert_eq!(server.requests(), 0);
}

#[test]
fn a_trickling_server_is_bounded_by_timeout() {
    let server = Hostile::start(|_| Reply::Trickle {
        every: Duration::from_millis(100),
    });
    // A POST is sent once: one attempt of 1 s, though bytes keep coming.
    let t0 = Instant::now();
    let out = doapi(server.url())
        .args([
            "--timeout",
            "1",
            "request",
            "-X",
            "POST",
            "-d",
            "{}",
            "/v2/tags",
        ])
        .run();
    let took = t0.elapsed();
    println!("a POST to a trickling server, --timeout 1: {took:?}");
    assert!(one_safe_line(&out).contains("timed out"), "{out}");
    assert!(took < Duration::from_secs(6), "{took:?}");
    assert_eq!(server.requests(), 1);
    // A GET is tried again: five attempts of 1 s and the backoffs between
    // them (at most 1 + 2 + 4 + 8 s).
    let t0 = Instant::now();
    let out = doapi(server.url())
        .args(["--timeout", "1", "droplet", "show", "1"])
        .run();
    let took = t0.elapsed();
    println!("a GET to a trickling server, --timeout 1: {took:?}");
    assert!(one_safe_line(&out).contains("after 5 attempt"), "{out}");
    assert!(took < Duration::from_secs(35), "{took:?}");
    assert_eq!(server.requests(), 6);
}
