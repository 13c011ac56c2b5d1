//! What a Python caller analyses: a file path (`str` or `os.PathLike`), read here in 4 MiB chunks, or
//! the file's `bytes`, borrowed from Python without a copy. Both are read without the interpreter.

use crate::error::core_error;
use ltv_lens::{Analysis, Analyzer, Options, SNIFF_BYTES};
use pyo3::exceptions::{PyOSError, PyTypeError};
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedBytes;
use pyo3::types::PyBytes;
use std::io::Read;
use std::path::PathBuf;

/// A file path or the file's bytes.
pub enum Source {
    /// A path, opened and read when the source is analysed.
    Path(PathBuf),
    /// The whole file.
    Bytes(PyBackedBytes),
}

impl<'a, 'py> FromPyObject<'a, 'py> for Source {
    type Error = PyErr;

    fn extract(object: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        if object.is_instance_of::<PyBytes>() {
            return Ok(Source::Bytes(object.extract()?));
        }
        object.extract::<PathBuf>().map(Source::Path).map_err(|_| {
            PyTypeError::new_err(
                "the source must be a file path (str or os.PathLike) or the file's bytes",
            )
        })
    }
}

/// A failure while reading: the file could not be read, or the core refused it.
pub enum ReadError {
    /// The file could not be opened or read.
    Io(PathBuf, std::io::Error),
    /// The core refused the file or the options.
    Core(ltv_lens::Error),
}

impl From<ReadError> for PyErr {
    fn from(error: ReadError) -> PyErr {
        match error {
            // `OSError(errno, message, path)` is the subclass of its errno (`FileNotFoundError`, …).
            ReadError::Io(path, error) => match error.raw_os_error() {
                Some(errno) => {
                    PyOSError::new_err((errno, error.to_string(), path.display().to_string()))
                }
                None => PyOSError::new_err(format!("cannot read {}: {error}", path.display())),
            },
            ReadError::Core(error) => core_error(error),
        }
    }
}

impl From<ltv_lens::Error> for ReadError {
    fn from(error: ltv_lens::Error) -> Self {
        ReadError::Core(error)
    }
}

impl Source {
    /// Every byte of the source through an analyzer with `options`, finished.
    pub fn analyze(&self, options: Options) -> Result<Analysis, ReadError> {
        Ok(self.read(options)?.finish()?)
    }

    /// The first [`ltv_lens::SNIFF_BYTES`] of the source (all of it when shorter).
    pub fn head(&self) -> Result<Vec<u8>, ReadError> {
        match self {
            Source::Bytes(bytes) => Ok(bytes[..bytes.len().min(SNIFF_BYTES)].to_vec()),
            Source::Path(path) => {
                let failed = |e| ReadError::Io(path.clone(), e);
                let file = std::fs::File::open(path).map_err(failed)?;
                let mut head = Vec::with_capacity(SNIFF_BYTES);
                file.take(SNIFF_BYTES as u64)
                    .read_to_end(&mut head)
                    .map_err(failed)?;
                Ok(head)
            }
        }
    }

    /// Every byte of the source pushed into an analyzer with `options`, not yet finished.
    pub fn read(&self, options: Options) -> Result<Analyzer, ReadError> {
        let mut analyzer = Analyzer::new(options)?;
        match self {
            Source::Bytes(bytes) => analyzer.push(bytes)?,
            Source::Path(path) => {
                let failed = |e| ReadError::Io(path.clone(), e);
                let mut file = std::fs::File::open(path).map_err(failed)?;
                let mut buf = vec![0u8; 4 << 20];
                loop {
                    match file.read(&mut buf) {
                        Ok(0) => break,
                        Ok(n) => analyzer.push(&buf[..n])?,
                        Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                        Err(e) => return Err(failed(e)),
                    }
                }
            }
        }
        Ok(analyzer)
    }
}
