//! Interned byte strings (order ids, customer keys): each key is stored once, back to back with the
//! others in one buffer, so that a file's hundreds of thousands of keys cost no allocation apiece.

use hashbrown::hash_table::Entry;
use hashbrown::{DefaultHashBuilder, HashTable};
use std::hash::BuildHasher;

/// Keys, each with the number it was given when first interned.
#[derive(Default)]
pub struct Interner {
    bytes: Vec<u8>,
    /// Each key's end in `bytes`; it starts where the one before ends.
    ends: Vec<usize>,
    /// (the key's place in `ends`, its number), found by the hash of the key.
    table: HashTable<(usize, u32)>,
    hasher: DefaultHashBuilder,
}

impl Interner {
    /// How many keys there are.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// The number of `key`, when it was interned.
    pub fn get(&self, key: &[u8]) -> Option<u32> {
        let hash = self.hasher.hash_one(key);
        let key_at = |at: usize| stored(&self.bytes, &self.ends, at);
        self.table
            .find(hash, |&(at, _)| key_at(at) == key)
            .map(|&(_, number)| number)
    }

    /// The number of `key`: `next` when it is new.
    pub fn intern(&mut self, key: &[u8], next: u32) -> u32 {
        let hash = self.hasher.hash_one(key);
        let Interner {
            bytes,
            ends,
            table,
            hasher,
        } = self;
        let entry = table.entry(
            hash,
            |&(at, _)| stored(bytes, ends, at) == key,
            |&(at, _)| hasher.hash_one(stored(bytes, ends, at)),
        );
        match entry {
            Entry::Occupied(found) => found.get().1,
            Entry::Vacant(slot) => {
                slot.insert((ends.len(), next));
                bytes.extend_from_slice(key);
                ends.push(bytes.len());
                next
            }
        }
    }

    /// Every key with its number, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (&[u8], u32)> + '_ {
        self.table
            .iter()
            .map(|&(at, number)| (stored(&self.bytes, &self.ends, at), number))
    }
}

/// The key stored at place `at`.
fn stored<'a>(bytes: &'a [u8], ends: &[usize], at: usize) -> &'a [u8] {
    let start = at
        .checked_sub(1)
        .and_then(|i| ends.get(i))
        .copied()
        .unwrap_or(0);
    let end = ends.get(at).copied().unwrap_or(start);
    bytes.get(start..end).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_keep_the_number_they_were_first_given() {
        let mut keys = Interner::default();
        assert_eq!(keys.intern(b"a", 7), 7);
        assert_eq!(keys.intern(b"", 8), 8);
        assert_eq!(keys.intern(b"a", 9), 7);
        for i in 0..1000u32 {
            assert_eq!(keys.intern(i.to_string().as_bytes(), 100 + i), 100 + i);
        }
        assert_eq!(
            (keys.get(b"a"), keys.get(b""), keys.get(b"999")),
            (Some(7), Some(8), Some(1099))
        );
        assert_eq!(keys.get(b"b"), None);
        assert_eq!(keys.len(), 1002);
        assert!(keys
            .iter()
            .all(|(key, number)| keys.get(key) == Some(number)));
    }
}
