//! What was made from a file's bytes, remembered by those bytes for the rest of the process:
//! the events of an agency's batch carry the same logo under a hundred paths, and checking or
//! preparing it again for each is most of what an image costs.

use std::sync::{Mutex, OnceLock};

use rustc_hash::FxHashMap;

/// A bounded table from bytes to what was made of them. Files larger than its byte limit are
/// not kept; past its entry limit it starts again, so memory stays bounded.
pub struct ByContent<T> {
    table: OnceLock<Mutex<FxHashMap<Vec<u8>, T>>>,
    entries: usize,
    max_bytes: usize,
}

impl<T: Clone> ByContent<T> {
    /// Keeps at most `entries` files of at most `max_bytes` each.
    pub const fn new(entries: usize, max_bytes: usize) -> Self {
        ByContent {
            table: OnceLock::new(),
            entries,
            max_bytes,
        }
    }

    /// What `make` makes of `bytes`, made once for the same bytes.
    pub fn get_or_make(&self, bytes: &[u8], make: impl FnOnce() -> T) -> T {
        if bytes.len() > self.max_bytes {
            return make();
        }
        let table = self.table.get_or_init(Default::default);
        if let Some(hit) = table.lock().ok().and_then(|m| m.get(bytes).cloned()) {
            return hit;
        }
        let made = make();
        if let Ok(mut m) = table.lock() {
            if m.len() >= self.entries {
                m.clear();
            }
            m.insert(bytes.to_vec(), made.clone());
        }
        made
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    #[test]
    fn the_same_bytes_are_made_once_and_large_ones_every_time() {
        let memo: ByContent<usize> = ByContent::new(2, 4);
        let calls = Cell::new(0);
        let make = |n: usize| {
            calls.set(calls.get() + 1);
            n
        };
        assert_eq!(memo.get_or_make(b"ab", || make(1)), 1);
        assert_eq!(memo.get_or_make(b"ab", || make(9)), 1);
        assert_eq!(calls.get(), 1);
        assert_eq!(memo.get_or_make(b"abcde", || make(2)), 2);
        assert_eq!(memo.get_or_make(b"abcde", || make(3)), 3);
        assert_eq!(calls.get(), 3);
        // Past two entries the table starts again.
        memo.get_or_make(b"cd", || make(4));
        memo.get_or_make(b"ef", || make(5));
        assert_eq!(memo.get_or_make(b"ab", || make(6)), 6);
    }
}
