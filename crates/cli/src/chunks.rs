//! Reading the input in 4 MiB chunks for the analyzer. A file is read on a second thread, one chunk
//! ahead: the next chunk comes from the disk while the analyzer parses the current one. Standard input
//! is read in turn on the calling thread, so that an error of the analyzer ends the program at once
//! rather than after the next read from a pipe that may be slow to write.

use std::io::{self, Read};
use std::sync::mpsc;

/// Bytes per chunk.
const CHUNK: usize = 4 << 20;

/// Why reading stopped before the end of the input.
pub enum Stop<E> {
    /// The input could not be read.
    Read(io::Error),
    /// The chunk's taker failed.
    Take(E),
}

/// Hands every chunk of `reader` to `take`, in order, until the end of the input; with `ahead`, reads
/// on a second thread one chunk ahead (in turn when no thread can be started).
pub fn each<E>(
    reader: &mut (dyn Read + Send),
    ahead: bool,
    mut take: impl FnMut(&[u8]) -> Result<(), E>,
) -> Result<(), Stop<E>> {
    if ahead {
        if let Some(result) = read_ahead(reader, &mut take) {
            return result;
        }
    }
    let mut buf = vec![0u8; CHUNK];
    loop {
        match read_chunk(reader, &mut buf).map_err(Stop::Read)? {
            0 => return Ok(()),
            n => take(&buf[..n]).map_err(Stop::Take)?,
        }
    }
}

/// Reads on a second thread, one chunk ahead of `take`; `None` when no thread could be started (and
/// nothing was read).
fn read_ahead<E>(
    reader: &mut (dyn Read + Send),
    take: &mut impl FnMut(&[u8]) -> Result<(), E>,
) -> Option<Result<(), Stop<E>>> {
    std::thread::scope(|scope| {
        // One chunk waits while the next is read and the one before is parsed.
        let (full, chunks) = mpsc::sync_channel::<io::Result<(Vec<u8>, usize)>>(1);
        // Parsed chunks go back to the reader for reuse.
        let (spent, empty) = mpsc::channel::<Vec<u8>>();
        let reading = std::thread::Builder::new().spawn_scoped(scope, move || loop {
            let mut buf = empty.try_recv().unwrap_or_else(|_| vec![0u8; CHUNK]);
            let read = read_chunk(reader, &mut buf);
            let last = !matches!(read, Ok(n) if n > 0);
            // A send fails when the taker has stopped: nothing more is wanted.
            if full.send(read.map(|n| (buf, n))).is_err() || last {
                return;
            }
        });
        if reading.is_err() {
            return None;
        }
        // Returning drops `chunks`, which ends the reading thread at its next chunk.
        Some((|| {
            for chunk in chunks {
                match chunk.map_err(Stop::Read)? {
                    (_, 0) => break,
                    (buf, n) => {
                        take(&buf[..n]).map_err(Stop::Take)?;
                        let _ = spent.send(buf);
                    }
                }
            }
            Ok(())
        })())
    })
}

/// Reads the next bytes into `buf` (at most its length); 0 at the end of the input.
fn read_chunk(reader: &mut dyn Read, buf: &mut [u8]) -> io::Result<usize> {
    loop {
        match reader.read(buf) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            result => return result,
        }
    }
}
