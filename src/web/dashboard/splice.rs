//! A cached page with one hole filled in per request: the dashboard is built once for everyone,
//! but its header's sign-out form carries each session's own CSRF token. The parts around the
//! hole are compressed once; a gzip answer puts the hole in as a stored (uncompressed) deflate
//! block between them, and the checksum is combined from the parts' checksums, so answering
//! costs a copy of the compressed page, never a compression.

use crc32fast::Hasher;
use flate2::{Compress, Compression, FlushCompress, Status};

pub struct Spliced {
    before: Vec<u8>,
    after: Vec<u8>,
    /// Raw deflate of `before`, ended by a sync flush (byte-aligned, not final).
    deflated_before: Vec<u8>,
    /// Raw deflate of `after` from a fresh dictionary, ending with the final block.
    deflated_after: Vec<u8>,
    /// CRC-32 of `before` and of `after`, to combine with the hole's.
    crc_before: Hasher,
    crc_after: Hasher,
}

impl Spliced {
    /// Splits `page` at the first `marker` (which is dropped); without it, the hole is at the end.
    pub fn new(page: &str, marker: &str) -> Spliced {
        let (before, after) = page.split_once(marker).unwrap_or((page, ""));
        let (before, after) = (before.as_bytes().to_vec(), after.as_bytes().to_vec());
        let crc = |bytes: &[u8]| {
            let mut hasher = Hasher::new();
            hasher.update(bytes);
            hasher
        };
        Spliced {
            deflated_before: deflate(&before, FlushCompress::Sync),
            deflated_after: deflate(&after, FlushCompress::Finish),
            crc_before: crc(&before),
            crc_after: crc(&after),
            before,
            after,
        }
    }

    pub fn plain(&self, hole: &str) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.before.len() + hole.len() + self.after.len());
        out.extend_from_slice(&self.before);
        out.extend_from_slice(hole.as_bytes());
        out.extend_from_slice(&self.after);
        out
    }

    /// The page with `hole` filled in, as one gzip member.
    pub fn gzip(&self, hole: &str) -> Vec<u8> {
        let hole = hole.as_bytes();
        let mut out = Vec::with_capacity(self.deflated_before.len() + hole.len() + self.deflated_after.len() + 32);
        out.extend_from_slice(&[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
        out.extend_from_slice(&self.deflated_before);
        for chunk in hole.chunks(usize::from(u16::MAX)) {
            let len = chunk.len() as u16;
            out.push(0); // BFINAL 0, BTYPE 00 (stored); the stream is byte-aligned here.
            out.extend_from_slice(&len.to_le_bytes());
            out.extend_from_slice(&(!len).to_le_bytes());
            out.extend_from_slice(chunk);
        }
        out.extend_from_slice(&self.deflated_after);
        let mut crc = self.crc_before.clone();
        let mut crc_hole = Hasher::new();
        crc_hole.update(hole);
        crc.combine(&crc_hole);
        crc.combine(&self.crc_after);
        out.extend_from_slice(&crc.finalize().to_le_bytes());
        let size = (self.before.len() + hole.len() + self.after.len()) as u64;
        out.extend_from_slice(&((size & 0xffff_ffff) as u32).to_le_bytes());
        out
    }
}

/// Raw deflate of `input`, ended with `flush` (a sync flush or the final block).
fn deflate(input: &[u8], flush: FlushCompress) -> Vec<u8> {
    let mut compress = Compress::new(Compression::fast(), false);
    let mut out = Vec::with_capacity(input.len() / 3 + 64);
    loop {
        out.reserve(input.len() / 4 + 1024);
        let consumed = compress.total_in() as usize;
        let status = compress.compress_vec(&input[consumed..], &mut out, flush).unwrap_or(Status::StreamEnd);
        let done = compress.total_in() as usize == input.len()
            && match flush {
                FlushCompress::Finish => status == Status::StreamEnd,
                // zlib has finished a sync flush when it left room in the output.
                _ => out.len() < out.capacity(),
            };
        if done {
            return out;
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    fn gunzip(bytes: &[u8]) -> String {
        let mut text = String::new();
        flate2::read::GzDecoder::new(bytes).read_to_string(&mut text).unwrap();
        text
    }

    #[test]
    fn the_hole_is_filled_in_plain_and_in_gzip() {
        let page = format!("<header>{}<!--hole--></header>{}", "a".repeat(5_000), "<p>row</p>".repeat(3_000));
        let spliced = Spliced::new(&page, "<!--hole-->");
        let token = "<form><input value=\"0123456789abcdef\"></form>";
        let expected = page.replace("<!--hole-->", token);
        assert_eq!(String::from_utf8(spliced.plain(token)).unwrap(), expected);
        let gzip = spliced.gzip(token);
        assert!(gzip.len() < expected.len() / 10, "compressed: {} bytes", gzip.len());
        assert_eq!(gunzip(&gzip), expected);
        assert_eq!(gunzip(&spliced.gzip("")), page.replace("<!--hole-->", ""));
    }

    #[test]
    fn a_page_without_the_marker_gets_the_hole_at_its_end() {
        let spliced = Spliced::new("<p>x</p>", "<!--hole-->");
        assert_eq!(gunzip(&spliced.gzip("!")), "<p>x</p>!");
    }
}
