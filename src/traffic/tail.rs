//! Follows a log file as it grows, across rotation (rename and re-create, seen as the path's
//! device and inode changing: the old file is read to its end, then the new one from its start)
//! and truncation (size below what was read: read again from the start). Only new bytes are
//! read, into a buffer of fixed size; a line longer than `MAX_LINE` is skipped and reported.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use memchr::memchr_iter;

/// Longer lines are skipped (and reported as such): no access-log line is this long.
pub const MAX_LINE: usize = 64 * 1024;

/// Bytes asked of the file per read.
const BUFFER: usize = 1024 * 1024;

/// A single call reads at most this much, so a caller following a fast log gets to flush its
/// output and notice a stop between calls.
const MAX_PER_CALL: u64 = 64 * 1024 * 1024;

/// How much of a skipped line is kept to show.
const TOO_LONG_SAMPLE: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    /// Read what the file already holds first.
    Beginning,
    /// Only lines written from now on.
    End,
}

/// What reading found, in file order.
#[derive(Debug, PartialEq, Eq)]
pub enum Found<'a> {
    /// A whole line, without its `\n`.
    Line(&'a [u8]),
    /// A line longer than `MAX_LINE`, skipped; its first bytes.
    TooLong(&'a [u8]),
    /// The path now names another file; the old one was read to its end.
    Rotated,
    /// The file shrank below what was read; reading starts again at its beginning.
    Truncated,
}

pub struct Tailer {
    path: PathBuf,
    file: Option<File>,
    /// (device, inode) of `file`.
    identity: (u64, u64),
    /// Bytes read from `file`.
    offset: u64,
    buf: Box<[u8]>,
    /// `buf[..filled]` holds the start of a line not ended yet.
    filled: usize,
    /// Inside a line too long to keep: drop bytes until its end.
    skipping: bool,
    /// The path was seen naming another file; read the current one to its end, then switch.
    draining: bool,
}

impl Tailer {
    /// Opens `path` (which may not exist yet: it is then read from its start once it appears).
    pub fn open(path: &Path, start: Start) -> io::Result<Tailer> {
        let mut tailer = Tailer {
            path: path.to_owned(),
            file: None,
            identity: (0, 0),
            offset: 0,
            buf: vec![0; BUFFER].into_boxed_slice(),
            filled: 0,
            skipping: false,
            draining: false,
        };
        if tailer.reopen()? && start == Start::End {
            let file = tailer.file.as_mut().expect("just opened");
            let size = file.metadata()?.len();
            if size > 0 {
                // Starting inside a line being written would read its rest as a broken line.
                let mut last = [0u8; 1];
                file.seek(SeekFrom::Start(size - 1))?;
                file.read_exact(&mut last)?;
                tailer.skipping = last[0] != b'\n';
            }
            tailer.offset = size;
        }
        Ok(tailer)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether a file is open (the path may not exist yet).
    pub fn is_open(&self) -> bool {
        self.file.is_some()
    }

    /// Reads what has been written since the last call, handing each line to `on` (and noting
    /// a rotation or truncation). Returns true if it stopped before the end (call again).
    pub fn read_available(&mut self, on: &mut impl FnMut(Found<'_>)) -> io::Result<bool> {
        let mut this_call = 0u64;
        loop {
            if self.file.is_none() && !self.reopen()? {
                return Ok(false);
            }
            if this_call >= MAX_PER_CALL {
                return Ok(true);
            }
            let file = self.file.as_mut().expect("opened above");
            let read = match file.read(&mut self.buf[self.filled..]) {
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if read == 0 {
                if self.at_end(on)? {
                    return Ok(false);
                }
                continue;
            }
            this_call += read as u64;
            self.offset += read as u64;
            self.filled += read;
            self.split_lines(on);
        }
    }

    /// Hands over a last line that has no `\n` (the end of a replay, or of a rotated file).
    pub fn flush_partial(&mut self, on: &mut impl FnMut(Found<'_>)) {
        if self.filled > 0 && !self.skipping {
            on(Found::Line(&self.buf[..self.filled]));
        }
        self.filled = 0;
        self.skipping = false;
    }

    /// Hands over each complete line in the buffer and keeps the unfinished rest at its start.
    fn split_lines(&mut self, on: &mut impl FnMut(Found<'_>)) {
        let mut start = 0;
        for end in memchr_iter(b'\n', &self.buf[..self.filled]) {
            if self.skipping {
                self.skipping = false;
            } else {
                on(Found::Line(&self.buf[start..end]));
            }
            start = end + 1;
        }
        if self.skipping {
            self.filled = 0;
            return;
        }
        self.buf.copy_within(start..self.filled, 0);
        self.filled -= start;
        if self.filled > MAX_LINE {
            on(Found::TooLong(&self.buf[..TOO_LONG_SAMPLE]));
            self.filled = 0;
            self.skipping = true;
        }
    }

    /// At the end of the open file: true when there is nothing more to read for now; false
    /// when reading should go on (the file was truncated, or replaced by a new one).
    fn at_end(&mut self, on: &mut impl FnMut(Found<'_>)) -> io::Result<bool> {
        let file = self.file.as_ref().expect("reading an open file");
        if file.metadata()?.len() < self.offset {
            self.flush_partial(on);
            self.file.as_mut().expect("open").seek(SeekFrom::Start(0))?;
            self.offset = 0;
            on(Found::Truncated);
            return Ok(false);
        }
        if self.draining {
            // The old file is read to its end (again, after the replacement was seen): switch.
            self.draining = false;
            self.flush_partial(on);
            self.file = None;
            on(Found::Rotated);
            return Ok(!self.reopen()?);
        }
        match std::fs::metadata(&self.path) {
            Ok(meta) if (meta.dev(), meta.ino()) != self.identity => {
                // Lines may have reached the old file after the read that found its end.
                self.draining = true;
                Ok(false)
            }
            Ok(_) => Ok(true),
            // Renamed away and not created again yet: keep the old file until a new one appears.
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(true),
            Err(e) => Err(e),
        }
    }

    /// Opens the path from its start; false when it does not exist (yet).
    fn reopen(&mut self) -> io::Result<bool> {
        match File::open(&self.path) {
            Ok(file) => {
                let meta = file.metadata()?;
                self.identity = (meta.dev(), meta.ino());
                self.file = Some(file);
                self.offset = 0;
                Ok(true)
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(e),
        }
    }
}

#[cfg(test)]
mod tests;
