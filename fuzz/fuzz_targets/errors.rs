#![no_main]
//! Formats errors made from arbitrary bytes, the token spliced in: API
//! errors (JSON or not, any status), decode errors, transport errors and
//! refused next links, each through a client's session, and the command
//! line's error line. Every one must be a single line with no control or
//! invisible character, of bounded length, without the token.

use std::time::Instant;

use doapi_core::endpoints::{GetDroplet, ListDroplets};
use doapi_core::http::Response;
use doapi_core::text::{self, FIELD_CAP, LINE_CAP};
use doapi_core::{
    Config, Error, Machine, Next, RetryPolicy, Session, Token, TransportError, TransportErrorKind,
};
use libfuzzer_sys::fuzz_target;

const TOKEN: &str = "dop_v1_fuzz0123456789abcdef0123456789abcdef";

/// What a person may be shown: one line, nothing hidden, bounded, no token.
fn check(shown: &str, cap: usize) {
    assert!(!shown.contains(TOKEN), "the token in {shown:?}");
    assert!(
        !shown.chars().any(|c| c.is_control() || is_invisible(c)),
        "{shown:?}"
    );
    assert!(shown.len() <= cap, "{} bytes", shown.len());
}

fn is_invisible(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

/// The error a machine ends with, driven by a session through one answer.
fn error_of<M: Machine>(
    session: &Session,
    machine: M,
    answer: Result<Response<Vec<u8>>, TransportError>,
) -> Option<Error> {
    let now = Instant::now();
    let mut machine = session.meter(machine, now);
    let Next::Send(out) = session.next(&mut machine, now) else {
        return None;
    };
    session.answer(&mut machine, &out.pending, now, answer);
    loop {
        match session.next(&mut machine, now) {
            Next::Return(Some(Err(e))) => return Some(e),
            Next::Return(Some(Ok(_))) => continue,
            _ => return None,
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&sel, rest)) = data.split_first() else {
        return;
    };
    // The token spliced into the text at a place the bytes choose.
    let raw = String::from_utf8_lossy(rest);
    let at = (usize::from(sel) * 7) % (raw.len() + 1);
    let at = (0..=at)
        .rev()
        .find(|&i| raw.is_char_boundary(i))
        .unwrap_or(0);
    let text = format!("{}{TOKEN}{}", &raw[..at], &raw[at..]);

    let Ok(token) = Token::new(TOKEN) else {
        return;
    };
    let config = Config::new(token).with_retry(RetryPolicy::no_retries());
    let session = Session::new(config);
    let status = [200u16, 400, 401, 404, 418, 422, 429, 500, 503][usize::from(sel) % 9];
    let bodies = [
        text.clone().into_bytes(),
        serde_json::json!({"id": text, "message": text, "request_id": text})
            .to_string()
            .into_bytes(),
        serde_json::json!({"droplet": {"id": text}})
            .to_string()
            .into_bytes(),
    ];
    let mut errors = Vec::new();
    for body in bodies {
        let resp = Response::builder()
            .status(status)
            .header("x-request-id", "r-1")
            .body(body.clone());
        if let Ok(resp) = resp {
            errors.extend(error_of(
                &session,
                session.call(GetDroplet { id: 1 }),
                Ok(resp),
            ));
        }
        // A page whose next link is the text.
        let next = serde_json::json!({"droplets": [], "links": {"pages": {"next": text}}});
        let page = Response::new(next.to_string().into_bytes());
        errors.extend(error_of(
            &session,
            session.pages(ListDroplets::default()),
            Ok(page),
        ));
    }
    let kind = [
        TransportErrorKind::Connect,
        TransportErrorKind::Io,
        TransportErrorKind::Protocol,
    ][usize::from(sel) % 3];
    let failed = Err(TransportError::new(kind, text.clone()));
    errors.extend(error_of(
        &session,
        session.call(GetDroplet { id: 1 }),
        failed,
    ));

    for e in &errors {
        // A few fields, each cut at FIELD_CAP, and the words around them.
        check(&e.to_string(), 4 * FIELD_CAP + 256);
    }
    check(&text::line(&text, Some(TOKEN)), LINE_CAP + 32);
});
