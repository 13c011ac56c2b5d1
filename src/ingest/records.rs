//! Push-based CSV record splitting: bytes in any chunking, whole records out, each with the 1-based
//! line it starts on. Nothing is allocated per record once the buffers have grown to the widest
//! record.
//!
//! Most records are one line whose quoted fields close on that line right before a delimiter or the
//! line's end: once the header is known, those are split without `csv-core` (the fast path), the line
//! end found with memchr and the delimiters and quotes eight bytes at a time, the fields left in place
//! (or copied, when a doubled quote needs unescaping). Any other record, and one cut by the end of a
//! chunk, is read by `csv-core` (the careful path), with which the fast path agrees.
//!
//! A quote that opens a field and is never closed (or closed many lines later) would swallow every
//! following line into one value. Once the header's width is known, a record that spans several lines
//! and either has another number of fields than the header or carries a line that looks like a row
//! of its own (as many delimiters as the header) is taken as such a runaway quote: each of its lines
//! is read as a record of its own, and the first says where the quote opened and how many lines it
//! would have swallowed.

use crate::error::{Error, ErrorKind};
use csv_core::{ReadRecordResult, Reader, ReaderBuilder};
use memchr::{memchr, memchr2};

/// A record longer than this is taken as a sign that the input is not CSV.
pub const MAX_RECORD_BYTES: usize = 64 << 20;

/// Where a field lies in a record's bytes: start and end.
type Span = (usize, usize);

/// One CSV record: its fields as spans of unescaped bytes.
#[derive(Debug, Clone, Copy)]
pub struct Record<'a> {
    /// 1-based line on which the record starts.
    pub line: u64,
    /// Set on the first line read again after a runaway quote.
    pub runaway: Option<RunawayQuote>,
    bytes: &'a [u8],
    spans: &'a [Span],
}

/// A quote that opened a field and ran over the following lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunawayQuote {
    /// How many lines it would have read as one value.
    pub lines: u64,
}

impl<'a> Record<'a> {
    /// Number of fields.
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// Field `i`, or empty when the record is shorter.
    pub fn field(&self, i: usize) -> &'a [u8] {
        match self.spans.get(i) {
            Some(&(start, end)) => self.bytes.get(start..end).unwrap_or_default(),
            None => &[],
        }
    }

    /// Field `i` when the record has a column `i`.
    pub fn get(&self, i: Option<usize>) -> &'a [u8] {
        i.map_or(&[], |i| self.field(i))
    }

    /// All fields in order.
    pub fn fields(&self) -> impl Iterator<Item = &'a [u8]> + '_ {
        (0..self.len()).map(|i| self.field(i))
    }

    /// Whether every field is empty or spaces (a blank line, or a line of bare delimiters).
    pub fn is_blank(&self) -> bool {
        self.fields().all(|f| f.iter().all(u8::is_ascii_whitespace))
    }
}

/// Splits a byte stream into CSV records.
pub struct RecordReader {
    reader: Reader,
    buf: Vec<u8>,
    ends: Vec<usize>,
    buf_len: usize,
    ends_len: usize,
    /// The fields of the record being handed on.
    spans: Vec<Span>,
    /// The fields of a line read by the fast path that hold doubled quotes.
    escaped: Vec<usize>,
    /// Between records: line terminators are skipped here so that the next record's start line is exact.
    at_record_start: bool,
    start_line: u64,
    delimiter: u8,
    /// The header's number of fields, once it is known: enables runaway-quote recovery (and the fast
    /// path, which thus never sees the first record, where `csv-core` drops a byte-order mark).
    header_fields: Option<usize>,
    /// The raw bytes of a record that `csv-core` is reading, from the chunks before the current one
    /// (kept for runaway-quote recovery).
    raw: Vec<u8>,
}

impl RecordReader {
    /// A reader for fields separated by `delimiter`, quoted with `"`.
    pub fn new(delimiter: u8) -> Self {
        RecordReader {
            reader: ReaderBuilder::new().delimiter(delimiter).build(),
            buf: vec![0; 64 * 1024],
            ends: vec![0; 256],
            buf_len: 0,
            ends_len: 0,
            spans: Vec::new(),
            escaped: Vec::new(),
            at_record_start: true,
            start_line: 1,
            delimiter,
            header_fields: None,
            raw: Vec::new(),
        }
    }

    /// Tells the reader how many fields the header has.
    #[cfg(test)]
    fn set_header_fields(&mut self, fields: usize) {
        self.header_fields = Some(fields);
    }

    /// Parses `input`, calling `on_record` for every record it completes. `on_record` answers
    /// `Some(n)` when the record was the header, with `n` fields, which enables runaway-quote recovery.
    pub fn push<F>(&mut self, input: &[u8], on_record: &mut F) -> Result<(), Error>
    where
        F: FnMut(Record<'_>) -> Result<Option<usize>, Error>,
    {
        let mut pos = 0;
        // Where the record `csv-core` is reading starts in `input` (0 when in an earlier chunk).
        let mut record_start = 0;
        while pos < input.len() {
            if self.at_record_start {
                let rest = &input[pos..];
                let skipped = rest
                    .iter()
                    .take_while(|&&b| b == b'\n' || b == b'\r')
                    .count();
                let newlines = rest[..skipped].iter().filter(|&&b| b == b'\n').count() as u64;
                self.reader.set_line(self.reader.line() + newlines);
                pos += skipped;
                if pos == input.len() {
                    break;
                }
                self.start_line = self.reader.line();
                if self.header_fields.is_some() {
                    if let Some((consumed, unescaped)) = self.split_simple(&input[pos..]) {
                        let record = Record {
                            line: self.start_line,
                            runaway: None,
                            bytes: if unescaped { &self.buf } else { &input[pos..] },
                            spans: &self.spans,
                        };
                        let header = on_record(record)?;
                        if let Some(fields) = header {
                            self.header_fields = Some(fields);
                        }
                        pos += consumed;
                        continue;
                    }
                }
                self.at_record_start = false;
                record_start = pos;
            }
            pos += self.step(input, pos, record_start, on_record)?;
        }
        if !self.at_record_start && self.header_fields.is_some() {
            self.raw.extend_from_slice(&input[record_start..]);
        }
        Ok(())
    }

    /// Ends the input, emitting a last record that had no line terminator.
    pub fn finish<F>(&mut self, on_record: &mut F) -> Result<(), Error>
    where
        F: FnMut(Record<'_>) -> Result<Option<usize>, Error>,
    {
        if self.at_record_start {
            return Ok(());
        }
        // csv-core needs empty input until it reports End; it may first ask for more room.
        for _ in 0..4 {
            self.step(&[], 0, 0, on_record)?;
            if self.at_record_start {
                break;
            }
        }
        Ok(())
    }

    /// The fast path: splits the record at the start of `input` into `spans` when it ends in `input`
    /// on its first line and every quoted field closes on that line right before a delimiter or the
    /// line's end; answers the bytes it takes with its terminator, and whether the fields were
    /// unescaped into `buf` (else they lie in `input`). `None` leaves the record to `csv-core`, as
    /// does one larger than the buffers `csv-core` would read it into (those decide when a record is
    /// too large).
    fn split_simple(&mut self, input: &[u8]) -> Option<(usize, bool)> {
        // csv-core ends an unquoted record at a CR or an LF alike.
        let line = &input[..memchr2(b'\n', b'\r', input)?];
        if line.len() >= self.buf.len() {
            return None;
        }
        // Taken out of `self` for the loop, so that it stays in registers.
        let mut spans = std::mem::take(&mut self.spans);
        let found = self.split_line(line, &mut spans);
        self.spans = spans;
        let escaped = found?;
        if escaped {
            self.unescape(line);
        }
        // The terminator is taken as csv-core takes it, and counted when it is an LF.
        if input[line.len()] == b'\n' {
            self.reader.set_line(self.reader.line() + 1);
        }
        Some((line.len() + 1, escaped))
    }

    /// Splits `line` into `spans` for [`Self::split_simple`]; answers whether a quoted field has a
    /// doubled quote (those fields are listed in `escaped`), or `None` for a line left to csv-core.
    fn split_line(&mut self, line: &[u8], spans: &mut Vec<Span>) -> Option<bool> {
        spans.clear();
        self.escaped.clear();
        let delimiters = ONES * u64::from(self.delimiter);
        // The field being read: where it starts, whether it opened with a quote, whether that quote
        // is still open, and where the quote that last closed it is.
        let (mut start, mut quoted, mut in_quotes, mut closed_at) = (0, false, false, 0);
        for (base, chunk) in (0..).step_by(8).zip(line.chunks(8)) {
            let word = match chunk.first_chunk::<8>() {
                Some(bytes) => u64::from_le_bytes(*bytes),
                None => {
                    // The last bytes are padded with zeros, which are neither delimiter nor quote.
                    let mut bytes = [0u8; 8];
                    bytes[..chunk.len()].copy_from_slice(chunk);
                    u64::from_le_bytes(bytes)
                }
            };
            let delims = zero_bytes(word ^ delimiters);
            let quotes = zero_bytes(word ^ QUOTES);
            if quotes == 0 && !quoted {
                // Plain fields, nearly every byte of a file.
                let mut bits = delims;
                while bits != 0 {
                    let at = base + (bits.trailing_zeros() / 8) as usize;
                    bits &= bits - 1;
                    spans.push((start, at));
                    start = at + 1;
                }
            } else if !(quotes == 0 && in_quotes) {
                let mut bits = delims | quotes;
                while bits != 0 {
                    let bit = bits & bits.wrapping_neg();
                    bits &= bits - 1;
                    let at = base + (bit.trailing_zeros() / 8) as usize;
                    if delims & bit != 0 {
                        if in_quotes {
                            continue;
                        }
                        if quoted {
                            // Text after the closing quote: csv-core knows what to make of it.
                            if closed_at + 1 != at {
                                return None;
                            }
                            spans.push((start + 1, closed_at));
                        } else {
                            spans.push((start, at));
                        }
                        start = at + 1;
                        quoted = false;
                    } else if in_quotes {
                        in_quotes = false;
                        closed_at = at;
                    } else if quoted {
                        // Right after the closing quote, a doubled quote; further on, csv-core's.
                        if closed_at + 1 != at {
                            return None;
                        }
                        in_quotes = true;
                        if self.escaped.last() != Some(&spans.len()) {
                            self.escaped.push(spans.len());
                        }
                    } else if at == start {
                        quoted = true;
                        in_quotes = true;
                    }
                    // Any other quote is inside an unquoted field: text, as in csv-core.
                }
            }
            if spans.len() >= self.ends.len() {
                return None;
            }
        }
        if quoted {
            // A quote still open runs over the line break: csv-core reads the value on.
            if in_quotes || closed_at + 1 != line.len() {
                return None;
            }
            spans.push((start + 1, closed_at));
        } else {
            spans.push((start, line.len()));
        }
        if spans.len() >= self.ends.len() {
            return None;
        }
        Some(!self.escaped.is_empty())
    }

    /// Copies `line` into `buf` and there turns each doubled quote of the `escaped` fields into one.
    fn unescape(&mut self, line: &[u8]) {
        self.buf[..line.len()].copy_from_slice(line);
        for &field in &self.escaped {
            let Some(span) = self.spans.get_mut(field) else {
                continue;
            };
            // Every quote inside a quoted field is the first of a pair (`split_line` saw to it).
            let (mut from, mut to) = (span.0, span.0);
            while from < span.1 {
                let b = self.buf[from];
                self.buf[to] = b;
                to += 1;
                from += if b == b'"' { 2 } else { 1 };
            }
            span.1 = to;
        }
    }

    /// One call into csv-core on `input[pos..]`, for the record that starts at `input[record_start]`
    /// (or in an earlier chunk); returns the bytes consumed.
    fn step<F>(
        &mut self,
        input: &[u8],
        pos: usize,
        record_start: usize,
        on_record: &mut F,
    ) -> Result<usize, Error>
    where
        F: FnMut(Record<'_>) -> Result<Option<usize>, Error>,
    {
        let (result, nin, nout, nend) = self.reader.read_record(
            &input[pos..],
            &mut self.buf[self.buf_len..],
            &mut self.ends[self.ends_len..],
        );
        self.buf_len += nout;
        self.ends_len += nend;
        match result {
            ReadRecordResult::InputEmpty => {}
            ReadRecordResult::OutputFull => {
                if self.buf.len() >= MAX_RECORD_BYTES {
                    return Err(ErrorKind::RecordTooLarge {
                        line: self.start_line,
                    }
                    .into());
                }
                self.buf.resize(self.buf.len() * 2, 0);
            }
            ReadRecordResult::OutputEndsFull => {
                if self.ends.len() >= MAX_RECORD_BYTES / 64 {
                    return Err(ErrorKind::RecordTooLarge {
                        line: self.start_line,
                    }
                    .into());
                }
                self.ends.resize(self.ends.len() * 2, 0);
            }
            ReadRecordResult::Record => {
                let (buf_len, ends_len) = (self.buf_len, self.ends_len);
                self.buf_len = 0;
                self.ends_len = 0;
                self.at_record_start = true;
                let mut carried = std::mem::take(&mut self.raw);
                let here = &input[record_start..pos + nin];
                let raw = if carried.is_empty() {
                    here
                } else {
                    carried.extend_from_slice(here);
                    &carried
                };
                let result = if self.is_runaway(raw, ends_len) {
                    self.reread_lines(raw, on_record).map(|()| None)
                } else {
                    spans_from_ends(&self.ends[..ends_len], &mut self.spans);
                    on_record(Record {
                        line: self.start_line,
                        runaway: None,
                        bytes: &self.buf[..buf_len],
                        spans: &self.spans,
                    })
                };
                carried.clear();
                self.raw = carried;
                if let Some(fields) = result? {
                    self.header_fields = Some(fields);
                }
            }
            ReadRecordResult::End => self.at_record_start = true,
        }
        Ok(nin)
    }

    /// Whether a record read from `raw` with `fields` fields is a runaway quote (see the module doc).
    fn is_runaway(&self, raw: &[u8], fields: usize) -> bool {
        let Some(header_fields) = self.header_fields else {
            return false;
        };
        let body = body(raw);
        if memchr(b'\n', body).is_none() {
            return false; // one line: nothing was swallowed
        }
        let mut rest = body.split(|&b| b == b'\n').skip(1);
        let delimiters = header_fields.saturating_sub(1).max(1);
        fields != header_fields
            || rest.any(|line| memchr::memchr_iter(self.delimiter, line).count() >= delimiters)
    }

    /// Reads each line of a runaway record as a record of its own.
    fn reread_lines<F>(&self, raw: &[u8], on_record: &mut F) -> Result<(), Error>
    where
        F: FnMut(Record<'_>) -> Result<Option<usize>, Error>,
    {
        let lines: Vec<&[u8]> = body(raw).split(|&b| b == b'\n').collect();
        let swallowed = lines.len() as u64;
        let mut buf = vec![0u8; raw.len() + 1];
        let mut ends = vec![0usize; raw.len() + 1];
        let mut spans = Vec::new();
        for (i, line) in lines.into_iter().enumerate() {
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            let mut reader = ReaderBuilder::new().delimiter(self.delimiter).build();
            let (mut input, mut nout, mut nend) = (line, 0, 0);
            loop {
                let (result, nin, out, end) =
                    reader.read_record(input, &mut buf[nout..], &mut ends[nend..]);
                input = &input[nin..];
                nout += out;
                nend += end;
                match result {
                    ReadRecordResult::Record | ReadRecordResult::End => break,
                    // Cannot happen: the buffers are larger than the line; stop rather than spin.
                    ReadRecordResult::OutputFull | ReadRecordResult::OutputEndsFull => break,
                    ReadRecordResult::InputEmpty => {}
                }
            }
            spans_from_ends(&ends[..nend], &mut spans);
            on_record(Record {
                line: self.start_line + i as u64,
                runaway: (i == 0).then_some(RunawayQuote { lines: swallowed }),
                bytes: &buf[..nout],
                spans: &spans,
            })?;
        }
        Ok(())
    }
}

const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
const LOW7: u64 = u64::from_ne_bytes([0x7F; 8]);
const QUOTES: u64 = ONES * b'"' as u64;

/// The high bit of each zero byte of `x`, exactly (no borrow from one byte to the next): with `x` a
/// word of text xor-ed with a byte repeated, where that byte is.
fn zero_bytes(x: u64) -> u64 {
    !(((x & LOW7).wrapping_add(LOW7)) | x | LOW7)
}

/// The spans of fields stored back to back, from their ends (as `csv-core` writes them).
fn spans_from_ends(ends: &[usize], spans: &mut Vec<Span>) {
    spans.clear();
    let mut start = 0;
    spans.extend(ends.iter().map(|&end| {
        let span = (start, end);
        start = end;
        span
    }));
}

/// A record's raw bytes without its line terminator.
fn body(raw: &[u8]) -> &[u8] {
    let end = raw
        .iter()
        .rposition(|&b| b != b'\n' && b != b'\r')
        .map_or(0, |i| i + 1);
    &raw[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(input: &[u8], chunk: usize) -> Vec<(u64, Vec<String>)> {
        split_with(input, chunk, None)
            .into_iter()
            .map(|(line, fields, _)| (line, fields))
            .collect()
    }

    type Split = Vec<(u64, Vec<String>, Option<RunawayQuote>)>;

    fn split_with(input: &[u8], chunk: usize, header_fields: Option<usize>) -> Split {
        let mut reader = RecordReader::new(b',');
        if let Some(n) = header_fields {
            reader.set_header_fields(n);
        }
        let mut out = Vec::new();
        let mut collect = |r: Record<'_>| {
            let fields = r
                .fields()
                .map(|f| String::from_utf8_lossy(f).into_owned())
                .collect();
            out.push((r.line, fields, r.runaway));
            Ok(None)
        };
        for piece in input.chunks(chunk.max(1)) {
            reader.push(piece, &mut collect).unwrap();
        }
        reader.finish(&mut collect).unwrap();
        out
    }

    #[test]
    fn records_carry_the_line_they_start_on() {
        let input = b"a,b\r\n\r\n\"x\ny\",2\n\nlast,3";
        let want = vec![
            (1, vec!["a".to_string(), "b".to_string()]),
            (3, vec!["x\ny".to_string(), "2".to_string()]),
            (6, vec!["last".to_string(), "3".to_string()]),
        ];
        for chunk in 1..=input.len() {
            assert_eq!(split(input, chunk), want, "chunk size {chunk}");
        }
    }

    #[test]
    fn quoted_delimiters_and_doubled_quotes_are_unescaped() {
        let got = split(b"\"a, b\",\"say \"\"hi\"\"\"\n", 1024);
        assert_eq!(got[0].1, vec!["a, b", "say \"hi\""]);
    }

    #[test]
    fn an_unclosed_quote_is_read_line_by_line_and_reported() {
        let input = b"1,a,\"gift for mom\n2,b,x\n3,c,\"y, z\"\n";
        let want: Split = vec![
            (
                1,
                vec!["1".into(), "a".into(), "gift for mom".into()],
                Some(RunawayQuote { lines: 3 }),
            ),
            (2, vec!["2".into(), "b".into(), "x".into()], None),
            (3, vec!["3".into(), "c".into(), "y, z".into()], None),
        ];
        for chunk in [1, 2, 5, 1024] {
            assert_eq!(
                split_with(input, chunk, Some(3)),
                want,
                "chunk size {chunk}"
            );
        }
        // Before the header is known, or for a multi-line value in a record of the header's width
        // whose lines do not look like rows, the quotes are taken as written.
        assert_eq!(split_with(input, 1024, None).len(), 1);
        let note = b"1,a,\"line one\nline two\"\n2,b,c\n";
        let got = split_with(note, 3, Some(3));
        assert_eq!(got[0].1[2], "line one\nline two");
        assert_eq!((got[0].2, got.len()), (None, 2));
    }

    #[test]
    fn wide_and_long_records_grow_the_buffers() {
        let wide = vec!["x"; 1000].join(",");
        let long = "y".repeat(200_000);
        let input = format!("{wide}\n{long}\n");
        let got = split(input.as_bytes(), 7919);
        assert_eq!(got[0].1.len(), 1000);
        assert_eq!(got[1].1, vec![long]);
    }

    mod fast_path {
        use super::split_with;
        use proptest::prelude::*;
        use proptest::test_runner::{Config, RngSeed};

        proptest! {
            #![proptest_config(Config {
                cases: 3000,
                rng_seed: RngSeed::Fixed(0x00C5_7C0E),
                failure_persistence: None,
                ..Config::default()
            })]

            /// Records split in place read as csv-core reads them: chunks of one byte never hold a
            /// whole record, so they take the careful path throughout.
            #[test]
            fn agrees_with_csv_core(
                bytes in prop::collection::vec(prop::sample::select(b"ab ,\"\r\n".to_vec()), 0..120),
                header in prop::option::of(1..5usize),
                chunk in 2..150usize,
            ) {
                prop_assert_eq!(split_with(&bytes, chunk, header), split_with(&bytes, 1, header));
            }
        }
    }
}
