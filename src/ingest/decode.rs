//! The first pipeline stage: recognises what the bytes are (UTF-8 with or without BOM, UTF-16 with or
//! without BOM, Shift_JIS, EUC-JP, Windows-1252 / ISO-8859-1, or something that is not text at all),
//! picks the field delimiter, and hands on UTF-8 bytes. Legacy encodings are told apart by chardetng
//! (the detector Firefox uses), restricted to the ones order exports come in.
//!
//! Detection looks at exactly the first [`SNIFF_BYTES`] of input (never more, however large the first
//! chunk), so the result does not depend on how the input is split into chunks; later bytes are read
//! the same way whatever the chunking (invalid UTF-8 becomes U+FFFD when fields are read as text, and
//! the rows holding it are counted by the record reader). UTF-8 is weighed against the legacy
//! encodings by counting, in the window, the characters that are valid UTF-8 against the bytes that
//! are not, so that one bad byte among thousands of valid characters does not turn a UTF-8 file into
//! Shift_JIS; a choice made by a narrow margin is reported as a [`CloseCall`]. A window with a few NUL
//! bytes is text with damaged rows (skipped where they occur, as further on); one full of control
//! bytes is refused as binary. The user may also choose the encoding ([`Decoder::with_encoding`]).
//! Other encodings are transcoded with a streaming decoder that carries characters split across
//! chunks.
//! Line ends are decided per line: a CR followed by an LF is kept, every other CR (classic Mac files,
//! or lone CRs in a file of CRLF lines) becomes an LF, so that line numbers in warnings count them and
//! no line is joined to the next; a CR that ends a chunk waits for the next chunk's first byte.

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
    /// Set when the window holds both text that reads as UTF-8 and bytes that do not, in proportions
    /// that make the choice a close call.
    pub close_call: Option<CloseCall>,
}

/// Why the encoding was a close call: the encoding not chosen, and what the window held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CloseCall {
    /// The encoding the file would otherwise have been read in.
    pub other: TextEncoding,
    /// Characters of two to four bytes in the window that are valid UTF-8.
    pub utf8_chars: u64,
    /// Bytes or byte sequences in the window that are not UTF-8.
    pub not_utf8: u64,
}

/// At least this many valid UTF-8 characters per invalid sequence in the window, and at least
/// [`UTF8_CHARS_AT_LEAST`] of them, read it as UTF-8 (a Shift_JIS text's bytes pair up as valid UTF-8
/// by chance about once per 4 to 25 invalid sequences, more often in a short text).
const UTF8_PER_INVALID: u64 = 8;
const UTF8_CHARS_AT_LEAST: u64 = 16;
/// From this many valid UTF-8 characters per invalid sequence, reading it as UTF-8 is no close call.
const UTF8_PER_INVALID_SURE: u64 = 64;
/// A legacy encoding chosen over at least as many valid UTF-8 characters as invalid sequences, and at
/// least this many, is a close call.
const UTF8_CHARS_DOUBTFUL: u64 = 8;

/// Turns pushed byte chunks into UTF-8 chunks.
#[derive(Default)]
pub struct Decoder {
    /// The encoding the user chose, instead of detecting one.
    chosen: Option<TextEncoding>,
    detected: Option<Detected>,
    state: State,
}

#[derive(Default)]
struct State {
    sniffed: Vec<u8>,
    transcoder: Option<encoding_rs::Decoder>,
    out: Vec<u8>,
    /// Text with its lone CRs turned into LFs, when `out` or the input had some.
    fixed: Vec<u8>,
    /// The last chunk ended with a CR: whether it is a lone one depends on the next byte.
    pending_cr: bool,
}

impl Decoder {
    /// A decoder that reads the text in `encoding` (a byte-order mark of that encoding is dropped)
    /// instead of detecting one; `None` detects.
    pub fn with_encoding(encoding: Option<TextEncoding>) -> Self {
        Decoder {
            chosen: encoding,
            ..Self::default()
        }
    }

    /// What was detected, once enough input has been seen.
    pub fn detected(&self) -> Option<Detected> {
        self.detected
    }

    /// Feeds a chunk (`last` marks the end of input) and returns the UTF-8 bytes ready for CSV
    /// parsing, which may be empty while the start of the input is still being sniffed, with what was
    /// detected once it is known. Every line ends with LF or CRLF: a lone CR becomes an LF.
    pub fn feed<'a>(
        &'a mut self,
        input: &'a [u8],
        last: bool,
    ) -> Result<(&'a [u8], Option<Detected>), Error> {
        let text = self
            .state
            .feed(&mut self.detected, self.chosen, input, last)?;
        Ok((text, self.detected))
    }
}

impl State {
    fn feed<'a>(
        &'a mut self,
        detected: &mut Option<Detected>,
        chosen: Option<TextEncoding>,
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
            let (found, bom_len) = sniff(window, whole_input, chosen)?;
            *detected = Some(found);
            let head = std::mem::take(&mut self.sniffed);
            self.transcoder = found.encoding.decoder();
            if self.transcoder.is_some() {
                self.transcode(head.get(bom_len..).unwrap_or_default(), last)?;
            } else {
                self.out = head;
                self.out.drain(..bom_len);
            }
            return Ok(self.line_ends_fixed(None, last));
        }
        if self.transcoder.is_some() {
            self.transcode(input, last)?;
            return Ok(self.line_ends_fixed(None, last));
        }
        Ok(self.line_ends_fixed(Some(input), last))
    }

    /// `input` (or `out` when `None`), with each lone CR turned into an LF; a CR at the end of a
    /// chunk is held back until the next byte tells whether an LF follows it.
    fn line_ends_fixed<'a>(&'a mut self, input: Option<&'a [u8]>, last: bool) -> &'a [u8] {
        let text = input.unwrap_or(&self.out);
        if !self.pending_cr && !has_lone_cr(text) {
            return text;
        }
        self.fixed.clear();
        let mut rest = text;
        if self.pending_cr {
            match rest.first() {
                None if !last => return &[],
                Some(b'\n') => self.fixed.push(b'\r'),
                _ => self.fixed.push(b'\n'),
            }
            self.pending_cr = false;
        }
        while let Some(at) = memchr::memchr(b'\r', rest) {
            self.fixed.extend_from_slice(&rest[..at]);
            match rest.get(at + 1) {
                Some(b'\n') => self.fixed.push(b'\r'),
                Some(_) => self.fixed.push(b'\n'),
                None if last => self.fixed.push(b'\n'),
                None => self.pending_cr = true,
            }
            rest = &rest[at + 1..];
        }
        self.fixed.extend_from_slice(rest);
        &self.fixed
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

/// Whether `text` has a CR not followed by an LF, or ends with a CR (held back, or lone at the end).
fn has_lone_cr(text: &[u8]) -> bool {
    memchr::memchr_iter(b'\r', text).any(|at| text.get(at + 1) != Some(&b'\n'))
}

/// Decides encoding and delimiter from the start of the input (`last`: it is the whole input), or
/// takes the `chosen` encoding; returns the BOM length to drop.
fn sniff(
    head: &[u8],
    last: bool,
    chosen: Option<TextEncoding>,
) -> Result<(Detected, usize), Error> {
    if head.is_empty() {
        return Err(ErrorKind::Empty.into());
    }
    if let Some(looks_like) = binary_signature(head) {
        return Err(ErrorKind::NotText { looks_like }.into());
    }
    let (encoding, bom_len, close_call) = match chosen {
        Some(encoding) => (encoding, bom_of(head, encoding), None),
        None => detect_encoding(head, last)?,
    };
    Ok((
        Detected {
            encoding,
            delimiter: sniff_delimiter(head),
            close_call,
        },
        bom_len,
    ))
}

/// The length of `encoding`'s byte-order mark at the start of `head`, 0 when there is none.
fn bom_of(head: &[u8], encoding: TextEncoding) -> usize {
    let bom: &[u8] = match encoding {
        TextEncoding::Utf8 => b"\xEF\xBB\xBF",
        TextEncoding::Utf16Le => b"\xFF\xFE",
        TextEncoding::Utf16Be => b"\xFE\xFF",
        _ => return 0,
    };
    if head.starts_with(bom) {
        bom.len()
    } else {
        0
    }
}

/// The encoding of `head` with the length of its byte-order mark, and whether it was a close call.
fn detect_encoding(
    head: &[u8],
    last: bool,
) -> Result<(TextEncoding, usize, Option<CloseCall>), Error> {
    if head.starts_with(&[0xFF, 0xFE]) {
        return Ok((TextEncoding::Utf16Le, 2, None));
    }
    if head.starts_with(&[0xFE, 0xFF]) {
        return Ok((TextEncoding::Utf16Be, 2, None));
    }
    if let Some(encoding) = bomless_utf16(head) {
        return Ok((encoding, 0, None));
    }
    if head.starts_with(b"\xEF\xBB\xBF") {
        return Ok((TextEncoding::Utf8, 3, None));
    }
    if looks_binary(head) {
        return Err(ErrorKind::NotText {
            looks_like: "a binary file",
        }
        .into());
    }
    let (utf8_chars, not_utf8) = utf8_counts(head, last);
    if not_utf8 == 0 {
        return Ok((TextEncoding::Utf8, 0, None));
    }
    let legacy = legacy_encoding(head, last);
    let call = |other| CloseCall {
        other,
        utf8_chars,
        not_utf8,
    };
    Ok(
        if utf8_chars >= UTF8_PER_INVALID * not_utf8 && utf8_chars >= UTF8_CHARS_AT_LEAST {
            let sure = utf8_chars >= UTF8_PER_INVALID_SURE * not_utf8;
            (TextEncoding::Utf8, 0, (!sure).then(|| call(legacy)))
        } else {
            let doubtful = utf8_chars >= not_utf8 && utf8_chars >= UTF8_CHARS_DOUBTFUL;
            (legacy, 0, doubtful.then(|| call(TextEncoding::Utf8)))
        },
    )
}

/// Control bytes that text does not hold: C0 controls other than tab, line ends, form feed, SUB
/// (an old end-of-file mark) and ESC.
fn is_binary_byte(b: u8) -> bool {
    b < 0x20 && !matches!(b, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | 0x1A | 0x1B)
}

/// A window of more than a few NULs and other control bytes, above one byte in 64, is not text (an
/// image, an archive); fewer are damaged rows of a text file, skipped one by one where they occur.
fn looks_binary(head: &[u8]) -> bool {
    let binary = head.iter().filter(|&&b| is_binary_byte(b)).count();
    binary >= 8 && binary * 64 > head.len()
}

/// How many characters of two to four bytes in `head` are valid UTF-8, and how many bytes or byte
/// sequences are not (a character cut off at the end counts as valid when more input follows).
fn utf8_counts(head: &[u8], last: bool) -> (u64, u64) {
    let leads = |valid: &[u8]| valid.iter().filter(|&&b| b >= 0xC0).count() as u64;
    let (mut chars, mut invalid) = (0, 0);
    let mut rest = head;
    loop {
        match std::str::from_utf8(rest) {
            Ok(_) => return (chars + leads(rest), invalid),
            Err(e) => {
                chars += leads(&rest[..e.valid_up_to()]);
                match e.error_len() {
                    Some(len) => {
                        invalid += 1;
                        rest = &rest[e.valid_up_to() + len..];
                    }
                    None => return (chars + u64::from(!last), invalid + u64::from(last)),
                }
            }
        }
    }
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
        let mut decoder = Decoder::default();
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
        // Control bytes throughout: not text. A few NULs in text are damaged rows, not a binary file.
        let noise: Vec<u8> = (0..4096u32).map(|i| (i * 37 % 251) as u8).collect();
        assert!(matches!(
            decode_all(&[&noise]).unwrap_err().kind(),
            ErrorKind::NotText { .. }
        ));
        assert!(decode_all(&[b"ab\0cd"]).is_ok());
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
    fn lone_cr_line_ends_become_lf_line_by_line_whatever_the_chunking() {
        let (out, _) = decode_all(&[b"a,b\r1,\"x\r", b"y\"\r"]).unwrap();
        assert_eq!(out, b"a,b\n1,\"x\ny\"\n");
        let (out, _) = decode_all(&[b"a,b\r\n1,2\r\n"]).unwrap();
        assert_eq!(out, b"a,b\r\n1,2\r\n");
        // CRLF lines, then lone CRs: each CR is decided by the byte after it, also across chunks.
        let mixed = b"a,b\r\n1,2\r\n3,4\r5,6\r\r7,8\n9,0\r";
        let want = b"a,b\r\n1,2\r\n3,4\n5,6\n\n7,8\n9,0\n";
        for size in 1..mixed.len() {
            let chunks: Vec<&[u8]> = mixed.chunks(size).collect();
            let mut chunks = chunks.clone();
            chunks.push(b"");
            assert_eq!(decode_all(&chunks).unwrap().0, want, "chunks of {size}");
        }
        // The same in a transcoded encoding.
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode("注文番号,金額\r\n1,100\r2,200\r\n");
        let (out, detected) = decode_all(&[&sjis, b""]).unwrap();
        assert_eq!(detected.encoding, TextEncoding::ShiftJis);
        assert_eq!(out, "注文番号,金額\r\n1,100\n2,200\r\n".as_bytes());
    }

    #[test]
    fn one_bad_byte_among_many_utf8_characters_stays_utf8() {
        // 200 rows of Japanese UTF-8 (far more than 32 valid characters per bad byte) and one byte
        // that is not UTF-8: UTF-8, no close call.
        let mut file = "注文番号,注文日,金額,備考\n".as_bytes().to_vec();
        for i in 0..200 {
            file.extend_from_slice(format!("{i},2024-01-01,100,山田\n").as_bytes());
        }
        file.extend_from_slice(b"201,2024-01-01,100,\xFF\n");
        let (out, detected) = decode_all(&[&file]).unwrap();
        assert_eq!(detected.encoding, TextEncoding::Utf8);
        assert_eq!(detected.close_call, None);
        assert_eq!(out, file, "UTF-8 is handed on as it is");
        // 20 valid characters (山田 ten times) against one bad byte: UTF-8 by 20 ≥ 8 × 1 and 20 ≥ 16,
        // a close call (20 < 64 × 1) whose alternative is the legacy guess.
        let mut close = "order,name\n".as_bytes().to_vec();
        for i in 0..10 {
            close.extend_from_slice(format!("{i},山田\n").as_bytes());
        }
        close.extend_from_slice(b"10,\x93\n");
        let (_, detected) = decode_all(&[&close]).unwrap();
        assert_eq!(detected.encoding, TextEncoding::Utf8);
        let call = detected.close_call.unwrap();
        assert_eq!((call.utf8_chars, call.not_utf8), (20, 1));
        assert_ne!(call.other, TextEncoding::Utf8);
        // Three bad bytes: 20 < 8 × 3, the legacy encoding, a close call the other way (20 ≥ 3).
        close.extend_from_slice(b"11,\x93\n12,\x93\n");
        let (_, detected) = decode_all(&[&close]).unwrap();
        assert_ne!(detected.encoding, TextEncoding::Utf8);
        assert_eq!(detected.close_call.unwrap().other, TextEncoding::Utf8);
        // 3 valid characters and one bad byte are too few to tell: the legacy guess, no close call.
        let few = ["order,注文,額\n1,".as_bytes(), b"\x93\n"].concat();
        let (_, detected) = decode_all(&[&few]).unwrap();
        assert_ne!(detected.encoding, TextEncoding::Utf8);
        assert_eq!(detected.close_call, None);
        // Shift_JIS text: its bytes pair up as valid UTF-8 now and then, far too rarely for a close
        // call.
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(
            "注文番号,商品名,金額\r\n1,有機緑茶「やぶきた」と抹茶の詰め合わせ,１０００\r\n",
        );
        let (_, detected) = decode_all(&[&sjis]).unwrap();
        assert_eq!(detected.encoding, TextEncoding::ShiftJis);
        assert_eq!(detected.close_call, None);
    }

    #[test]
    fn a_chosen_encoding_is_read_as_chosen() {
        let mut decoder = Decoder::with_encoding(Some(TextEncoding::Windows1252));
        let (out, detected) = decoder.feed("a,b\n1,山\n".as_bytes(), true).unwrap();
        assert_eq!(detected.unwrap().encoding, TextEncoding::Windows1252);
        assert_eq!(String::from_utf8(out.to_vec()).unwrap(), "a,b\n1,å±±\n");
        let mut decoder = Decoder::with_encoding(Some(TextEncoding::Utf8));
        let (out, _) = decoder.feed(b"\xEF\xBB\xBFa\n", true).unwrap();
        assert_eq!(out, b"a\n");
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
        // NULs on both sides of the pairs are a binary file still.
        let bytes = b"ab\0\0cd\0\0ef\0\0gh\0\0ij\0\0";
        let error = decode_all(&[bytes]).unwrap_err();
        assert!(matches!(error.kind(), ErrorKind::NotText { .. }));
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
