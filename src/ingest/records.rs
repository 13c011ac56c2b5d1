//! Push-based CSV record splitting: bytes in any chunking, whole records out, each with the 1-based
//! line it starts on. Nothing is allocated per record once the buffers have grown to the widest
//! record.
//!
//! Most records are one line whose quoted fields close on that line right before a delimiter or the
//! line's end: once the header is known, those are split without `csv-core` (the fast path), the line
//! end found with memchr and the delimiters and quotes eight bytes at a time, the fields left in place
//! (or copied, when a doubled quote needs unescaping). Any other record, and one cut by the end of a
//! chunk, is read by `csv-core` (the careful path), with which the fast path agrees. The decoder hands
//! on lines that end with LF or CRLF only (a lone CR has become an LF), so an LF is a line.
//!
//! A quote that opens a field and is never closed (or closed many lines later) would swallow every
//! following line into one value. Once the header's width is known, a record that spans several lines
//! and either has another number of fields than the header or carries a line that looks like a row
//! of its own (as many delimiters as the header) is taken as such a runaway quote: each of its lines
//! is read as a record of its own; the first is marked [`Runaway::Opens`] and an empty record marked
//! [`Runaway::Closes`] follows the last, with how many lines the quote would have swallowed. The
//! second sign is looked for as the record is read: once a line looks like a row, the lines so far are
//! handed on and the rest of the record is read line by line as it streams in (`csv-core` is shown
//! only the lines with a quote, to find where the record would have ended), so that recovery takes
//! the time and memory of reading the lines normally, whatever the size of the file.
//!
//! Each record also says whether its bytes hold a NUL or a sequence that is not UTF-8 ([`Damage`]):
//! found once per chunk (memchr and a UTF-8 check, a sequence cut by a chunk's end carried to the
//! next), so that a clean chunk costs no more per record.

use crate::error::{Error, ErrorKind};
use csv_core::{ReadRecordResult, Reader, ReaderBuilder};
use memchr::{memchr, memchr2};

/// A record longer than this is taken as a sign that the input is not CSV (a runaway quote read
/// line by line is not one record).
pub const MAX_RECORD_BYTES: usize = 64 << 20;

/// Where a field lies in a record's bytes: start and end.
type Span = (usize, usize);

/// One CSV record: its fields as spans of unescaped bytes.
#[derive(Debug, Clone, Copy)]
pub struct Record<'a> {
    /// 1-based line on which the record starts.
    pub line: u64,
    /// Set on the first line read on its own after a runaway quote, and on the empty record after
    /// its last.
    pub runaway: Option<Runaway>,
    /// What the record's bytes hold that text does not.
    pub damage: Damage,
    bytes: &'a [u8],
    spans: &'a [Span],
}

/// A quote that opened a field and ran over the following lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Runaway {
    /// The quote opens on this line.
    Opens,
    /// The lines of the runaway are over (an empty record): how many lines it would have read as
    /// one value, the one it opened on included.
    Closes {
        /// Lines of the record, without empty lines at the end of the input.
        lines: u64,
    },
}

/// Bytes of a record that are not text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Damage {
    /// A NUL byte.
    pub nul: bool,
    /// A byte or sequence that is not UTF-8 (read as U+FFFD).
    pub not_utf8: bool,
}

impl Damage {
    /// The damage of `bytes`, looked at directly.
    fn of(bytes: &[u8]) -> Damage {
        Damage {
            nul: memchr(0, bytes).is_some(),
            not_utf8: std::str::from_utf8(bytes).is_err(),
        }
    }

    fn add(&mut self, other: Damage) {
        self.nul |= other.nul;
        self.not_utf8 |= other.not_utf8;
    }
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

/// A runaway quote being read line by line.
struct RunawayLines {
    /// The line the quote opened on.
    first_line: u64,
    /// Lines handed on so far.
    lines: u64,
    /// Lines up to the last that was not empty.
    counted: u64,
    /// The current line's bytes from earlier chunks.
    partial: Vec<u8>,
    /// `csv-core` was shown the start of the current line, so it must see the rest.
    feed_rest: bool,
    /// `csv-core` ended the record at the CR of the current line's CRLF, in an earlier chunk.
    ended: bool,
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
    /// The record `csv-core` is reading: its line breaks so far, and the delimiters on its current
    /// line after the first (a line that looks like a row makes it a runaway quote).
    newlines: u64,
    line_delimiters: usize,
    /// The damage of the record `csv-core` is reading.
    damage: Damage,
    /// The runaway quote being read line by line.
    runaway: Option<RunawayLines>,
    /// Where the current chunk has NULs (`true`) and sequences that are not UTF-8 (`false`), in
    /// order, and the first not yet given to a record.
    marks: Vec<(usize, bool)>,
    next_mark: usize,
    /// The start of a UTF-8 character cut by the end of the last chunk.
    utf8_carry: Vec<u8>,
    /// Reads a line of a runaway quote on its own when the fast path cannot.
    line_reader: Reader,
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
            newlines: 0,
            line_delimiters: 0,
            damage: Damage::default(),
            runaway: None,
            marks: Vec::new(),
            next_mark: 0,
            utf8_carry: Vec::new(),
            line_reader: ReaderBuilder::new().delimiter(delimiter).build(),
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
        self.find_marks(input);
        let mut pos = 0;
        // Where the record `csv-core` is reading starts in `input` (0 when in an earlier chunk).
        let mut record_start = 0;
        while pos < input.len() {
            if self.runaway.is_some() {
                pos = self.runaway_lines(input, pos, on_record)?;
                continue;
            }
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
                        let damage = self.damage_up_to(pos + consumed);
                        let record = Record {
                            line: self.start_line,
                            runaway: None,
                            damage,
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
                self.newlines = 0;
                self.line_delimiters = 0;
                self.damage = Damage::default();
                record_start = pos;
            }
            pos += self.step(input, pos, record_start, on_record)?;
        }
        if !self.at_record_start && self.runaway.is_none() && self.header_fields.is_some() {
            self.raw.extend_from_slice(&input[record_start..]);
        }
        Ok(())
    }

    /// Ends the input, emitting a last record that had no line terminator.
    pub fn finish<F>(&mut self, on_record: &mut F) -> Result<(), Error>
    where
        F: FnMut(Record<'_>) -> Result<Option<usize>, Error>,
    {
        let cut_character = !std::mem::take(&mut self.utf8_carry).is_empty();
        if let Some(mut runaway) = self.runaway.take() {
            // The input ends inside the runaway quote.
            let partial = std::mem::take(&mut runaway.partial);
            if !partial.is_empty() {
                self.take_line(&partial, &mut runaway, on_record)?;
            }
            return self.close_runaway(runaway, on_record);
        }
        if self.at_record_start {
            return Ok(());
        }
        self.damage.not_utf8 |= cut_character;
        // csv-core needs empty input until it reports End; it may first ask for more room.
        for _ in 0..4 {
            self.step(&[], 0, 0, on_record)?;
            if self.at_record_start {
                break;
            }
        }
        Ok(())
    }

    /// Finds the NULs and the sequences that are not UTF-8 in `input` (a character cut by its end is
    /// completed from the next chunk; one that does not complete is marked at that chunk's start, on
    /// the same line).
    fn find_marks(&mut self, input: &[u8]) {
        self.marks.clear();
        self.next_mark = 0;
        let mut start = 0;
        if let Some(&lead) = self.utf8_carry.first() {
            let width = match lead {
                0xC0..=0xDF => 2,
                0xE0..=0xEF => 3,
                _ => 4,
            };
            let take = (width - self.utf8_carry.len()).min(input.len());
            self.utf8_carry.extend_from_slice(&input[..take]);
            match std::str::from_utf8(&self.utf8_carry) {
                Ok(_) => start = take,
                Err(e) if e.error_len().is_none() && take == input.len() => return,
                Err(_) => self.marks.push((0, false)),
            }
            self.utf8_carry.clear();
        }
        // The vectorised check answers for nearly every chunk; only one that fails is looked through.
        if simdutf8::basic::from_utf8(&input[start..]).is_err() {
            self.find_not_utf8(input, start);
        }
        if memchr(0, input).is_some() {
            self.marks
                .extend(memchr::memchr_iter(0, input).map(|at| (at, true)));
            self.marks.sort_unstable();
        }
    }

    /// Marks the sequences of `input` from `start` that are not UTF-8, and keeps a character cut by
    /// the end.
    fn find_not_utf8(&mut self, input: &[u8], start: usize) {
        let mut rest = &input[start..];
        while let Err(e) = std::str::from_utf8(rest) {
            let at = input.len() - rest.len() + e.valid_up_to();
            match e.error_len() {
                Some(len) => {
                    self.marks.push((at, false));
                    rest = &input[at + len..];
                }
                None => {
                    self.utf8_carry.extend_from_slice(&input[at..]);
                    break;
                }
            }
        }
    }

    /// The damage marked in the current chunk before `end` and not yet given to a record.
    fn damage_up_to(&mut self, end: usize) -> Damage {
        let mut damage = Damage::default();
        while let Some(&(at, nul)) = self.marks.get(self.next_mark) {
            if at >= end {
                break;
            }
            if nul {
                damage.nul = true;
            } else {
                damage.not_utf8 = true;
            }
            self.next_mark += 1;
        }
        damage
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

    /// Splits `line` into `spans` for [`Self::split_simple`] (and a line of a runaway quote); answers
    /// whether a quoted field has a doubled quote (those fields are listed in `escaped`), or `None` for
    /// a line left to csv-core. Inlined into both: it is the hot loop of reading.
    #[inline(always)]
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
        let damage = self.damage_up_to(pos + nin);
        self.damage.add(damage);
        let looks_like_rows = self.header_fields.is_some() && self.scan(&input[pos..pos + nin]);
        if looks_like_rows && result != ReadRecordResult::Record {
            // A runaway quote, found while it is read: the lines so far, then the rest line by line.
            let mut carried = std::mem::take(&mut self.raw);
            carried.extend_from_slice(&input[record_start..pos + nin]);
            let started = self.start_runaway(&carried, on_record);
            carried.clear();
            self.raw = carried;
            started?;
            return Ok(nin);
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
                        damage: self.damage,
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

    /// Follows the lines of the record `csv-core` is reading through `bytes`, its next bytes: whether
    /// a line after the first now has as many delimiters as the header.
    fn scan(&mut self, bytes: &[u8]) -> bool {
        let Some(header_fields) = self.header_fields else {
            return false;
        };
        let delimiters = header_fields.saturating_sub(1).max(1);
        let mut rest = bytes;
        loop {
            let line_end = memchr(b'\n', rest);
            if self.newlines > 0 {
                let line = &rest[..line_end.unwrap_or(rest.len())];
                self.line_delimiters += memchr::memchr_iter(self.delimiter, line).count();
                if self.line_delimiters >= delimiters {
                    return true;
                }
            }
            let Some(at) = line_end else {
                return false;
            };
            self.newlines += 1;
            self.line_delimiters = 0;
            rest = &rest[at + 1..];
        }
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

    /// Reads each line of a whole runaway record as a record of its own.
    fn reread_lines<F>(&mut self, raw: &[u8], on_record: &mut F) -> Result<(), Error>
    where
        F: FnMut(Record<'_>) -> Result<Option<usize>, Error>,
    {
        let mut runaway = self.runaway_from(self.start_line);
        for line in body(raw).split(|&b| b == b'\n') {
            self.take_line(line, &mut runaway, on_record)?;
        }
        self.close_runaway(runaway, on_record)
    }

    /// Starts reading a runaway record line by line, from its bytes so far (`csv-core` has read
    /// them): their whole lines are handed on, the rest waits for the end of its line.
    fn start_runaway<F>(&mut self, raw: &[u8], on_record: &mut F) -> Result<(), Error>
    where
        F: FnMut(Record<'_>) -> Result<Option<usize>, Error>,
    {
        let mut runaway = self.runaway_from(self.start_line);
        let whole = raw.iter().rposition(|&b| b == b'\n').map_or(0, |at| at + 1);
        if let Some(lines) = raw[..whole].strip_suffix(b"\n") {
            for line in lines.split(|&b| b == b'\n') {
                self.take_line(line, &mut runaway, on_record)?;
            }
        }
        runaway.partial.extend_from_slice(&raw[whole..]);
        runaway.feed_rest = !runaway.partial.is_empty();
        self.buf_len = 0;
        self.ends_len = 0;
        self.runaway = Some(runaway);
        Ok(())
    }

    fn runaway_from(&self, first_line: u64) -> RunawayLines {
        RunawayLines {
            first_line,
            lines: 0,
            counted: 0,
            partial: Vec::new(),
            feed_rest: false,
            ended: false,
        }
    }

    /// Reads the lines of the runaway quote in `input[pos..]` until it would have ended (`csv-core`,
    /// shown its lines with a quote, ends the record); returns where reading stopped.
    fn runaway_lines<F>(
        &mut self,
        input: &[u8],
        mut pos: usize,
        on_record: &mut F,
    ) -> Result<usize, Error>
    where
        F: FnMut(Record<'_>) -> Result<Option<usize>, Error>,
    {
        let Some(mut runaway) = self.runaway.take() else {
            return Ok(pos);
        };
        while pos < input.len() {
            let rest = &input[pos..];
            let Some(at) = memchr(b'\n', rest) else {
                // Part of a line: the record may end at its last byte, a CR whose LF is yet to come.
                if runaway.feed_rest && !runaway.ended {
                    runaway.ended = self.feed_core(rest);
                }
                self.damage_up_to(input.len());
                runaway.partial.extend_from_slice(rest);
                self.runaway = Some(runaway);
                return Ok(input.len());
            };
            let end = pos + at + 1;
            let tail = &input[pos..end];
            let ended = if runaway.ended {
                true
            } else if runaway.feed_rest {
                self.feed_core(tail)
            } else if memchr(b'"', &runaway.partial).is_some() || memchr(b'"', tail).is_some() {
                let partial = std::mem::take(&mut runaway.partial);
                let ended = self.feed_core(&partial) || self.feed_core(tail);
                runaway.partial = partial;
                ended
            } else {
                false // csv-core stays inside the quotes through a line without one
            };
            self.damage_up_to(end);
            let mut partial = std::mem::take(&mut runaway.partial);
            let line = if partial.is_empty() {
                tail
            } else {
                partial.extend_from_slice(tail);
                &partial
            };
            let line = &line[..line.len() - 1];
            self.take_line(line, &mut runaway, on_record)?;
            partial.clear();
            runaway.partial = partial;
            runaway.feed_rest = false;
            pos = end;
            if ended {
                self.reader.set_line(runaway.first_line + runaway.lines);
                self.at_record_start = true;
                self.close_runaway(runaway, on_record)?;
                return Ok(pos);
            }
        }
        self.runaway = Some(runaway);
        Ok(pos)
    }

    /// Shows `bytes` to `csv-core`, reading the runaway record on without keeping its fields;
    /// answers whether the record ended.
    fn feed_core(&mut self, mut bytes: &[u8]) -> bool {
        while !bytes.is_empty() {
            let (result, nin, _, _) = self
                .reader
                .read_record(bytes, &mut self.buf, &mut self.ends);
            bytes = &bytes[nin..];
            match result {
                ReadRecordResult::Record | ReadRecordResult::End => return true,
                ReadRecordResult::InputEmpty => return false,
                ReadRecordResult::OutputFull | ReadRecordResult::OutputEndsFull => {}
            }
        }
        false
    }

    /// Hands on one line of a runaway quote (without its LF) as a record of its own.
    fn take_line<F>(
        &mut self,
        line: &[u8],
        runaway: &mut RunawayLines,
        on_record: &mut F,
    ) -> Result<(), Error>
    where
        F: FnMut(Record<'_>) -> Result<Option<usize>, Error>,
    {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let number = runaway.first_line + runaway.lines;
        let mark = (runaway.lines == 0).then_some(Runaway::Opens);
        runaway.lines += 1;
        if !line.is_empty() {
            runaway.counted = runaway.lines;
        }
        let damage = Damage::of(line);
        if line.len() < self.buf.len() {
            let mut spans = std::mem::take(&mut self.spans);
            let found = self.split_line(line, &mut spans);
            self.spans = spans;
            if let Some(escaped) = found {
                if escaped {
                    self.unescape(line);
                }
                on_record(Record {
                    line: number,
                    runaway: mark,
                    damage,
                    bytes: if escaped { &self.buf } else { line },
                    spans: &self.spans,
                })?;
                return Ok(());
            }
        }
        // Quotes the fast path leaves to csv-core, read to the line's end.
        if self.buf.len() <= line.len() {
            self.buf.resize(line.len() + 1, 0);
        }
        if self.ends.len() <= line.len() {
            self.ends.resize(line.len() + 1, 0);
        }
        self.line_reader.reset();
        let (mut input, mut nout, mut nend) = (line, 0, 0);
        loop {
            let (result, nin, out, end) =
                self.line_reader
                    .read_record(input, &mut self.buf[nout..], &mut self.ends[nend..]);
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
        spans_from_ends(&self.ends[..nend], &mut self.spans);
        on_record(Record {
            line: number,
            runaway: mark,
            damage,
            bytes: &self.buf[..nout],
            spans: &self.spans,
        })?;
        Ok(())
    }

    /// Says that the runaway quote's lines are over, with how many there were.
    fn close_runaway<F>(&mut self, runaway: RunawayLines, on_record: &mut F) -> Result<(), Error>
    where
        F: FnMut(Record<'_>) -> Result<Option<usize>, Error>,
    {
        self.buf_len = 0;
        self.ends_len = 0;
        self.spans.clear();
        on_record(Record {
            line: runaway.first_line + runaway.counted.saturating_sub(1),
            runaway: Some(Runaway::Closes {
                lines: runaway.counted,
            }),
            damage: Damage::default(),
            bytes: &[],
            spans: &self.spans,
        })?;
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

    type Split = Vec<(u64, Vec<String>, Option<Runaway>)>;

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
                Some(Runaway::Opens),
            ),
            (2, vec!["2".into(), "b".into(), "x".into()], None),
            (3, vec!["3".into(), "c".into(), "y, z".into()], None),
            (3, vec![], Some(Runaway::Closes { lines: 3 })),
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

    /// `bytes` with each CR not followed by an LF turned into an LF, as the decoder hands text on.
    fn crlf_or_lf(bytes: &[u8]) -> Vec<u8> {
        let mut out = bytes.to_vec();
        for i in 0..out.len() {
            if out[i] == b'\r' && out.get(i + 1) != Some(&b'\n') {
                out[i] = b'\n';
            }
        }
        out
    }

    /// The line and damage of each record.
    fn damage(input: &[u8], chunk: usize) -> Vec<(u64, Damage)> {
        let mut reader = RecordReader::new(b',');
        reader.set_header_fields(3);
        let mut out = Vec::new();
        let mut collect = |r: Record<'_>| {
            out.push((r.line, r.damage));
            Ok(None)
        };
        for piece in input.chunks(chunk.max(1)) {
            reader.push(piece, &mut collect).unwrap();
        }
        reader.finish(&mut collect).unwrap();
        out
    }

    #[test]
    fn nul_bytes_and_bytes_that_are_not_utf8_mark_their_record_whatever_the_chunking() {
        let nul = Damage {
            nul: true,
            not_utf8: false,
        };
        let bad = Damage {
            nul: false,
            not_utf8: true,
        };
        let clean = Damage::default();
        // 山 is E5 B1 B1: whole on line 1, cut short before the line end on line 2 (not UTF-8), a NUL
        // in a quoted value over lines 3 and 4, a stray continuation byte on line 6, and a character
        // cut short by the end of the input (line 7).
        let mut input = "a,\u{5c71}\n".as_bytes().to_vec();
        input.extend_from_slice(b"\xE5\xB1\n1,\"x\0\ny\",2\n2,3\n\x80,4\n5,\xE5\xB1");
        let want = [
            (1, clean),
            (2, bad),
            (3, nul),
            (5, clean),
            (6, bad),
            (7, bad),
        ];
        for chunk in 1..=input.len() {
            assert_eq!(damage(&input, chunk), want[..], "chunks of {chunk}");
        }
    }

    #[test]
    fn a_runaway_quote_read_as_it_streams_counts_its_lines_to_the_end_of_the_input() {
        // The quote on line 2 never closes: lines 2 to 5 are rows, the empty lines at the end are not
        // counted; line 4 holds a doubled quote and a quote the fast path leaves to csv-core.
        let input = b"h,i\n1,\"x\n2,3\n4,\"\"y\"\"\n5,a\n\n\n";
        let want: Split = vec![
            (2, vec!["1".into(), "x".into()], Some(Runaway::Opens)),
            (3, vec!["2".into(), "3".into()], None),
            (4, vec!["4".into(), "y\"\"".into()], None),
            (5, vec!["5".into(), "a".into()], None),
            (6, vec!["".into()], None),
            (7, vec!["".into()], None),
            (5, vec![], Some(Runaway::Closes { lines: 4 })),
        ];
        for chunk in 1..=input.len() {
            let got = split_with(input, chunk, Some(2));
            assert_eq!(got[1..], want[..], "chunks of {chunk}");
        }
    }

    mod fast_path {
        use super::{crlf_or_lf, split_with};
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
            /// whole record, so they take the careful path throughout; a runaway quote found while
            /// it is read gives the records it gives when it is found at its end. The lines end as
            /// the decoder hands them on: LF or CRLF.
            #[test]
            fn agrees_with_csv_core(
                bytes in prop::collection::vec(prop::sample::select(b"ab ,\"\r\n".to_vec()), 0..120),
                header in prop::option::of(1..5usize),
                chunk in 2..150usize,
            ) {
                let bytes = crlf_or_lf(&bytes);
                prop_assert_eq!(split_with(&bytes, chunk, header), split_with(&bytes, 1, header));
                prop_assert_eq!(split_with(&bytes, bytes.len().max(1), header), split_with(&bytes, 1, header));
            }
        }
    }
}
