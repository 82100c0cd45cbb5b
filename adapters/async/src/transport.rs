//! How requests travel: the [`Transport`] trait and the real one, over
//! reqwest.

use std::fmt;
use std::io::ErrorKind::{InvalidData, InvalidInput};
use std::time::Instant;

use doapi_core::http::{Request, Response, Uri};
use doapi_core::{Limits, TransportError, TransportErrorKind};
use futures::future::BoxFuture;
#[cfg(feature = "testing")]
use futures::future::{self, FutureExt};

/// Moves requests and tells the time: the only I/O the client does.
///
/// [`ReqwestTransport`] is the real one. With the `testing` feature,
/// [`OfflineTransport`](crate::OfflineTransport) answers from the
/// in-process simulator or a cassette on a virtual clock, and
/// [`Recorder`](crate::Recorder) keeps real exchanges as a cassette.
pub trait Transport: Send + Sync + fmt::Debug {
    /// Sends one request and reads the whole response, whatever its status.
    fn send(
        &self,
        request: Request<Vec<u8>>,
    ) -> BoxFuture<'_, Result<Response<Vec<u8>>, TransportError>>;

    /// The current time of this transport's clock.
    fn now(&self) -> Instant {
        Instant::now()
    }

    /// Sleeps until `at`.
    fn sleep_until(&self, at: Instant) -> BoxFuture<'_, ()> {
        Box::pin(tokio::time::sleep_until(at.into()))
    }
}

impl<T: Transport + 'static> From<T> for Box<dyn Transport> {
    fn from(transport: T) -> Self {
        Box::new(transport)
    }
}

/// The real transport: a reqwest client (rustls with ring, keep-alive, no
/// redirects).
#[derive(Debug, Clone)]
pub struct ReqwestTransport {
    client: reqwest::Client,
    limits: Limits,
}

impl ReqwestTransport {
    /// A transport with these limits. Installs rustls's ring provider as
    /// the process default if no provider is installed yet.
    pub fn new(limits: Limits) -> Result<Self, TransportError> {
        // Fails only when a provider is already installed, which is fine.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::builder()
            .connect_timeout(limits.connect_timeout)
            .read_timeout(limits.read_timeout)
            .timeout(limits.request_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .tcp_nodelay(true)
            .build()
            .map_err(|e| {
                let message = format!("cannot build the HTTP client: {e}");
                TransportError::new(TransportErrorKind::Connect, message)
            })?;
        Ok(ReqwestTransport { client, limits })
    }

    async fn fetch(&self, request: Request<Vec<u8>>) -> Result<Response<Vec<u8>>, TransportError> {
        let url = request.uri().clone();
        let failed = |e| classify(&url, e);
        let request = reqwest::Request::try_from(request).map_err(failed)?;
        let mut response = self.client.execute(request).await.map_err(failed)?;
        self.limits.check_length(&url, response.headers())?;
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(failed)? {
            if (body.len() + chunk.len()) as u64 > self.limits.max_body {
                return Err(self.limits.too_large(&url, None));
            }
            body.extend_from_slice(&chunk);
        }
        let mut out = Response::new(body);
        *out.status_mut() = response.status();
        *out.headers_mut() = response.headers().clone();
        Ok(out)
    }
}

impl Transport for ReqwestTransport {
    fn send(
        &self,
        request: Request<Vec<u8>>,
    ) -> BoxFuture<'_, Result<Response<Vec<u8>>, TransportError>> {
        Box::pin(self.fetch(request))
    }
}

/// Sorts reqwest's errors by whether the request may have been sent and
/// whether the answer was HTTP at all (hyper's parse errors, found among
/// the causes); the message names the host and says what reqwest and its
/// causes said.
fn classify(url: &Uri, e: reqwest::Error) -> TransportError {
    let kind = if e.is_connect() {
        TransportErrorKind::Connect
    } else if e.is_timeout() {
        TransportErrorKind::Timeout
    } else if is_protocol(&e) {
        TransportErrorKind::Protocol
    } else {
        TransportErrorKind::Io
    };
    TransportError::caused_by(kind, url, &e)
}

/// Whether one of the causes is hyper saying the answer is not HTTP it can
/// read: a bad status line or header, headers too large (a parse error), a
/// bad chunk (its body decoder's invalid input or data; a body cut short is
/// an unexpected end instead).
fn is_protocol(e: &reqwest::Error) -> bool {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(c) = cause {
        if let Some(h) = c.downcast_ref::<hyper::Error>() {
            if h.is_parse() {
                return true;
            }
        }
        if let Some(io) = c.downcast_ref::<std::io::Error>() {
            if matches!(io.kind(), InvalidData | InvalidInput) {
                return true;
            }
        }
        cause = c.source();
    }
    false
}

/// A shared transport: a test can keep a handle on the transport it gives
/// the client (to read an offline transport's virtual time, say).
impl<T: Transport + ?Sized> Transport for std::sync::Arc<T> {
    fn send(
        &self,
        request: Request<Vec<u8>>,
    ) -> BoxFuture<'_, Result<Response<Vec<u8>>, TransportError>> {
        (**self).send(request)
    }
    fn now(&self) -> Instant {
        (**self).now()
    }
    fn sleep_until(&self, at: Instant) -> BoxFuture<'_, ()> {
        (**self).sleep_until(at)
    }
}

#[cfg(feature = "testing")]
impl Transport for crate::OfflineTransport {
    fn send(
        &self,
        request: Request<Vec<u8>>,
    ) -> BoxFuture<'_, Result<Response<Vec<u8>>, TransportError>> {
        future::ready(crate::OfflineTransport::send(self, request)).boxed()
    }
    fn now(&self) -> Instant {
        crate::OfflineTransport::now(self)
    }
    fn sleep_until(&self, at: Instant) -> BoxFuture<'_, ()> {
        // The clock jumps when the sleep is awaited, not when it is made: a
        // driver racing it against an answer may drop it unawaited.
        async move { crate::OfflineTransport::sleep_until(self, at) }.boxed()
    }
}

#[cfg(feature = "testing")]
impl<T: Transport> Transport for crate::Recorder<T> {
    fn send(
        &self,
        request: Request<Vec<u8>>,
    ) -> BoxFuture<'_, Result<Response<Vec<u8>>, TransportError>> {
        let recording = doapi_core::testing::Recording::start(&request, self.inner().now());
        async move {
            let result = self.inner().send(request).await;
            self.keep(recording, &result, self.inner().now());
            result
        }
        .boxed()
    }
    fn now(&self) -> Instant {
        self.inner().now()
    }
    fn sleep_until(&self, at: Instant) -> BoxFuture<'_, ()> {
        self.inner().sleep_until(at)
    }
}
