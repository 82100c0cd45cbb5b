//! The seeded random generator and the choice of which faults hit a
//! request.

use std::time::Duration;

use crate::config::{Fault, FaultRule, Trigger};

/// SplitMix64: small, fast, and the same sequence for the same seed.
#[derive(Debug, Clone)]
pub(crate) struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        p > 0.0 && ((self.next_u64() >> 11) as f64 / (1u64 << 53) as f64) < p
    }

    /// A UUID-shaped id (version 4 layout).
    pub fn uuid(&mut self) -> String {
        let a = self.next_u64();
        let b = self.next_u64();
        format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xfff,
            ((b >> 48) & 0x3fff) | 0x8000,
            b & 0xffff_ffff_ffff
        )
    }
}

/// The faults chosen for one request.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub(crate) struct Decision {
    /// Added latency (the sum of every latency rule that fired).
    pub delay: Duration,
    /// The first other fault that fired, and whether the request is
    /// carried out anyway.
    pub fault: Option<(Fault, bool)>,
}

/// The rules and how many requests each has matched.
#[derive(Debug, Default)]
pub(crate) struct Faults {
    rules: Vec<(FaultRule, u64)>,
}

impl Faults {
    pub fn new(rules: Vec<FaultRule>) -> Self {
        Faults {
            rules: rules.into_iter().map(|r| (r, 0)).collect(),
        }
    }

    /// Counts the request against every rule for its route and says which
    /// fire.
    pub fn decide(&mut self, route: &str, rng: &mut Rng) -> Decision {
        let mut out = Decision::default();
        for (rule, seen) in &mut self.rules {
            if rule.route.as_deref().is_some_and(|r| r != route) {
                continue;
            }
            *seen += 1;
            let fires = match rule.trigger {
                Trigger::Always => true,
                Trigger::Rate(p) => rng.chance(p),
                Trigger::Every(n) => *seen % n.max(1) == 0,
                Trigger::Range { from, to } => (from..=to).contains(seen),
            };
            if !fires {
                continue;
            }
            match rule.fault {
                Fault::Latency(d) => out.delay += d,
                f if out.fault.is_none() => out.fault = Some((f, rule.handled)),
                _ => {}
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_numbers() {
        let (mut a, mut b) = (Rng::new(7), Rng::new(7));
        for _ in 0..100 {
            assert_eq!(a.next_u64(), b.next_u64());
        }
        assert_ne!(Rng::new(8).next_u64(), Rng::new(7).next_u64());
        let id = Rng::new(1).uuid();
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "4");
    }

    #[test]
    fn chance_is_roughly_right() {
        let mut rng = Rng::new(3);
        let hits = (0..10_000).filter(|_| rng.chance(0.25)).count();
        assert!((2200..2800).contains(&hits), "{hits}");
        assert!(!(0..1000).any(|_| rng.chance(0.0)));
        assert!((0..1000).all(|_| rng.chance(1.0)));
    }

    #[test]
    fn triggers_count_per_rule_and_route() {
        let mut f = Faults::new(vec![
            "503,every=2,route=GET /a".parse().unwrap(),
            "latency,ms=10,from=2,to=3".parse().unwrap(),
        ]);
        let mut rng = Rng::new(1);
        let got: Vec<Decision> = ["GET /a", "GET /b", "GET /a", "GET /a"]
            .iter()
            .map(|r| f.decide(r, &mut rng))
            .collect();
        let ms = Duration::from_millis(10);
        assert_eq!(got[0], Decision::default());
        assert_eq!(got[1].delay, ms);
        assert_eq!(got[1].fault, None);
        assert_eq!(got[2].delay, ms);
        assert_eq!(got[2].fault, Some((Fault::Status { status: 503 }, false)));
        assert_eq!(got[3], Decision::default());
    }
}
