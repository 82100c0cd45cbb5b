//! URLs: the origin the token is pinned to, percent-encoding, query
//! strings.

use std::net::IpAddr;

use http::Uri;

/// Scheme, host and port: what the token is pinned to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Origin {
    pub scheme: String,
    pub host: String,
    pub port: u16,
}

impl Origin {
    /// The origin of an absolute `http` or `https` URL.
    pub fn of(uri: &Uri) -> Option<Origin> {
        let scheme = uri.scheme_str()?.to_ascii_lowercase();
        let default_port = match scheme.as_str() {
            "https" => 443,
            "http" => 80,
            _ => return None,
        };
        let auth = uri.authority()?;
        Some(Origin {
            host: auth.host().to_ascii_lowercase(),
            port: auth.port_u16().unwrap_or(default_port),
            scheme,
        })
    }

    /// The origin of a URL given as text.
    pub fn parse(url: &str) -> Option<Origin> {
        Origin::of(&url.parse::<Uri>().ok()?)
    }

    /// Whether the host is `localhost` or a loopback address.
    pub fn is_loopback(&self) -> bool {
        let host = self.host.trim_start_matches('[').trim_end_matches(']');
        host == "localhost" || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
    }
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
pub fn encode_into(out: &mut String, s: &str) {
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
}

/// A path segment, percent-encoded.
pub fn segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    encode_into(&mut out, s);
    out
}

/// Appends `?k=v&...` (or `&k=v...` after an existing query),
/// percent-encoded, to a URL.
pub fn append_query(url: &mut String, query: &[(String, String)]) {
    for (i, (k, v)) in query.iter().enumerate() {
        url.push(if i == 0 && !url.contains('?') {
            '?'
        } else {
            '&'
        });
        encode_into(url, k);
        url.push('=');
        encode_into(url, v);
    }
}

/// Whether the query of `path_or_url` (after `?`) has the key `key`.
pub fn query_has(path_or_url: &str, key: &str) -> bool {
    query_value(path_or_url, key).is_some()
}

/// The value of `key` in the query of `path_or_url`, as written.
pub fn query_value<'a>(path_or_url: &'a str, key: &str) -> Option<&'a str> {
    let (_, query) = path_or_url.split_once('?')?;
    query.split('&').find_map(|kv| {
        let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
        (k == key).then_some(v)
    })
}

/// `url` cut around the value of `key` in its query: what comes before the
/// value, the value, and what comes after it; `None` unless the key is
/// there exactly once.
pub fn around_query_value<'a>(url: &'a str, key: &str) -> Option<(&'a str, &'a str, &'a str)> {
    let (_, query) = url.split_once('?')?;
    let query_start = url.len() - query.len();
    let mut found = None;
    let mut at = query_start;
    for kv in query.split('&') {
        let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
        if k == key {
            if found.is_some() {
                return None;
            }
            let start = at + k.len() + usize::from(kv.len() > k.len());
            found = Some((start, start + v.len()));
        }
        at += kv.len() + 1;
    }
    let (start, end) = found?;
    Some((&url[..start], &url[start..end], &url[end..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_is_encoded() {
        let mut url = "https://h/p".to_owned();
        append_query(&mut url, &[("tag_name".into(), "env:prod & x".into())]);
        assert_eq!(url, "https://h/p?tag_name=env%3Aprod%20%26%20x");
        append_query(&mut url, &[("page".into(), "2".into())]);
        assert!(url.ends_with("&page=2"));
        assert_eq!(query_value(&url, "page"), Some("2"));
        assert!(!query_has("/v2/droplets", "page"));
        let next = "https://h/v2/droplets?page=2&per_page=200";
        assert_eq!(
            around_query_value(next, "page"),
            Some(("https://h/v2/droplets?page=", "2", "&per_page=200"))
        );
        let last = "https://h/v2/droplets?per_page=200&page=10";
        assert_eq!(
            around_query_value(last, "page"),
            Some(("https://h/v2/droplets?per_page=200&page=", "10", ""))
        );
        assert_eq!(
            around_query_value("https://h/p?page=1&page=2", "page"),
            None
        );
        assert_eq!(around_query_value("https://h/p?per_page=2", "page"), None);
    }

    #[test]
    fn origins() {
        let o = Origin::parse("https://API.example.test/v2").unwrap();
        assert_eq!((o.host.as_str(), o.port), ("api.example.test", 443));
        assert!(Origin::parse("ftp://x").is_none());
        assert!(Origin::parse("http://[::1]:9").unwrap().is_loopback());
        assert!(!Origin::parse("http://10.0.0.1").unwrap().is_loopback());
    }
}
