//! Lazy pagination of any listing.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Instant;

use http::Request;

use crate::budget::Priority;
use crate::config::Config;
use crate::endpoint::decode::{Decoded, Page};
use crate::endpoint::request::page_size;
use crate::endpoint::List;
use crate::error::Error;
use crate::machine::request::RetriedRequest;
use crate::machine::{Answer, Machine, Tag};
use crate::ratelimit::LastSeen;
use crate::url::around_query_value;

/// Every page of a listing, in order, as a [`Machine`] (doapi's
/// `paginate`).
///
/// - The first request is [`Config::list_request`]: the operation's query
///   plus `per_page` (200 by default, DigitalOcean's maximum).
/// - Then it follows `links.pages.next`, and stops when a page has none.
/// - Once the first page has told how many pages there are (`meta.total`,
///   and a next link numbering its page), the following pages are fetched
///   by number, [`Allowance::pages_in_flight`] at a time (8 by default) and
///   no more than 8 MiB of them as far as the largest page so far tells,
///   and still given out in order. Each of those requests carries a
///   [`Tag`]: the machine has several outstanding (see the
///   [calling contract](crate::machine)). The numbering is checked as the
///   pages come: a page with no next link ends the listing, and a page
///   whose next link is not the next number is followed by its link, as
///   are the links after the last page counted (the listing grew); the
///   pages fetched ahead are then dropped.
/// - A `next` on another origin than the endpoint (or not a URL) is refused
///   with [`Error::BadNext`] (carrying
///   [`RequestError::ForeignOrigin`](crate::RequestError::ForeignOrigin))
///   and never sent: the token stays on the endpoint's origin.
/// - Next links that lead back to a page already fetched end the listing
///   with [`Error::RepeatedNext`] instead of looping: a loop of `p` pages
///   entered after `m` pages is caught before `2 × max(m, p) + p` pages
///   have been fetched. This is Brent's cycle detection over the URLs: one
///   URL is kept, not every URL, so memory stays flat however long the
///   listing is. (Pages fetched by number never repeat.)
/// - A listing whose next links never repeat is a stream: it goes on as
///   long as the caller takes pages, in the memory of the pages in flight,
///   and ends when the caller stops (drops the iterator or stream; Ctrl-C
///   in the command line). Nothing here bounds its length.
/// - Each page is sent under the configuration's
///   [`RetryPolicy`](crate::machine::retry::RetryPolicy).
/// - Built by a [`Session`](crate::session::Session), it records each
///   page's `meta` as the session's last (doapi's `last_meta`).
/// - Lazy: more pages are asked for only once the pages fetched have been
///   taken from [`poll_output`](Machine::poll_output) and
///   [`poll_request`](Machine::poll_request) is called again, so a driver
///   that stops asking fetches nothing more.
///
/// [`Allowance::pages_in_flight`]: crate::budget::Allowance::pages_in_flight
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
    /// How many pages it fetches at once, once it may.
    in_flight: u32,
    /// Where each page's `meta` is recorded, for a session's listing.
    last_seen: Option<Arc<LastSeen>>,
    /// The pages being fetched, in page order.
    window: VecDeque<Slot<L::Item>>,
    /// The request of the next page by its next link, sent when asked for.
    next: Option<Request<Vec<u8>>>,
    /// The pages still to fetch by number, once the first page told.
    ahead: Option<Ahead>,
    /// The largest page so far, in bytes.
    largest: usize,
    /// The tag of the next request, and of the one handed out last.
    tags: u64,
    last_tag: Option<u64>,
    /// Catches next links that loop.
    loops: Option<Loops>,
    out: VecDeque<Result<Decoded<Page<L::Item>>, Error>>,
    total: Option<u64>,
    pages: u64,
    items: u64,
}

/// One page being fetched.
#[derive(Debug)]
struct Slot<T> {
    tag: u64,
    /// Its number, when fetched by number.
    number: Option<u64>,
    send: RetriedRequest,
    done: Option<Result<Decoded<Page<T>>, Error>>,
}

/// The pages fetched by number: the next link of the first page with its
/// `page` replaced, `before` and `after` the number.
#[derive(Debug)]
struct Ahead {
    before: String,
    after: String,
    next: u64,
    last: u64,
}

impl Ahead {
    /// The URL of page `n`.
    fn url(&self, n: u64) -> String {
        format!("{}{n}{}", self.before, self.after)
    }
}

/// The most bytes of pages fetched ahead at once, as far as the largest
/// page so far tells.
const AHEAD_BYTES: usize = 8 << 20;

impl<L: List> Paginator<L> {
    /// The pages of `op`, under the configuration's retry policy. A request
    /// that cannot be built becomes the only output, and nothing is sent.
    pub fn new(config: &Config, op: L) -> Self {
        let mut pager = Paginator {
            config: config.clone(),
            per_page: page_size(config, &op),
            priority: Priority::Interactive,
            in_flight: config.allowance.pages_in_flight.max(1),
            last_seen: None,
            window: VecDeque::new(),
            next: None,
            ahead: None,
            largest: 0,
            tags: 0,
            last_tag: None,
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

    /// The same listing as a wait reads it: drawing from the budget in the
    /// background, as its polls do, and one page at a time (a wait may stop
    /// reading early: pages fetched ahead would be spent for nothing).
    pub(crate) fn for_a_wait(mut self) -> Self {
        self.priority = Priority::Background;
        self.in_flight = 1;
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
        self.window.is_empty() && self.next.is_none() && self.ahead.is_none()
    }

    fn fail(&mut self, e: Error) {
        self.window.clear();
        self.next = None;
        self.ahead = None;
        self.out.push_back(Err(e));
    }

    /// Starts fetching pages up to the window: by number, or the next link.
    fn fill(&mut self) {
        let width = match self.ahead {
            Some(_) => (AHEAD_BYTES / self.largest.max(1)).clamp(1, self.in_flight as usize),
            None => 1,
        };
        while self.window.len() < width {
            let (number, req) = match &mut self.ahead {
                Some(a) if a.next <= a.last => {
                    let number = a.next;
                    a.next += 1;
                    match self.config.get_url(&a.url(number)) {
                        Ok(req) => (Some(number), req),
                        Err(e) => return self.fail(Error::BadNext(e)),
                    }
                }
                Some(_) => return,
                None => match self.next.take() {
                    Some(req) => (None, req),
                    None => return,
                },
            };
            let mut req = req;
            req.extensions_mut().insert(self.priority);
            self.tags += 1;
            self.window.push_back(Slot {
                tag: self.tags,
                number,
                send: RetriedRequest::new(req, &self.config.retry),
                done: None,
            });
        }
    }

    /// Gives out the pages done at the front of the window, in order.
    fn release(&mut self) {
        while self.window.front().is_some_and(|s| s.done.is_some()) {
            let Some(Slot { number, done, .. }) = self.window.pop_front() else {
                return;
            };
            match done {
                Some(Ok(reply)) => self.on_page(number, reply),
                Some(Err(e)) => return self.fail(e),
                None => {}
            }
        }
    }

    fn on_page(&mut self, number: Option<u64>, reply: Decoded<Page<L::Item>>) {
        self.pages += 1;
        let count = reply.value.items.len() as u64;
        self.items += count;
        if let Some(last) = &self.last_seen {
            last.record_meta(reply.value.meta.clone());
        }
        if let Some(total) = reply.value.total() {
            self.total = Some(total);
        }
        let link = reply.value.next().map(str::to_owned);
        self.out.push_back(Ok(reply));
        let Some(link) = link else {
            // The end, wherever it comes: pages fetched after it are dropped.
            self.window.clear();
            self.ahead = None;
            return;
        };
        match (&self.ahead, number) {
            // The first page: the rest by number if it says how many.
            (None, None) if self.pages == 1 => {
                if let Some(ahead) = self.numbered(&link, count) {
                    self.ahead = Some(ahead);
                    return;
                }
            }
            // A page linking to the next number, before the last page
            // counted: on by number.
            (Some(a), Some(n)) if n < a.last && link == a.url(n + 1) => return,
            // Past the last page counted (the listing grew), or a link
            // that is not the next number: on by the link alone.
            (Some(_), _) => {
                self.window.clear();
                self.ahead = None;
            }
            _ => {}
        }
        let follow = if self.loops.as_mut().is_some_and(|l| l.repeats(&link)) {
            Err(Error::RepeatedNext { url: link })
        } else {
            self.config.get_url(&link).map_err(Error::BadNext)
        };
        match follow {
            Ok(req) => self.next = Some(req),
            Err(e) => self.fail(e),
        }
    }

    /// The pages after the first by number, if there are several to fetch
    /// at once and the first page's next link numbers them (`page=2`).
    fn numbered(&self, link: &str, first_count: u64) -> Option<Ahead> {
        if self.in_flight < 2 {
            return None;
        }
        let (before, "2", after) = around_query_value(link, "page")? else {
            return None;
        };
        // The server's page size is what the first page holds, if smaller.
        let size = self.per_page.min(first_count).max(1);
        let last = self.total?.div_ceil(size);
        (last > 2).then(|| Ahead {
            before: before.to_owned(),
            after: after.to_owned(),
            next: 2,
            last,
        })
    }
}

impl<L: List> Machine for Paginator<L> {
    type Output = Decoded<Page<L::Item>>;

    fn poll_request(&mut self) -> Option<Request<Vec<u8>>> {
        if !self.out.is_empty() {
            return None;
        }
        self.fill();
        self.window.iter_mut().find_map(|slot| {
            if slot.done.is_some() {
                return None;
            }
            let mut req = slot.send.poll_request()?;
            req.extensions_mut().insert(Tag(slot.tag));
            self.last_tag = Some(slot.tag);
            Some(req)
        })
    }

    fn handle_answer(&mut self, now: Instant, answer: Answer) {
        self.handle_tagged(now, None, answer);
    }

    fn handle_tagged(&mut self, now: Instant, tag: Option<Tag>, answer: Answer) {
        let Some(tag) = tag.map(|t| t.0).or(self.last_tag) else {
            return;
        };
        let op = &self.op;
        let Some(slot) = self.window.iter_mut().find(|s| s.tag == tag) else {
            return;
        };
        if slot.done.is_none() {
            if let Some(result) = slot.send.handle(now, answer) {
                if let Ok(resp) = &result {
                    self.largest = self.largest.max(resp.body().len());
                }
                slot.done = Some(result.and_then(|resp| op.parse(&resp)));
            }
        }
        self.release();
    }

    fn poll_timeout(&self) -> Option<Instant> {
        let waiting = self.window.iter().filter(|s| s.done.is_none());
        waiting.filter_map(|s| s.send.poll_timeout()).min()
    }

    fn handle_timeout(&mut self, now: Instant) {
        for slot in self.window.iter_mut().filter(|s| s.done.is_none()) {
            slot.send.handle_timeout(now);
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
