//! Customer identity keys: how a customer id, an e-mail or the parts of a composite identity (name and
//! phone) become the key that decides which orders belong to one customer.
//!
//! Every value is normalised one way: Unicode NFKC (full-width `ＡＢＣ` and `０１` become `ABC` and
//! `01`, a no-break space a space), then Unicode White_Space and format characters (general category
//! Cf: zero-width space, byte-order mark, joiners, bidi marks) trimmed from both ends. An e-mail is
//! also case-folded (full Unicode case folding, then NFKC again). The key carries its role in its first
//! byte ([`KeyRole`]), so a customer id and an e-mail that read the same are two customers.

use unicode_general_category::{get_general_category, GeneralCategory};
use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};

/// What a key identifies a customer by; its tag is the key's first byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeyRole {
    /// A customer id, or the parts of a composite identity (name and phone) joined by a space.
    Id,
    /// An e-mail address.
    Email,
}

impl KeyRole {
    /// The key's first byte for this role.
    pub(crate) const fn tag(self) -> u8 {
        match self {
            KeyRole::Id => b'#',
            KeyRole::Email => b'@',
        }
    }

    /// The role of an interned key, and the normalised value after its tag.
    pub(crate) fn split(key: &[u8]) -> (KeyRole, &[u8]) {
        match key.split_first() {
            Some((&b'@', rest)) => (KeyRole::Email, rest),
            Some((_, rest)) => (KeyRole::Id, rest),
            None => (KeyRole::Id, key),
        }
    }
}

/// Whether a character is trimmed from the ends of a key: Unicode White_Space or a format character.
fn is_trimmed(c: char) -> bool {
    c.is_whitespace() || get_general_category(c) == GeneralCategory::Format
}

/// Appends `raw` normalised to `key` (NFKC, trimmed, and case-folded for an e-mail); nothing when it is
/// empty once normalised.
pub(crate) fn push_normalised(role: KeyRole, raw: &[u8], key: &mut Vec<u8>) {
    // Plain ASCII (nearly every value) is its own NFKC form: trimming and ASCII case folding suffice.
    if raw.is_ascii() {
        let value = raw.trim_ascii();
        match role {
            KeyRole::Id => key.extend_from_slice(value),
            KeyRole::Email => key.extend(value.iter().map(u8::to_ascii_lowercase)),
        }
        return;
    }
    let text = String::from_utf8_lossy(raw);
    // Text already in NFKC (most Japanese text) is not copied.
    let nfkc: std::borrow::Cow<'_, str> = match is_nfkc_quick(text.chars()) {
        IsNormalized::Yes => text,
        _ => text.nfkc().collect::<String>().into(),
    };
    let trimmed = nfkc.trim_matches(is_trimmed);
    match role {
        KeyRole::Id => key.extend_from_slice(trimmed.as_bytes()),
        KeyRole::Email => {
            let folded: String = caseless::default_case_fold_str(trimmed).nfkc().collect();
            key.extend_from_slice(folded.trim_matches(is_trimmed).as_bytes());
        }
    }
}

/// The `customer_key` shown for each customer, in place of its normalised value (`keys`, a customer id
/// where `from_id` says so, else an e-mail): the value, except that an e-mail reading the same as a
/// customer id among them is shown with `email:` in front (repeated until it reads like no other key),
/// so that two customers never show the same key.
pub(crate) fn show_keys(keys: &mut [Box<str>], from_id: &[bool]) {
    let is_id = |number: usize| from_id.get(number).copied().unwrap_or(false);
    let ids: std::collections::HashSet<Box<str>> = (0..keys.len())
        .filter(|&number| is_id(number))
        .map(|number| keys[number].clone())
        .collect();
    for (number, key) in keys.iter_mut().enumerate() {
        if !is_id(number) {
            while ids.contains(key) {
                *key = format!("email:{key}").into();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn normalised(role: KeyRole, raw: &str) -> String {
        let mut key = Vec::new();
        push_normalised(role, raw.as_bytes(), &mut key);
        String::from_utf8(key).unwrap()
    }

    #[test]
    fn ids_are_nfkc_with_white_space_and_format_characters_trimmed() {
        for raw in [
            "C001",
            " C001\t",
            "C001\u{00A0}",         // no-break space
            "\u{200B}C001",         // zero-width space
            "\u{FEFF}C001",         // byte-order mark
            "\u{3000}C001\u{2060}", // ideographic space, word joiner
            "Ｃ００１",             // full-width
            "\u{202E}C001\u{200E}", // bidi override, left-to-right mark
        ] {
            assert_eq!(normalised(KeyRole::Id, raw), "C001", "{raw:?}");
        }
        // Case is kept for ids, and characters inside the value stay.
        assert_eq!(normalised(KeyRole::Id, "c001"), "c001");
        assert_eq!(normalised(KeyRole::Id, "C 001"), "C 001");
        assert_eq!(normalised(KeyRole::Id, "\u{00A0}\u{200B}"), "");
    }

    #[test]
    fn emails_are_also_fully_case_folded() {
        for raw in [
            "abc@example.com",
            "ABC@Example.COM",
            "\u{00A0}abc@example.com",
            "ＡＢＣ＠ｅｘａｍｐｌｅ．ｃｏｍ",
            "ａｂｃ＠ＥＸＡＭＰＬＥ．ｃｏｍ\u{200B}",
        ] {
            assert_eq!(
                normalised(KeyRole::Email, raw),
                "abc@example.com",
                "{raw:?}"
            );
        }
        // Full folding: ß is ss, the Kelvin sign is k, final sigma folds like sigma.
        assert_eq!(normalised(KeyRole::Email, "STRAßE@x.de"), "strasse@x.de");
        assert_eq!(normalised(KeyRole::Email, "\u{212A}im@x.jp"), "kim@x.jp");
        assert_eq!(normalised(KeyRole::Email, "ΣΟΦΙΑ@x.gr"), "σοφια@x.gr");
    }

    #[test]
    fn keys_of_different_roles_never_collide_and_show_apart() {
        let key = |role: KeyRole, raw: &str| {
            let mut key = vec![role.tag()];
            push_normalised(role, raw.as_bytes(), &mut key);
            key
        };
        let id = key(KeyRole::Id, "b@x.com");
        let email = key(KeyRole::Email, "B@X.com");
        assert_ne!(id, email);
        assert_eq!(
            KeyRole::split(&email),
            (KeyRole::Email, b"b@x.com".as_slice())
        );
        let mut shown: Vec<Box<str>> = ["b@x.com", "b@x.com", "c@x.com", "email:b@x.com"]
            .map(Box::from)
            .to_vec();
        show_keys(&mut shown, &[true, false, false, true]);
        assert_eq!(
            shown.iter().map(|k| &**k).collect::<Vec<_>>(),
            ["b@x.com", "email:email:b@x.com", "c@x.com", "email:b@x.com"]
        );
    }
}
