//! Lazy pagination of any listing.

use std::collections::{HashSet, VecDeque};
use std::sync::Arc;
use std::time::Instant;

use http::{Request, Response};

use crate::config::Config;
use crate::endpoint::decode::{Decoded, Page};
use crate::endpoint::request::page_size;
use crate::endpoint::List;
use crate::error::Error;
use crate::machine::request::RetriedRequest;
use crate::machine::{Answer, Machine};
use crate::ratelimit::LastSeen;

/// Every page of a listing, one at a time, as a [`Machine`] (doapi's
/// `paginate`).
///
/// - The first request is [`Config::list_request`]: the operation's query
///   plus `per_page` (200 by default, DigitalOcean's maximum).
/// - Then it follows `links.pages.next`, and stops when a page has none.
/// - A `next` on another origin than the endpoint is refused with
///   [`RequestError::ForeignOrigin`](crate::RequestError::ForeignOrigin)
///   and never sent: the token stays on the endpoint's origin.
/// - A `next` already fetched ends the listing with
///   [`Error::RepeatedNext`] instead of looping.
/// - Each page is sent under the configuration's
///   [`RetryPolicy`](crate::machine::retry::RetryPolicy).
/// - Built by a [`Session`](crate::session::Session), it records each
///   page's `meta` as the session's last (doapi's `last_meta`).
/// - Lazy: the next page is asked for only once the previous one has been
///   taken from [`poll_output`](Machine::poll_output) and
///   [`poll_request`](Machine::poll_request) is called again, so a driver
///   that stops asking fetches nothing more.
///
/// ```
/// use std::time::Instant;
/// use doapi_core::{Config, Machine, Paginator, Token, endpoints::ListDroplets};
///
/// let config = Config::new(Token::new("my-token")?);
/// let mut pages = Paginator::new(&config, ListDroplets::default());
/// let req = pages.poll_request().expect("the first page");
/// assert_eq!(req.uri(), "https://api.digitalocean.com/v2/droplets?per_page=200");
/// let body = br#"{"droplets": [], "links": {}, "meta": {"total": 0}}"#;
/// pages.handle_response(Instant::now(), http::Response::new(body.to_vec()));
/// assert!(pages.poll_output().expect("a page")?.value.items.is_empty());
/// assert!(pages.poll_request().is_none() && pages.poll_timeout().is_none()); // the end
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Paginator<L: List> {
    config: Config,
    op: L,
    per_page: u64,
    /// Where each page's `meta` is recorded, for a session's listing.
    last_seen: Option<Arc<LastSeen>>,
    /// The page being fetched.
    send: Option<RetriedRequest>,
    /// The request of the next page, sent when asked for.
    next: Option<Request<Vec<u8>>>,
    /// Every URL requested so far.
    seen: HashSet<String>,
    out: VecDeque<Result<Decoded<Page<L::Item>>, Error>>,
    total: Option<u64>,
    pages: u64,
    items: u64,
}

impl<L: List> Paginator<L> {
    /// The pages of `op`, under the configuration's retry policy. A request
    /// that cannot be built becomes the only output, and nothing is sent.
    pub fn new(config: &Config, op: L) -> Self {
        let mut pager = Paginator {
            config: config.clone(),
            per_page: page_size(config, &op),
            last_seen: None,
            send: None,
            next: None,
            seen: HashSet::new(),
            out: VecDeque::new(),
            total: None,
            pages: 0,
            items: 0,
            op,
        };
        match config.list_request(&pager.op) {
            Ok(req) => {
                pager.seen.insert(req.uri().to_string());
                pager.next = Some(req);
            }
            Err(e) => pager.fail(e.into()),
        }
        pager
    }

    /// The same listing recording each page's `meta` in `last_seen`.
    pub(crate) fn recording(mut self, last_seen: Arc<LastSeen>) -> Self {
        self.last_seen = Some(last_seen);
        self
    }

    /// The listing operation.
    pub fn endpoint(&self) -> &L {
        &self.op
    }

    /// `meta.total` of the last page: the number of items over all pages.
    pub fn total(&self) -> Option<u64> {
        self.total
    }

    /// The number of pages the listing has, from `meta.total` and the page
    /// size.
    pub fn page_count(&self) -> Option<u64> {
        self.total.map(|t| t.div_ceil(self.per_page).max(1))
    }

    /// Pages fetched so far.
    pub fn pages_fetched(&self) -> u64 {
        self.pages
    }

    /// The number of items not yet fetched, from `meta.total`. A hint: the
    /// listing may change while it is read.
    pub fn remaining_hint(&self) -> Option<u64> {
        self.total.map(|t| t.saturating_sub(self.items))
    }

    /// An iterator's size hint over the items of the listing, when
    /// `buffered` items of the pages fetched are not yet used: those, and
    /// at most what `meta.total` says is left.
    pub fn size_hint(&self, buffered: usize) -> (usize, Option<usize>) {
        let rest = self.remaining_hint();
        let rest = rest.map(|r| usize::try_from(r).unwrap_or(usize::MAX));
        (buffered, rest.map(|r| r.saturating_add(buffered)))
    }

    /// Whether the listing has ended: every page fetched, or an error.
    pub fn is_finished(&self) -> bool {
        self.send.is_none() && self.next.is_none()
    }

    fn fail(&mut self, e: Error) {
        self.send = None;
        self.next = None;
        self.out.push_back(Err(e));
    }

    fn on_answer(&mut self, answer: Result<Response<Vec<u8>>, Error>) {
        self.send = None;
        let reply = match answer.and_then(|resp| self.op.parse(&resp)) {
            Ok(reply) => reply,
            Err(e) => return self.fail(e),
        };
        self.pages += 1;
        self.items += reply.value.items.len() as u64;
        if let Some(last) = &self.last_seen {
            last.record_meta(reply.value.meta.clone());
        }
        if let Some(total) = reply.value.total() {
            self.total = Some(total);
        }
        let follow = reply.value.next().map(|url| {
            if self.seen.insert(url.to_owned()) {
                self.config.get_url(url).map_err(Error::from)
            } else {
                Err(Error::RepeatedNext {
                    url: url.to_owned(),
                })
            }
        });
        self.out.push_back(Ok(reply));
        match follow {
            Some(Ok(req)) => self.next = Some(req),
            Some(Err(e)) => self.fail(e),
            None => {}
        }
    }
}

impl<L: List> Machine for Paginator<L> {
    type Output = Decoded<Page<L::Item>>;

    fn poll_request(&mut self) -> Option<Request<Vec<u8>>> {
        if !self.out.is_empty() {
            return None;
        }
        if self.send.is_none() {
            let req = self.next.take()?;
            self.send = Some(RetriedRequest::new(req, &self.config.retry));
        }
        self.send.as_mut()?.poll_request()
    }

    fn handle_answer(&mut self, now: Instant, answer: Answer) {
        if let Some(result) = self.send.as_mut().and_then(|s| s.handle(now, answer)) {
            self.on_answer(result);
        }
    }

    fn poll_timeout(&self) -> Option<Instant> {
        self.send.as_ref()?.poll_timeout()
    }

    fn handle_timeout(&mut self, now: Instant) {
        if let Some(send) = &mut self.send {
            send.handle_timeout(now);
        }
    }

    fn poll_output(&mut self) -> Option<Result<Self::Output, Error>> {
        self.out.pop_front()
    }
}
