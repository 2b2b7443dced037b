//! A bound on the paragraphs handed to tantivy's indexing threads but not yet indexed.
//!
//! tantivy's `IndexWriter` queues up to 10,000 batches for its threads whatever their size, and
//! ingest hands it one batch per few dozen files: when preparing files outpaces indexing them,
//! that queue alone could hold most of a corpus in memory, and paragraphs would wait there long
//! enough to fall out of the CPU's caches. [`InFlight`] bounds them instead. Each batch's last
//! paragraph carries a [`Permit`] for the whole batch; tantivy drops a document once it has
//! indexed it, and a thread indexes a batch in order, so the permit comes back exactly when the
//! batch has been indexed.
//!
//! A wait for room must be able to end when the consumer is gone: when tantivy's indexing
//! threads die (a full disk, an I/O error), the batches queued for them stay in tantivy's
//! channel with their permits until the writer itself is dropped, so no permit ever comes back.
//! [`InFlight::acquire`] therefore asks, whenever no permit has come back for a while, whether
//! the consumer is still there, and gives up when it is not.

use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use tantivy::TantivyDocument;
use tantivy::schema::Document;

/// Paragraphs in flight between ingest and tantivy's indexing threads, at most.
pub struct InFlight {
    in_flight: Mutex<usize>,
    freed: Condvar,
    limit: usize,
}

impl InFlight {
    pub fn new(limit: usize) -> Arc<InFlight> {
        Arc::new(InFlight { in_flight: Mutex::new(0), freed: Condvar::new(), limit })
    }

    /// Waits until `paragraphs` more fit, then takes their place. A batch larger
    /// than the whole bound goes through once nothing is in flight.
    ///
    /// Each time no permit has come back for [`STALLED_AFTER`], `consumer_alive` is asked
    /// whether anything still takes paragraphs; when it says no, the wait ends with
    /// [`ConsumerGone`].
    pub fn acquire(
        self: &Arc<InFlight>,
        paragraphs: usize,
        mut consumer_alive: impl FnMut() -> bool,
    ) -> Result<Permit, ConsumerGone> {
        let mut in_flight = self.lock();
        while *in_flight > 0 && *in_flight + paragraphs > self.limit {
            let (guard, waited) =
                self.freed.wait_timeout(in_flight, STALLED_AFTER).unwrap_or_else(PoisonError::into_inner);
            in_flight = guard;
            if waited.timed_out() {
                // Asked without the lock: the question may take a while, and permits may come
                // back meanwhile.
                drop(in_flight);
                if !consumer_alive() {
                    return Err(ConsumerGone);
                }
                in_flight = self.lock();
            }
        }
        *in_flight += paragraphs;
        Ok(Permit { bound: Arc::clone(self), paragraphs })
    }

    /// Paragraphs in flight now.
    #[cfg(test)]
    pub fn in_flight(&self) -> usize {
        *self.lock()
    }

    // A panic elsewhere cannot leave the count half-updated: it is one integer.
    fn lock(&self) -> MutexGuard<'_, usize> {
        self.in_flight.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// How long a wait for room goes on without a permit coming back before the consumer is asked
/// whether it is still there. Indexing threads give permits back within milliseconds while they
/// work, so the question is asked only when something is wrong.
pub const STALLED_AFTER: Duration = Duration::from_millis(500);

/// The wait for room ended because nothing takes paragraphs any more.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConsumerGone;

/// The place of a batch of paragraphs under an [`InFlight`] bound, given back when dropped.
pub struct Permit {
    bound: Arc<InFlight>,
    paragraphs: usize,
}

impl Drop for Permit {
    fn drop(&mut self) {
        *self.bound.lock() -= self.paragraphs;
        self.bound.freed.notify_one();
    }
}

/// A paragraph's document on its way to the index, maybe carrying its batch's permit. It reads
/// as the document it wraps: tantivy indexes it without a copy.
pub struct PendingParagraph {
    pub document: TantivyDocument,
    permit: Option<Permit>,
}

impl PendingParagraph {
    pub fn new(document: TantivyDocument) -> PendingParagraph {
        PendingParagraph { document, permit: None }
    }

    /// Makes this paragraph give `permit` back once it has been indexed.
    pub fn carry(&mut self, permit: Permit) {
        self.permit = Some(permit);
    }
}

impl Document for PendingParagraph {
    type Value<'a> = <TantivyDocument as Document>::Value<'a>;
    type FieldsValuesIter<'a> = <TantivyDocument as Document>::FieldsValuesIter<'a>;

    fn iter_fields_and_values(&self) -> Self::FieldsValuesIter<'_> {
        self.document.iter_fields_and_values()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    fn alive() -> bool {
        true
    }

    #[test]
    fn permits_are_given_back_when_dropped() {
        let bound = InFlight::new(10);
        let first = bound.acquire(6, alive).unwrap();
        let second = bound.acquire(4, alive).unwrap();
        assert_eq!(bound.in_flight(), 10);
        drop(first);
        assert_eq!(bound.in_flight(), 4);
        drop(second);
        assert_eq!(bound.in_flight(), 0);
    }

    #[test]
    fn a_full_bound_waits_for_room() {
        let bound = InFlight::new(10);
        let held = bound.acquire(8, alive).unwrap();
        let waiter = {
            let bound = Arc::clone(&bound);
            std::thread::spawn(move || {
                let _permit = bound.acquire(5, alive).unwrap();
            })
        };
        std::thread::sleep(Duration::from_millis(50));
        assert!(!waiter.is_finished(), "8 + 5 paragraphs do not fit under a bound of 10");
        drop(held);
        waiter.join().unwrap();
        assert_eq!(bound.in_flight(), 0);
    }

    #[test]
    fn a_batch_larger_than_the_bound_goes_through_alone() {
        let bound = InFlight::new(10);
        let permit = bound.acquire(25, alive).unwrap();
        assert_eq!(bound.in_flight(), 25);
        drop(permit);
    }

    #[test]
    fn a_paragraph_gives_its_permit_back_when_dropped() {
        let bound = InFlight::new(10);
        let mut paragraph = PendingParagraph::new(TantivyDocument::new());
        paragraph.carry(bound.acquire(3, alive).unwrap());
        assert_eq!(bound.in_flight(), 3);
        drop(paragraph);
        assert_eq!(bound.in_flight(), 0);
    }

    #[test]
    fn a_wait_ends_when_the_consumer_is_gone() {
        let bound = InFlight::new(10);
        let _never_given_back = bound.acquire(8, alive).unwrap();
        let started = Instant::now();
        let mut asked = 0;
        let waited = bound.acquire(5, || {
            asked += 1;
            asked < 2
        });
        assert_eq!(waited.err(), Some(ConsumerGone));
        assert_eq!(asked, 2, "asked once per stalled interval until it said no");
        assert!(started.elapsed() < STALLED_AFTER * 4, "{:?}", started.elapsed());
        assert_eq!(bound.in_flight(), 8, "a wait that gave up takes no place");
    }
}
