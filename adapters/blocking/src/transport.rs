//! How requests travel: the [`Transport`] trait and the real one, over ureq.

use std::fmt;
use std::io::ErrorKind::{AddrNotAvailable, ConnectionRefused as Refused};
use std::time::{Duration, Instant};

use doapi_core::http::{Request, Response, Uri};
use doapi_core::{Limits, TransportError, TransportErrorKind};

/// Moves requests and tells the time: the only I/O the client does.
///
/// [`UreqTransport`] is the real one. With the `testing` feature,
/// [`OfflineTransport`](crate::OfflineTransport) answers from the
/// in-process simulator or a cassette on a virtual clock, and
/// [`Recorder`](crate::Recorder) keeps real exchanges as a cassette.
pub trait Transport: Send + Sync + fmt::Debug {
    /// Sends one request and reads the whole response, whatever its status.
    fn send(&self, request: Request<Vec<u8>>) -> Result<Response<Vec<u8>>, TransportError>;

    /// The current time of this transport's clock.
    fn now(&self) -> Instant {
        Instant::now()
    }

    /// Sleeps until `at`, or until `interrupted()` turns true (checked at
    /// least every 50 ms). Returns `false` if interrupted.
    fn sleep_until(&self, at: Instant, interrupted: &dyn Fn() -> bool) -> bool {
        const SLICE: Duration = Duration::from_millis(50);
        loop {
            if interrupted() {
                return false;
            }
            let left = at.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return true;
            }
            std::thread::sleep(left.min(SLICE));
        }
    }
}

impl<T: Transport + 'static> From<T> for Box<dyn Transport> {
    fn from(transport: T) -> Self {
        Box::new(transport)
    }
}

/// The real transport: a ureq agent (rustls, keep-alive), statuses passed
/// through as responses so error bodies reach the core.
pub struct UreqTransport {
    agent: ureq::Agent,
    limits: Limits,
}

impl fmt::Debug for UreqTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UreqTransport")
            .field("limits", &self.limits)
            .finish()
    }
}

impl UreqTransport {
    /// A transport with these limits: connecting (name resolution and TLS
    /// included) within `connect_timeout`, each read and write within
    /// `read_timeout`, and the whole attempt, from connecting to the last
    /// byte of the body, within `request_timeout`.
    pub fn new(limits: Limits) -> Self {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_resolve(Some(limits.connect_timeout))
            .timeout_connect(Some(limits.connect_timeout))
            .timeout_per_read(Some(limits.read_timeout))
            .timeout_per_write(Some(limits.read_timeout))
            .timeout_global(Some(limits.request_timeout))
            .build()
            .new_agent();
        UreqTransport { agent, limits }
    }
}

impl Transport for UreqTransport {
    fn send(&self, request: Request<Vec<u8>>) -> Result<Response<Vec<u8>>, TransportError> {
        let url = request.uri().clone();
        let failed = |e| classify(&url, e);
        let response = self.agent.run(request).map_err(failed)?;
        self.limits.check_length(&url, response.headers())?;
        let (parts, mut body) = response.into_parts();
        let bytes = body
            .with_config()
            .limit(self.limits.max_body)
            .read_to_vec()
            .map_err(failed)?;
        Ok(Response::from_parts(parts, bytes))
    }
}

/// Sorts ureq's errors by whether the request may have been sent and
/// whether the answer was HTTP at all; the message names the host and
/// says what ureq said.
fn classify(url: &Uri, e: ureq::Error) -> TransportError {
    use ureq::Timeout as T;
    let kind = match &e {
        ureq::Error::HostNotFound | ureq::Error::ConnectionFailed | ureq::Error::Tls(_) => {
            TransportErrorKind::Connect
        }
        ureq::Error::Timeout(T::Resolve | T::Connect) => TransportErrorKind::Connect,
        ureq::Error::Timeout(_) => TransportErrorKind::Timeout,
        ureq::Error::Io(io) if matches!(io.kind(), Refused | AddrNotAvailable) => {
            TransportErrorKind::Connect
        }
        ureq::Error::Protocol(_) | ureq::Error::LargeResponseHeader(..) | ureq::Error::Http(_) => {
            TransportErrorKind::Protocol
        }
        ureq::Error::BodyExceedsLimit(_) => TransportErrorKind::TooLarge,
        _ => TransportErrorKind::Io,
    };
    TransportError::caused_by(kind, url, &e)
}

/// A shared transport: a test can keep a handle on the transport it gives
/// the client (to read an offline transport's virtual time, say).
impl<T: Transport + ?Sized> Transport for std::sync::Arc<T> {
    fn send(&self, request: Request<Vec<u8>>) -> Result<Response<Vec<u8>>, TransportError> {
        (**self).send(request)
    }
    fn now(&self) -> Instant {
        (**self).now()
    }
    fn sleep_until(&self, at: Instant, interrupted: &dyn Fn() -> bool) -> bool {
        (**self).sleep_until(at, interrupted)
    }
}

#[cfg(feature = "testing")]
impl Transport for crate::OfflineTransport {
    fn send(&self, request: Request<Vec<u8>>) -> Result<Response<Vec<u8>>, TransportError> {
        crate::OfflineTransport::send(self, request)
    }
    fn now(&self) -> Instant {
        crate::OfflineTransport::now(self)
    }
    fn sleep_until(&self, at: Instant, interrupted: &dyn Fn() -> bool) -> bool {
        if interrupted() {
            return false;
        }
        crate::OfflineTransport::sleep_until(self, at);
        true
    }
}

#[cfg(feature = "testing")]
impl<T: Transport> Transport for crate::Recorder<T> {
    fn send(&self, request: Request<Vec<u8>>) -> Result<Response<Vec<u8>>, TransportError> {
        let recording = doapi_core::testing::Recording::start(&request, self.inner().now());
        let result = self.inner().send(request);
        self.keep(recording, &result, self.inner().now());
        result
    }
    fn now(&self) -> Instant {
        self.inner().now()
    }
    fn sleep_until(&self, at: Instant, interrupted: &dyn Fn() -> bool) -> bool {
        self.inner().sleep_until(at, interrupted)
    }
}
