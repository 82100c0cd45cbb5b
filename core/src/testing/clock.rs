//! Virtual time for tests.

use std::time::{Duration, Instant};

/// Virtual time: an `Instant` that moves only when told to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FakeClock {
    origin: Instant,
    now: Instant,
}

impl FakeClock {
    /// A clock at an arbitrary origin. (The origin is the one reading of
    /// the real clock; virtual time never reads it again.)
    #[allow(clippy::disallowed_methods)]
    pub fn new() -> Self {
        FakeClock::starting_at(Instant::now())
    }

    /// A clock whose time is `origin`.
    pub fn starting_at(origin: Instant) -> Self {
        FakeClock {
            origin,
            now: origin,
        }
    }

    /// The current virtual time.
    pub fn now(&self) -> Instant {
        self.now
    }

    /// Virtual time passed since the origin.
    pub fn elapsed(&self) -> Duration {
        self.now - self.origin
    }

    /// Moves time forward.
    pub fn advance(&mut self, by: Duration) {
        self.now = self.now.checked_add(by).unwrap_or(self.now);
    }

    /// Moves time forward to `at`; never backwards.
    pub fn jump_to(&mut self, at: Instant) {
        self.now = self.now.max(at);
    }
}

impl Default for FakeClock {
    fn default() -> Self {
        FakeClock::new()
    }
}
