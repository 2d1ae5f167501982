//! Errors and the exit codes they map to.
//!
//! Every failure a user can cause is one of these variants, so `main` can
//! turn it into a single `error: …` line (plus an optional `hint: …`) and
//! the documented exit code.

use std::path::PathBuf;

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

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Bad input: a malformed date, id, empty title, conflicting flags.
    #[error("{message}")]
    Invalid {
        message: String,
        hint: Option<String>,
    },

    #[error("{what} not found")]
    NotFound { what: String, hint: Option<String> },

    /// A ledger rule refused the change.
    #[error("{message}")]
    Refused {
        message: String,
        hint: Option<String>,
    },

    #[error("no ledger at {}", path.display())]
    NoLedger { path: PathBuf },

    #[error("{} is not a rectify ledger", path.display())]
    NotALedger { path: PathBuf },

    #[error(
        "{} has schema version {found}, newer than this rectify understands ({supported})",
        path.display()
    )]
    TooNew {
        path: PathBuf,
        found: i64,
        supported: i64,
    },

    #[error("the ledger is locked by another rectify; gave up after the busy timeout")]
    Busy,

    #[error("cannot open ledger {}", path.display())]
    Open {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },

    #[error("ledger storage error")]
    Sqlite(#[from] rusqlite::Error),

    #[error("{}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// An import's bad rows, each `file:line: …`; nothing was imported.
    #[error("{}", .0.join("\nerror: "))]
    BadRows(Vec<String>),

    /// `verify` found the history and the tables disagree.
    #[error("{0}")]
    Tampered(String),
}

impl Error {
    pub fn invalid(message: impl Into<String>) -> Self {
        Error::Invalid {
            message: message.into(),
            hint: None,
        }
    }

    pub fn refused(message: impl Into<String>) -> Self {
        Error::Refused {
            message: message.into(),
            hint: None,
        }
    }

    pub fn not_found(what: impl Into<String>) -> Self {
        Error::NotFound {
            what: what.into(),
            hint: None,
        }
    }

    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// Attach a `hint:` line to the errors that carry one.
    pub fn with_hint(mut self, text: impl Into<String>) -> Self {
        match &mut self {
            Error::Invalid { hint, .. }
            | Error::Refused { hint, .. }
            | Error::NotFound { hint, .. } => *hint = Some(text.into()),
            _ => {}
        }
        self
    }

    pub fn hint(&self) -> Option<String> {
        match self {
            Error::Invalid { hint, .. }
            | Error::Refused { hint, .. }
            | Error::NotFound { hint, .. } => hint.clone(),
            Error::NoLedger { .. } => {
                Some("run `rectify init` first, or point --db / RECTIFY_DB at your ledger".into())
            }
            Error::BadRows(_) => {
                Some("nothing was imported; fix the sheet and run the import again".into())
            }
            Error::Busy => Some("another clerk or a cron job is writing; try again".into()),
            Error::Tampered(_) => Some("run `rectify verify` for the full list".into()),
            _ => None,
        }
    }

    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Invalid { .. } | Error::BadRows(_) => exit::USAGE,
            Error::NotFound { .. } => exit::NOT_FOUND,
            Error::Refused { .. } => exit::REFUSED,
            Error::Tampered(_) => exit::TAMPERED,
            Error::NoLedger { .. }
            | Error::NotALedger { .. }
            | Error::TooNew { .. }
            | Error::Busy
            | Error::Open { .. }
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

/// Storage errors with a better name than "storage error": a locked ledger
/// and a file that is not SQLite at all are things users do, not bugs.
pub fn classify_sqlite(err: rusqlite::Error, path: &std::path::Path) -> Error {
    use rusqlite::ErrorCode;
    if let rusqlite::Error::SqliteFailure(code, _) = &err {
        match code.code {
            ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => return Error::Busy,
            ErrorCode::NotADatabase => {
                return Error::NotALedger {
                    path: path.to_path_buf(),
                }
            }
            _ => {}
        }
    }
    Error::Open {
        path: path.to_path_buf(),
        source: err,
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
