//! Spooling one multipart upload: every `files` part is streamed to its own file in the
//! request's private directory, under its uploaded name (made safe), never held whole
//! in memory; the other parts are small text fields.

use super::BODY_IDLE_TIMEOUT;
use axum::extract::Multipart;
use axum::extract::multipart::MultipartError;
use std::io;
use std::path::{Path, PathBuf};
use tokio::io::AsyncWriteExt;

/// Longest text field (a company name, a license key, an address).
const MAX_FIELD_BYTES: usize = 4096;
/// Files in one upload: a support-info zip is one file; a whole Logs folder is tens.
const MAX_FILES: usize = 10_000;
/// Folder depth kept from an uploaded name (`Logs/CDRLogs/cdr.log` is 3).
const MAX_DEPTH: usize = 16;
/// Bytes of one name component (file systems allow 255).
const MAX_COMPONENT_BYTES: usize = 200;
/// Writes to the spool are batched: one blocking write per this many bytes.
const SPOOL_BUFFER: usize = 256 * 1024;

/// What an upload held.
#[derive(Debug, Default)]
pub(crate) struct Form {
    pub files: usize,
    pub bytes: u64,
    /// Text fields in arrival order (name, value).
    pub fields: Vec<(String, String)>,
}

/// What is wrong with a form field (worded in the asked language by the API).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum FieldProblem {
    TooManyFiles(usize),
    TooLong(usize),
    NotText,
    Unknown,
    /// The allowed values.
    Expected(&'static str),
}

#[derive(Debug)]
pub(crate) enum UploadError {
    TooLarge,
    Malformed(String),
    BadField {
        field: String,
        problem: FieldProblem,
    },
    /// The client stopped sending.
    Stalled,
    /// The spool could not be written (disk full, permissions).
    Spool(io::Error),
}

impl From<MultipartError> for UploadError {
    fn from(e: MultipartError) -> Self {
        UploadError::Malformed(e.body_text())
    }
}

/// The next piece of the body, or `Stalled` when the client pauses too long.
async fn within<T>(fut: impl Future<Output = Result<T, MultipartError>>) -> Result<T, UploadError> {
    match tokio::time::timeout(BODY_IDLE_TIMEOUT, fut).await {
        Ok(r) => r.map_err(UploadError::from),
        Err(_) => Err(UploadError::Stalled),
    }
}

/// Reads the whole form into `dir`. `on_field` sees each text field as it arrives (so
/// that an error later in the upload can already speak the asked language).
pub(crate) async fn receive(
    mp: &mut Multipart,
    dir: &Path,
    max_upload: u64,
    mut on_field: impl FnMut(&str, &str),
) -> Result<Form, UploadError> {
    let mut form = Form::default();
    while let Some(mut field) = within(mp.next_field()).await? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "files" {
            form.files += 1;
            if form.files > MAX_FILES {
                return Err(UploadError::BadField { field: name, problem: FieldProblem::TooManyFiles(MAX_FILES) });
            }
            let relative = safe_relative_name(field.file_name().unwrap_or_default(), form.files);
            let mut file = create_target(dir, &relative).await?;
            // tokio's own write buffer would grow to 2 MiB per upload otherwise.
            file.set_max_buf_size(SPOOL_BUFFER);
            let mut out = tokio::io::BufWriter::with_capacity(SPOOL_BUFFER, file);
            while let Some(chunk) = within(field.chunk()).await? {
                form.bytes += chunk.len() as u64;
                if form.bytes > max_upload {
                    return Err(UploadError::TooLarge);
                }
                out.write_all(&chunk).await.map_err(UploadError::Spool)?;
            }
            out.flush().await.map_err(UploadError::Spool)?;
        } else {
            let mut value = Vec::new();
            while let Some(chunk) = within(field.chunk()).await? {
                value.extend_from_slice(&chunk);
                if value.len() > MAX_FIELD_BYTES {
                    return Err(UploadError::BadField { field: name, problem: FieldProblem::TooLong(MAX_FIELD_BYTES) });
                }
            }
            let value = String::from_utf8(value)
                .map_err(|_| UploadError::BadField { field: name.clone(), problem: FieldProblem::NotText })?;
            on_field(&name, &value);
            form.fields.push((name, value));
        }
    }
    Ok(form)
}

/// A new file for an upload at `relative` below `dir`; when that name is taken (two
/// files of the same name, a file where a folder is wanted) `name (2).ext` and so on,
/// then the bare name at the top.
async fn create_target(dir: &Path, relative: &Path) -> Result<tokio::fs::File, UploadError> {
    let mut candidates = vec![relative.to_path_buf()];
    candidates.extend((2..=20).map(|k| numbered(relative, k)));
    let file_name = relative.file_name().map(PathBuf::from).unwrap_or_else(|| PathBuf::from("upload"));
    candidates.extend((1..=20).map(|k| numbered(&file_name, k)));
    let mut last = io::Error::other("no name left for the upload");
    for candidate in candidates {
        let path = dir.join(&candidate);
        if let Some(parent) = path.parent()
            && let Err(e) = tokio::fs::create_dir_all(parent).await
        {
            last = e;
            continue;
        }
        let mut open = tokio::fs::OpenOptions::new();
        open.write(true).create_new(true);
        #[cfg(unix)]
        open.mode(0o600);
        match open.open(&path).await {
            Ok(f) => return Ok(f),
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::AlreadyExists | io::ErrorKind::NotADirectory | io::ErrorKind::IsADirectory
                ) =>
            {
                last = e
            }
            Err(e) => return Err(UploadError::Spool(e)),
        }
    }
    Err(UploadError::Spool(last))
}

/// `a/b.log` with k=2 → `a/b (2).log`; k=1 is the name itself.
fn numbered(p: &Path, k: usize) -> PathBuf {
    if k == 1 {
        return p.to_path_buf();
    }
    let stem = p.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let name = match p.extension() {
        Some(ext) => format!("{stem} ({k}).{}", ext.to_string_lossy()),
        None => format!("{stem} ({k})"),
    };
    p.with_file_name(name)
}

/// The uploaded name (a browser sends `folder/sub/file.log` for a dropped folder) as a
/// relative path that stays inside the spool: no `..`, no root, no drive letter, no
/// control characters, no `:` (it separates a zip from its member in the report).
pub(crate) fn safe_relative_name(raw: &str, index: usize) -> PathBuf {
    let parts: Vec<String> = raw
        .split(['/', '\\'])
        .enumerate()
        .filter(|(i, c)| !(*i == 0 && c.len() == 2 && c.ends_with(':') && c.as_bytes()[0].is_ascii_alphabetic()))
        .map(|(_, c)| c.trim())
        .filter(|c| !c.is_empty() && *c != "." && *c != "..")
        .map(clean_component)
        .filter(|c| !c.is_empty() && c != "." && c != "..")
        .collect();
    let keep = parts.len().saturating_sub(MAX_DEPTH);
    let path: PathBuf = parts[keep..].iter().collect();
    if path.as_os_str().is_empty() { PathBuf::from(format!("upload-{index}")) } else { path }
}

fn clean_component(c: &str) -> String {
    let mut out = String::new();
    for ch in c.chars() {
        let ch = if ch.is_control() || ch == ':' { '_' } else { ch };
        if out.len() + ch.len_utf8() > MAX_COMPONENT_BYTES {
            break;
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uploaded_names_stay_inside_the_spool() {
        assert_eq!(
            safe_relative_name("unpaid-trunk/3CXPhoneSystem.log", 1),
            PathBuf::from("unpaid-trunk/3CXPhoneSystem.log")
        );
        assert_eq!(safe_relative_name("../../etc/passwd", 1), PathBuf::from("etc/passwd"));
        assert_eq!(safe_relative_name("/abs/x.log", 1), PathBuf::from("abs/x.log"));
        assert_eq!(safe_relative_name("C:\\ProgramData\\3CX\\cdr.log", 1), PathBuf::from("ProgramData/3CX/cdr.log"));
        assert_eq!(safe_relative_name("a\u{0}b:c.log", 1), PathBuf::from("a_b_c.log"));
        assert_eq!(safe_relative_name("..", 7), PathBuf::from("upload-7"));
        assert_eq!(safe_relative_name("", 3), PathBuf::from("upload-3"));
        assert_eq!(safe_relative_name("Nhật ký/tổng đài.log", 1), PathBuf::from("Nhật ký/tổng đài.log"));
        let deep = "d/".repeat(40) + "f.log";
        assert_eq!(safe_relative_name(&deep, 1).components().count(), MAX_DEPTH);
    }

    #[test]
    fn a_taken_name_gets_a_number() {
        assert_eq!(numbered(Path::new("a/b.log"), 2), PathBuf::from("a/b (2).log"));
        assert_eq!(numbered(Path::new("cdr"), 3), PathBuf::from("cdr (3)"));
    }
}
