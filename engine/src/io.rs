//! Files in and out, the one way every command touches the file system.
//!
//! - [`read_limited`] reads regular files only (a symlink counts when it
//!   leads to one), refuses FIFOs, devices, sockets and directories before
//!   opening them, and reads at most `limit + 1` bytes, so `/dev/zero` or a
//!   huge file never fills memory.
//! - [`walk`] lists the files under some paths without following directory
//!   symlinks and without visiting a directory twice, so `x -> .` loops end.
//! - [`write_atomic`] replaces a regular file through a temporary file with
//!   an unpredictable name created exclusively beside it (the `tempfile`
//!   crate), keeps its mode, writes through symlinks to their target, and
//!   writes in place to what is not a regular file (`/dev/stdout`, a FIFO).

use std::fmt;
use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// Why a file could not be read.
#[derive(Debug)]
pub enum ReadError {
    /// The system refused: missing, a dangling symlink, no permission, a
    /// symlink loop.
    Io(std::io::Error),
    /// Not a regular file; says what it is ("a FIFO (named pipe)").
    NotRegular(&'static str),
    /// More than `limit` bytes.
    TooLarge { limit: usize },
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Io(e) => write!(f, "{}", describe_io(e)),
            ReadError::NotRegular(what) => write!(f, "it is {what}, not a regular file"),
            ReadError::TooLarge { limit } => {
                write!(f, "it is larger than the limit of {limit} bytes")
            }
        }
    }
}

/// An I/O error in words, without Rust's `(os error N)` suffix.
pub fn describe_io(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::NotFound => "no such file or directory (or a symlink to nothing)".into(),
        K::PermissionDenied => "permission denied".into(),
        K::IsADirectory => "it is a directory".into(),
        K::StorageFull => "no space left on the device".into(),
        K::BrokenPipe => "the reader closed the pipe".into(),
        _ => {
            let s = e.to_string();
            let s = match s.find(" (os error") {
                Some(i) => s[..i].to_string(),
                None => s,
            };
            if s.contains("many levels of symbolic links") {
                "a symlink loop (too many levels of symbolic links)".into()
            } else {
                lower_first(&s)
            }
        }
    }
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) if c.clone().next().is_some_and(char::is_lowercase) => {
            f.to_lowercase().collect::<String>() + c.as_str()
        }
        _ => s.to_string(),
    }
}

/// What a file that is not regular is, in words.
pub fn kind_of(ft: &fs::FileType) -> &'static str {
    if ft.is_dir() {
        return "a directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if ft.is_char_device() {
            return "a character device";
        }
        if ft.is_block_device() {
            return "a block device";
        }
        if ft.is_socket() {
            return "a socket";
        }
    }
    if ft.is_symlink() {
        return "a symlink";
    }
    "not a plain file"
}

/// Reads a regular file (or a symlink to one) of at most `limit` bytes.
/// Anything else is refused before it is opened; the file is opened
/// without blocking and checked again once open, and at most `limit + 1`
/// bytes are read whatever its size claims.
pub fn read_limited(path: &Path, limit: usize) -> Result<Vec<u8>, ReadError> {
    let meta = fs::metadata(path).map_err(ReadError::Io)?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular(kind_of(&meta.file_type())));
    }
    if meta.len() > limit as u64 {
        return Err(ReadError::TooLarge { limit });
    }
    let mut opts = fs::OpenOptions::new();
    opts.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // a FIFO swapped in after the check above must not block the open
        opts.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    let file = opts.open(path).map_err(ReadError::Io)?;
    let meta = file.metadata().map_err(ReadError::Io)?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular(kind_of(&meta.file_type())));
    }
    let mut bytes = Vec::with_capacity((meta.len() as usize).min(limit) + 1);
    file.take(limit as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() > limit {
        return Err(ReadError::TooLarge { limit });
    }
    Ok(bytes)
}

/// The deepest directory nesting [`walk`] descends into.
pub const MAX_WALK_DEPTH: usize = 64;

/// The files under `paths` whose names end in one of `exts` (`"yaml"`),
/// sorted and without duplicates. A path given that is not a directory is
/// kept as given when its extension matches or it does not exist (so that
/// reading it reports why). Inside directories, symlinks to directories
/// are not followed, a directory is visited once, and nesting stops at
/// [`MAX_WALK_DEPTH`]; files of any kind with a matching name are listed
/// (reading a FIFO or device named `x.yaml` is refused with a reason).
pub fn walk(paths: &[PathBuf], exts: &[&str]) -> Vec<PathBuf> {
    let mut out = vec![];
    let mut seen = Visited::default();
    for p in paths {
        if p.is_dir() {
            walk_dir(p, exts, 0, &mut seen, &mut out);
        } else if has_ext(p, exts) || fs::symlink_metadata(p).is_err() {
            out.push(p.clone());
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The entries of one directory (not below it) whose names end in one of
/// `exts`, sorted, of any kind (see [`walk`]).
pub fn list_dir(dir: &Path, exts: &[&str]) -> std::io::Result<Vec<PathBuf>> {
    let mut out: Vec<PathBuf> = fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| has_ext(p, exts))
        .collect();
    out.sort();
    Ok(out)
}

fn has_ext(p: &Path, exts: &[&str]) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| exts.contains(&e))
}

/// Directories already walked, by device and inode where the system has them.
#[derive(Default)]
struct Visited(std::collections::HashSet<(u64, u64)>, Vec<PathBuf>);

impl Visited {
    /// Whether `dir` is new (and marks it seen).
    fn first(&mut self, dir: &Path) -> bool {
        #[cfg(unix)]
        if let Ok(m) = fs::metadata(dir) {
            use std::os::unix::fs::MetadataExt;
            return self.0.insert((m.dev(), m.ino()));
        }
        let canon = fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
        if self.1.contains(&canon) {
            return false;
        }
        self.1.push(canon);
        true
    }
}

fn walk_dir(dir: &Path, exts: &[&str], depth: usize, seen: &mut Visited, out: &mut Vec<PathBuf>) {
    if depth > MAX_WALK_DEPTH || !seen.first(dir) {
        return;
    }
    let Ok(rd) = fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let path = e.path();
        let Ok(ft) = e.file_type() else {
            continue;
        };
        if ft.is_dir() {
            walk_dir(&path, exts, depth + 1, seen, out);
        } else if has_ext(&path, exts) {
            // a symlink to a directory named `x.yaml` is not followed
            if ft.is_symlink() && fs::metadata(&path).is_ok_and(|m| m.is_dir()) {
                continue;
            }
            out.push(path);
        }
    }
}

/// Why an output could not be written.
#[derive(Debug)]
pub struct WriteError {
    pub path: PathBuf,
    pub what: String,
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot write {}: {}", self.path.display(), self.what)
    }
}

impl std::error::Error for WriteError {}

/// How many symlinks [`write_atomic`] follows to find a missing target.
const MAX_LINKS: usize = 40;

/// Writes `bytes` to `path` so that a reader (or a crash) sees the old
/// content or the new, never a torn file:
///
/// - a regular file (or a symlink to one, which stays a symlink) is
///   replaced by renaming a temporary file over it; the temporary file is
///   created exclusively, with an unpredictable name, in the target's own
///   directory, and gets the target's mode (and owner, where allowed);
/// - a new file gets the usual mode (`0666` less the umask); a dangling
///   symlink gets its target created;
/// - what is not a regular file (`/dev/stdout`, a terminal, a FIFO, a
///   device) is written in place, since it cannot be replaced;
/// - a directory, or a place the user may not write, is refused.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    let fail = |what: String| WriteError {
        path: path.to_path_buf(),
        what,
    };
    let (target, existing) = match fs::metadata(path) {
        Ok(m) if m.is_dir() => return Err(fail("it is a directory".into())),
        Ok(m) if !m.is_file() => {
            return write_in_place(path, bytes).map_err(|e| fail(describe_io(&e)));
        }
        Ok(m) => {
            let is_link = fs::symlink_metadata(path).is_ok_and(|l| l.file_type().is_symlink());
            let target = if is_link {
                fs::canonicalize(path).map_err(|e| fail(describe_io(&e)))?
            } else {
                path.to_path_buf()
            };
            (target, Some(m))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            (dangling_target(path).map_err(fail)?, None)
        }
        Err(e) => return Err(fail(describe_io(&e))),
    };
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(TEMP_SUFFIX);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // the mode is given to open(2), which applies the umask, as for a new file
        let mode = existing
            .as_ref()
            .map(|m| m.permissions().mode() & 0o7777)
            .unwrap_or(0o666);
        builder.permissions(fs::Permissions::from_mode(mode));
    }
    let mut tmp = builder.tempfile_in(&dir).map_err(|e| {
        fail(match e.kind() {
            std::io::ErrorKind::NotFound => {
                format!("the directory {} does not exist", dir.display())
            }
            _ => format!(
                "cannot create a temporary file in {}: {}",
                dir.display(),
                describe_io(&e)
            ),
        })
    })?;
    let written = (|| {
        tmp.write_all(bytes)?;
        if let Some(m) = &existing {
            keep_owner_and_mode(tmp.as_file(), m)?;
        }
        tmp.as_file().sync_all()
    })();
    written.map_err(|e| fail(describe_io(&e)))?;
    tmp.persist(&target)
        .map_err(|e| fail(describe_io(&e.error)))?;
    Ok(())
}

/// The ending of the temporary files [`write_atomic`] creates (the name
/// is `.<target name>.<random><TEMP_SUFFIX>`).
pub const TEMP_SUFFIX: &str = ".tiers-tmp";

/// Writes into an existing file that is not regular (a device, a FIFO,
/// `/dev/stdout`), without creating or truncating anything.
fn write_in_place(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut f = fs::OpenOptions::new().write(true).open(path)?;
    f.write_all(bytes)?;
    f.flush()
}

/// Where writing to a missing `path` creates the file: `path` itself, or
/// the end of the symlink chain that starts there.
fn dangling_target(path: &Path) -> Result<PathBuf, String> {
    let mut cur = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        match fs::symlink_metadata(&cur) {
            Ok(m) if m.file_type().is_symlink() => {
                let to = fs::read_link(&cur).map_err(|e| describe_io(&e))?;
                cur = match cur.parent() {
                    Some(p) if to.is_relative() => p.join(to),
                    _ => to,
                };
            }
            Ok(_) => return Ok(cur),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(cur),
            Err(e) => return Err(describe_io(&e)),
        }
    }
    Err("a symlink loop (too many levels of symbolic links)".into())
}

#[cfg(unix)]
fn keep_owner_and_mode(f: &fs::File, old: &fs::Metadata) -> std::io::Result<()> {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    // the owner first: changing it may clear set-id bits, which the mode restores
    let mine = f.metadata()?;
    if (mine.uid(), mine.gid()) != (old.uid(), old.gid()) {
        // only root may give a file away; others keep their own
        let _ = std::os::unix::fs::fchown(f, Some(old.uid()), Some(old.gid()));
    }
    f.set_permissions(fs::Permissions::from_mode(
        old.permissions().mode() & 0o7777,
    ))
}

#[cfg(not(unix))]
fn keep_owner_and_mode(f: &fs::File, old: &fs::Metadata) -> std::io::Result<()> {
    f.set_permissions(old.permissions())
}
