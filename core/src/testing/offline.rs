//! A whole offline world for an adapter's transport.

use std::fmt;
use std::time::{Duration, Instant};

use http::Request;

use crate::machine::Answer;
use crate::testing::clock::FakeClock;
use crate::testing::replay::{Replay, ReplayError};

/// The answer of an offline responder: the answer and how much virtual time
/// it takes.
pub type Timed = (Answer, Duration);

/// A whole offline world for an adapter's transport: a [`FakeClock`] and a
/// responder, such as a [`Replay`] or an in-process simulator. Sending
/// advances the clock by the answer's latency; sleeping jumps the clock.
/// Adapters wrap it in their transport trait, so a user's test runs the
/// real client without sockets and without sleeping.
pub struct Offline {
    clock: FakeClock,
    responder: Responder,
}

/// A function answering a request at a virtual time.
pub type RespondFn = Box<dyn FnMut(&Request<Vec<u8>>, Instant) -> Timed + Send>;

enum Responder {
    Replay(Replay),
    Fn(RespondFn),
}

impl fmt::Debug for Offline {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match &self.responder {
            Responder::Replay(r) => format!("Replay({} left)", r.remaining()),
            Responder::Fn(_) => "Fn".to_owned(),
        };
        f.debug_struct("Offline")
            .field("clock", &self.clock)
            .field("responder", &kind)
            .finish()
    }
}

impl Offline {
    /// Answers from recorded exchanges. A request that is not the next one
    /// recorded fails the test at once (panics, naming the request); see
    /// [`Offline::finish`] for the ones never sent.
    pub fn replay(replay: Replay) -> Self {
        Offline {
            clock: FakeClock::new(),
            responder: Responder::Replay(replay),
        }
    }

    /// Answers with a function of the request and the virtual time, such as
    /// a simulator's `handle`.
    pub fn new(respond: impl FnMut(&Request<Vec<u8>>, Instant) -> Timed + Send + 'static) -> Self {
        Offline {
            clock: FakeClock::new(),
            responder: Responder::Fn(Box::new(respond)),
        }
    }

    /// The same world starting at another virtual time (for a simulator
    /// created at that time).
    pub fn starting_at(mut self, origin: Instant) -> Self {
        self.clock = FakeClock::starting_at(origin);
        self
    }

    /// Answers a request, advancing the clock by its latency.
    #[allow(clippy::panic)]
    pub fn send(&mut self, req: Request<Vec<u8>>) -> Answer {
        let now = self.clock.now();
        let (answer, latency) = match &mut self.responder {
            Responder::Fn(f) => f(&req, now),
            Responder::Replay(r) => match r.answer(req) {
                Ok(timed) => timed,
                // A test double: a request nobody recorded fails the test.
                Err(e) => panic!("offline replay: {e}"),
            },
        };
        self.clock.advance(latency);
        answer
    }

    /// The virtual time.
    pub fn now(&self) -> Instant {
        self.clock.now()
    }

    /// Virtual time passed since the start.
    pub fn elapsed(&self) -> Duration {
        self.clock.elapsed()
    }

    /// Jumps the clock to `at` (a sleep that takes no time).
    pub fn sleep_until(&mut self, at: Instant) {
        self.clock.jump_to(at);
    }

    /// For a replay, fails if some recorded exchanges were never sent.
    pub fn finish(&self) -> Result<(), ReplayError> {
        match &self.responder {
            Responder::Replay(r) => r.finish(),
            Responder::Fn(_) => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::TransportErrorKind;
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

        let mut offline = Offline::replay(Replay::from_cassette(&cassette).unwrap());
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
            offline.send(again).unwrap_err(),
            TransportErrorKind::Timeout
        );
        assert!(offline.finish().is_ok());
        assert!(Replay::from_cassette("{not json").is_err());
    }
}
