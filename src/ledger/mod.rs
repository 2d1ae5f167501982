//! The SQLite ledger: opening it safely, its schema version, and the one
//! write path (an immediate transaction that records its own history).

mod history;
pub mod model;
mod ops;
pub(crate) mod rules;
mod store;
pub mod verify;
mod wal;

use std::cell::Cell;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rusqlite::{Connection, OpenFlags, TransactionBehavior};

use crate::error::{classify_sqlite, Access, Error, Result};

/// The chain's documented hash (README, "The history chain"), for tools
/// that recompute it, such as the benchmark's breakdown of `verify`.
pub use history::{chain_hash, hex, EventFields, GENESIS};
pub use ops::{
    clean_text, is_bidi_control, Acceptance, AssignFields, CloseRequest, Correction, Extra,
    NewCampaign, NewMeasure, NewProblem, ProblemDefaults, Writer, MAX_CAMPAIGN_DAYS,
};
pub use store::{Detail, ItemFilter, SheetRow, EVENT_COLUMNS};

use model::{Campaign, Event, Item, ItemId, ItemRef};

pub const SCHEMA: &str = include_str!("../../schema.sql");
pub const SCHEMA_VERSION: i64 = 6;
/// `PRAGMA application_id`: "RECT". Tells a rectify ledger from any other
/// SQLite file a user might point `--db` at.
pub const APPLICATION_ID: i64 = 0x5245_4354;
const BUSY_TIMEOUT_MS: u64 = 5_000;

/// The upgrades, as taskchampion lists them: (the version a step upgrades
/// from, the step). A ledger at version N runs every step from N on.
type Migration = fn(&mut Ledger) -> Result<()>;
const MIGRATIONS: &[(i64, Migration)] = &[
    (1, Ledger::upgrade_from_1),
    (2, Ledger::upgrade_from_2),
    (3, Ledger::upgrade_from_3),
    (4, Ledger::upgrade_from_4),
    (5, Ledger::upgrade_from_5),
];

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
    /// The file's mode, when whoever may write it has left it readable by
    /// group or others (worded as a warning at the edge).
    pub shared_mode: Option<u32>,
    /// Whether the `-wal` file's name is on disk: it was there before this
    /// connection opened the ledger, or its directory has been synced since
    /// (`settle_wal`).
    wal_on_disk: Cell<bool>,
}

impl Ledger {
    /// Open the ledger to change it. Its identity and schema are checked
    /// before anything is written to it, WAL mode included.
    pub fn open(path: &Path, mode: OpenMode) -> Result<Ledger> {
        Ledger::open_from(None, path, mode)
    }

    /// `open`, going on with the connection `main` opened first, if it is
    /// to this file and may write.
    pub fn open_from(peeked: Option<Peek>, path: &Path, mode: OpenMode) -> Result<Ledger> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut ledger = match Peek::matching(peeked, path, flags) {
            // The peek checked the file before it connected, and found it
            // writable; checking again would drop SQLite's locks (`Peek`).
            Some((conn, wal_on_disk)) => Ledger {
                conn,
                path: path.to_path_buf(),
                shared_mode: shared_mode(path),
                wal_on_disk: Cell::new(wal_on_disk),
            },
            None => {
                if !regular_file(path)? {
                    match mode {
                        OpenMode::Existing => {
                            return Err(Error::NoLedger {
                                path: path.to_path_buf(),
                            })
                        }
                        OpenMode::Create => create_private_file(path)?,
                    }
                }
                let mut ledger = Ledger::connect(path, flags)?;
                if writable(path) {
                    ledger.shared_mode = shared_mode(path);
                }
                ledger
            }
        };
        ledger.check_schema(mode)?;
        ledger.switch_to_wal()?;
        ledger.settle_wal()?;
        align_sidecars(path);
        Ok(ledger)
    }

    /// Open the ledger to read it: every read that follows sees one
    /// snapshot, so figures, lists and the fingerprint printed with them all
    /// describe the same moment however busy other clerks are.
    ///
    /// A user who cannot write the file (a colleague reading a
    /// group-readable ledger) opens it read-only, and never creates a file
    /// beside it: SQLite would make the `-wal`/`-shm` files theirs, and the
    /// owner's next write would fail.
    pub fn open_snapshot(path: &Path) -> Result<Ledger> {
        Ledger::open_snapshot_from(None, path)
    }

    /// `open_snapshot`, going on with the connection `main` opened first,
    /// if it is to this file with the same access.
    pub fn open_snapshot_from(peeked: Option<Peek>, path: &Path) -> Result<Ledger> {
        let (mut ledger, writable) = match peeked.filter(|peek| peek.path == path) {
            // Checked by the peek before it connected (`Peek`).
            Some(peek) => {
                let writable = peek.flags.contains(OpenFlags::SQLITE_OPEN_READ_WRITE);
                let ledger = Ledger {
                    conn: peek.conn,
                    path: peek.path,
                    shared_mode: None,
                    wal_on_disk: Cell::new(peek.wal_on_disk),
                };
                (ledger, writable)
            }
            None => {
                if !regular_file(path)? {
                    return Err(Error::NoLedger {
                        path: path.to_path_buf(),
                    });
                }
                let writable = writable(path);
                let access = if writable {
                    OpenFlags::SQLITE_OPEN_READ_WRITE
                } else {
                    if let Some(side) = unready_sidecar(path)? {
                        return Err(Error::SharedNotReady {
                            path: path.to_path_buf(),
                            side,
                        });
                    }
                    OpenFlags::SQLITE_OPEN_READ_ONLY
                };
                let ledger = Ledger::connect(path, access | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
                (ledger, writable)
            }
        };
        if writable {
            ledger.shared_mode = shared_mode(path);
            align_sidecars(path);
        }
        loop {
            ledger.begin_snapshot()?;
            let version = ledger.identify()?;
            if version == SCHEMA_VERSION {
                // The snapshot's first read made the `-wal` if it was missing.
                if writable {
                    ledger.settle_wal()?;
                }
                return Ok(ledger);
            }
            // An older ledger is upgraded once, by someone who may write it.
            ledger.end_snapshot()?;
            if !writable {
                return Err(Error::NeedsUpgrade {
                    path: path.to_path_buf(),
                });
            }
            ledger.upgrade(version)?;
        }
    }

    /// An empty ledger in memory: `verify` replays history into one.
    pub fn scratch() -> Result<Ledger> {
        let conn = Connection::open_in_memory()?;
        let mut ledger = Ledger {
            conn,
            path: PathBuf::from(":memory:"),
            shared_mode: None,
            wal_on_disk: Cell::new(true),
        };
        ledger.initialize()?;
        Ok(ledger)
    }

    fn connect(path: &Path, flags: OpenFlags) -> Result<Ledger> {
        // Looked at before SQLite can make it: it opens the `-wal` at the
        // first read. A read-only connection never makes it.
        let wal_on_disk = flags.contains(OpenFlags::SQLITE_OPEN_READ_ONLY)
            || sidecar(path, "-wal").symlink_metadata().is_ok();
        wal::keep_wal_blocks();
        let conn = Connection::open_with_flags(path, flags)
            .map_err(|e| classify_sqlite(e, path, Access::Open))?;
        // Neither setting writes to the file. The page cache stays at
        // SQLite's 2 MiB: reads stream, and a bigger cache only made every
        // page read a fresh allocation (a quarter slower on list, check and
        // reports). A bulk write asks for more (`widen_cache`).
        conn.busy_timeout(std::time::Duration::from_millis(BUSY_TIMEOUT_MS))
            .and_then(|()| conn.pragma_update(None, "foreign_keys", "ON"))
            .map_err(|e| classify_sqlite(e, path, Access::Open))?;
        let ledger = Ledger {
            conn,
            path: path.to_path_buf(),
            shared_mode: None,
            wal_on_disk: Cell::new(wal_on_disk),
        };
        if flags.contains(OpenFlags::SQLITE_OPEN_READ_WRITE) {
            ledger.keep_wal_files()?;
        }
        Ok(ledger)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    fn storage(&self, err: rusqlite::Error, access: Access) -> Error {
        classify_sqlite(err, &self.path, access)
    }

    /// WAL lets readers go on while a clerk writes. Asked for only once the
    /// file is known to be a rectify ledger, or an empty file about to become
    /// one, since it rewrites the header.
    ///
    /// The `-wal` and `-shm` files are kept when the last connection closes
    /// (persistent WAL, emptied on close, in place: `wal`): a colleague who
    /// may only read the ledger reads through them, and never has to create
    /// them.
    ///
    /// In WAL mode a commit is synced by the checkpoint that follows it
    /// (`make_durable`), so the commit itself need not be (`synchronous =
    /// NORMAL`, SQLite's own advice for WAL). Only then: in rollback mode
    /// NORMAL would weaken what a sync protects.
    fn enable_wal(&mut self) -> Result<()> {
        let mode = self
            .conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0))
            .map_err(|e| self.storage(e, Access::Write))?;
        if mode.eq_ignore_ascii_case("wal") {
            self.conn
                .pragma_update(None, "synchronous", "NORMAL")
                .map_err(|e| self.storage(e, Access::Open))?;
        }
        Ok(())
    }

    /// Every connection that may close last must keep the files, the
    /// owner's reads included, and a peek that closes without becoming the
    /// command's connection (import closes it before reading the sheet):
    /// so `connect` asks it of every connection that may write.
    fn keep_wal_files(&self) -> Result<()> {
        // Not a write to the file. A commit trims a WAL larger than the
        // limit; an emptied one keeps its blocks up to it (`wal`).
        self.conn
            .pragma_update(None, "journal_size_limit", wal::KEPT_WAL_BYTES)
            .map_err(|e| self.storage(e, Access::Open))?;
        let mut on: std::os::raw::c_int = 1;
        // SAFETY: the handle is this open connection's; the file control
        // reads one int through the pointer during the call and keeps
        // nothing. It only fails on a VFS without WAL, which is no worse
        // than before.
        unsafe {
            rusqlite::ffi::sqlite3_file_control(
                self.conn.handle(),
                c"main".as_ptr(),
                rusqlite::ffi::SQLITE_FCNTL_PERSIST_WAL,
                (&mut on as *mut std::os::raw::c_int).cast(),
            );
        }
        Ok(())
    }

    /// SQLite is built not to sync a file's directory itself
    /// (`SQLITE_DISABLE_DIRSYNC`, `.cargo/config.toml`): it did so every time
    /// a process first synced its `-wal`, a tenth of a millisecond of every
    /// write, though the kept `-wal` is made once in a ledger's life. So
    /// rectify syncs the directory when the file has just appeared: a
    /// writer as its transaction begins, before anything goes into the
    /// `-wal`, let alone from it into the ledger file; a reader that made
    /// it too, or the next writer would take it for settled.
    fn settle_wal(&self) -> Result<()> {
        settle_wal(&self.path, &self.wal_on_disk)
    }

    /// `enable_wal`, where the file may not be in WAL mode yet (a new
    /// ledger, or a backup copied into place), with the rollback journal
    /// that the switch goes through prepared. A ledger with its `-wal`
    /// there is in WAL mode already: the files are kept (`keep_wal_files`).
    fn switch_to_wal(&mut self) -> Result<()> {
        if !self.wal_on_disk.get() {
            let mode = self
                .conn
                .query_row("PRAGMA journal_mode", [], |r| r.get::<_, String>(0))
                .map_err(|e| self.storage(e, Access::Read))?;
            if !mode.eq_ignore_ascii_case("wal") {
                prepare_journal(&self.path)?;
            }
        }
        self.enable_wal()
    }

    /// A large import in one transaction: 32 MiB keeps its uncommitted
    /// pages from spilling to the WAL mid-transaction, and is only
    /// allocated as pages are touched.
    pub fn widen_cache(&self) -> Result<()> {
        self.conn
            .pragma_update(None, "cache_size", -32768)
            .map_err(|e| self.storage(e, Access::Write))
    }

    /// The schema version, once the file is known to be a rectify ledger
    /// this rectify can read.
    fn identify(&self) -> Result<i64> {
        let header = self.header().map_err(|e| self.storage(e, Access::Read))?;
        self.identify_from(header)
    }

    fn identify_from(&self, (app, version, tables): (i64, i64, i64)) -> Result<i64> {
        let not_a_ledger = || Error::NotALedger {
            path: self.path.clone(),
        };
        if app != APPLICATION_ID || tables == 0 || version < 1 {
            return Err(not_a_ledger());
        }
        if version > SCHEMA_VERSION {
            return Err(Error::TooNew {
                path: self.path.clone(),
                found: version,
                supported: SCHEMA_VERSION,
            });
        }
        Ok(version)
    }

    /// The header is read once: each of its three statements takes and
    /// releases the ledger's read lock.
    fn check_schema(&mut self, mode: OpenMode) -> Result<()> {
        let header = self.header().map_err(|e| self.storage(e, Access::Read))?;
        if header == (0, 0, 0) && mode == OpenMode::Create {
            // A new ledger is written in WAL mode from its first page.
            self.switch_to_wal()?;
            return self.initialize();
        }
        let version = self.identify_from(header)?;
        self.upgrade(version)
    }

    /// Bring an older ledger up to this schema, one step at a time, each
    /// step its own immediate transaction that re-checks the version.
    fn upgrade(&mut self, from: i64) -> Result<()> {
        for &(version, step) in MIGRATIONS {
            if from <= version && version < SCHEMA_VERSION {
                step(self)?;
            }
        }
        Ok(())
    }

    fn begin_snapshot(&self) -> Result<()> {
        self.conn
            .execute_batch("BEGIN DEFERRED")
            .map_err(|e| self.storage(e, Access::Read))
    }

    fn end_snapshot(&self) -> Result<()> {
        self.conn
            .execute_batch("ROLLBACK")
            .map_err(|e| self.storage(e, Access::Read))
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

    /// Schema 2 to 3: rebuild the event table with the wider kind and
    /// action lists (SQLite cannot alter a CHECK), copying every event as it
    /// is, so the chain and the fingerprint are unchanged; put its index
    /// and append-only triggers back exactly as schema.sql has them; drop
    /// the unused `item` view.
    fn upgrade_from_2(&mut self) -> Result<()> {
        self.in_immediate(true, |tx| {
            let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
            if version != 2 {
                return Ok(());
            }
            let create = schema_statement("CREATE TABLE event (");
            let index = schema_statement("CREATE INDEX event_by_item");
            tx.execute_batch(&format!(
                "DROP VIEW IF EXISTS item;
                 DROP TRIGGER IF EXISTS event_no_update;
                 DROP TRIGGER IF EXISTS event_no_delete;
                 ALTER TABLE event RENAME TO event_v2;
                 {create};
                 INSERT INTO event SELECT * FROM event_v2;
                 DROP TABLE event_v2;
                 {index};"
            ))?;
            for (_, trigger) in verify::schema_triggers() {
                tx.execute_batch(&trigger)?;
            }
            tx.pragma_update(None, "user_version", 3)?;
            Ok(())
        })
    }

    /// Schema 3 to 4: the `extra` column on problems and measures, empty
    /// for every item a schema 3 ledger holds, as its history says.
    fn upgrade_from_3(&mut self) -> Result<()> {
        self.in_immediate(true, |tx| {
            let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
            if version != 3 {
                return Ok(());
            }
            tx.execute_batch(
                "ALTER TABLE problem ADD COLUMN extra TEXT NOT NULL DEFAULT '';
                 ALTER TABLE measure ADD COLUMN extra TEXT NOT NULL DEFAULT '';",
            )?;
            tx.pragma_update(None, "user_version", 4)?;
            Ok(())
        })
    }

    /// Schema 4 to 5: voiding (作废) and acceptance (验收). No schema 4
    /// ledger holds either, as its history says: every item is live, no
    /// measure accepted, no campaign asks for acceptance. The partial
    /// indexes of voided items and corrections are made as schema.sql has
    /// them. (Taking `voided_on` into the index of measures by problem
    /// would keep "has measures that count" in the index, but it sorted
    /// every listing of measures in a temp b-tree: a third slower.)
    fn upgrade_from_4(&mut self) -> Result<()> {
        self.in_immediate(true, |tx| {
            let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
            if version != 4 {
                return Ok(());
            }
            tx.execute_batch(
                "ALTER TABLE campaign ADD COLUMN acceptance INTEGER NOT NULL DEFAULT 0;
                 ALTER TABLE problem ADD COLUMN voided_on TEXT;
                 ALTER TABLE measure ADD COLUMN voided_on TEXT;
                 ALTER TABLE measure ADD COLUMN accepted_on TEXT;
                 ALTER TABLE measure ADD COLUMN accepted_by TEXT NOT NULL DEFAULT '';",
            )?;
            for index in [
                "CREATE INDEX problem_voided",
                "CREATE INDEX measure_voided",
                "CREATE INDEX event_edits",
                "CREATE INDEX event_reopens",
            ] {
                tx.execute_batch(&schema_statement(index))?;
            }
            tx.pragma_update(None, "user_version", 5)?;
            Ok(())
        })
    }

    /// Schema 5 to 6: index the ongoing marks, so that the reports know
    /// which measures went from open to done at most once; widen the
    /// measures' index by problem to carry what close-out asks of them; and
    /// write the CHECK constraints' lists of values as comparisons.
    fn upgrade_from_5(&mut self) -> Result<()> {
        self.in_immediate(true, |tx| {
            let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
            if version != 5 {
                return Ok(());
            }
            tx.execute_batch(&schema_statement("CREATE INDEX event_ongoing"))?;
            tx.execute_batch("DROP INDEX measure_by_problem")?;
            tx.execute_batch(&schema_statement("CREATE INDEX measure_by_problem"))?;
            checks_as_comparisons(tx)?;
            tx.pragma_update(None, "user_version", 6)?;
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
        let classify = |e| classify_sqlite(e, &path, Access::Write);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(classify)?;
        // The transaction has opened the `-wal`, making it if it was
        // missing: its name goes on disk before anything is written, so a
        // failure here leaves the ledger as it was.
        settle_wal(&self.path, &self.wal_on_disk)?;
        let out = work(&tx).map_err(|e| e.at_ledger(&path, Access::Write))?;
        if commit {
            tx.commit().map_err(classify)?;
            self.make_durable()?;
        }
        Ok(out)
    }

    /// Put a commit on disk before the command says it is done.
    ///
    /// In WAL mode a writer's commit is not synced by itself (`synchronous
    /// = NORMAL`, `enable_wal`): the checkpoint run here syncs the WAL,
    /// copies its pages into the ledger file and syncs that, leaving the
    /// file whole. A synced commit had the checkpoint sync the WAL a second
    /// time with nothing left to write, a tenth of a millisecond of a 3.5
    /// ms `add`. Where the checkpoint cannot copy every page (a reader's
    /// older snapshot holds it back) or fails (a full disk as the ledger
    /// file grows), the WAL is synced here instead: the change is committed
    /// either way, and only a failed sync leaves it unsaid whether it is on
    /// disk.
    fn make_durable(&self) -> Result<()> {
        let checkpoint = self
            .conn
            .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| {
                Ok((r.get::<_, i64>(1)?, r.get::<_, i64>(2)?))
            });
        // A log of -1: not in WAL mode (a scratch ledger in memory, or a
        // file SQLite would not switch), where commits keep SQLite's own
        // full syncs. A new ledger is switched before its first write.
        let copied_all = matches!(checkpoint, Ok((log, copied)) if log < 0 || copied >= log);
        if !copied_all {
            let wal = sidecar(&self.path, "-wal");
            std::fs::File::open(&wal)
                .and_then(|file| file.sync_data())
                .map_err(|e| Error::io(&wal, e))?;
        }
        Ok(())
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
            let mut writer = ops::Writer::new(tx, stamp, head);
            let out = change(&mut writer)?;
            writer.finish()?;
            Ok(out)
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

    /// Problems whose measures are all settled, not yet closed out.
    pub fn awaiting_close_out(&self, campaign: Option<&str>, detail: Detail) -> Result<Vec<Item>> {
        store::awaiting_close_out(&self.conn, campaign, detail)
    }

    /// Whether any campaign asks for acceptance (验收).
    pub fn any_acceptance(&self) -> Result<bool> {
        self.asks_acceptance(None)
    }

    /// Whether the campaign whose key is `campaign_id`, or with None any
    /// campaign, asks for acceptance. Where none does, the queries leave
    /// acceptance out and cost what they did before it existed.
    pub fn asks_acceptance(&self, campaign_id: Option<i64>) -> Result<bool> {
        store::asks_acceptance(&self.conn, campaign_id)
    }

    /// Every extra field's header in the ledger, sorted.
    pub fn extra_headers(&self) -> Result<Vec<String>> {
        store::extra_headers(&self.conn)
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

    /// Copy the ledger to `dest` with SQLite's online backup API, from this
    /// snapshot, and verify the copy before it takes its name. The copy is
    /// written to a private temp file beside `dest` and renamed into place,
    /// so an interrupted backup leaves nothing under that name; `dest` must
    /// not exist yet, not even as a dangling link.
    pub fn backup_to(&self, dest: &Path) -> Result<verify::Report> {
        let exists = || {
            Error::from(crate::error::Rule::BackupExists {
                path: dest.to_path_buf(),
            })
        };
        if dest.symlink_metadata().is_ok() {
            return Err(exists());
        }
        let dir = parent_dir(dest);
        // tempfile creates it 0600, whatever the umask.
        let temp = tempfile::Builder::new()
            .prefix(".rectify-backup-")
            .tempfile_in(dir)
            .map_err(|e| Error::io(dir, e))?;
        let copy_path = temp.path().to_path_buf();
        let storage = |e| classify_sqlite(e, dest, Access::Write);
        let mut target = Connection::open(&copy_path).map_err(storage)?;
        copy_pages(&self.conn, &mut target).map_err(storage)?;
        // A backup is one self-contained file: no -wal beside it.
        target
            .query_row("PRAGMA journal_mode = DELETE", [], |r| {
                r.get::<_, String>(0)
            })
            .map_err(storage)?;
        let copy = Ledger {
            conn: target,
            path: dest.to_path_buf(),
            shared_mode: None,
            wal_on_disk: Cell::new(true),
        };
        let report = verify::verify(&copy, &verify::Options::default())?;
        drop(copy);
        if !report.ok() {
            return Err(Error::Tampered(crate::error::Tamper::BackupUnverified {
                findings: report.findings,
            }));
        }
        temp.as_file().sync_all().map_err(|e| Error::io(dest, e))?;
        temp.persist_noclobber(dest).map_err(|e| {
            if e.error.kind() == std::io::ErrorKind::AlreadyExists {
                exists()
            } else {
                Error::io(dest, e.error)
            }
        })?;
        // The rename is on disk only once the directory is: without this a
        // power cut just after "backup written" could leave no backup.
        sync_dir(dest)?;
        Ok(report)
    }

    /// The fingerprint: the hash of the newest event.
    pub fn head(&self) -> Result<(i64, String)> {
        history::head(&self.conn)
    }
}

/// All pages in one step, inside the source's read transaction: in WAL
/// mode writers go on meanwhile, and the copy is the snapshot. Stepping in
/// slices would restart on every write and could chase a busy ledger
/// forever.
fn copy_pages(source: &Connection, target: &mut Connection) -> rusqlite::Result<()> {
    use rusqlite::backup::StepResult;
    let backup = rusqlite::backup::Backup::new(source, target)?;
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
}

/// One statement of schema.sql, from `start` to its semicolon.
fn schema_statement(start: &str) -> String {
    let from = SCHEMA.find(start).unwrap_or(0);
    let rest = &SCHEMA[from..];
    rest[..rest.find(';').unwrap_or(rest.len())].to_string()
}

/// Rewrite the CHECK constraints' IN lists of three values or more as
/// comparisons, in the stored table definitions. The constraint allows
/// exactly what it allowed, so no row needs checking again and no table
/// is rebuilt: the definitions are edited in place as SQLite's ALTER TABLE
/// documentation describes (writable_schema, then a new schema_version),
/// and reloaded before the transaction commits, so a definition SQLite
/// cannot read rolls the whole upgrade back.
fn checks_as_comparisons(tx: &rusqlite::Transaction<'_>) -> Result<()> {
    let tables: Vec<(String, String)> = tx
        .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name IN ('measure', 'event')")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let changed: Vec<(String, String)> = tables
        .into_iter()
        .filter_map(|(name, sql)| {
            let rewritten = in_lists_as_comparisons(&sql);
            (rewritten != sql).then_some((name, rewritten))
        })
        .collect();
    if changed.is_empty() {
        return Ok(());
    }
    let version: i64 = tx.query_row("PRAGMA schema_version", [], |r| r.get(0))?;
    tx.pragma_update(None, "writable_schema", true)?;
    for (name, sql) in &changed {
        tx.execute(
            "UPDATE sqlite_master SET sql = ?1 WHERE type = 'table' AND name = ?2",
            [sql, name],
        )?;
    }
    tx.pragma_update(None, "schema_version", version + 1)?;
    tx.pragma_update(None, "writable_schema", "RESET")?;
    // Read both tables through the new definitions.
    tx.query_row(
        "SELECT (SELECT count(*) FROM measure WHERE 0), (SELECT count(*) FROM event WHERE 0)",
        [],
        |_| Ok(()),
    )?;
    Ok(())
}

/// `CHECK (x IN ('a', 'b', 'c'))` as `CHECK (x = 'a' OR x = 'b' OR x = 'c')`,
/// for every such list of three quoted values or more; anything else is
/// left as it is.
fn in_lists_as_comparisons(sql: &str) -> String {
    let mut out = String::new();
    let mut rest = sql;
    while let Some(at) = rest.find("CHECK (") {
        let start = at + "CHECK (".len();
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        if let Some((replacement, used)) = comparisons(rest) {
            out.push_str(&replacement);
            rest = &rest[used..];
        }
    }
    out.push_str(rest);
    out
}

/// `x IN ('a', 'b', 'c')` at the start of `text`: its comparisons and the
/// length of text they replace.
fn comparisons(text: &str) -> Option<(String, usize)> {
    let column_end = text.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))?;
    let column = &text[..column_end];
    let after = text[column_end..].trim_start();
    let after = after.strip_prefix("IN")?.trim_start().strip_prefix('(')?;
    let close = after.find(')')?;
    let values: Vec<&str> = after[..close].split(',').map(str::trim).collect();
    let quoted = |v: &&str| {
        v.len() >= 2
            && v.starts_with('\'')
            && v.ends_with('\'')
            && !v[1..v.len() - 1].contains('\'')
    };
    if column.is_empty() || values.len() < 3 || !values.iter().all(quoted) {
        return None;
    }
    let used = text.len() - after.len() + close + 1;
    let joined: Vec<String> = values.iter().map(|v| format!("{column} = {v}")).collect();
    Some((joined.join(" OR "), used))
}

/// The ledger as `main` first opens it, to learn the office's language
/// before any command runs. The command's own open takes this connection
/// over (`Ledger::open_from`, `Ledger::open_snapshot_from`), so a run opens
/// the file and loads its schema once, not twice.
///
/// The file is checked (a regular file, writable or not, its side files
/// ready) before the peek connects, and never again while it is open:
/// POSIX locks belong to the process, so opening and closing the ledger
/// file once SQLite has read it would silently drop SQLite's locks, and
/// another clerk's rectify, thinking itself the last, would empty the WAL
/// under this one.
pub struct Peek {
    conn: Connection,
    path: PathBuf,
    flags: OpenFlags,
    wal_on_disk: bool,
    /// The language the ledger records (`init --lang`), if any.
    pub language: Option<String>,
}

impl Peek {
    /// The connection, if it is to `path` with `flags`. Any other peek is
    /// closed here, before the caller checks the file itself.
    fn matching(peeked: Option<Peek>, path: &Path, flags: OpenFlags) -> Option<(Connection, bool)> {
        peeked
            .filter(|peek| peek.path == path && peek.flags == flags)
            .map(|peek| (peek.conn, peek.wal_on_disk))
    }
}

impl std::fmt::Debug for Peek {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Peek")
            .field("path", &self.path)
            .field("language", &self.language)
            .finish_non_exhaustive()
    }
}

/// Open the ledger as `open_snapshot` would and read the language it
/// records. It must be cheap and must never fail the command: nothing at
/// all where the file is not a ledger, or where a colleague's read could
/// leave a file (the `-wal`/`-shm` files missing). The command then opens
/// the ledger itself and says what is wrong.
pub fn peek(path: &Path) -> Option<Peek> {
    if !matches!(regular_file(path), Ok(true)) {
        return None;
    }
    let access = if writable(path) {
        OpenFlags::SQLITE_OPEN_READ_WRITE
    } else if matches!(unready_sidecar(path), Ok(None)) {
        OpenFlags::SQLITE_OPEN_READ_ONLY
    } else {
        return None;
    };
    let flags = access | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let ledger = Ledger::connect(path, flags).ok()?;
    let app: i64 = ledger
        .conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .ok()?;
    if app != APPLICATION_ID {
        return None;
    }
    let language = history::language(&ledger.conn).ok().flatten();
    // Where this read made the `-wal`; a failure is the command's own open
    // to meet, which tries again.
    let _ = ledger.settle_wal();
    Some(Peek {
        wal_on_disk: ledger.wal_on_disk.get(),
        conn: ledger.conn,
        path: path.to_path_buf(),
        flags,
        language,
    })
}

/// Whether a ledger file is there; a directory, a FIFO or a device is not
/// a ledger, and opening one to test it could block or change it.
fn regular_file(path: &Path) -> Result<bool> {
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_file() => Ok(true),
        Ok(_) => Err(Error::NotALedger {
            path: path.to_path_buf(),
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(Error::io(path, e)),
    }
}

/// `ledger.db-wal`, `ledger.db-shm`.
fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Give the `-wal` and `-shm` files the ledger's own mode. SQLite creates
/// them with the mode the ledger had then; an owner who later makes the
/// ledger group-readable for colleagues expects them to follow. Best
/// effort: only the files' owner may change them.
fn align_sidecars(path: &Path) {
    let Ok(meta) = std::fs::metadata(path) else {
        return;
    };
    for side in ["-wal", "-shm"] {
        let side = sidecar(path, side);
        if let Ok(side_meta) = std::fs::metadata(&side) {
            if side_meta.permissions() != meta.permissions() {
                let _ = std::fs::set_permissions(&side, meta.permissions());
            }
        }
    }
}

/// Whether the file's header says WAL (format bytes 18 and 19 are 2): only
/// then does SQLite need the `-wal` and `-shm` files to read it.
fn wal_mode(path: &Path) -> Result<bool> {
    use std::io::Read;
    let mut header = [0u8; 20];
    let mut file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    Ok(match file.read_exact(&mut header) {
        Ok(()) => header[18] == 2 && header[19] == 2,
        Err(_) => false,
    })
}

fn create_private_file(path: &Path) -> Result<()> {
    use std::fs::{DirBuilder, OpenOptions};
    #[cfg(unix)]
    use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};

    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        // The directories made here, each to be synced into its parent.
        let made: Vec<&Path> = dir
            .ancestors()
            .take_while(|d| !d.as_os_str().is_empty() && d.symlink_metadata().is_err())
            .collect();
        let mut builder = DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        builder.mode(0o700);
        builder.create(dir).map_err(|e| Error::io(dir, e))?;
        for made in made.iter().rev() {
            sync_dir(made)?;
        }
    }
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    options.mode(0o600);
    match options.open(path) {
        Ok(_) => sync_dir(path),
        // Someone else created it between our check and now: fine.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(Error::io(path, e)),
    }
}

/// `Ledger::settle_wal`, for a caller holding the connection in a
/// transaction.
fn settle_wal(path: &Path, wal_on_disk: &Cell<bool>) -> Result<()> {
    if wal_on_disk.get() || sidecar(path, "-wal").symlink_metadata().is_err() {
        return Ok(());
    }
    sync_dir(path)?;
    wal_on_disk.set(true);
    Ok(())
}

/// Sync the directory holding `path`, so that a file just made in it is
/// still there after a power cut. As SQLite does, a directory that cannot
/// be opened to sync it is passed over.
fn sync_dir(path: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        let dir = parent_dir(path);
        if let Ok(handle) = std::fs::File::open(dir) {
            handle.sync_all().map_err(|e| Error::io(dir, e))?;
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// The directory holding `path` (`.` for a bare file name).
fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

/// Make the rollback journal of a switch to WAL mode before SQLite does,
/// and sync its directory: SQLite no longer does (`settle_wal`), and a
/// journal that a power cut loses cannot undo a half-written first page.
/// One already there is left alone: it may be hot, for SQLite to play back.
/// SQLite deletes the journal when the switch commits.
fn prepare_journal(path: &Path) -> Result<()> {
    use std::fs::OpenOptions;
    #[cfg(unix)]
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};

    let journal = sidecar(path, "-journal");
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    // The ledger's own mode, as SQLite gives the files it makes beside it.
    #[cfg(unix)]
    options.mode(
        std::fs::metadata(path)
            .map(|m| m.permissions().mode() & 0o777)
            .unwrap_or(0o600),
    );
    match options.open(&journal) {
        Ok(_) => sync_dir(path),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(Error::io(&journal, e)),
    }
}

/// Whether this user may write the file (opening it for writing changes
/// nothing in it).
fn writable(path: &Path) -> bool {
    std::fs::OpenOptions::new().write(true).open(path).is_ok()
}

/// The side file (`-wal` or `-shm`) that a read-only connection would have
/// to create, if any: in WAL mode SQLite needs both, and creating one as a
/// colleague would lock the owner out.
fn unready_sidecar(path: &Path) -> Result<Option<PathBuf>> {
    if !wal_mode(path)? {
        return Ok(None);
    }
    Ok(["-wal", "-shm"]
        .iter()
        .map(|side| sidecar(path, side))
        .find(|side| std::fs::File::open(side).is_err()))
}

/// The file's mode when group or others may read it.
#[cfg(unix)]
fn shared_mode(path: &Path) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path).ok()?.permissions().mode() & 0o777;
    (mode & 0o044 != 0).then_some(mode)
}

#[cfg(not(unix))]
fn shared_mode(_: &Path) -> Option<u32> {
    None
}

#[cfg(test)]
mod tests {
    use super::in_lists_as_comparisons;

    #[test]
    fn in_lists_of_three_or_more_become_comparisons() {
        // Schema 5's measure status and event kind and action, as stored.
        let measure = "status       TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'ongoing', 'closed')),";
        assert_eq!(
            in_lists_as_comparisons(measure),
            "status       TEXT NOT NULL DEFAULT 'open' CHECK (status = 'open' OR status = 'ongoing' OR status = 'closed'),"
        );
        let action = "action       TEXT NOT NULL CHECK (action IN\n                   ('add', 'assign',\n                    'accept')),\n    x TEXT";
        assert_eq!(
            in_lists_as_comparisons(action),
            "action       TEXT NOT NULL CHECK (action = 'add' OR action = 'assign' OR action = 'accept'),\n    x TEXT"
        );
        // Two values are compared already; other checks are not lists.
        for unchanged in [
            "scope TEXT CHECK (scope IN ('group', 'individual')),",
            "days INTEGER NOT NULL CHECK (days > 0),",
            "k TEXT CHECK (k IN ('a', 'b', c)),",
            "k TEXT CHECK (k IN ('a', 'b', 'c'",
        ] {
            assert_eq!(in_lists_as_comparisons(unchanged), unchanged);
        }
    }
}
