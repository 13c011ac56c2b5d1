//! Push-based CSV record splitting over `csv-core`: bytes in any chunking, whole records out, each
//! with the 1-based line it starts on. One reusable buffer holds the current record; nothing is
//! allocated per record once the buffer has grown to the widest record.

use crate::error::{Error, ErrorKind};
use csv_core::{ReadRecordResult, Reader, ReaderBuilder};

/// A record longer than this is taken as a sign that the input is not CSV.
pub const MAX_RECORD_BYTES: usize = 64 << 20;

/// One CSV record: unescaped fields stored back to back.
#[derive(Debug, Clone, Copy)]
pub struct Record<'a> {
    /// 1-based line on which the record starts.
    pub line: u64,
    bytes: &'a [u8],
    ends: &'a [usize],
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
        }
    }

    /// Parses `input`, calling `on_record` for every record it completes.
    pub fn push<F>(&mut self, mut input: &[u8], on_record: &mut F) -> Result<(), Error>
    where
        F: FnMut(Record<'_>) -> Result<(), Error>,
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
        F: FnMut(Record<'_>) -> Result<(), Error>,
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
        F: FnMut(Record<'_>) -> Result<(), Error>,
    {
        let (result, nin, nout, nend) = self.reader.read_record(
            input,
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
                let record = Record {
                    line: self.start_line,
                    bytes: &self.buf[..self.buf_len],
                    ends: &self.ends[..self.ends_len],
                };
                self.buf_len = 0;
                self.ends_len = 0;
                self.at_record_start = true;
                on_record(record)?;
            }
            ReadRecordResult::End => self.at_record_start = true,
        }
        Ok(nin)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(input: &[u8], chunk: usize) -> Vec<(u64, Vec<String>)> {
        let mut reader = RecordReader::new(b',');
        let mut out = Vec::new();
        let mut collect = |r: Record<'_>| {
            let fields = r
                .fields()
                .map(|f| String::from_utf8_lossy(f).into_owned())
                .collect();
            out.push((r.line, fields));
            Ok(())
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
    fn wide_and_long_records_grow_the_buffers() {
        let wide = vec!["x"; 1000].join(",");
        let long = "y".repeat(200_000);
        let input = format!("{wide}\n{long}\n");
        let got = split(input.as_bytes(), 7919);
        assert_eq!(got[0].1.len(), 1000);
        assert_eq!(got[1].1, vec![long]);
    }
}
