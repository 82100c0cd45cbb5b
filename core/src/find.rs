//! [`Find`]: the first item of a listing that matches, fetched a page at a
//! time (the default VPC of a region, a volume by name).

use std::fmt;
use std::time::Instant;

use http::Request;

use crate::endpoint::List;
use crate::error::Error;
use crate::machine::{Answer, Machine, Tag};
use crate::paginate::Paginator;

/// What a [`Find`] looks for: a test of one item.
type Pick<T> = Box<dyn Fn(&T) -> bool + Send>;

/// The first item of a listing that `pick` accepts, or `None` once every
/// page has been read without one, as a [`Machine`] with one output. It
/// stops at the page that has the item: no page is asked for after it
/// (pages already in flight, when the listing fetches several at a time,
/// are let go). Answers are handed on with their [`Tag`]s, so a driver may
/// keep several pages outstanding.
///
/// ```
/// use std::time::Instant;
/// use doapi_core::{Config, Machine, Paginator, Token, endpoints::ListDroplets, find::Find};
///
/// let config = Config::new(Token::new("my-token")?);
/// let pages = Paginator::new(&config, ListDroplets::default());
/// let mut find = Find::new(pages, |d| d.name == "web-2");
/// assert!(find.poll_request().is_some());
/// let body = br#"{"droplets": [], "links": {}, "meta": {"total": 0}}"#;
/// find.handle_response(Instant::now(), http::Response::new(body.to_vec()));
/// assert!(find.poll_output().expect("an answer")?.is_none());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Find<L: List> {
    pages: Paginator<L>,
    pick: Pick<L::Item>,
    out: Option<Result<Option<L::Item>, Error>>,
    ended: bool,
}

impl<L: List> fmt::Debug for Find<L>
where
    L: fmt::Debug,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Find")
            .field("listing", self.pages.endpoint())
            .field("ended", &self.ended)
            .finish_non_exhaustive()
    }
}

impl<L: List> Find<L> {
    /// The first item of `pages` that `pick` accepts.
    pub fn new(pages: Paginator<L>, pick: impl Fn(&L::Item) -> bool + Send + 'static) -> Self {
        Find {
            pages,
            pick: Box::new(pick),
            out: None,
            ended: false,
        }
    }

    fn end(&mut self, out: Result<Option<L::Item>, Error>) {
        self.ended = true;
        self.out = Some(out);
    }

    /// Reads the pages fetched so far.
    fn read(&mut self) {
        while !self.ended {
            match self.pages.poll_output() {
                Some(Ok(page)) => {
                    let found = page.value.items.into_iter().find(|i| (self.pick)(i));
                    if found.is_some() {
                        self.end(Ok(found));
                    }
                }
                Some(Err(e)) => self.end(Err(e)),
                None => {
                    if self.pages.is_finished() {
                        self.end(Ok(None));
                    }
                    return;
                }
            }
        }
    }
}

impl<L: List> Machine for Find<L> {
    type Output = Option<L::Item>;

    fn poll_request(&mut self) -> Option<Request<Vec<u8>>> {
        if self.ended {
            return None;
        }
        self.pages.poll_request()
    }

    fn handle_answer(&mut self, now: Instant, answer: Answer) {
        self.handle_tagged(now, None, answer);
    }

    fn handle_tagged(&mut self, now: Instant, tag: Option<Tag>, answer: Answer) {
        if !self.ended {
            self.pages.handle_tagged(now, tag, answer);
            self.read();
        }
    }

    fn poll_timeout(&self) -> Option<Instant> {
        if self.ended {
            return None;
        }
        self.pages.poll_timeout()
    }

    fn handle_timeout(&mut self, now: Instant) {
        if !self.ended {
            self.pages.handle_timeout(now);
            self.read();
        }
    }

    fn poll_output(&mut self) -> Option<Result<Self::Output, Error>> {
        self.read();
        self.out.take()
    }
}
