//! Errors and the exit codes they map to.
//!
//! Every failure a user can cause is one of these variants, so `main` can
//! turn it into a single `error: …` line (plus an optional `hint: …`) and
//! the documented exit code.

use std::fmt;
use std::path::PathBuf;

use crate::words::{fill, Lang, W};

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

/// A message a user reads: English, and Chinese where the catalogue has it.
#[derive(Debug, Clone)]
pub struct Said {
    pub en: String,
    pub zh: Option<String>,
}

impl Said {
    /// The same words in front of both languages' text: `file:line: …`.
    pub fn prefixed(&self, prefix: &str) -> Said {
        Said {
            en: format!("{prefix}{}", self.en),
            zh: self.zh.as_ref().map(|zh| format!("{prefix}{zh}")),
        }
    }

    /// A template whose `{hole}` lists several findings, each in the
    /// template's own language.
    pub fn joined(word: W, hole: &str, parts: &[Said]) -> Said {
        let list = |lang: Lang, sep: &str| {
            parts
                .iter()
                .map(|p| p.in_lang(lang))
                .collect::<Vec<_>>()
                .join(sep)
        };
        Said {
            en: fill(word.en(), &[(hole, list(Lang::En, "; "))]),
            zh: Some(fill(word.zh(), &[(hole, list(Lang::Zh, "；"))])),
        }
    }

    /// A catalogue template filled in both languages.
    pub fn word(word: W, args: &[(&str, String)]) -> Said {
        Said {
            en: fill(word.en(), args),
            zh: Some(fill(word.zh(), args)),
        }
    }

    pub fn in_lang(&self, lang: Lang) -> &str {
        match (lang, &self.zh) {
            (Lang::Zh, Some(zh)) => zh,
            _ => &self.en,
        }
    }
}

impl fmt::Display for Said {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.en)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Bad input: a malformed date, id, empty title, conflicting flags.
    #[error("{message}")]
    Invalid { message: Said, hint: Option<Said> },

    #[error("{what} not found")]
    NotFound { what: Said, hint: Option<Said> },

    /// A ledger rule refused the change.
    #[error("{message}")]
    Refused { message: Said, hint: Option<Said> },

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

    #[error("cannot read the ledger {}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },

    #[error("cannot write to the ledger {}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },

    #[error("cannot write to the ledger {}: it is read-only", path.display())]
    ReadOnly { path: PathBuf },

    /// Another user's ledger whose `-wal`/`-shm` files are missing: SQLite
    /// would create them, owned by this user, and lock the owner out.
    #[error(
        "cannot read {} as another user: its {} file is missing or unreadable, and creating it would lock the owner out",
        path.display(),
        side.display()
    )]
    SharedNotReady { path: PathBuf, side: PathBuf },

    #[error("{} needs a schema upgrade, which only a user who can write it may run", path.display())]
    NeedsUpgrade { path: PathBuf },

    /// A stored value no date or count can hold (a ledger edited by hand).
    #[error("{0}")]
    Corrupt(Said),

    #[error("ledger storage error")]
    Sqlite(#[from] rusqlite::Error),

    #[error("{}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// An import's bad rows, each `file:line: …`; nothing was imported.
    #[error("{}", .0.iter().map(|s| s.en.as_str()).collect::<Vec<_>>().join("\nerror: "))]
    BadRows(Vec<Said>),

    /// `verify` found the history and the tables disagree.
    #[error("{0}")]
    Tampered(Said),
}

/// Errors are made from catalogue words only (`invalid_w`, `refused_w`,
/// `invalid_field`): there is no constructor that takes an English
/// sentence, so no message can escape the catalogue.
impl Error {
    /// The message in both languages, for a caller that words it later.
    pub fn said(&self) -> Said {
        Said {
            en: self.message_in(Lang::En),
            zh: Some(self.message_in(Lang::Zh)),
        }
    }

    /// Bad input about one field, the field named in each language.
    pub fn invalid_field(word: W, field: W, args: &[(&str, String)]) -> Self {
        let with = |name: &'static str| {
            let mut all = args.to_vec();
            all.push(("field", name.to_string()));
            all
        };
        Error::Invalid {
            message: Said {
                en: fill(word.en(), &with(field.en())),
                zh: Some(fill(word.zh(), &with(field.zh()))),
            },
            hint: None,
        }
    }

    /// Bad input, worded from the catalogue in both languages.
    pub fn invalid_w(word: W, args: &[(&str, String)]) -> Self {
        Error::Invalid {
            message: Said::word(word, args),
            hint: None,
        }
    }

    /// A ledger rule's refusal, worded from the catalogue.
    pub fn refused_w(word: W, args: &[(&str, String)]) -> Self {
        Error::Refused {
            message: Said::word(word, args),
            hint: None,
        }
    }

    /// `what` is an id (M3, P12) or a UUID, the same in both languages.
    pub fn not_found(what: impl Into<String>) -> Self {
        let what = what.into();
        Error::NotFound {
            what: Said {
                zh: Some(what.clone()),
                en: what,
            },
            hint: None,
        }
    }

    pub fn campaign_not_found(code: &str) -> Self {
        Error::NotFound {
            what: Said {
                en: format!("campaign {code:?}"),
                zh: Some(format!("专项 {code:?}")),
            },
            hint: None,
        }
    }

    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// Attach a catalogue hint, in both languages.
    pub fn with_hint_w(self, word: W) -> Self {
        self.with_said_hint(Said::word(word, &[]))
    }

    fn with_said_hint(mut self, said: Said) -> Self {
        match &mut self {
            Error::Invalid { hint, .. }
            | Error::Refused { hint, .. }
            | Error::NotFound { hint, .. } => *hint = Some(said),
            _ => {}
        }
        self
    }

    pub fn hint_in(&self, lang: Lang) -> Option<String> {
        let word = match self {
            Error::Invalid { hint, .. }
            | Error::Refused { hint, .. }
            | Error::NotFound { hint, .. } => {
                return hint.as_ref().map(|h| h.in_lang(lang).to_string())
            }
            Error::NoLedger { .. } => W::HintNoLedger,
            Error::SharedNotReady { .. } | Error::NeedsUpgrade { .. } => W::HintOwnerRuns,
            Error::BadRows(_) => W::HintBadRows,
            Error::Busy => W::HintBusy,
            Error::Tampered(_) => W::HintTampered,
            _ => return None,
        };
        Some(lang.t(word).to_string())
    }

    /// The message in the interface language, with its causes: `a: b: c`.
    pub fn message_in(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return chain(self);
        }
        let path = |p: &std::path::Path| p.display().to_string();
        let head = match self {
            Error::Invalid { message, .. } | Error::Refused { message, .. } => {
                message.in_lang(lang).to_string()
            }
            Error::NotFound { what, .. } => fill(
                lang.t(W::ENotFound),
                &[("what", what.in_lang(lang).to_string())],
            ),
            Error::NoLedger { path: p } => fill(lang.t(W::ENoLedger), &[("path", path(p))]),
            Error::NotALedger { path: p } => fill(lang.t(W::ENotALedger), &[("path", path(p))]),
            Error::TooNew {
                path: p,
                found,
                supported,
            } => fill(
                lang.t(W::ETooNew),
                &[
                    ("path", path(p)),
                    ("found", found.to_string()),
                    ("supported", supported.to_string()),
                ],
            ),
            Error::Busy => lang.t(W::EBusy).to_string(),
            Error::Open { path: p, .. } => fill(lang.t(W::EOpen), &[("path", path(p))]),
            Error::Read { path: p, .. } => fill(lang.t(W::ERead), &[("path", path(p))]),
            Error::Write { path: p, .. } => fill(lang.t(W::EWrite), &[("path", path(p))]),
            Error::ReadOnly { path: p } => fill(lang.t(W::EReadOnly), &[("path", path(p))]),
            Error::SharedNotReady { path: p, side } => fill(
                lang.t(W::ESharedNotReady),
                &[("path", path(p)), ("side", path(side))],
            ),
            Error::NeedsUpgrade { path: p } => fill(lang.t(W::ENeedsUpgrade), &[("path", path(p))]),
            Error::Corrupt(said) | Error::Tampered(said) => said.in_lang(lang).to_string(),
            Error::BadRows(rows) => rows
                .iter()
                .map(|r| r.in_lang(lang))
                .collect::<Vec<_>>()
                .join("\nerror: "),
            // The OS's words for a file error are English: name the kind.
            Error::Io { path: p, source } => {
                return fill(
                    lang.t(W::EIo),
                    &[
                        ("path", path(p)),
                        ("why", lang.t(io_word(source)).to_string()),
                    ],
                )
            }
            _ => return chain(self),
        };
        // Causes (an OS or SQLite message) stay as the system words them.
        match std::error::Error::source(self) {
            Some(cause) => format!("{head}: {}", chain(cause)),
            None => head,
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
    match access {
        Access::Open => Error::Open { path, source: err },
        Access::Read => Error::Read { path, source: err },
        Access::Write => Error::Write { path, source: err },
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

fn io_word(err: &std::io::Error) -> W {
    use std::io::ErrorKind as K;
    // Linux errno values, for kinds that are newer than our rust-version.
    match (err.kind(), err.raw_os_error()) {
        (K::NotFound, _) => W::IoNotFound,
        (K::PermissionDenied, _) => W::IoDenied,
        (K::AlreadyExists, _) => W::IoExists,
        (K::BrokenPipe, _) => W::IoPipe,
        (_, Some(28)) => W::IoFull,
        (_, Some(21)) => W::IoIsDir,
        (_, Some(20)) => W::IoNotDir,
        (_, Some(30)) => W::IoReadOnly,
        _ => W::IoOther,
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
