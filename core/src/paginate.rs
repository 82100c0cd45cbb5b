//! Lazy pagination of any listing.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Instant;

use http::{Request, Response};

use crate::budget::Priority;
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
/// - A `next` on another origin than the endpoint (or not a URL) is refused
///   with [`Error::BadNext`] (carrying
///   [`RequestError::ForeignOrigin`](crate::RequestError::ForeignOrigin))
///   and never sent: the token stays on the endpoint's origin.
/// - Next links that lead back to a page already fetched end the listing
///   with [`Error::RepeatedNext`] instead of looping: a loop of `p` pages
///   entered after `m` pages is caught before `2 × max(m, p) + p` pages
///   have been fetched. This is Brent's cycle detection over the URLs: one
///   URL is kept, not every URL, so memory stays flat however long the
///   listing is.
/// - A listing whose next links never repeat is a stream: it goes on as
///   long as the caller takes pages, in the memory of one page, and ends
///   when the caller stops (drops the iterator or stream; Ctrl-C in the
///   command line). Nothing here bounds its length.
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
    /// How its requests draw from the budget.
    priority: Priority,
    /// Where each page's `meta` is recorded, for a session's listing.
    last_seen: Option<Arc<LastSeen>>,
    /// The page being fetched.
    send: Option<RetriedRequest>,
    /// The request of the next page, sent when asked for.
    next: Option<Request<Vec<u8>>>,
    /// Catches next links that loop.
    loops: Option<Loops>,
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
            priority: Priority::Interactive,
            last_seen: None,
            send: None,
            next: None,
            loops: None,
            out: VecDeque::new(),
            total: None,
            pages: 0,
            items: 0,
            op,
        };
        match config.list_request(&pager.op) {
            Ok(req) => {
                pager.loops = Some(Loops::new(req.uri().to_string()));
                pager.next = Some(req);
            }
            Err(e) => pager.fail(e.into()),
        }
        pager
    }

    /// The same listing drawing from the budget as a wait's polls do.
    pub(crate) fn in_background(mut self) -> Self {
        self.priority = Priority::Background;
        self
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
            if self.loops.as_mut().is_some_and(|l| l.repeats(url)) {
                Err(Error::RepeatedNext {
                    url: url.to_owned(),
                })
            } else {
                self.config.get_url(url).map_err(Error::BadNext)
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
            let mut req = self.next.take()?;
            req.extensions_mut().insert(self.priority);
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

/// Loop detection in constant memory: Brent's algorithm over the URLs a
/// listing requests. One URL is kept as the mark; after 1, 2, 4, 8, ...
/// further URLs the mark moves to the latest. A listing that loops with a
/// period of `p` pages, entered after `m` pages, comes back to the mark
/// within `2 × max(m, p) + p` pages: the mark is in the loop once it has
/// moved past `m`, and the loop fits between two moves once they are `p`
/// apart.
#[derive(Debug)]
struct Loops {
    mark: String,
    power: u64,
    steps: u64,
}

impl Loops {
    /// Starting from the first URL requested.
    fn new(first: String) -> Self {
        Loops {
            mark: first,
            power: 1,
            steps: 0,
        }
    }

    /// Notes the next URL to request; whether the listing has come back to
    /// the mark.
    fn repeats(&mut self, url: &str) -> bool {
        if url == self.mark {
            return true;
        }
        self.steps += 1;
        if self.steps == self.power {
            self.mark = url.to_owned();
            self.power = self.power.saturating_mul(2);
            self.steps = 0;
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::Loops;

    /// How many URLs of `seq` are requested before the loop is caught.
    fn caught_after(seq: impl Iterator<Item = String>) -> Option<usize> {
        let mut seq = seq;
        let mut loops = Loops::new(seq.next()?);
        seq.take(100_000)
            .position(|url| loops.repeats(&url))
            .map(|i| i + 1)
    }

    #[test]
    fn loops_are_caught_within_two_turns_and_streams_never() {
        let cycle = |start: usize, period: usize| {
            (0..).map(move |i| {
                let page = if i < start {
                    i
                } else {
                    start + (i - start) % period
                };
                format!("/v2/droplets?page={page}")
            })
        };
        // A page whose next link is itself, then loops of 2 and 3 pages.
        assert_eq!(caught_after(cycle(0, 1)), Some(1));
        assert_eq!(caught_after(cycle(0, 2)), Some(3));
        for (start, period) in [(0, 3), (5, 7), (100, 1), (3, 500)] {
            let n = caught_after(cycle(start, period)).expect("caught");
            assert!(n <= 2 * start.max(period) + period, "{start}+{period}: {n}");
        }
        // Pages that never repeat are never a loop.
        let stream = (0..).map(|i| format!("/v2/droplets?page={i}"));
        assert_eq!(caught_after(stream), None);
    }
}
