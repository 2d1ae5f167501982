//! The SQLite ledger: opening it safely, its schema version, and the one
//! write path (an immediate transaction that records its own history).

mod history;
pub mod model;
mod ops;
mod store;
pub mod verify;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rusqlite::{Connection, OpenFlags, TransactionBehavior};

use crate::error::{classify_sqlite, Error, Result};

pub use history::{canonical_encoding, chain_hash, GENESIS};
pub use ops::{
    clean_text, AssignFields, CloseRequest, NewCampaign, NewMeasure, NewProblem, ProblemDefaults,
    Writer,
};
pub use store::{Detail, ItemFilter, SheetRow, EVENT_COLUMNS};

use model::{Campaign, Event, Item, ItemId, ItemRef};

pub const SCHEMA: &str = include_str!("../../schema.sql");
pub const SCHEMA_VERSION: i64 = 2;
/// `PRAGMA application_id`: "RECT". Tells a rectify ledger from any other
/// SQLite file a user might point `--db` at.
pub const APPLICATION_ID: i64 = 0x5245_4354;
const BUSY_TIMEOUT_MS: u64 = 5_000;

/// Whether opening may create the file. Commands that only read, or only
/// change existing items, must not turn a typo'd path into an empty ledger.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OpenMode {
    Existing,
    Create,
}

/// Who and when, for every event a write records. Resolved once in `main`.
#[derive(Clone, Debug)]
pub struct Stamp {
    pub today: NaiveDate,
    /// RFC 3339 UTC, second precision.
    pub now: String,
    pub actor: String,
}

pub struct Ledger {
    conn: Connection,
    path: PathBuf,
    /// Set when the file is readable by group or others.
    pub permission_warning: Option<String>,
}

impl Ledger {
    pub fn open(path: &Path, mode: OpenMode) -> Result<Ledger> {
        let exists = path.exists();
        if path.is_dir() {
            return Err(Error::NotALedger {
                path: path.to_path_buf(),
            });
        }
        if !exists {
            match mode {
                OpenMode::Existing => {
                    return Err(Error::NoLedger {
                        path: path.to_path_buf(),
                    })
                }
                OpenMode::Create => create_private_file(path)?,
            }
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn =
            Connection::open_with_flags(path, flags).map_err(|e| classify_sqlite(e, path))?;
        let mut ledger = Ledger {
            conn,
            path: path.to_path_buf(),
            permission_warning: permission_warning(path),
        };
        ledger.configure()?;
        ledger.check_schema(mode)?;
        Ok(ledger)
    }

    /// An empty ledger in memory: `verify` replays history into one.
    pub fn scratch() -> Result<Ledger> {
        let conn = Connection::open_in_memory()?;
        let mut ledger = Ledger {
            conn,
            path: PathBuf::from(":memory:"),
            permission_warning: None,
        };
        ledger.initialize()?;
        Ok(ledger)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    fn storage(&self, err: rusqlite::Error) -> Error {
        classify_sqlite(err, &self.path)
    }

    fn configure(&mut self) -> Result<()> {
        let path = self.path.clone();
        let classify = |e| classify_sqlite(e, &path);
        self.conn
            .busy_timeout(std::time::Duration::from_millis(BUSY_TIMEOUT_MS))
            .map_err(classify)?;
        self.conn
            .pragma_update(None, "foreign_keys", "ON")
            .map_err(classify)?;
        // The page cache stays at SQLite's 2 MiB: reads stream, and a
        // bigger cache only made every page read a fresh allocation (a
        // quarter slower on list, check and reports). A bulk write asks for
        // more (`widen_cache`).
        // WAL lets readers go on while a clerk writes. It is persistent, but
        // asking again is free, and a read-only file simply keeps its mode.
        let _ = self
            .conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0));
        Ok(())
    }

    /// A large import in one transaction: 32 MiB keeps its uncommitted
    /// pages from spilling to the WAL mid-transaction, and is only
    /// allocated as pages are touched.
    pub fn widen_cache(&self) -> Result<()> {
        self.conn
            .pragma_update(None, "cache_size", -32768)
            .map_err(|e| self.storage(e))
    }

    fn check_schema(&mut self, mode: OpenMode) -> Result<()> {
        let (app, version, tables) = self.header().map_err(|e| self.storage(e))?;
        if app == 0 && version == 0 && tables == 0 {
            return match mode {
                OpenMode::Create => self.initialize(),
                OpenMode::Existing => Err(Error::NotALedger {
                    path: self.path.clone(),
                }),
            };
        }
        if app != APPLICATION_ID {
            return Err(Error::NotALedger {
                path: self.path.clone(),
            });
        }
        if version > SCHEMA_VERSION {
            return Err(Error::TooNew {
                path: self.path.clone(),
                found: version,
                supported: SCHEMA_VERSION,
            });
        }
        if version < 1 {
            return Err(Error::NotALedger {
                path: self.path.clone(),
            });
        }
        if version == 1 {
            self.upgrade_from_1()?;
        }
        Ok(())
    }

    /// Schema 1 to 2: add `measure.settled_on` and fill it by walking the
    /// history once, through the same rule every later write follows. One
    /// immediate transaction: a ledger is upgraded whole or not at all.
    fn upgrade_from_1(&mut self) -> Result<()> {
        self.in_immediate(true, |tx| {
            // Another process may have upgraded it while we waited.
            let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
            if version != 1 {
                return Ok(());
            }
            tx.execute_batch("ALTER TABLE measure ADD COLUMN settled_on TEXT")?;
            let mut events = tx.prepare(
                "SELECT item_id, action, effective_on FROM event
                  WHERE kind = 'measure' ORDER BY seq",
            )?;
            let mut rows = events.query([])?;
            while let Some(row) = rows.next()? {
                let (id, action, on): (i64, String, String) =
                    (row.get(0)?, row.get(1)?, row.get(2)?);
                ops::settle(tx, "measure", id, &action, &on)?;
            }
            tx.pragma_update(None, "user_version", 2)?;
            Ok(())
        })
    }

    /// Run `work` in one `BEGIN IMMEDIATE` transaction, committed only
    /// when `commit` is set and `work` succeeds; otherwise rolled back.
    fn in_immediate<T>(
        &mut self,
        commit: bool,
        work: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T>,
    ) -> Result<T> {
        let path = self.path.clone();
        let classify = |e| classify_sqlite(e, &path);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(classify)?;
        let out = work(&tx)?;
        if commit {
            tx.commit().map_err(classify)?;
        }
        Ok(out)
    }

    fn header(&self) -> rusqlite::Result<(i64, i64, i64)> {
        let app = self
            .conn
            .query_row("PRAGMA application_id", [], |r| r.get(0))?;
        let version = self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?;
        let tables = self
            .conn
            .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))?;
        Ok((app, version, tables))
    }

    fn initialize(&mut self) -> Result<()> {
        self.in_immediate(true, |tx| {
            // Another process may have initialised the file while we waited.
            let tables: i64 =
                tx.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))?;
            if tables == 0 {
                tx.execute_batch(SCHEMA)?;
                tx.pragma_update(None, "application_id", APPLICATION_ID)?;
                tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
            }
            Ok(())
        })
    }

    /// Run `change` in one `BEGIN IMMEDIATE` transaction. Either all of it,
    /// history included, is committed, or none of it is.
    pub fn write<T>(
        &mut self,
        stamp: &Stamp,
        change: impl FnOnce(&mut ops::Writer<'_>) -> Result<T>,
    ) -> Result<T> {
        self.transact(stamp, true, change)
    }

    /// Run `change` exactly as `write` would, then roll it back: a dry run
    /// goes through every rule a real run does.
    pub fn rehearse<T>(
        &mut self,
        stamp: &Stamp,
        change: impl FnOnce(&mut ops::Writer<'_>) -> Result<T>,
    ) -> Result<T> {
        self.transact(stamp, false, change)
    }

    fn transact<T>(
        &mut self,
        stamp: &Stamp,
        commit: bool,
        change: impl FnOnce(&mut ops::Writer<'_>) -> Result<T>,
    ) -> Result<T> {
        self.in_immediate(commit, |tx| {
            let head = history::head(tx)?;
            change(&mut ops::Writer::new(tx, stamp, head))
        })
    }
}

/// Reads, for commands that do not change anything.
impl Ledger {
    pub fn item(&self, id: ItemId) -> Result<Item> {
        store::item(&self.conn, id)
    }

    pub fn resolve(&self, reference: &ItemRef) -> Result<ItemId> {
        store::resolve(&self.conn, reference)
    }

    pub fn items(&self, filter: &ItemFilter, today: NaiveDate) -> Result<Vec<Item>> {
        store::items(&self.conn, filter, today)
    }

    pub fn each_item(
        &self,
        filter: &ItemFilter,
        today: NaiveDate,
        detail: Detail,
        visit: impl FnMut(Item) -> Result<()>,
    ) -> Result<()> {
        store::each_item(&self.conn, filter, today, detail, visit)
    }

    pub fn each_sheet_row(
        &self,
        filter: &ItemFilter,
        today: NaiveDate,
        visit: impl FnMut(&SheetRow) -> Result<()>,
    ) -> Result<()> {
        store::each_sheet_row(&self.conn, filter, today, visit)
    }

    pub fn campaigns(&self) -> Result<Vec<Campaign>> {
        store::campaigns(&self.conn)
    }

    pub fn campaign(&self, code: &str) -> Result<Campaign> {
        store::campaign(&self.conn, code)
    }

    pub fn campaign_id(&self, code: &str) -> Result<i64> {
        store::campaign_id(&self.conn, code)
    }

    pub fn campaign_counts(&self, code: &str) -> Result<(i64, i64)> {
        store::campaign_counts(&self.conn, code)
    }

    pub fn events_of(&self, id: ItemId) -> Result<Vec<Event>> {
        store::events_of(&self.conn, id.kind.table(), id.n)
    }

    pub fn each_event(&self, visit: impl FnMut(Event) -> Result<()>) -> Result<()> {
        store::each_event(&self.conn, visit)
    }

    /// Copy the ledger to `dest` with SQLite's online backup API, which
    /// gives a consistent snapshot even while other processes write.
    pub fn backup_to(&self, dest: &Path) -> Result<()> {
        if dest.exists() {
            return Err(Error::refused(format!(
                "{} already exists; a backup never overwrites",
                dest.display()
            )));
        }
        create_private_file(dest)?;
        let mut target = Connection::open(dest).map_err(|e| classify_sqlite(e, dest))?;
        let result = (|| {
            use rusqlite::backup::StepResult;
            let backup = rusqlite::backup::Backup::new(&self.conn, &mut target)?;
            // All pages in one step, inside one read transaction: in WAL mode
            // writers go on meanwhile, and the copy is the snapshot at its
            // start. Stepping in slices would restart on every write and
            // could chase a busy ledger forever.
            let pause = std::time::Duration::from_millis(20);
            for _ in 0..BUSY_TIMEOUT_MS / 20 {
                match backup.step(-1)? {
                    StepResult::Done => return Ok(()),
                    StepResult::More => {}
                    _ => std::thread::sleep(pause),
                }
            }
            Err(rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
                None,
            ))
        })();
        if let Err(e) = result {
            drop(target);
            let _ = std::fs::remove_file(dest);
            return Err(classify_sqlite(e, dest));
        }
        Ok(())
    }

    /// The fingerprint: the hash of the newest event.
    pub fn head(&self) -> Result<(i64, String)> {
        history::head(&self.conn)
    }
}

fn create_private_file(path: &Path) -> Result<()> {
    use std::fs::{DirBuilder, OpenOptions};
    #[cfg(unix)]
    use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};

    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        let mut builder = DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        builder.mode(0o700);
        builder.create(dir).map_err(|e| Error::io(dir, e))?;
    }
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    options.mode(0o600);
    match options.open(path) {
        Ok(_) => Ok(()),
        // Someone else created it between our check and now: fine.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(Error::io(path, e)),
    }
}

#[cfg(unix)]
fn permission_warning(path: &Path) -> Option<String> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path).ok()?.permissions().mode();
    (mode & 0o044 != 0).then(|| {
        format!(
            "warning: {} is readable by other users (mode {:o}); run `chmod 600` on it",
            path.display(),
            mode & 0o777
        )
    })
}

#[cfg(not(unix))]
fn permission_warning(_: &Path) -> Option<String> {
    None
}
