model! {
    /// The `links` object of a list response.
    pub struct Links {
        required {}
        optional {
            /// Links to the other pages of the listing.
            pages: PageLinks = "pages",
        }
    }
}

model! {
    /// `links.pages`: absolute URLs of the neighbouring pages.
    ///
    /// DigitalOcean leaves a key out rather than sending `null`: on the last
    /// page `next` is absent.
    pub struct PageLinks {
        required {}
        optional {
            /// The first page.
            first: String = "first",
            /// The previous page.
            prev: String = "prev",
            /// The next page; absent on the last one.
            next: String = "next",
            /// The last page.
            last: String = "last",
        }
    }
}

model! {
    /// The `meta` object of a list response (doapi's `last_meta`).
    pub struct Meta {
        required {}
        optional {
            /// The number of items in the whole listing, over all pages.
            /// Signed, as the spec gives it no minimum (a negative total
            /// decodes; [`Page::total`](crate::Page::total) ignores it).
            total: i64 = "total",
        }
    }
}

model! {
    /// The body of an error response: `{"id", "message", "request_id"?}`.
    pub struct ErrorBody {
        required {
            /// DigitalOcean's error id, such as `not_found` or `too_many_requests`.
            id: String = "id",
            /// A human-readable message.
            message: String = "message",
        }
        optional {
            /// The request id, for DigitalOcean's support.
            request_id: String = "request_id",
        }
    }
}
