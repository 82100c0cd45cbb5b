//! A whole offline world for an adapter's transport: [`OfflineTransport`].

use std::fmt;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use doapi_sim::{Delivery, Sim, SimConfig};
use http::{Request, Response};

use crate::error::{TransportError, TransportErrorKind};
use crate::machine::Answer;
use crate::testing::clock::FakeClock;
use crate::testing::replay::{Replay, ReplayError};

/// The answer of an offline responder: the answer and how much virtual time
/// it takes.
pub type Timed = (Answer, Duration);

/// A function answering a request at a virtual time.
pub type RespondFn = Box<dyn FnMut(&Request<Vec<u8>>, Instant) -> Timed + Send>;

/// A transport with no sockets and no sleeping: an in-process simulator, a
/// replay of recorded exchanges or any function answers, and time is
/// virtual (a wait of an hour takes no time). Sending advances the clock by
/// the answer's latency; sleeping jumps it. Both adapters take it as their
/// transport (feature `testing`), so a user's test runs the real client
/// without sockets and without sleeping.
pub struct OfflineTransport {
    world: Mutex<World>,
}

struct World {
    clock: FakeClock,
    responder: Responder,
}

enum Responder {
    Replay(Replay),
    Fn(RespondFn),
}

impl fmt::Debug for OfflineTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let world = self.lock();
        let kind = match &world.responder {
            Responder::Replay(r) => format!("Replay({} left)", r.remaining()),
            Responder::Fn(_) => "Fn".to_owned(),
        };
        f.debug_struct("OfflineTransport")
            .field("clock", &world.clock)
            .field("responder", &kind)
            .finish()
    }
}

impl OfflineTransport {
    /// Answers from an in-process [`Sim`] built from `config`.
    pub fn simulator(config: SimConfig) -> Self {
        let clock = FakeClock::new();
        let mut sim = Sim::new(config, clock.now());
        OfflineTransport::with_clock(
            clock,
            Responder::Fn(Box::new(move |req, now| {
                let served = sim.handle(req, now);
                let answer = match served.delivery {
                    Delivery::Whole => Ok(served.response),
                    // Dropped or cut short after the request arrived.
                    _ => Err(TransportError::new(
                        TransportErrorKind::Io,
                        "the simulator dropped the connection",
                    )),
                };
                (answer, served.delay)
            })),
        )
    }

    /// Answers from recorded exchanges. A request that is not the next one
    /// recorded fails the test at once (panics, naming the request); see
    /// [`OfflineTransport::finish`] for the ones never sent.
    pub fn replay(replay: Replay) -> Self {
        OfflineTransport::with_clock(FakeClock::new(), Responder::Replay(replay))
    }

    /// Answers from a cassette's text (see
    /// [`Replay::from_cassette`]), such as a file a recorder wrote.
    pub fn from_cassette(text: &str) -> Result<Self, ReplayError> {
        Ok(OfflineTransport::replay(Replay::from_cassette(text)?))
    }

    /// Answers with a function of the request and the virtual time.
    pub fn new(respond: impl FnMut(&Request<Vec<u8>>, Instant) -> Timed + Send + 'static) -> Self {
        OfflineTransport::with_clock(FakeClock::new(), Responder::Fn(Box::new(respond)))
    }

    fn with_clock(clock: FakeClock, responder: Responder) -> Self {
        OfflineTransport {
            world: Mutex::new(World { clock, responder }),
        }
    }

    fn lock(&self) -> MutexGuard<'_, World> {
        // A poisoned lock only means a test already panicked.
        self.world.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Answers a request, advancing the clock by its latency.
    #[allow(clippy::panic)]
    pub fn send(&self, req: Request<Vec<u8>>) -> Result<Response<Vec<u8>>, TransportError> {
        let mut world = self.lock();
        let now = world.clock.now();
        let (answer, latency) = match &mut world.responder {
            Responder::Fn(f) => f(&req, now),
            Responder::Replay(r) => match r.answer(req) {
                Ok(timed) => timed,
                // A test double: a request nobody recorded fails the test.
                Err(e) => panic!("offline replay: {e}"),
            },
        };
        world.clock.advance(latency);
        answer
    }

    /// The virtual time.
    pub fn now(&self) -> Instant {
        self.lock().clock.now()
    }

    /// Virtual time passed since the start.
    pub fn elapsed(&self) -> Duration {
        self.lock().clock.elapsed()
    }

    /// Jumps the clock to `at` (a sleep that takes no time).
    pub fn sleep_until(&self, at: Instant) {
        self.lock().clock.jump_to(at);
    }

    /// For a replay, fails if some recorded exchanges were never sent.
    pub fn finish(&self) -> Result<(), ReplayError> {
        match &self.lock().responder {
            Responder::Replay(r) => r.finish(),
            Responder::Fn(_) => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::cassette::Recording;
    use crate::testing::replay::Exchange;
    use http::Response;

    #[test]
    fn a_recorded_exchange_replays_without_the_token() {
        let req = Request::post("https://api.test/v2/droplets")
            .header("authorization", "Bearer secret-token")
            .body(br#"{"name":"web-1"}"#.to_vec())
            .unwrap();
        let resp = Response::builder()
            .status(202)
            .header("ratelimit-remaining", "4999")
            .body(br#"{"droplet":{"id":1}}"#.to_vec())
            .unwrap();
        let start = FakeClock::new();
        let recording = Recording::start(&req, start.now());
        let line = recording.line(&Ok(resp), start.now() + Duration::from_millis(12));
        assert!(!line.contains("secret-token"), "{line}");
        let failed = Exchange::recorded(&req, Err(TransportErrorKind::Timeout), Duration::ZERO);
        let cassette = format!("{line}\n\n{}\n", failed.to_json_line());

        let offline = OfflineTransport::from_cassette(&cassette).unwrap();
        let start = offline.now();
        let again = Request::post("https://api.test/v2/droplets")
            .body(br#"{ "name": "web-1" }"#.to_vec())
            .unwrap();
        let answer = offline.send(again.clone()).unwrap();
        assert_eq!(answer.status(), 202);
        assert_eq!(answer.headers()["ratelimit-remaining"], "4999");
        assert_eq!(answer.body(), br#"{"droplet":{"id":1}}"#);
        assert_eq!(offline.now() - start, Duration::from_millis(12));
        assert!(offline.finish().is_err());
        assert_eq!(
            offline.send(again).unwrap_err().kind,
            TransportErrorKind::Timeout
        );
        assert!(offline.finish().is_ok());
        assert!(Replay::from_cassette("{not json").is_err());
    }
}
