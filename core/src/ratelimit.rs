//! Rate-limit headers and other per-response facts.

use chrono::{DateTime, Utc};
use http::{HeaderMap, StatusCode};

/// The rate limit reported by one response (doapi's `last_rate_limit`),
/// from the `ratelimit-limit`, `ratelimit-remaining` and `ratelimit-reset`
/// headers.
///
/// DigitalOcean enforces both an hourly and a per-minute limit; these headers
/// describe whichever is closer to running out, so `remaining` can reach zero
/// while the hourly budget still has room.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RateLimit {
    /// Requests allowed in the window.
    pub limit: u64,
    /// Requests left in the window.
    pub remaining: u64,
    /// When the window resets, in seconds since the Unix epoch.
    pub reset: u64,
}

impl RateLimit {
    /// Reads the three headers; `None` unless all three are present and
    /// numeric.
    pub fn from_headers(headers: &HeaderMap) -> Option<Self> {
        Some(RateLimit {
            limit: header_u64(headers, "ratelimit-limit")?,
            remaining: header_u64(headers, "ratelimit-remaining")?,
            reset: header_u64(headers, "ratelimit-reset")?,
        })
    }

    /// The reset time as a date.
    pub fn reset_at(&self) -> Option<DateTime<Utc>> {
        i64::try_from(self.reset)
            .ok()
            .and_then(|s| DateTime::from_timestamp(s, 0))
    }
}

fn header_u64(headers: &HeaderMap, name: &str) -> Option<u64> {
    headers.get(name)?.to_str().ok()?.trim().parse().ok()
}

/// What every response tells besides its body: status, rate limit, request
/// id and server date. Errors carry it too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseInfo {
    /// The HTTP status.
    pub status: StatusCode,
    /// The rate limit the response reported, if it did.
    pub rate_limit: Option<RateLimit>,
    /// The `x-request-id` header.
    pub request_id: Option<String>,
    /// The `Date` header.
    pub date: Option<DateTime<Utc>>,
}

impl ResponseInfo {
    /// Reads the facts from a response's status and headers.
    pub fn new(status: StatusCode, headers: &HeaderMap) -> Self {
        ResponseInfo {
            status,
            rate_limit: RateLimit::from_headers(headers),
            request_id: headers
                .get("x-request-id")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
            date: headers
                .get(http::header::DATE)
                .and_then(|v| v.to_str().ok())
                .and_then(parse_http_date),
        }
    }
}

/// What the last responses said, shared by a client and its clones across
/// threads: doapi's `last_rate_limit`, `last_response` and `last_meta`.
#[derive(Debug, Default)]
pub struct LastSeen {
    info: std::sync::Mutex<Option<ResponseInfo>>,
    meta: std::sync::Mutex<Option<crate::models::Meta>>,
}

fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // The guarded values are plain data: a panic elsewhere cannot leave
    // them half-written.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl LastSeen {
    /// Remembers a response's status, rate limit, request id and date.
    pub fn record_response(&self, info: ResponseInfo) {
        *lock(&self.info) = Some(info);
    }

    /// Remembers a page's `meta`.
    pub fn record_meta(&self, meta: Option<crate::models::Meta>) {
        *lock(&self.meta) = meta;
    }

    /// The last response's facts.
    pub fn response(&self) -> Option<ResponseInfo> {
        lock(&self.info).clone()
    }

    /// The last response's rate limit.
    pub fn rate_limit(&self) -> Option<RateLimit> {
        lock(&self.info).as_ref()?.rate_limit
    }

    /// The last page's `meta`.
    pub fn meta(&self) -> Option<crate::models::Meta> {
        lock(&self.meta).clone()
    }
}

/// Parses an HTTP date (`Sun, 06 Nov 1994 08:49:37 GMT`).
pub fn parse_http_date(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc2822(s.trim())
        .ok()
        .map(|d| d.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_three_headers() {
        let mut h = HeaderMap::new();
        h.insert("ratelimit-limit", "5000".parse().unwrap());
        h.insert("ratelimit-remaining", "4816".parse().unwrap());
        assert_eq!(RateLimit::from_headers(&h), None);
        h.insert("ratelimit-reset", "1444931833".parse().unwrap());
        let rl = RateLimit::from_headers(&h).unwrap();
        assert_eq!((rl.limit, rl.remaining, rl.reset), (5000, 4816, 1444931833));
        assert_eq!(
            rl.reset_at().unwrap().to_rfc3339(),
            "2015-10-15T17:57:13+00:00"
        );
        h.insert("ratelimit-remaining", "lots".parse().unwrap());
        assert_eq!(RateLimit::from_headers(&h), None);
    }

    #[test]
    fn parses_http_dates() {
        let d = parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
        assert_eq!(d.timestamp(), 784111777);
        assert_eq!(parse_http_date("yesterday"), None);
    }
}
