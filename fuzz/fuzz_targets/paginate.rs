#![no_main]
//! Drives a `Paginator` with arbitrary statuses, headers, bodies, `next`
//! links and clock jumps: every run must end, within a bounded number of
//! steps, without a panic and without sending the token off-origin.

mod drive;

use doapi_core::endpoints::ListDroplets;
use doapi_core::testing::FakeClock;
use doapi_core::{Config, Machine, Paginator, RetryPolicy, Token};
use drive::Bytes;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut b = Bytes::new(data);
    let Ok(token) = Token::new("fuzz-token") else {
        return;
    };
    let per_page = u32::from(b.byte().unwrap_or(200));
    let tag_name = (b.byte().unwrap_or(0) % 2 == 0).then(|| "t".to_owned());
    let seed = u64::from(b.byte().unwrap_or(0));
    let config = Config::new(token)
        .with_per_page(per_page)
        .with_retry(RetryPolicy::default().with_seed(seed));
    let mut pages = Paginator::new(&config, ListDroplets { tag_name });
    let mut clock = FakeClock::new();
    let outputs = drive::run(&mut pages, &mut b, &config, &mut clock, |_, _| {});
    assert!(pages.is_finished());
    assert!(pages.poll_request().is_none() && pages.poll_timeout().is_none());
    assert!(outputs as u64 <= pages.pages_fetched() + 1);
    if let Some(count) = pages.page_count() {
        assert!(count >= 1);
    }
});
