//! What every handler shares: the parsed request, the error shape, JSON
//! bodies, and the one pagination function every listing goes through.

use std::time::Instant;

use http::StatusCode;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

/// DigitalOcean's default page size.
pub(crate) const DEFAULT_PER_PAGE: usize = 20;
/// DigitalOcean's largest page size; larger requests get this.
pub(crate) const MAX_PER_PAGE: usize = 200;

/// A request as the handlers see it.
pub(crate) struct Ctx<'a> {
    /// The model's clock.
    pub now: Instant,
    /// `scheme://host[:port]` written into `links`.
    pub origin: &'a str,
    /// The path as received (still percent-encoded).
    pub path: &'a str,
    /// Query parameters, decoded.
    pub query: Vec<(String, String)>,
    /// Path parameters in order, decoded.
    pub params: Vec<String>,
    /// The request's headers.
    pub headers: &'a http::HeaderMap,
    /// The request body.
    pub body: &'a [u8],
}

impl Ctx<'_> {
    /// The first value of a query parameter.
    pub fn query(&self, key: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Path parameter `i` as text.
    pub fn param(&self, i: usize) -> &str {
        self.params.get(i).map(String::as_str).unwrap_or_default()
    }

    /// Path parameter `i` as a numeric id; anything else is not found.
    pub fn id(&self, i: usize) -> Result<u64, ApiError> {
        self.param(i).parse().map_err(|_| ApiError::not_found())
    }

    /// The JSON body as `T`: 400 when it is not JSON, 422 when it does not
    /// have the expected shape. A field that is `null` counts as absent, as
    /// DigitalOcean takes it (godo sends `"ssh_keys": null`, `"tags": null`).
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, ApiError> {
        let mut value: Value = if self.body.iter().all(u8::is_ascii_whitespace) {
            Value::Object(Default::default())
        } else {
            serde_json::from_slice(self.body)
                .map_err(|e| ApiError::bad_request(format!("error parsing request body: {e}")))?
        };
        drop_nulls(&mut value);
        serde_json::from_value(value).map_err(|e| ApiError::unprocessable(e.to_string()))
    }

    /// A request header as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// Removes the fields whose value is `null`, in objects at any depth.
fn drop_nulls(value: &mut Value) {
    match value {
        Value::Object(fields) => {
            fields.retain(|_, v| !v.is_null());
            fields.values_mut().for_each(drop_nulls);
        }
        Value::Array(items) => items.iter_mut().for_each(drop_nulls),
        _ => {}
    }
}

/// The resource, or 404.
pub(crate) fn found<T>(resource: Option<T>) -> Result<T, ApiError> {
    resource.ok_or_else(ApiError::not_found)
}

/// An error answer: a status (its `id` comes from [`error_id`]) and a
/// message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ApiError {
    pub status: StatusCode,
    pub message: String,
}

impl ApiError {
    /// The one error builder.
    pub fn new(status: u16, message: impl Into<String>) -> Self {
        ApiError {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            message: message.into(),
        }
    }
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(400, message)
    }
    pub fn not_found() -> Self {
        Self::new(404, "The resource you were accessing could not be found.")
    }
    pub fn unprocessable(message: impl Into<String>) -> Self {
        Self::new(422, message)
    }
}

/// DigitalOcean's error `id` for a status.
pub(crate) fn error_id(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "bad_request",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "not_found",
        405 => "method_not_allowed",
        409 => "conflict",
        412 => "precondition_failed",
        422 => "unprocessable_entity",
        429 => "too_many_requests",
        503 => "service_unavailable",
        500..=599 => "server_error",
        _ => "unexpected_error",
    }
}

/// The body of an error response.
pub(crate) fn error_body(status: StatusCode, message: &str, request_id: &str) -> Vec<u8> {
    #[derive(Serialize)]
    struct Body<'a> {
        id: &'a str,
        message: &'a str,
        request_id: &'a str,
    }
    serde_json::to_vec(&Body {
        id: error_id(status),
        message,
        request_id,
    })
    .unwrap_or_default()
}

/// A successful answer: status and JSON body (empty for 204).
#[derive(Debug)]
pub(crate) struct Answer {
    pub status: StatusCode,
    pub body: Vec<u8>,
}

/// What a handler returns.
pub(crate) type ApiResult = Result<Answer, ApiError>;

/// `204 No Content`.
pub(crate) fn no_content() -> ApiResult {
    empty(204)
}

/// A status with an empty body (`202 Accepted` for some deletes).
pub(crate) fn empty(status: u16) -> ApiResult {
    Ok(Answer {
        status: StatusCode::from_u16(status).unwrap_or(StatusCode::NO_CONTENT),
        body: Vec::new(),
    })
}

/// A body that is the value itself, not under a key.
pub(crate) fn whole(status: u16, value: &impl Serialize) -> ApiResult {
    let body = serde_json::to_vec(value).map_err(|e| ApiError::new(500, e.to_string()))?;
    Ok(Answer {
        status: StatusCode::from_u16(status).unwrap_or(StatusCode::OK),
        body,
    })
}

/// `{"<key>": value}`.
pub(crate) fn one(status: u16, key: &str, value: &impl Serialize) -> ApiResult {
    let mut obj = Object::new();
    obj.entry(key, value)?;
    obj.finish(status)
}

/// `{"<key>": value, "links": links}` (creates that link their actions).
pub(crate) fn one_with_links(
    status: u16,
    key: &str,
    value: &impl Serialize,
    links: &impl Serialize,
) -> ApiResult {
    let mut obj = Object::new();
    obj.entry(key, value)?;
    obj.entry("links", links)?;
    obj.finish(status)
}

/// One page of a listing, DigitalOcean style: `{"<key>": [...], "links":
/// {"pages": {...}}, "meta": {"total": N}}`. `page` and `per_page` come from
/// the query (defaults 1 and 20, `per_page` at most 200). The links are
/// absolute, carry `per_page` and the request's filters, and are left out
/// when there is no such page (`next` on the last page, `first`/`prev` on
/// the first; `links` is `{}` when everything fits one page).
pub(crate) fn page<T: Serialize>(ctx: &Ctx, key: &str, items: &[T]) -> ApiResult {
    page_with(ctx, key, items.len(), |range| &items[range])
}

/// [`page`] of a listing of `total` items, of which `items` gives those in
/// a range: only the page's items are ever looked at.
pub(crate) fn page_with<S: Serialize>(
    ctx: &Ctx,
    key: &str,
    total: usize,
    items: impl FnOnce(std::ops::Range<usize>) -> S,
) -> ApiResult {
    let number =
        |name: &str, default: usize| -> Result<usize, ApiError> {
            match ctx.query(name) {
                None => Ok(default),
                Some(v) => v.parse::<usize>().ok().filter(|n| *n >= 1).ok_or_else(|| {
                    ApiError::bad_request(format!("{name} must be a positive integer"))
                }),
            }
        };
    let page = number("page", 1)?;
    let per_page = number("per_page", DEFAULT_PER_PAGE)?.min(MAX_PER_PAGE);
    let last = total.div_ceil(per_page).max(1);
    let start = page.saturating_sub(1).saturating_mul(per_page).min(total);
    let end = start.saturating_add(per_page).min(total);

    let link = |n: usize| {
        let mut url = format!("{}{}?page={n}&per_page={per_page}", ctx.origin, ctx.path);
        for (k, v) in ctx
            .query
            .iter()
            .filter(|(k, _)| k != "page" && k != "per_page")
        {
            url.push('&');
            encode_into(&mut url, k);
            url.push('=');
            encode_into(&mut url, v);
        }
        url
    };
    let mut pages = serde_json::Map::new();
    if page > 1 {
        pages.insert("first".into(), link(1).into());
        pages.insert("prev".into(), link((page - 1).min(last)).into());
    }
    if page < last {
        pages.insert("last".into(), link(last).into());
        pages.insert("next".into(), link(page + 1).into());
    }
    let mut links = serde_json::Map::new();
    if !pages.is_empty() {
        links.insert("pages".into(), pages.into());
    }
    let mut obj = Object::new();
    obj.entry(key, &items(start..end))?;
    obj.entry("links", &links)?;
    obj.entry("meta", &serde_json::json!({ "total": total }))?;
    obj.finish(200)
}

/// Writes a JSON object whose keys are chosen at run time, straight into
/// the body.
struct Object {
    out: Vec<u8>,
}

impl Object {
    fn new() -> Self {
        Object {
            out: Vec::with_capacity(1024),
        }
    }

    fn entry<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<(), ApiError> {
        self.out.push(if self.out.is_empty() { b'{' } else { b',' });
        let internal = |e: serde_json::Error| ApiError::new(500, e.to_string());
        serde_json::to_writer(&mut self.out, key).map_err(internal)?;
        self.out.push(b':');
        serde_json::to_writer(&mut self.out, value).map_err(internal)
    }

    fn finish(mut self, status: u16) -> ApiResult {
        if self.out.is_empty() {
            self.out.push(b'{');
        }
        self.out.push(b'}');
        Ok(Answer {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::OK),
            body: self.out,
        })
    }
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
pub(crate) fn encode_into(out: &mut String, s: &str) {
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 15)]));
        }
    }
}

const HEX: &[u8; 16] = b"0123456789ABCDEF";

/// Decodes `%XX` escapes (and `+` as a space when `plus` is set); invalid
/// escapes are kept as they are.
pub(crate) fn decode(s: &str, plus: bool) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let hex = |c: u8| (c as char).to_digit(16);
        if b == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(if plus && b == b'+' { b' ' } else { b });
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Splits and decodes a query string.
pub(crate) fn parse_query(q: &str) -> Vec<(String, String)> {
    q.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k, true), decode(v, true))
        })
        .collect()
}
