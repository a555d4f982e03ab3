//! Reading the user's files: only regular files, and never more than a limit.
//!
//! A FIFO named `event.toml` (or `program.lock`, a theme file, a logo) blocked `check` and
//! `build` forever in `open` (issue 21 point 6). The file is opened with `O_NONBLOCK`, which
//! makes opening a FIFO return at once, and its type is checked on the open descriptor before
//! a byte is read, so a file swapped between a check and the read is caught too.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

/// Why a file was not read.
#[derive(Debug)]
pub enum ReadError {
    NotFound,
    NotAFile,
    TooLarge(u64),
    Io(io::Error),
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::NotFound => write!(f, "not found"),
            ReadError::NotAFile => write!(f, "not a regular file"),
            ReadError::TooLarge(n) => write!(f, "too large ({n} bytes)"),
            ReadError::Io(e) => write!(f, "{e}"),
        }
    }
}

/// Opens `path` if it is a regular file (following symlinks), without blocking on a FIFO.
pub fn open_regular(path: &Path) -> Result<(File, u64), ReadError> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(|e| match e.kind() {
        io::ErrorKind::NotFound => ReadError::NotFound,
        _ => ReadError::Io(e),
    })?;
    let meta = file.metadata().map_err(ReadError::Io)?;
    if !meta.is_file() {
        return Err(ReadError::NotAFile);
    }
    Ok((file, meta.len()))
}

/// Reads a regular file of at most `max` bytes (a file that grows while read is cut off at
/// `max + 1` bytes and refused).
pub fn read_regular(path: &Path, max: u64) -> Result<Vec<u8>, ReadError> {
    let (file, len) = open_regular(path)?;
    if len > max {
        return Err(ReadError::TooLarge(len));
    }
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > max {
        return Err(ReadError::TooLarge(bytes.len() as u64));
    }
    Ok(bytes)
}

/// [`read_regular`] as UTF-8 text.
pub fn read_regular_text(path: &Path, max: u64) -> Result<String, ReadError> {
    let bytes = read_regular(path, max)?;
    String::from_utf8(bytes)
        .map_err(|e| ReadError::Io(io::Error::new(io::ErrorKind::InvalidData, e.utf8_error())))
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn a_fifo_is_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("event.toml");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
        assert!(matches!(read_regular(&fifo, 100), Err(ReadError::NotAFile)));
        assert!(matches!(
            read_regular(dir.path(), 100),
            Err(ReadError::NotAFile)
        ));
    }

    #[test]
    fn a_file_over_the_limit_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("a");
        std::fs::write(&f, b"0123456789").unwrap();
        assert!(matches!(read_regular(&f, 9), Err(ReadError::TooLarge(10))));
        assert_eq!(read_regular(&f, 10).unwrap(), b"0123456789");
    }
}
