//! Files rectify writes for people to share: exports and reports.
//!
//! They are written like any other tool's output: created with the user's
//! umask, so colleagues on the office share can open them, and a file that
//! is replaced keeps its mode. Only the ledger, its directory and backups
//! are private.

use std::fs::File;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Write to a temp file beside `path` and rename it into place at the end,
/// so an interrupted export never leaves a truncated file under that name.
pub fn write_atomically(path: &Path, write: impl FnOnce(&mut File) -> Result<()>) -> Result<()> {
    #[cfg(unix)]
    use std::os::unix::fs::PermissionsExt;

    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".rectify-out-");
    // 0666 less the umask, as the kernel applies it to any new file.
    #[cfg(unix)]
    builder.permissions(std::fs::Permissions::from_mode(0o666));
    let mut temp = builder.tempfile_in(&dir).map_err(|e| Error::io(&dir, e))?;
    if let Ok(existing) = std::fs::metadata(path) {
        std::fs::set_permissions(temp.path(), existing.permissions())
            .map_err(|e| Error::io(path, e))?;
    }
    write(temp.as_file_mut()).map_err(|e| match e {
        Error::Io { source, .. } => Error::io(path, source),
        other => other,
    })?;
    temp.as_file().sync_all().map_err(|e| Error::io(path, e))?;
    temp.persist(path).map_err(|e| Error::io(path, e.error))?;
    Ok(())
}
