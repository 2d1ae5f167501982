//! The `-wal` keeps its disk blocks from one command to the next.
//!
//! SQLite empties a kept (persistent) WAL by truncating it to no bytes, and
//! the next write grows it again. The file system frees the blocks and then
//! allocates them again, and the write's syncs wait on that bookkeeping.
//! Strace of an `add` on a 1M ledger: the truncate took 0.15–0.3 ms, and
//! the syncs of a WAL that had to grow took longer than syncs of one that
//! did not.
//!
//! SQLite truncates a WAL to nothing only once every frame in it is in
//! the ledger file and no connection can still need those frames:
//! - as the last connection closes, holding the exclusive lock;
//! - in a `TRUNCATE` checkpoint, after it has reset the WAL's index.
//!
//! At those points, a WAL whose 32-byte header is cleared is as empty as a
//! WAL of no bytes:
//! - Recovery reads frames only after a valid header, and treats a cleared
//!   one as an empty log.
//! - The next writer writes a fresh header with new random salts at the
//!   start. The old frames behind its own fail its salt and checksum
//!   checks.
//!
//! That second point is what happens already whenever SQLite restarts a
//! WAL in place, writing over the start of the old one.
//!
//! So rectify clears the header where SQLite would truncate. It does this
//! through the unix VFS's table of system calls (`xSetSystemCall`), which
//! SQLite provides for replacing the calls it makes. A WAL larger than
//! [`KEPT_WAL_BYTES`] (left by a large import) is still truncated, so the
//! file never holds more than that between commands. Like SQLite's
//! truncate, the cleared header is not synced. A crash that loses the
//! clearing leaves the old header in place, in front of frames that are
//! all in the ledger file already: recovery reads them back, and they hold
//! what the ledger file holds.

use std::fs::File;
use std::mem::ManuallyDrop;
use std::os::fd::FromRawFd;
use std::os::raw::{c_char, c_int};
use std::os::unix::fs::FileExt;
use std::sync::Once;

use rusqlite::ffi;

/// The largest WAL kept at its size when emptied. A write of a few items
/// fills a few dozen 4 KiB frames. This bound is also the `PRAGMA
/// journal_size_limit`, so a commit never trims a WAL below it.
pub(super) const KEPT_WAL_BYTES: i64 = 4 << 20;

const WAL_HEADER_BYTES: usize = 32;
/// A WAL header's first four bytes, big-endian, with the low bit telling
/// the byte order of its checksums.
const WAL_MAGIC: u32 = 0x377f_0682;

/// SQLite's unix VFS declares ftruncate(2) with a 64-bit `off_t`: the
/// amalgamation is built with large-file support.
type Ftruncate = unsafe extern "C" fn(c_int, i64) -> c_int;

/// Install the replacement once per process, before the first connection.
pub(super) fn keep_wal_blocks() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let name: *const c_char = c"ftruncate".as_ptr();
        // SAFETY: sqlite3_vfs_find returns the registered default VFS or
        // null. Its xSetSystemCall replaces one entry of the VFS's table of
        // calls, by name. It takes effect for the calls SQLite makes from
        // then on, and no connection is open yet. The replacement has the
        // signature SQLite calls the entry with (`osFtruncate`).
        unsafe {
            let vfs = ffi::sqlite3_vfs_find(std::ptr::null());
            if vfs.is_null() || (*vfs).iVersion < 3 {
                return;
            }
            if let Some(set) = (*vfs).xSetSystemCall {
                let hook: Ftruncate = ftruncate_keeping_wal;
                set(
                    vfs,
                    name,
                    Some(std::mem::transmute::<Ftruncate, unsafe extern "C" fn()>(
                        hook,
                    )),
                );
            }
        }
    });
}

unsafe extern "C" fn ftruncate_keeping_wal(fd: c_int, length: i64) -> c_int {
    // SAFETY: `fd` is the descriptor SQLite passed; ManuallyDrop leaves it
    // open for SQLite.
    let file = ManuallyDrop::new(unsafe { File::from_raw_fd(fd) });
    if length == 0 && cleared_in_place(&file) {
        return 0;
    }
    // set_len is ftruncate(2), retried on EINTR. On failure errno is left
    // as the call set it, which SQLite reads to word its error.
    match u64::try_from(length).map(|len| file.set_len(len)) {
        Ok(Ok(())) => 0,
        _ => -1,
    }
}

/// Whether `file` is a WAL no larger than [`KEPT_WAL_BYTES`] whose header
/// is now cleared. Anything else, or any failure to tell, is truncated as
/// SQLite asked.
fn cleared_in_place(file: &File) -> bool {
    let small = file
        .metadata()
        .is_ok_and(|meta| meta.len() <= KEPT_WAL_BYTES as u64);
    let mut header = [0u8; WAL_HEADER_BYTES];
    if !small || file.read_exact_at(&mut header, 0).is_err() {
        return false;
    }
    let magic = u32::from_be_bytes([header[0], header[1], header[2], header[3]]);
    if magic & !1 == WAL_MAGIC {
        file.write_all_at(&[0; WAL_HEADER_BYTES], 0).is_ok()
    } else {
        // Cleared already, by an earlier command's close. Only a WAL can
        // come here that way: rectify never uses the rollback journal modes
        // that truncate a journal (TRUNCATE) or clear its header (PERSIST).
        header == [0; WAL_HEADER_BYTES]
    }
}
