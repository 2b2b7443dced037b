//! A bound on the paragraphs handed to tantivy's indexing threads but not yet indexed.
//!
//! tantivy's `IndexWriter` queues up to 10,000 batches for its threads whatever their size, and
//! ingest hands it one batch per few dozen files: when preparing files outpaces indexing them,
//! that queue alone could hold most of a corpus in memory, and paragraphs would wait there long
//! enough to fall out of the CPU's caches. [`Window`] bounds them instead. Each batch's last
//! paragraph carries a [`Permit`] for the whole batch; tantivy drops a document once it has
//! indexed it, and a thread indexes a batch in order, so the permit comes back exactly when the
//! batch has been indexed.

use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};

use tantivy::TantivyDocument;
use tantivy::schema::Document;

/// Paragraphs in flight between ingest and tantivy's indexing threads, at most.
pub struct Window {
    in_flight: Mutex<usize>,
    freed: Condvar,
    limit: usize,
}

impl Window {
    pub fn new(limit: usize) -> Arc<Window> {
        Arc::new(Window { in_flight: Mutex::new(0), freed: Condvar::new(), limit })
    }

    /// Waits until `paragraphs` more fit in the window, then takes their place. A batch larger
    /// than the whole window goes through once the window is empty.
    pub fn acquire(self: &Arc<Window>, paragraphs: usize) -> Permit {
        let mut in_flight = self.lock();
        while *in_flight > 0 && *in_flight + paragraphs > self.limit {
            in_flight = self.freed.wait(in_flight).unwrap_or_else(PoisonError::into_inner);
        }
        *in_flight += paragraphs;
        Permit { window: Arc::clone(self), paragraphs }
    }

    /// Paragraphs in flight now.
    pub fn in_flight(&self) -> usize {
        *self.lock()
    }

    // A panic elsewhere cannot leave the count half-updated: it is one integer.
    fn lock(&self) -> MutexGuard<'_, usize> {
        self.in_flight.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The place of a batch of paragraphs in a [`Window`], given back when dropped.
pub struct Permit {
    window: Arc<Window>,
    paragraphs: usize,
}

impl Drop for Permit {
    fn drop(&mut self) {
        *self.window.lock() -= self.paragraphs;
        self.window.freed.notify_one();
    }
}

/// A paragraph's document on its way to the index, maybe carrying its batch's permit. It reads
/// as the document it wraps: tantivy indexes it without a copy.
pub struct Paragraph {
    pub document: TantivyDocument,
    permit: Option<Permit>,
}

impl Paragraph {
    pub fn new(document: TantivyDocument) -> Paragraph {
        Paragraph { document, permit: None }
    }

    /// Makes this paragraph give `permit` back once it has been indexed.
    pub fn carry(&mut self, permit: Permit) {
        self.permit = Some(permit);
    }
}

impl Document for Paragraph {
    type Value<'a> = <TantivyDocument as Document>::Value<'a>;
    type FieldsValuesIter<'a> = <TantivyDocument as Document>::FieldsValuesIter<'a>;

    fn iter_fields_and_values(&self) -> Self::FieldsValuesIter<'_> {
        self.document.iter_fields_and_values()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn permits_are_given_back_when_dropped() {
        let window = Window::new(10);
        let first = window.acquire(6);
        let second = window.acquire(4);
        assert_eq!(window.in_flight(), 10);
        drop(first);
        assert_eq!(window.in_flight(), 4);
        drop(second);
        assert_eq!(window.in_flight(), 0);
    }

    #[test]
    fn a_full_window_waits_for_room() {
        let window = Window::new(10);
        let held = window.acquire(8);
        let waiter = {
            let window = Arc::clone(&window);
            std::thread::spawn(move || {
                let _permit = window.acquire(5);
            })
        };
        std::thread::sleep(Duration::from_millis(50));
        assert!(!waiter.is_finished(), "8 + 5 paragraphs do not fit in a window of 10");
        drop(held);
        waiter.join().unwrap();
        assert_eq!(window.in_flight(), 0);
    }

    #[test]
    fn a_batch_larger_than_the_window_goes_through_alone() {
        let window = Window::new(10);
        let permit = window.acquire(25);
        assert_eq!(window.in_flight(), 25);
        drop(permit);
    }

    #[test]
    fn a_paragraph_gives_its_permit_back_when_dropped() {
        let window = Window::new(10);
        let mut paragraph = Paragraph::new(TantivyDocument::new());
        paragraph.carry(window.acquire(3));
        assert_eq!(window.in_flight(), 3);
        drop(paragraph);
        assert_eq!(window.in_flight(), 0);
    }
}
