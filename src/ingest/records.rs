//! Push-based CSV record splitting over `csv-core`: bytes in any chunking, whole records out, each
//! with the 1-based line it starts on. One reusable buffer holds the current record; nothing is
//! allocated per record once the buffer has grown to the widest record.
//!
//! A quote that opens a field and is never closed (or closed many lines later) would swallow every
//! following line into one value. Once the header's width is known, a record that spans several lines
//! and either has another number of fields than the header or carries a line that looks like a row
//! of its own (as many delimiters as the header) is taken as such a runaway quote: each of its lines
//! is read as a record of its own, and the first says where the quote opened and how many lines it
//! would have swallowed.

use crate::error::{Error, ErrorKind};
use csv_core::{ReadRecordResult, Reader, ReaderBuilder};

/// A record longer than this is taken as a sign that the input is not CSV.
pub const MAX_RECORD_BYTES: usize = 64 << 20;

/// One CSV record: unescaped fields stored back to back.
#[derive(Debug, Clone, Copy)]
pub struct Record<'a> {
    /// 1-based line on which the record starts.
    pub line: u64,
    /// Set on the first line read again after a runaway quote.
    pub runaway: Option<RunawayQuote>,
    bytes: &'a [u8],
    ends: &'a [usize],
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
        self.ends.len()
    }

    /// Field `i`, or empty when the record is shorter.
    pub fn field(&self, i: usize) -> &'a [u8] {
        match self.ends.get(i) {
            Some(&end) => {
                let start = if i == 0 { 0 } else { self.ends[i - 1] };
                &self.bytes[start..end]
            }
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
        self.bytes.iter().all(u8::is_ascii_whitespace)
    }
}

/// Splits a byte stream into CSV records.
pub struct RecordReader {
    reader: Reader,
    buf: Vec<u8>,
    ends: Vec<usize>,
    buf_len: usize,
    ends_len: usize,
    /// Between records: line terminators are skipped here so that the next record's start line is exact.
    at_record_start: bool,
    start_line: u64,
    delimiter: u8,
    /// The header's number of fields, once it is known: enables runaway-quote recovery.
    header_fields: Option<usize>,
    /// The raw bytes of the record being read (kept for runaway-quote recovery).
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
    pub fn push<F>(&mut self, mut input: &[u8], on_record: &mut F) -> Result<(), Error>
    where
        F: FnMut(Record<'_>) -> Result<Option<usize>, Error>,
    {
        while !input.is_empty() {
            if self.at_record_start {
                let skipped = input
                    .iter()
                    .take_while(|&&b| b == b'\n' || b == b'\r')
                    .count();
                let newlines = input[..skipped].iter().filter(|&&b| b == b'\n').count() as u64;
                self.reader.set_line(self.reader.line() + newlines);
                input = &input[skipped..];
                if input.is_empty() {
                    break;
                }
                self.at_record_start = false;
                self.start_line = self.reader.line();
            }
            let consumed = self.step(input, on_record)?;
            input = &input[consumed..];
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
            self.step(&[], on_record)?;
            if self.at_record_start {
                break;
            }
        }
        Ok(())
    }

    /// One call into csv-core; returns the bytes consumed.
    fn step<F>(&mut self, input: &[u8], on_record: &mut F) -> Result<usize, Error>
    where
        F: FnMut(Record<'_>) -> Result<Option<usize>, Error>,
    {
        let (result, nin, nout, nend) = self.reader.read_record(
            input,
            &mut self.buf[self.buf_len..],
            &mut self.ends[self.ends_len..],
        );
        self.buf_len += nout;
        self.ends_len += nend;
        if self.header_fields.is_some() {
            self.raw.extend_from_slice(&input[..nin]);
        }
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
                let raw = std::mem::take(&mut self.raw);
                let result = if self.is_runaway(&raw, ends_len) {
                    self.reread_lines(&raw, on_record).map(|()| None)
                } else {
                    on_record(Record {
                        line: self.start_line,
                        runaway: None,
                        bytes: &self.buf[..buf_len],
                        ends: &self.ends[..ends_len],
                    })
                };
                self.raw = raw;
                self.raw.clear();
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
        // Nearly every record is one line: `contains` on bytes is a memchr, far cheaper than splitting.
        if !body.contains(&b'\n') {
            return false;
        }
        let mut lines = body.split(|&b| b == b'\n');
        let Some(_first) = lines.next() else {
            return false;
        };
        let mut rest = lines.peekable();
        if rest.peek().is_none() {
            return false; // one line: nothing was swallowed
        }
        let delimiters = header_fields.saturating_sub(1).max(1);
        fields != header_fields
            || rest.any(|line| line.iter().filter(|&&b| b == self.delimiter).count() >= delimiters)
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
            on_record(Record {
                line: self.start_line + i as u64,
                runaway: (i == 0).then_some(RunawayQuote { lines: swallowed }),
                bytes: &buf[..nout],
                ends: &ends[..nend],
            })?;
        }
        Ok(())
    }
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
}
