//! Errors and the exit codes they map to.
//!
//! Every failure a user can cause is a typed value here: bad input is an
//! [`Input`], a ledger rule's refusal a [`Rule`], and so on. None of them
//! holds a sentence. `crate::wording` is the one module that turns them into
//! words, from the catalogue, in the interface language; `main` prints that
//! as a single `error: …` line (plus an optional `hint: …`) and exits with
//! the documented code.

use std::fmt;
use std::path::PathBuf;

use chrono::NaiveDate;

use crate::ledger::model::ItemId;
use crate::words::{Lang, W};

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Documented exit codes (README, "Exit codes").
pub mod exit {
    pub const OK: u8 = 0;
    pub const OVERDUE: u8 = 1;
    pub const USAGE: u8 = 2;
    pub const NOT_FOUND: u8 = 3;
    pub const REFUSED: u8 = 4;
    pub const STORAGE: u8 = 5;
    pub const TAMPERED: u8 = 6;
}

/// Bad input (exit 2): a malformed value, an impossible date, a sheet that
/// cannot be read. Field names are catalogue keys (`W::FieldTitle`), worded
/// in the interface language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    BadDate {
        value: String,
    },
    BadMonth {
        value: String,
    },
    BadDays {
        value: String,
        max: u32,
    },
    BadFingerprint {
        value: String,
    },
    BadId {
        value: String,
    },
    UnknownKind {
        value: String,
    },
    UnknownScope {
        value: String,
    },
    UnknownStatus {
        value: String,
    },
    BadActor {
        name: String,
    },
    BadLang {
        value: String,
    },
    BadNow {
        value: String,
    },
    NoHome,
    FieldEmpty {
        field: W,
    },
    FieldTooLong {
        field: W,
        max: usize,
    },
    FieldControl {
        field: W,
        code: char,
    },
    BidiControl {
        field: W,
        code: char,
    },
    BadCampaignCode {
        code: String,
    },
    DaysOutOfRange {
        days: u32,
        max: u32,
    },
    CampaignTooLate {
        start: NaiveDate,
        days: u32,
        latest: NaiveDate,
    },
    SeveralCampaigns {
        codes: Vec<String>,
    },
    NotAProblem {
        id: ItemId,
    },
    RaisedAfterToday {
        on: NaiveDate,
        today: NaiveDate,
    },
    MeasureBeforeProblem {
        on: NaiveDate,
        problem: ItemId,
        raised: NaiveDate,
    },
    DueBeforeRaised {
        due: NaiveDate,
        raised: NaiveDate,
    },
    DeadlineNotLater {
        to: NaiveDate,
        due: NaiveDate,
    },
    DeadlineBeforeRaised {
        to: NaiveDate,
        id: ItemId,
        raised: NaiveDate,
    },
    OngoingProblem {
        id: ItemId,
    },
    ClosedAfterToday {
        on: NaiveDate,
        today: NaiveDate,
    },
    ClosedBeforeRaised {
        on: NaiveDate,
        id: ItemId,
        raised: NaiveDate,
    },
    ClosedBeforeReopen {
        on: NaiveDate,
        id: ItemId,
        reopened: NaiveDate,
    },
    CloseBeforeMeasure {
        id: ItemId,
        on: NaiveDate,
        measure: ItemId,
        done: NaiveDate,
    },
    CloseBeforeAcceptance {
        id: ItemId,
        on: NaiveDate,
        measure: ItemId,
        accepted: NaiveDate,
    },
    NothingToEdit,
    BadLevels {
        value: String,
    },
    /// A correction of a measure that only its problem has (`--scope` …).
    ProblemField {
        id: ItemId,
        flag: &'static str,
        problem: ItemId,
    },
    ProblemAfterMeasure {
        on: NaiveDate,
        measure: ItemId,
        raised: NaiveDate,
    },
    AcceptProblem {
        id: ItemId,
    },
    AcceptedAfterToday {
        on: NaiveDate,
        today: NaiveDate,
    },
    AcceptedBeforeClosed {
        on: NaiveDate,
        id: ItemId,
        closed: NaiveDate,
    },
    NothingToAssign,
    /// `report by` prints a table; prose and documents are for the
    /// campaign and month reports.
    NotForBy {
        format: crate::report::ReportFormat,
    },
    DocxToTerminal,
    DocxNeedsOutDir,
    Docx {
        why: String,
    },
    BinaryToTerminal,
    NotADirectory {
        path: PathBuf,
    },
    TooManyRows {
        max: u32,
    },
    Xlsx {
        why: String,
    },
    Csv {
        why: String,
    },
    MixedEncoding {
        file: String,
        line: u64,
    },
    LineTooLong {
        file: String,
        line: u64,
        max_bytes: usize,
    },
    HeaderUnreadable {
        file: String,
        why: String,
    },
    TooManyColumns {
        file: String,
        n: usize,
        max: usize,
    },
    ColumnTwice {
        file: String,
        header: String,
    },
    NoProblemColumn {
        file: String,
    },
    CsvUnequal {
        file: String,
        line: u64,
        n: u64,
        header: u64,
    },
    MalformedCsv {
        file: String,
        line: u64,
        why: String,
    },
    ImportStopped {
        file: String,
        n: usize,
    },
    NotASheet {
        file: String,
    },
    ByProblemSheet {
        file: String,
    },
    /// Edited in the sheet and changed in the ledger since the export:
    /// (header, the sheet's value, the ledger's) for each edited cell.
    Conflict {
        item: ItemId,
        cells: Vec<(String, String, String)>,
    },
    NoSuchSheet {
        file: String,
        sheet: String,
        sheets: Vec<String>,
    },
    NoHeader {
        file: String,
        rows: usize,
    },
    BadMap {
        value: String,
    },
    MissingCampaign {
        file: String,
        code: String,
    },
    SameIdOtherText {
        file: String,
        id: String,
        first: u64,
        line: u64,
    },
    /// One cell of an imported sheet.
    Cell {
        header: Header,
        value: String,
        fault: CellFault,
    },
}

/// A sheet's column as the error names it: by the sheet's own header, or,
/// for a column the sheet lacks, by the column's catalogue name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Header {
    Sheet(String),
    Column(W),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CellFault {
    NotDate,
    NotScope,
    NotStatus,
    NotUuid,
    NoProblem,
    BeforeRaised {
        raised: NaiveDate,
    },
    BeforeDue {
        due: NaiveDate,
    },
    /// No problem, under a row that had one: a merged cell saved as CSV.
    NoProblemUnderOne,
    UuidOfMeasure,
    UuidOfProblem,
    /// A day and month without a year.
    NoYear,
    /// A field `import --update` does not change.
    NotUpdatable {
        ledger: String,
    },
    /// A later deadline without a 延期原因.
    NoExtendReason,
    /// Edited in the sheet since its export (its 版本 no longer matches).
    Edited {
        ledger: String,
    },
    /// The ledger holds another value for an item the sheet names by `what`.
    Differs {
        ledger: String,
        what: W,
    },
}

/// A ledger rule's refusal (exit 4): the input is well formed, but the
/// ledger's state does not allow the change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rule {
    UuidTaken {
        uuid: String,
    },
    CampaignExists {
        code: String,
    },
    ClosedNoMeasures {
        problem: ItemId,
        on: Option<NaiveDate>,
    },
    ClosedNoExtend {
        id: ItemId,
        on: Option<NaiveDate>,
    },
    AlreadyClosed {
        id: ItemId,
        on: Option<NaiveDate>,
    },
    AlreadyOngoing {
        id: ItemId,
    },
    OpenMeasures {
        problem: ItemId,
        measures: Vec<ItemId>,
    },
    NotClosed {
        id: ItemId,
    },
    BackupExists {
        path: PathBuf,
    },
    Voided {
        id: ItemId,
    },
    AlreadyVoided {
        id: ItemId,
    },
    NotVoided {
        id: ItemId,
    },
    VoidClosed {
        id: ItemId,
        on: Option<NaiveDate>,
    },
    VoidedWithProblem {
        id: ItemId,
        problem: ItemId,
    },
    EditClosedOut {
        id: ItemId,
        problem: ItemId,
        on: Option<NaiveDate>,
    },
    NoAcceptance {
        id: ItemId,
    },
    NotDone {
        id: ItemId,
    },
    AlreadyAccepted {
        id: ItemId,
        on: NaiveDate,
    },
    SelfAcceptance {
        id: ItemId,
        actor: String,
    },
    Unaccepted {
        problem: ItemId,
        measures: Vec<ItemId>,
    },
}

/// What was looked for and not found (exit 3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Missing {
    /// An id (M3, P12) or a UUID, the same in both languages.
    Item(String),
    Campaign {
        code: String,
    },
    /// A report with no campaign named, in a ledger that has none.
    NoCampaign,
}

/// A stored value no date or count can hold: a ledger edited by hand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Corrupt {
    CampaignDays { stored: i64, max: u32 },
}

impl fmt::Display for Corrupt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::wording::corrupt(self, Lang::En))
    }
}

/// Raised inside a row read, where only a `rusqlite::Error` can travel;
/// `Error::from` takes it back out.
impl std::error::Error for Corrupt {}

/// What the history holds that the ledger cannot make sense of, or a backup
/// that does not verify (exit 6).
#[derive(Debug, Clone)]
pub enum Tamper {
    UnknownTable { table: String },
    UnknownColumn { column: String },
    BackupUnverified { findings: Vec<Finding> },
}

/// One thing `verify` found: a catalogue template and its values, worded
/// at the edge.
#[derive(Debug, Clone)]
pub struct Finding {
    pub word: W,
    pub args: Vec<(&'static str, String)>,
    /// The error behind it (an event the scratch ledger refused), worded
    /// as `{why}` in the reader's language.
    pub cause: Option<std::sync::Arc<Error>>,
}

/// Where in an imported file a bad row is.
#[derive(Debug, Clone)]
pub struct Place {
    pub file: String,
    pub line: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{}", english(self))]
    Invalid(Input),

    #[error("{}", english(self))]
    NotFound(Missing),

    #[error("{}", english(self))]
    Refused(Rule),

    #[error("{}", english(self))]
    NoLedger { path: PathBuf },

    #[error("{}", english(self))]
    NotALedger { path: PathBuf },

    #[error("{}", english(self))]
    TooNew {
        path: PathBuf,
        found: i64,
        supported: i64,
    },

    #[error("{}", english(self))]
    Busy,

    #[error("{}", english(self))]
    Open {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },

    #[error("{}", english(self))]
    Read {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },

    #[error("{}", english(self))]
    Write {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },

    #[error("{}", english(self))]
    ReadOnly { path: PathBuf },

    /// Another user's ledger whose `-wal`/`-shm` files are missing: SQLite
    /// would create them, owned by this user, and lock the owner out.
    #[error("{}", english(self))]
    SharedNotReady { path: PathBuf, side: PathBuf },

    #[error("{}", english(self))]
    NeedsUpgrade { path: PathBuf },

    #[error("{}", english(self))]
    Corrupt(Corrupt),

    #[error("{}", english(self))]
    Sqlite(#[source] rusqlite::Error),

    #[error("{}", english(self))]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// An import's bad rows; nothing was imported.
    #[error("{}", english(self))]
    BadRows(Vec<(Option<Place>, Error)>),

    /// `verify` found the history and the tables disagree.
    #[error("{}", english(self))]
    Tampered(Tamper),
}

fn english(err: &Error) -> String {
    crate::wording::head(err, Lang::En)
}

impl From<rusqlite::Error> for Error {
    fn from(err: rusqlite::Error) -> Self {
        match corrupt_inside(&err) {
            Some(corrupt) => Error::Corrupt(corrupt),
            None => Error::Sqlite(err),
        }
    }
}

impl From<Input> for Error {
    fn from(input: Input) -> Self {
        Error::Invalid(input)
    }
}

impl From<Rule> for Error {
    fn from(rule: Rule) -> Self {
        Error::Refused(rule)
    }
}

impl Error {
    pub fn not_found(what: impl Into<String>) -> Self {
        Error::NotFound(Missing::Item(what.into()))
    }

    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// The message in the interface language, with its causes: `a: b: c`.
    pub fn message_in(&self, lang: Lang) -> String {
        crate::wording::message(self, lang)
    }

    pub fn hint_in(&self, lang: Lang) -> Option<String> {
        crate::wording::hint(self, lang)
    }

    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Invalid(_) | Error::BadRows(_) => exit::USAGE,
            Error::NotFound(_) => exit::NOT_FOUND,
            Error::Refused(_) => exit::REFUSED,
            Error::Tampered(_) => exit::TAMPERED,
            Error::NoLedger { .. }
            | Error::NotALedger { .. }
            | Error::TooNew { .. }
            | Error::Busy
            | Error::Open { .. }
            | Error::Read { .. }
            | Error::Write { .. }
            | Error::ReadOnly { .. }
            | Error::SharedNotReady { .. }
            | Error::NeedsUpgrade { .. }
            | Error::Corrupt(_)
            | Error::Sqlite(_)
            | Error::Io { .. } => exit::STORAGE,
        }
    }

    /// True when the error is only a closed pipe on stdout (`rectify list | head`).
    pub fn is_broken_pipe(&self) -> bool {
        let mut source: Option<&(dyn std::error::Error + 'static)> = Some(self);
        while let Some(err) = source {
            if let Some(io) = err.downcast_ref::<std::io::Error>() {
                if io.kind() == std::io::ErrorKind::BrokenPipe {
                    return true;
                }
            }
            source = err.source();
        }
        false
    }
}

/// What a command was doing with the ledger when SQLite failed: the error
/// says "cannot open", "cannot read" or "cannot write" accordingly.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    Open,
    Read,
    Write,
}

/// Storage errors with a better name than "storage error": a locked ledger,
/// a full disk, a read-only file and a file that is not SQLite at all are
/// things users do, not bugs.
pub fn classify_sqlite(err: rusqlite::Error, path: &std::path::Path, access: Access) -> Error {
    use rusqlite::ErrorCode;
    let path = path.to_path_buf();
    if let rusqlite::Error::SqliteFailure(code, _) = &err {
        match code.code {
            ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => return Error::Busy,
            ErrorCode::NotADatabase => return Error::NotALedger { path },
            ErrorCode::ReadOnly => return Error::ReadOnly { path },
            ErrorCode::DiskFull => return Error::Write { path, source: err },
            _ => {}
        }
    }
    if let Some(corrupt) = corrupt_inside(&err) {
        return Error::Corrupt(corrupt);
    }
    match access {
        Access::Open => Error::Open { path, source: err },
        Access::Read => Error::Read { path, source: err },
        Access::Write => Error::Write { path, source: err },
    }
}

fn corrupt_inside(err: &rusqlite::Error) -> Option<Corrupt> {
    match err {
        rusqlite::Error::FromSqlConversionFailure(_, _, inner) => {
            inner.downcast_ref::<Corrupt>().cloned()
        }
        _ => None,
    }
}

impl Error {
    /// Give a bare SQLite error its ledger and what was being done.
    pub fn at_ledger(self, path: &std::path::Path, access: Access) -> Error {
        match self {
            Error::Sqlite(e) => classify_sqlite(e, path, access),
            other => other,
        }
    }
}

impl From<std::io::Error> for Error {
    fn from(source: std::io::Error) -> Self {
        Error::Io {
            path: PathBuf::from("<stdout>"),
            source,
        }
    }
}

/// An error and its causes on one line: `a: b: c`.
pub fn chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        // rusqlite repeats its message in the source; say it once.
        if !text.ends_with(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}
