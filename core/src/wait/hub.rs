//! Polling shared by independent waits: the [`Hub`] of a session, where
//! every wait on droplets (or on actions) started from it says what it
//! watches, and one of them at a time reads a listing for all.
//!
//! A wait whose round is due asks the hub ([`Hub::join`]):
//!
//! - a listing read since the wait's last round began is there: the wait
//!   takes its targets' states from it, and sends nothing (but single GETs
//!   of targets the listing did not show);
//! - another wait is reading one: the wait checks again shortly (a look at
//!   the hub, no request);
//! - one began less than an interval ago, but before the wait's last round
//!   (a wait just started): the wait joins the hub's next round, an
//!   interval after that reading began, so that waits started one after
//!   another poll together;
//! - else, if other waits watch targets too and a listing costs fewer
//!   requests than single GETs of all of them, the wait reads it for all
//!   and publishes what it saw ([`Hub::publish`]);
//! - else the wait polls alone, as it would without a hub.
//!
//! So 100 tasks each waiting on its own droplet cost about one listing a
//! round between them, not 100 GETs, and each still has its own result,
//! time limit and cancellation. A reader that stops (dropped, cancelled,
//! or no longer driven) gives the reading up ([`Hub::leave`]); a reading
//! not published within its time to live is taken over.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::wait::core::add_clamped;
use crate::wait::plan::{self, Costs, Listing, Plan};

/// What a wait does at the start of its round: see [`Hub::join`].
#[derive(Debug)]
pub enum Join<T> {
    /// The states of its targets that a fresh listing showed.
    Read(Vec<(u64, T)>),
    /// Look again at this time: another wait is reading a listing, or the
    /// hub's next round is then.
    Wait(Instant),
    /// Read this listing for every wait of the hub, then publish it.
    Lead(Listing),
    /// Poll alone.
    Alone,
}

/// How a wait paces itself in a hub: see [`Hub::join`].
#[derive(Debug, Clone, Copy)]
pub struct Pace {
    /// Time between two rounds.
    pub interval: Duration,
    /// How often to look at the hub while another wait reads.
    pub look: Duration,
    /// How long a reading is waited for before it is taken over.
    pub ttl: Duration,
}

/// The shared polling of one kind of target; see the [module docs](self).
#[derive(Debug)]
pub struct Hub<T> {
    state: Mutex<State<T>>,
}

impl<T> Default for Hub<T> {
    fn default() -> Self {
        Hub {
            state: Mutex::new(State {
                keys: 0,
                watchers: HashMap::new(),
                watched: HashMap::new(),
                reading: None,
                last: None,
                costs: Costs::new(),
            }),
        }
    }
}

#[derive(Debug)]
struct State<T> {
    /// The last key handed out.
    keys: u64,
    /// The targets each wait watches, by its key.
    watchers: HashMap<u64, Vec<u64>>,
    /// How many waits watch each target.
    watched: HashMap<u64, usize>,
    /// The wait reading a listing, and since when.
    reading: Option<(u64, Instant)>,
    /// The last listing published: when its reading began, and the states
    /// of the targets watched that it showed.
    last: Option<(Instant, HashMap<u64, T>)>,
    /// What each listing cost when last read.
    costs: Costs,
}

impl<T> State<T> {
    fn set_watch(&mut self, key: u64, ids: Vec<u64>) {
        for id in self.watchers.remove(&key).unwrap_or_default() {
            if let Some(n) = self.watched.get_mut(&id) {
                *n -= 1;
                if *n == 0 {
                    self.watched.remove(&id);
                }
            }
        }
        if ids.is_empty() {
            return;
        }
        for &id in &ids {
            *self.watched.entry(id).or_default() += 1;
        }
        self.watchers.insert(key, ids);
    }
}

impl<T: Clone> Hub<T> {
    fn lock(&self) -> std::sync::MutexGuard<'_, State<T>> {
        // Plain data: a panic elsewhere cannot leave it half-written.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A key for a new wait.
    pub fn register(&self) -> u64 {
        let mut st = self.lock();
        st.keys += 1;
        st.keys
    }

    /// What the wait `key` does at `now`, the start of its round, watching
    /// `ids`: a listing whose reading began after `since` (the start of
    /// the wait's last round) is fresh for it; otherwise the wait waits for
    /// a reading begun less than `pace.ttl` ago, or for the hub's next
    /// round.
    pub fn join(
        &self,
        key: u64,
        ids: Vec<u64>,
        now: Instant,
        since: Instant,
        pace: Pace,
    ) -> Join<T> {
        let mut st = self.lock();
        st.set_watch(key, ids);
        if let Some((started, states)) = &st.last {
            if *started > since {
                let mine = st.watchers.get(&key).into_iter().flatten();
                let seen = mine.filter_map(|id| Some((*id, states.get(id)?.clone())));
                return Join::Read(seen.collect());
            }
        }
        match st.reading {
            Some((reader, started)) if reader != key && now < add_clamped(started, pace.ttl) => {
                return Join::Wait(add_clamped(now, pace.look))
            }
            _ => {}
        }
        let others = st.watchers.len() > 1;
        if let Some((started, _)) = &st.last {
            let next = add_clamped(*started, pace.interval);
            if others && now < next {
                return Join::Wait(next);
            }
        }
        let total = st.watched.len() as u64;
        match plan::plan(total, None, &st.costs) {
            (Plan::Listing(listing), _) if others => {
                st.reading = Some((key, now));
                Join::Lead(listing)
            }
            _ => {
                if st.reading.is_some_and(|(reader, _)| reader == key) {
                    st.reading = None;
                }
                Join::Alone
            }
        }
    }

    /// Of `items`, the targets some wait watches.
    pub fn watched(&self, items: &[T], id: impl Fn(&T) -> u64) -> Vec<(u64, T)> {
        let st = self.lock();
        let watched = items.iter().filter(|t| st.watched.contains_key(&id(t)));
        watched.map(|t| (id(t), t.clone())).collect()
    }

    /// How many targets the waits of the hub watch.
    pub fn watching(&self) -> u64 {
        self.lock().watched.len() as u64
    }

    /// The wait `key` read `listing` from `started`: these are the states
    /// of the watched targets it showed, and the round cost `cost`.
    pub fn publish(
        &self,
        key: u64,
        started: Instant,
        states: HashMap<u64, T>,
        listing: Listing,
        cost: u64,
    ) {
        let mut st = self.lock();
        if st.reading.is_some_and(|(reader, _)| reader == key) {
            st.reading = None;
        }
        st.costs.insert(listing, cost);
        if st.last.as_ref().is_none_or(|(at, _)| *at <= started) {
            st.last = Some((started, states));
        }
    }

    /// The wait `key` has ended, or gives up its reading.
    pub fn leave(&self, key: u64) {
        let mut st = self.lock();
        st.set_watch(key, Vec::new());
        if st.reading.is_some_and(|(reader, _)| reader == key) {
            st.reading = None;
        }
        if st.watchers.is_empty() {
            st.last = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_wait_reads_for_all_and_the_others_take_what_it_saw() {
        let hub: Hub<&str> = Hub::default();
        let t0 = crate::testing::FakeClock::new().now();
        let ttl = Duration::from_secs(10);
        let pace = Pace {
            interval: Duration::from_secs(2),
            look: Duration::from_millis(250),
            ttl,
        };
        let (a, b, c) = (hub.register(), hub.register(), hub.register());
        // Alone, a wait polls alone.
        assert!(matches!(hub.join(a, vec![1], t0, t0, pace), Join::Alone));
        // With others watching, the first whose round is due reads for all.
        assert!(matches!(
            hub.join(b, vec![2], t0, t0, pace),
            Join::Lead(Listing::All)
        ));
        let look = t0 + pace.look;
        assert!(matches!(hub.join(c, vec![3], t0, t0, pace), Join::Wait(at) if at == look));
        assert_eq!(hub.watching(), 3);
        let shown = hub.watched(&["x", "y"], |s| if *s == "x" { 3 } else { 9 });
        assert_eq!(shown, [(3, "x")]);
        hub.publish(b, t0, shown.into_iter().collect(), Listing::All, 1);
        // A reading that began after the wait's last round: fresh.
        let t1 = t0 + Duration::from_millis(100);
        let before = t0 - Duration::from_secs(1);
        match hub.join(c, vec![3], t1, before, pace) {
            Join::Read(seen) => assert_eq!(seen, [(3, "x")]),
            other => panic!("{other:?}"),
        }
        // Not for a wait whose round began after it: it joins the hub's
        // next round, an interval after that reading began,
        let next = t0 + pace.interval;
        assert!(matches!(hub.join(a, vec![1], t1, t0, pace), Join::Wait(at) if at == next));
        // and reads it.
        assert!(matches!(
            hub.join(a, vec![1], next, t0, pace),
            Join::Lead(_)
        ));
        // A reader that leaves gives the reading up.
        hub.leave(a);
        assert!(matches!(
            hub.join(c, vec![3], next, t0, pace),
            Join::Lead(_)
        ));
        // A reading never published is taken over after its time to live.
        let late = next + ttl;
        assert!(matches!(
            hub.join(b, vec![2], late, t1, pace),
            Join::Lead(_)
        ));
        hub.leave(b);
        hub.leave(c);
        assert_eq!(hub.watching(), 0);
    }
}
