//! [`Ledger::sweep`]: writing lapses down and dropping purged handshakes, item by item or in
//! bulk.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::btree::{retain_nested, take};
use super::store::Slot;
use super::{Ledger, LedgerError};
use crate::handshake::Command;
use crate::id::HandshakeId;

/// The least valid handshake id in byte order (`h-` and eight times `0`, the least ASCII
/// letter or digit): with the instant after `now`, the bound below which every due deadline
/// key lies.
const LEAST_HANDSHAKE_ID: &str = "h-00000000";

/// [`Ledger::sweep`] takes its bulk path when at least one stored handshake in `BULK_SHARE` is
/// due. Measured at a million handshakes: dropping or expiring one handshake entry by entry
/// cost about 3 µs (a root-to-leaf search in every index, mostly cache misses), the bulk path
/// about 0.4 µs per *stored* handshake (filtering every index); they break even near 1 in 8
/// to 1 in 16 due, and the bulk path degrades more gently on the wrong side of the line.
const BULK_SHARE: usize = 16;

/// How [`Ledger::sweep`] goes about it: as it chooses, or (in tests) one path or the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(not(test), allow(dead_code))]
pub(super) enum SweepPath {
    Chosen,
    EachItem,
    Bulk,
}

/// What the bulk sweep did to the handshake in a slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fate {
    /// Not due, or not changed.
    Kept,
    /// Its deadline has come (not yet handled).
    Due,
    /// Its expiry was written down.
    Expired,
    /// It was dropped.
    Purged,
}

/// What [`Ledger::sweep`] wrote down.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Swept {
    /// Lapsed handshakes whose expiry was written down (one already past its retention is only
    /// counted as purged).
    pub expired: usize,
    /// Purged handshakes dropped.
    pub purged: usize,
}

impl Ledger {
    /// Writes down, as of `now`, the expiry of every lapsed handshake and drops every purged
    /// one. Nothing a later call observes changes: expiry and purge are already observed
    /// lazily. Costs O((k + 1) log n) for k handshakes whose deadline has come, while k is
    /// under n/16; from there on one ordered pass over each index, O(n) (so O(k)).
    ///
    /// # Errors
    ///
    /// [`LedgerError::TimeWentBackwards`] when `now` is before the ledger's clock.
    ///
    /// # Example: a purged handshake is dropped
    ///
    /// ```
    /// # use org_handshake::*;
    /// # use org_handshake::ledger::*;
    /// # let world: World = serde_json::from_value(serde_json::json!({"organizations": [{"id": "o-exampleorgid", "management_account": {"id": "111111111111", "name": "Bill"}}]}))?;
    /// let mut ledger = Ledger::new(Profile::AWS, &world)?;
    /// let now: chrono::DateTime<chrono::Utc> = "2026-01-05T10:00:00Z".parse()?;
    /// let invite = InviteRequest::new(Party::Account("222222222222".parse()?));
    /// ledger.invite("111111111111".parse()?, invite, &mut IdList::new(&["h-0123456789abcdef"]), now)?;
    /// // 15 days to expire, 30 more to be purged.
    /// let swept = ledger.sweep(now + chrono::TimeDelta::days(15))?;
    /// assert_eq!(swept, Swept { expired: 1, purged: 0 });
    /// let swept = ledger.sweep(now + chrono::TimeDelta::days(45))?;
    /// assert_eq!(swept, Swept { expired: 0, purged: 1 });
    /// assert!(ledger.is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn sweep(&mut self, now: DateTime<Utc>) -> Result<Swept, LedgerError> {
        self.sweep_by(now, SweepPath::Chosen)
    }

    /// [`sweep`](Self::sweep), through the path `path` asks for (tests compare the two).
    pub(super) fn sweep_by(
        &mut self,
        now: DateTime<Utc>,
        path: SweepPath,
    ) -> Result<Swept, LedgerError> {
        self.check_clock(now)?;
        // Every due deadline key is below `bound`: the instant after `now`, with the least id.
        let bound = now
            .checked_add_signed(chrono::TimeDelta::nanoseconds(1))
            .zip(HandshakeId::parse(LEAST_HANDSHAKE_ID).ok());
        let bulk = match (path, bound) {
            (SweepPath::EachItem, _) | (_, None) => false,
            (SweepPath::Bulk, Some(_)) => true,
            (SweepPath::Chosen, Some(bound)) => {
                let threshold = (self.handshakes.len() / BULK_SHARE).max(1);
                // Counts at most `threshold` due entries: O(min(k, n / BULK_SHARE)).
                self.indexes
                    .deadlines
                    .range(..bound)
                    .nth(threshold - 1)
                    .is_some()
            }
        };
        let swept = match bound {
            Some(bound) if bulk => self.sweep_in_bulk(now, bound),
            _ => self.sweep_each(now),
        };
        self.clock = Some(now);
        Ok(swept)
    }

    /// The sweep for a few due handshakes: each one expired or dropped on its own, in deadline
    /// order, at O(log n) per index entry.
    fn sweep_each(&mut self, now: DateTime<Utc>) -> Swept {
        let mut swept = Swept::default();
        while let Some((&(deadline, id), &slot)) = self.indexes.deadlines.first_key_value() {
            if deadline > now {
                break;
            }
            let Some(handshake) = self.handshakes.slot(slot).filter(|h| h.id() == id) else {
                // Unreachable while the indexes are consistent; drop the stray entry.
                self.indexes.deadlines.remove(&(deadline, id));
                continue;
            };
            if handshake.is_purgeable_at(now) {
                self.remove(&id);
                swept.purged += 1;
            } else if self.expire_in_place(slot, now) {
                swept.expired += 1;
            } else {
                // Unreachable: a lapsed, visible, pending handshake can always expire.
                break;
            }
        }
        swept
    }

    /// The sweep for many due handshakes (at least 1 in [`BULK_SHARE`]), with the same result
    /// as [`sweep_each`](Self::sweep_each): the due deadlines are split off in one piece, the
    /// due handshakes are visited in slot (memory) order, and each index is then filtered in
    /// one ordered pass. Removing entry by entry costs a search from the root of every index
    /// per dropped handshake, each step a likely cache miss and a 48-byte key comparison: at
    /// 800 000 due handshakes out of 1 000 000 that took seconds (the sweep benchmark).
    fn sweep_in_bulk(&mut self, now: DateTime<Utc>, bound: (DateTime<Utc>, HandshakeId)) -> Swept {
        let later = self.indexes.deadlines.split_off(&bound);
        let due = std::mem::replace(&mut self.indexes.deadlines, later);
        let mut fate = vec![Fate::Kept; self.handshakes.slot_count()];
        for (&(_, id), &slot) in &due {
            let stored = self.handshakes.slot(slot).is_some_and(|h| h.id() == id);
            // An entry whose handshake is not in its slot is a stray (unreachable while the
            // indexes are consistent): it stays dropped, as in `sweep_each`.
            if let (true, Some(f)) = (stored, fate.get_mut(slot)) {
                *f = Fate::Due;
            }
        }
        // The due handshakes, visited in slot (memory) order.
        let mut swept = Swept::default();
        let mut next_deadline = vec![None; fate.len()];
        self.handshakes
            .retain_marked(&mut fate, |slot, f, handshake| {
                if *f != Fate::Due {
                    return true;
                }
                if handshake.is_purgeable_at(now) {
                    *f = Fate::Purged;
                    swept.purged += 1;
                    return false;
                }
                // Expiring cannot fail for a lapsed, visible, pending handshake; were it to, the
                // handshake keeps its state and its deadline entry.
                *f = if handshake.apply(&Command::Expire, now).is_ok() {
                    swept.expired += 1;
                    Fate::Expired
                } else {
                    Fate::Kept
                };
                if let Some(next) = next_deadline.get_mut(slot) {
                    *next = Some(handshake.next_deadline());
                }
                true
            });
        // The new deadline entries, gathered in the old deadline order: an expired handshake's
        // purge time is its expiry plus the retention, so they come out sorted and `collect`
        // builds the tree without sorting them (from slot order, sorting took longer than
        // filtering any index).
        let deadlines: Vec<_> = due
            .iter()
            .filter_map(|(&(_, id), &slot)| {
                let next = next_deadline.get(slot).copied().flatten()?;
                Some(((next, id), slot))
            })
            .collect();
        drop(due);
        drop(next_deadline);
        let purged = |slot: &Slot| fate.get(*slot) == Some(&Fate::Purged);
        let indexes = &mut self.indexes;
        retain_nested(&mut indexes.by_organization_action, |slot| !purged(slot));
        retain_nested(&mut indexes.by_recipient_action, |slot| !purged(slot));
        retain_nested(&mut indexes.children, |slot| !purged(slot));
        // Expired and purged handshakes both leave the pending index.
        retain_nested(&mut indexes.pending, |slot| {
            fate.get(*slot).map_or(true, |f| *f == Fate::Kept)
        });
        // The entries not due and the new ones are two sorted runs: `collect` merges them
        // (its sort finds the runs) and builds the tree in one pass.
        indexes.deadlines = std::mem::take(&mut indexes.deadlines)
            .into_iter()
            .chain(deadlines)
            .collect();
        swept
    }

    /// Writes down the expiry of the lapsed handshake in `slot` where it is stored, and moves
    /// only the index entries that depend on its state: it leaves the pending index, and its
    /// deadline becomes its purge time. Its listing positions (request time, id), sender,
    /// recipient and parent do not change, so the other indexes stay as they are; replacing
    /// the handshake instead cost a clone and every index entry twice (the sweep benchmark:
    /// most of its time). Returns false, changing nothing, if the handshake cannot expire.
    fn expire_in_place(&mut self, slot: Slot, now: DateTime<Utc>) -> bool {
        let Some(handshake) = self.handshakes.slot_mut(slot) else {
            return false;
        };
        let before = handshake.next_deadline();
        if handshake.apply(&Command::Expire, now).is_err() {
            return false;
        }
        let id = handshake.id();
        let key = (handshake.sender().id, handshake.action());
        let after = handshake.next_deadline();
        take(&mut self.indexes.pending, key, &id);
        self.indexes.deadlines.remove(&(before, id));
        self.indexes.deadlines.insert((after, id), slot);
        true
    }
}
