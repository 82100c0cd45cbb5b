//! What the operations of this module share: the `endpoint!` macro for
//! simple operations, and small checks and encoders.

use serde::Serialize;
use serde_json::Value;

use crate::error::RequestError;

/// Declares simple operations: a struct of path parameters, a method, a
/// path template, and how the response decodes (`one T "key"`,
/// `page T "key"` or `empty`).
macro_rules! endpoint {
    ($(
        $(#[$m:meta])*
        $name:ident { $( $(#[$fm:meta])* $f:ident : $ft:ty ),* $(,)? }
        $method:ident $path:literal => $kind:ident $( $out:ty, $key:literal )?;
    )*) => { $(
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq)]
        pub struct $name { $( $(#[$fm])* pub $f: $ft, )* }

        impl $crate::endpoint::Endpoint for $name {
            type Output = endpoint!(@out $kind $($out)?);
            fn method(&self) -> ::http::Method {
                ::http::Method::$method
            }
            fn path(&self) -> String {
                $( let $f = $crate::endpoint::PathSegment::segment(&self.$f); )*
                format!($path)
            }
            fn decode(&self, body: &[u8]) -> Result<Self::Output, $crate::error::DecodeError> {
                endpoint!(@decode $kind body $($key)?)
            }
        }
        endpoint!(@list $kind $name $($out)?);
    )* };
    (@out one $out:ty) => { $out };
    (@out page $out:ty) => { $crate::endpoint::decode::Page<$out> };
    (@out empty) => { () };
    (@decode one $body:ident $key:literal) => { $crate::endpoint::decode::one($body, $key) };
    (@decode page $body:ident $key:literal) => { $crate::endpoint::decode::page($body, $key) };
    (@decode empty $body:ident) => { $crate::endpoint::decode::empty($body) };
    (@list page $name:ident $out:ty) => {
        impl $crate::endpoint::List for $name { type Item = $out; }
    };
    (@list $kind:ident $name:ident $($out:ty)?) => {};
}

/// Refuses an empty string.
pub fn non_empty(what: &'static str, s: &str) -> Result<(), RequestError> {
    if s.trim().is_empty() {
        Err(RequestError::Empty { what })
    } else {
        Ok(())
    }
}

/// Serializes a body struct to JSON.
pub fn json<T: Serialize>(body: &T) -> Option<Value> {
    serde_json::to_value(body).ok()
}

/// The `tag_name` query of operations that filter or act by tag.
pub fn tag_query(tag: Option<&str>) -> Vec<(String, String)> {
    tag.map(|t| vec![("tag_name".to_owned(), t.to_owned())])
        .unwrap_or_default()
}
