//! Zip members are streamed from the archive file: the bytes are the same as read
//! whole, and a member whose data is corrupt or cut is still named with its error
//! (what was read before it is analysed).

use cxtriage::{CheckOptions, check};
use std::io::Write;
use std::path::Path;
use zip::CompressionMethod;
use zip::write::SimpleFileOptions;

fn sample_log() -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-logs/unpaid-trunk/3CXPhoneSystem.log")).unwrap()
}

fn zip_of(log: &[u8], method: CompressionMethod) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    w.start_file("Logs/3CXPhoneSystem.log", SimpleFileOptions::default().compression_method(method)).unwrap();
    w.write_all(log).unwrap();
    w.finish().unwrap().into_inner()
}

/// (records, unrecognised, error) of the member.
fn member(zip: &[u8]) -> (u64, u64, Option<String>) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bundle.zip");
    std::fs::write(&path, zip).unwrap();
    let r = check(&CheckOptions { paths: vec![path], chunk_size: 4096, ..Default::default() }).unwrap();
    let i = r.inputs.iter().find(|i| i.path.ends_with("3CXPhoneSystem.log")).unwrap();
    (i.records, i.unrecognized, i.error.clone())
}

#[test]
fn streamed_members_read_like_the_plain_file() {
    let log = sample_log();
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("3CXPhoneSystem.log");
    std::fs::write(&plain, &log).unwrap();
    let r = check(&CheckOptions { paths: vec![plain], ..Default::default() }).unwrap();
    let expected = (r.inputs[0].records, r.inputs[0].unrecognized, None);
    for method in [CompressionMethod::Stored, CompressionMethod::Deflated] {
        assert_eq!(member(&zip_of(&log, method)), expected, "{method:?}");
    }
}

#[test]
fn a_corrupt_member_is_named_with_its_checksum_error() {
    let log = sample_log();
    let mut zip = zip_of(&log, CompressionMethod::Stored);
    // Change one byte of a stored member's data: only the CRC can tell.
    let at = zip.windows(8).position(|w| w == b"CM503003").unwrap();
    zip[at + 2] = b'9';
    let (records, _, error) = member(&zip);
    assert!(records > 600, "what was read is analysed: {records}");
    let error = error.expect("the corruption is reported");
    assert!(error.contains("checksum mismatch") && error.contains("3CXPhoneSystem.log"), "{error}");
}

#[test]
fn a_member_declared_larger_than_its_data_is_an_error() {
    let log = sample_log();
    // Declare the member larger than its data: the data runs into the directory.
    let mut forged = zip_of(&log, CompressionMethod::Stored);
    let size = (log.len() as u32).to_le_bytes();
    let bigger = (log.len() as u32 + 1000).to_le_bytes();
    // Both the local header and the central directory carry the size (twice: compressed and not).
    let mut i = 0;
    while let Some(p) = forged[i..].windows(4).position(|w| w == size) {
        forged[i + p..i + p + 4].copy_from_slice(&bigger);
        i += p + 4;
    }
    let (_, _, error) = member(&forged);
    assert!(error.is_some(), "a member shorter than declared is an error");
}
