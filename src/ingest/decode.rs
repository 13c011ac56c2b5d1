//! The first pipeline stage: recognises what the bytes are (UTF-8 with or without BOM, UTF-16 with or
//! without BOM, Shift_JIS, EUC-JP, Windows-1252 / ISO-8859-1, or something that is not text at all),
//! picks the field delimiter, and hands on UTF-8 bytes. Legacy encodings are told apart by chardetng
//! (the detector Firefox uses), restricted to the ones order exports come in.
//!
//! Detection looks at exactly the first [`SNIFF_BYTES`] of input (never more, however large the first
//! chunk), so the result does not depend on how the input is split into chunks; later bytes are read
//! the same way whatever the chunking (invalid UTF-8 becomes U+FFFD when fields are read as text).
//! Other encodings are transcoded with a streaming decoder that carries characters split across
//! chunks.
//! Files whose lines end with a lone CR (classic Mac) have their CRs turned into LFs, so that line
//! numbers in warnings count them.

use crate::error::{Error, ErrorKind};
use crate::string_enum::string_enum;

/// How much of the input is looked at before deciding the encoding and delimiter.
pub const SNIFF_BYTES: usize = 64 * 1024;

string_enum! {
    /// The text encoding of the input.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum TextEncoding {
        /// UTF-8, with or without a byte-order mark.
        Utf8 = "UTF-8",
        /// Shift_JIS as Windows writes it (CP932 / Windows-31J).
        ShiftJis = "Shift_JIS",
        /// EUC-JP.
        EucJp = "EUC-JP",
        /// UTF-16, little-endian (Excel's "Unicode text").
        Utf16Le = "UTF-16LE",
        /// UTF-16, big-endian.
        Utf16Be = "UTF-16BE",
        /// Windows-1252, the superset of ISO-8859-1 that Western Excel writes.
        Windows1252 = "windows-1252",
    }
}

impl TextEncoding {
    /// The decoder for encodings other than UTF-8.
    fn decoder(self) -> Option<encoding_rs::Decoder> {
        let encoding = match self {
            TextEncoding::Utf8 => return None,
            TextEncoding::ShiftJis => encoding_rs::SHIFT_JIS,
            TextEncoding::EucJp => encoding_rs::EUC_JP,
            TextEncoding::Utf16Le => encoding_rs::UTF_16LE,
            TextEncoding::Utf16Be => encoding_rs::UTF_16BE,
            TextEncoding::Windows1252 => encoding_rs::WINDOWS_1252,
        };
        Some(encoding.new_decoder_without_bom_handling())
    }
}

/// What the sniffing found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Detected {
    /// The encoding.
    pub encoding: TextEncoding,
    /// The field delimiter: `,`, `\t` or `;`.
    pub delimiter: u8,
    /// Lines end with a lone CR: CRs are handed on as LFs.
    pub cr_lines: bool,
}

/// Turns pushed byte chunks into UTF-8 chunks.
#[derive(Default)]
pub struct Decoder {
    detected: Option<Detected>,
    state: State,
}

#[derive(Default)]
struct State {
    sniffed: Vec<u8>,
    cr_lines: bool,
    transcoder: Option<encoding_rs::Decoder>,
    out: Vec<u8>,
}

impl Decoder {
    /// A decoder that has seen nothing yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// What was detected, once enough input has been seen.
    pub fn detected(&self) -> Option<Detected> {
        self.detected
    }

    /// Feeds a chunk (`last` marks the end of input) and returns the UTF-8 bytes ready for CSV
    /// parsing, which may be empty while the start of the input is still being sniffed, with what was
    /// detected once it is known.
    pub fn feed<'a>(
        &'a mut self,
        input: &'a [u8],
        last: bool,
    ) -> Result<(&'a [u8], Option<Detected>), Error> {
        let text = self.state.feed(&mut self.detected, input, last)?;
        Ok((text, self.detected))
    }
}

impl State {
    fn feed<'a>(
        &'a mut self,
        detected: &mut Option<Detected>,
        input: &'a [u8],
        last: bool,
    ) -> Result<&'a [u8], Error> {
        if detected.is_none() {
            self.sniffed.extend_from_slice(input);
            if self.sniffed.len() < SNIFF_BYTES && !last {
                return Ok(&[]);
            }
            let window = &self.sniffed[..self.sniffed.len().min(SNIFF_BYTES)];
            let whole_input = last && self.sniffed.len() <= SNIFF_BYTES;
            let (found, bom_len) = sniff(window, whole_input)?;
            *detected = Some(found);
            self.cr_lines = found.cr_lines;
            let head = std::mem::take(&mut self.sniffed);
            self.transcoder = found.encoding.decoder();
            if self.transcoder.is_some() {
                self.transcode(head.get(bom_len..).unwrap_or_default(), last)?;
            } else {
                self.out = head;
                self.out.drain(..bom_len);
            }
            return Ok(self.line_ends_fixed());
        }
        if self.transcoder.is_some() {
            self.transcode(input, last)?;
        } else if self.cr_lines {
            self.out.clear();
            self.out.extend_from_slice(input);
        } else {
            return Ok(input);
        }
        Ok(self.line_ends_fixed())
    }

    /// `out`, with CRs turned into LFs when lines end with a lone CR.
    fn line_ends_fixed(&mut self) -> &[u8] {
        if self.cr_lines {
            for b in &mut self.out {
                if *b == b'\r' {
                    *b = b'\n';
                }
            }
        }
        &self.out
    }

    fn transcode(&mut self, input: &[u8], last: bool) -> Result<(), Error> {
        self.out.clear();
        let Some(decoder) = self.transcoder.as_mut() else {
            return Ok(());
        };
        let mut rest = input;
        loop {
            let need = decoder
                .max_utf8_buffer_length(rest.len())
                .unwrap_or(rest.len() * 3 + 16);
            let start = self.out.len();
            self.out.resize(start + need, 0);
            let (result, read, written, _had_errors) =
                decoder.decode_to_utf8(rest, &mut self.out[start..], last);
            self.out.truncate(start + written);
            rest = &rest[read..];
            if result == encoding_rs::CoderResult::InputEmpty {
                return Ok(());
            }
        }
    }
}

/// Decides encoding, delimiter and line ends from the start of the input (`last`: it is the whole
/// input); returns the BOM length to drop.
fn sniff(head: &[u8], last: bool) -> Result<(Detected, usize), Error> {
    if head.is_empty() {
        return Err(ErrorKind::Empty.into());
    }
    if let Some(looks_like) = binary_signature(head) {
        return Err(ErrorKind::NotText { looks_like }.into());
    }
    let (encoding, bom_len) = if head.starts_with(&[0xFF, 0xFE]) {
        (TextEncoding::Utf16Le, 2)
    } else if head.starts_with(&[0xFE, 0xFF]) {
        (TextEncoding::Utf16Be, 2)
    } else if let Some(encoding) = bomless_utf16(head) {
        (encoding, 0)
    } else if head.starts_with(b"\xEF\xBB\xBF") {
        (TextEncoding::Utf8, 3)
    } else if head.contains(&0) {
        return Err(ErrorKind::NotText {
            looks_like: "a binary file",
        }
        .into());
    } else if is_utf8_prefix(head, last) {
        (TextEncoding::Utf8, 0)
    } else {
        (legacy_encoding(head, last), 0)
    };
    Ok((
        Detected {
            encoding,
            delimiter: sniff_delimiter(head),
            cr_lines: head.contains(&b'\r') && !head.contains(&b'\n'),
        },
        bom_len,
    ))
}

/// The legacy encoding of text that is not UTF-8: chardetng's guess among the encodings order exports
/// come in (Shift_JIS, EUC-JP, Windows-1252), Shift_JIS when it guesses another.
fn legacy_encoding(head: &[u8], last: bool) -> TextEncoding {
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(head, last);
    // Most shops this is for are Japanese: the ".jp" hint breaks ties toward Japanese encodings on
    // short files, while clearly Western text is still read as Windows-1252.
    let guess = detector.guess(Some(b"jp"), chardetng::Utf8Detection::Deny);
    if guess == encoding_rs::WINDOWS_1252 || guess == encoding_rs::ISO_8859_2 {
        TextEncoding::Windows1252
    } else if guess == encoding_rs::EUC_JP {
        TextEncoding::EucJp
    } else {
        TextEncoding::ShiftJis
    }
}

/// UTF-16 without a byte-order mark: in the first KiB (at least 16 bytes), NULs at every other
/// position for at least half of the characters (the high byte of ASCII characters) and none at the
/// others, as in `o\0r\0d\0` (little-endian) or `\0o\0r\0d` (big-endian).
fn bomless_utf16(head: &[u8]) -> Option<TextEncoding> {
    if !is_bomless_utf16(head) {
        return None;
    }
    // Little-endian text has its NULs at the odd positions.
    let odd_nul = head.get(1) == Some(&0) || head.get(3) == Some(&0);
    Some(if odd_nul {
        TextEncoding::Utf16Le
    } else {
        TextEncoding::Utf16Be
    })
}

fn is_bomless_utf16(head: &[u8]) -> bool {
    let head = &head[..head.len().min(1024) & !1];
    let pairs = head.len() / 2;
    let zeros = |parity: usize| {
        head.iter()
            .skip(parity)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    let (even, odd) = (zeros(0), zeros(1));
    pairs >= 8 && (even == 0 || odd == 0) && even.max(odd) * 2 >= pairs
}

/// Valid UTF-8, allowing a character cut off at the end when more input follows.
fn is_utf8_prefix(head: &[u8], last: bool) -> bool {
    match std::str::from_utf8(head) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none() && !last,
    }
}

fn binary_signature(head: &[u8]) -> Option<&'static str> {
    const SIGNATURES: [(&[u8], &str); 9] = [
        (b"\x89PNG", "a PNG image"),
        (b"\xFF\xD8\xFF", "a JPEG image"),
        (b"GIF8", "a GIF image"),
        (b"%PDF", "a PDF document"),
        (
            b"PK\x03\x04",
            "a ZIP archive (an Excel .xlsx workbook is one; save it as CSV)",
        ),
        (
            b"\xD0\xCF\x11\xE0",
            "an Excel .xls workbook (save it as CSV)",
        ),
        (b"\x1F\x8B", "a gzip-compressed file (unpack it first)"),
        (b"BM", "a BMP image"),
        (b"{\\rtf", "an RTF document"),
    ];
    if head.len() >= 12 && &head[..4] == b"RIFF" && &head[8..12] == b"WEBP" {
        return Some("a WebP image");
    }
    SIGNATURES
        .iter()
        .find(|(magic, _)| head.starts_with(magic))
        .map(|(_, what)| *what)
        // "BM" alone is too weak for text files starting with those letters: require a binary byte too.
        .filter(|what| *what != "a BMP image" || head.iter().take(64).any(|&b| b < 0x09))
}

/// The delimiter that occurs most in the sniffed head, comma on ties (Shift_JIS trail bytes never
/// take these values, so raw bytes can be counted).
fn sniff_delimiter(head: &[u8]) -> u8 {
    let count = |d: u8| head.iter().filter(|&&b| b == d).count();
    let (commas, tabs, semicolons) = (count(b','), count(b'\t'), count(b';'));
    if tabs > commas && tabs >= semicolons {
        b'\t'
    } else if semicolons > commas && semicolons > tabs {
        b';'
    } else {
        b','
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_all(chunks: &[&[u8]]) -> Result<(Vec<u8>, Detected), Error> {
        let mut decoder = Decoder::new();
        let mut out = Vec::new();
        for (i, chunk) in chunks.iter().enumerate() {
            let last = i + 1 == chunks.len();
            out.extend_from_slice(decoder.feed(chunk, last)?.0);
        }
        Ok((out, decoder.detected().unwrap()))
    }

    #[test]
    fn utf8_bom_is_dropped_even_when_split_across_chunks() {
        let (out, detected) = decode_all(&[b"\xEF", b"\xBB\xBFa,b\n", b""]).unwrap();
        assert_eq!(out, b"a,b\n");
        assert_eq!(detected.encoding, TextEncoding::Utf8);
    }

    #[test]
    fn shift_jis_is_transcoded_with_characters_split_across_chunks() {
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode("注文番号,金額\n1,100\n");
        for split in 0..sjis.len() {
            let (out, detected) = decode_all(&[&sjis[..split], &sjis[split..], b""]).unwrap();
            assert_eq!(
                String::from_utf8(out).unwrap(),
                "注文番号,金額\n1,100\n",
                "split at {split}"
            );
            assert_eq!(detected.encoding, TextEncoding::ShiftJis);
        }
    }

    #[test]
    fn tabs_are_detected_as_the_delimiter() {
        let (_, detected) = decode_all(&[b"order-id\tpurchase-date\n1\t2024-01-01\n"]).unwrap();
        assert_eq!(detected.delimiter, b'\t');
    }

    #[test]
    fn binary_files_and_empty_input_are_refused() {
        let png = decode_all(&[b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"]).unwrap_err();
        assert_eq!(
            png.kind(),
            &ErrorKind::NotText {
                looks_like: "a PNG image"
            }
        );
        assert_eq!(decode_all(&[b""]).unwrap_err().kind(), &ErrorKind::Empty);
        assert!(matches!(
            decode_all(&[b"ab\0cd"]).unwrap_err().kind(),
            ErrorKind::NotText { .. }
        ));
    }

    #[test]
    fn only_the_sniffing_window_decides_however_large_the_first_chunk() {
        // A NUL and a byte invalid in UTF-8 after the window: the file is UTF-8 text whether it comes
        // in one chunk or in many.
        let mut file = "注文番号,注文日,金額\n".as_bytes().to_vec();
        while file.len() < SNIFF_BYTES + 10 {
            file.extend_from_slice(b"1,2024-01-01,100\n");
        }
        file.extend_from_slice(b"2,2024-01-02,\xFF\0\n");
        let whole = decode_all(&[&file]).unwrap();
        assert_eq!(whole.1.encoding, TextEncoding::Utf8);
        for size in [1000, 4096, SNIFF_BYTES, SNIFF_BYTES + 1] {
            let chunks: Vec<&[u8]> = file.chunks(size).collect();
            assert_eq!(decode_all(&chunks).unwrap(), whole, "chunks of {size}");
        }
    }

    #[test]
    fn lone_cr_line_ends_become_lf() {
        let (out, detected) = decode_all(&[b"a,b\r1,\"x\r", b"y\"\r"]).unwrap();
        assert!(detected.cr_lines);
        assert_eq!(out, b"a,b\n1,\"x\ny\"\n");
        let (out, detected) = decode_all(&[b"a,b\r\n1,2\r\n"]).unwrap();
        assert!(!detected.cr_lines);
        assert_eq!(out, b"a,b\r\n1,2\r\n");
    }

    #[test]
    fn utf16_with_or_without_a_bom_is_decoded_whatever_the_chunking() {
        let text = "order id,注文日,amount\r\n1,2024-01-01,10\r\n";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        let le_bom: Vec<u8> = [&[0xFF, 0xFE][..], &le].concat();
        let be_bom: Vec<u8> = [&[0xFE, 0xFF][..], &be].concat();
        for (bytes, encoding) in [
            (le, TextEncoding::Utf16Le),
            (be, TextEncoding::Utf16Be),
            (le_bom, TextEncoding::Utf16Le),
            (be_bom, TextEncoding::Utf16Be),
        ] {
            for size in [1, 3, bytes.len()] {
                let chunks: Vec<&[u8]> = bytes.chunks(size).collect();
                let (out, detected) = decode_all(&chunks).unwrap();
                assert_eq!(String::from_utf8(out).unwrap(), text);
                assert_eq!(detected.encoding, encoding);
            }
        }
        // NULs on both sides of the pairs, or too few of them, are a binary file still.
        for bytes in [&b"ab\0\0cd\0\0ef"[..], b"order id,date,amount\n\0\n"] {
            let error = decode_all(&[bytes]).unwrap_err();
            assert!(
                matches!(error.kind(), ErrorKind::NotText { .. }),
                "{bytes:?}"
            );
        }
    }

    #[test]
    fn western_and_japanese_legacy_encodings_are_told_apart() {
        // ISO-8859-1 / Windows-1252 as Western Excel saves it: £ and é are single bytes.
        let latin1 = b"order id,description,amount\r\n1,caf\xe9 cr\xe8me,\xa35.00\r\n2,na\xefve,\xa33.50\r\n";
        let (out, detected) = decode_all(&[latin1]).unwrap();
        assert_eq!(detected.encoding, TextEncoding::Windows1252);
        assert!(String::from_utf8(out).unwrap().contains("café crème,£5.00"));
        let (sjis, _, _) =
            encoding_rs::SHIFT_JIS.encode("注文番号,商品名,金額\r\n1,緑茶,１０００\r\n");
        assert_eq!(
            decode_all(&[&sjis]).unwrap().1.encoding,
            TextEncoding::ShiftJis
        );
        let (euc, _, _) = encoding_rs::EUC_JP
            .encode("注文番号,商品名,金額\r\n1,緑茶と抹茶の詰め合わせ,１０００\r\n");
        assert_eq!(decode_all(&[&euc]).unwrap().1.encoding, TextEncoding::EucJp);
    }

    #[test]
    fn text_starting_with_bm_is_still_text() {
        assert!(decode_all(&[b"BMI,date\n1,2024-01-01\n"]).is_ok());
    }
}
