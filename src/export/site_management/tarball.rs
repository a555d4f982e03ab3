//! The archive as Bitrix's own tar reader (`CArchiver`) expects it: gzip over plain ustar
//! headers, no PAX or GNU long-name records, regular files and directories only, relative
//! ASCII paths under 100 bytes, the template's files at the root.

use std::collections::BTreeSet;

use super::ExportError;

/// The longest path a plain tar header holds without a prefix or an extension record.
pub const TAR_PATH_LIMIT: usize = 99;

/// A reproducible `.tar.gz` of `files` (relative paths), with their folders as entries.
pub fn tar_gz(files: &[(String, Vec<u8>)]) -> Result<Vec<u8>, ExportError> {
    let io = |e: std::io::Error| ExportError::Io(e.to_string());
    let mut dirs = BTreeSet::new();
    for (name, _) in files {
        check_path(name)?;
        let mut p = name.as_str();
        while let Some(i) = p.rfind('/') {
            p = &p[..i];
            dirs.insert(format!("{p}/"));
        }
    }
    let mut builder = tar::Builder::new(Vec::new());
    for dir in &dirs {
        check_path(dir)?;
        let mut h = header(dir, tar::EntryType::Directory, 0o755, 0)?;
        h.set_cksum();
        builder.append(&h, std::io::empty()).map_err(io)?;
    }
    // Where in the tar the bytes of an already compressed file lie.
    let mut packed = Vec::new();
    for (name, bytes) in files {
        let mut h = header(name, tar::EntryType::Regular, 0o644, bytes.len() as u64)?;
        h.set_cksum();
        let data_at = builder.get_ref().len() + 512;
        builder.append(&h, bytes.as_slice()).map_err(io)?;
        if is_compressed(bytes) {
            packed.push(data_at..data_at + bytes.len());
        }
    }
    let tar = builder.into_inner().map_err(io)?;
    gzip(&tar, &packed).map_err(|e| ExportError::Io(e.to_string()))
}

/// A PNG, JPEG or WebP: deflate cannot shrink it.
fn is_compressed(bytes: &[u8]) -> bool {
    bytes.starts_with(b"\x89PNG\r\n\x1a\n")
        || bytes.starts_with(&[0xFF, 0xD8, 0xFF])
        || (bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(&b"WEBP"[..]))
}

/// One gzip member (RFC 1952) of `data`: fast deflate, except the ranges in `stored`, which go
/// into stored blocks (flate2's `set_level` to 0 fails with the zlib-rs backend; the blocks are
/// five bytes of header each). The archive is a few dozen KB uploaded once: the best level took three
/// times as long (example-event: 1.4 vs 4.0 ms) for a file 16 % smaller. Deflating the
/// event's card, a PNG, cost half of the archive's time and saved nothing.
fn gzip(data: &[u8], stored: &[std::ops::Range<usize>]) -> std::io::Result<Vec<u8>> {
    use flate2::{Compress, Compression, FlushCompress, Status};
    let err = |e: flate2::CompressError| std::io::Error::other(e.to_string());
    // ID1 ID2, CM = deflate, no flags, MTIME = 0, XFL = 4 (fastest), OS = unknown.
    let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 4, 0xff];
    out.reserve(data.len() / 2 + 1024);
    let mut deflate = Compress::new(Compression::fast(), false);
    let feed = |d: &mut Compress, out: &mut Vec<u8>, mut input: &[u8], flush| loop {
        if out.capacity() - out.len() < 64 * 1024 {
            out.reserve(64 * 1024);
        }
        let before = d.total_in();
        let status = d.compress_vec(input, out, flush).map_err(err)?;
        input = &input[(d.total_in() - before) as usize..];
        let done = match flush {
            FlushCompress::Finish => status == Status::StreamEnd,
            // Done when all input is taken and the output had room to spare.
            _ => input.is_empty() && out.capacity() > out.len(),
        };
        if done {
            return Ok::<(), std::io::Error>(());
        }
    };
    let mut at = 0;
    for range in stored {
        // A full flush ends on a byte and forgets the history: what follows may not point back
        // past the stored bytes the compressor never saw.
        feed(
            &mut deflate,
            &mut out,
            &data[at..range.start],
            FlushCompress::Full,
        )?;
        for block in data[range.clone()].chunks(u16::MAX as usize) {
            // A stored block (RFC 1951 3.2.4), not the last: BFINAL 0, BTYPE 00, then LEN and
            // its one's complement.
            let len = block.len() as u16;
            out.push(0);
            out.extend_from_slice(&len.to_le_bytes());
            out.extend_from_slice(&(!len).to_le_bytes());
            out.extend_from_slice(block);
        }
        at = range.end;
    }
    feed(&mut deflate, &mut out, &data[at..], FlushCompress::Finish)?;
    out.extend_from_slice(&crc32fast::hash(data).to_le_bytes());
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    Ok(out)
}

fn check_path(name: &str) -> Result<(), ExportError> {
    let ok = !name.is_empty()
        && name.is_ascii()
        && !name.starts_with('/')
        && name
            .trim_end_matches('/')
            .split('/')
            .all(|p| !p.is_empty() && p != "." && p != "..");
    if !ok {
        return Err(ExportError::ExtraFile(name.to_string()));
    }
    if name.len() > TAR_PATH_LIMIT {
        return Err(ExportError::PathTooLong(name.to_string()));
    }
    Ok(())
}

fn header(
    name: &str,
    kind: tar::EntryType,
    mode: u32,
    size: u64,
) -> Result<tar::Header, ExportError> {
    let mut h = tar::Header::new_ustar();
    // The name field itself (not set_path, which may split into the ustar prefix).
    {
        let raw = h.as_old_mut();
        raw.name = [0; 100];
        raw.name[..name.len()].copy_from_slice(name.as_bytes());
    }
    h.set_entry_type(kind);
    h.set_mode(mode);
    h.set_size(size);
    h.set_mtime(1_700_000_000);
    h.set_uid(0);
    h.set_gid(0);
    Ok(h)
}

#[cfg(test)]
mod gzip_tests {
    use super::*;

    fn gunzip(gz: &[u8]) -> Vec<u8> {
        use std::io::Read;
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(gz)
            .read_to_end(&mut out)
            .unwrap();
        out
    }

    #[test]
    fn stored_ranges_come_back_whole() {
        let mut data: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        data.extend((0..90_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8));
        data.extend(b"tail text tail text tail text".repeat(100));
        for stored in [
            vec![],
            vec![200_000..290_000, 290_000..290_000],
            vec![0..10, 10..20, 290_000..data.len()],
        ] {
            let gz = gzip(&data, &stored).unwrap();
            assert_eq!(gunzip(&gz), data, "{stored:?}");
        }
    }
}
