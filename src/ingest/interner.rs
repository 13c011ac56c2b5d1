//! Interned byte strings (order ids, customer keys): each key is stored once, back to back with the
//! others in one buffer, so that a file's hundreds of thousands of keys cost no allocation apiece.

use hashbrown::hash_table;
use hashbrown::{DefaultHashBuilder, HashTable};
use std::hash::BuildHasher;

/// Keys, each with the number it was given when first interned.
#[derive(Default)]
pub struct Interner {
    bytes: Vec<u8>,
    /// Where each key is in `bytes` and its number, found by the hash of the key. The place is in the
    /// entry itself, so that comparing a key reads only the entry and the key's bytes.
    table: HashTable<Entry>,
    hasher: DefaultHashBuilder,
}

/// A key's place in [`Interner::bytes`] and its number.
#[derive(Clone, Copy)]
struct Entry {
    start: usize,
    len: u32,
    number: u32,
}

impl Entry {
    fn key(self, bytes: &[u8]) -> &[u8] {
        bytes
            .get(self.start..self.start + self.len as usize)
            .unwrap_or_default()
    }
}

impl Interner {
    /// How many keys there are.
    pub fn len(&self) -> usize {
        self.table.len()
    }

    /// The number of `key`, when it was interned.
    pub fn get(&self, key: &[u8]) -> Option<u32> {
        let hash = self.hasher.hash_one(key);
        self.table
            .find(hash, |entry| entry.key(&self.bytes) == key)
            .map(|entry| entry.number)
    }

    /// The number of `key`: `next` when it is new. A key longer than 4 GiB is cut to its first 4 GiB.
    pub fn intern(&mut self, key: &[u8], next: u32) -> u32 {
        let key = key.get(..u32::MAX as usize).unwrap_or(key);
        let hash = self.hasher.hash_one(key);
        let Interner {
            bytes,
            table,
            hasher,
        } = self;
        let entry = table.entry(
            hash,
            |entry| entry.key(bytes) == key,
            |entry| hasher.hash_one(entry.key(bytes)),
        );
        match entry {
            hash_table::Entry::Occupied(found) => found.get().number,
            hash_table::Entry::Vacant(slot) => {
                slot.insert(Entry {
                    start: bytes.len(),
                    len: key.len() as u32,
                    number: next,
                });
                bytes.extend_from_slice(key);
                next
            }
        }
    }

    /// Every key with its number, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (&[u8], u32)> + '_ {
        self.table
            .iter()
            .map(|entry| (entry.key(&self.bytes), entry.number))
    }
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
