//! The one place where errors become words.
//!
//! The library returns typed errors (`crate::error`); this module picks each
//! one's catalogue template, fills it and words its hint, in the interface
//! language. Nothing else turns an error into text.

use crate::error::{
    chain, CellFault, Corrupt, Error, Finding, Header, Input, Missing, Place, Rule, Tamper,
};
use crate::words::{fill, Lang, W};

type Args = Vec<(&'static str, String)>;

/// A value as the user typed it, quoted so blanks and odd characters show.
fn quoted(value: &str) -> String {
    format!("{value:?}")
}

fn list<T: ToString>(items: &[T]) -> String {
    items
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

fn date_or_dash(on: Option<chrono::NaiveDate>) -> String {
    on.map_or_else(|| "-".to_string(), |d| d.to_string())
}

fn input_words(input: &Input, lang: Lang) -> (W, Args) {
    use Input as I;
    let field = |f: &W| ("field", lang.t(*f).to_string());
    let code = |c: &char| ("code", format!("U+{:04X}", *c as u32));
    match input {
        I::BadDate { value } => (W::EBadDate, vec![("value", quoted(value))]),
        I::BadMonth { value } => (W::EBadMonth, vec![("value", quoted(value))]),
        I::BadDays { value, max } => (
            W::EBadDays,
            vec![("value", quoted(value)), ("max", max.to_string())],
        ),
        I::BadFingerprint { value } => (W::EBadFingerprint, vec![("value", quoted(value))]),
        I::BadId { value } => (W::EBadId, vec![("value", quoted(value))]),
        I::UnknownKind { value } => (W::EUnknownKind, vec![("value", quoted(value))]),
        I::UnknownScope { value } => (W::EUnknownScope, vec![("value", quoted(value))]),
        I::UnknownStatus { value } => (W::EUnknownStatus, vec![("value", quoted(value))]),
        I::BadActor { name } => (W::EBadActor, vec![("name", quoted(name))]),
        I::BadLang { value } => (W::EBadLang, vec![("value", quoted(value))]),
        I::BadNow { value } => (W::EBadNow, vec![("value", quoted(value))]),
        I::NoHome => (W::ENoHome, vec![]),
        I::FieldEmpty { field: f } => (W::EFieldEmpty, vec![field(f)]),
        I::FieldTooLong { field: f, max } => {
            (W::EFieldTooLong, vec![field(f), ("max", max.to_string())])
        }
        I::FieldControl { field: f, code: c } => (W::EFieldControl, vec![field(f), code(c)]),
        I::BidiControl { field: f, code: c } => (W::EBidiControl, vec![field(f), code(c)]),
        I::BadCampaignCode { code } => (W::EBadCampaignCode, vec![("code", quoted(code))]),
        I::DaysOutOfRange { days, max } => (
            W::EDaysOutOfRange,
            vec![("days", days.to_string()), ("max", max.to_string())],
        ),
        I::CampaignTooLate {
            start,
            days,
            latest,
        } => (
            W::ECampaignTooLate,
            vec![
                ("start", start.to_string()),
                ("days", days.to_string()),
                ("latest", latest.to_string()),
            ],
        ),
        I::SeveralCampaigns { codes } => (
            W::ESeveralCampaigns,
            vec![("n", codes.len().to_string()), ("codes", list(codes))],
        ),
        I::NotAProblem { id } => (W::ENotAProblem, vec![("id", id.to_string())]),
        I::RaisedAfterToday { on, today } => (
            W::ERaisedAfterToday,
            vec![("on", on.to_string()), ("today", today.to_string())],
        ),
        I::MeasureBeforeProblem {
            on,
            problem,
            raised,
        } => (
            W::EMeasureBeforeProblem,
            vec![
                ("on", on.to_string()),
                ("problem", problem.to_string()),
                ("raised", raised.to_string()),
            ],
        ),
        I::DueBeforeRaised { due, raised } => (
            W::EDueBeforeRaised,
            vec![("due", due.to_string()), ("raised", raised.to_string())],
        ),
        I::DeadlineNotLater { to, due } => (
            W::EDeadlineNotLater,
            vec![("to", to.to_string()), ("due", due.to_string())],
        ),
        I::DeadlineBeforeRaised { to, id, raised } => (
            W::EDeadlineBeforeRaised,
            vec![
                ("to", to.to_string()),
                ("id", id.to_string()),
                ("raised", raised.to_string()),
            ],
        ),
        I::OngoingProblem { id } => (W::EOngoingProblem, vec![("id", id.to_string())]),
        I::ClosedAfterToday { on, today } => (
            W::EClosedAfterToday,
            vec![("on", on.to_string()), ("today", today.to_string())],
        ),
        I::ClosedBeforeRaised { on, id, raised } => (
            W::EClosedBeforeRaised,
            vec![
                ("on", on.to_string()),
                ("id", id.to_string()),
                ("raised", raised.to_string()),
            ],
        ),
        I::ClosedBeforeReopen { on, id, reopened } => (
            W::EClosedBeforeReopen,
            vec![
                ("on", on.to_string()),
                ("id", id.to_string()),
                ("reopened", reopened.to_string()),
            ],
        ),
        I::CloseBeforeMeasure {
            id,
            on,
            measure,
            done,
        } => (
            W::ECloseBeforeMeasure,
            vec![
                ("id", id.to_string()),
                ("on", on.to_string()),
                ("measure", measure.to_string()),
                ("done", done.to_string()),
            ],
        ),
        I::CloseBeforeAcceptance {
            id,
            on,
            measure,
            accepted,
        } => (
            W::ECloseBeforeAcceptance,
            vec![
                ("id", id.to_string()),
                ("on", on.to_string()),
                ("measure", measure.to_string()),
                ("accepted", accepted.to_string()),
            ],
        ),
        I::NothingToEdit => (W::ENothingToEdit, vec![]),
        I::BadLevels { value } => (W::EBadLevels, vec![("value", quoted(value))]),
        I::ProblemField { id, flag, problem } => (
            W::EProblemField,
            vec![
                ("id", id.to_string()),
                ("flag", flag.to_string()),
                ("problem", problem.to_string()),
            ],
        ),
        I::ProblemAfterMeasure {
            on,
            measure,
            raised,
        } => (
            W::EProblemAfterMeasure,
            vec![
                ("on", on.to_string()),
                ("measure", measure.to_string()),
                ("raised", raised.to_string()),
            ],
        ),
        I::AcceptProblem { id } => (W::EAcceptProblem, vec![("id", id.to_string())]),
        I::AcceptedAfterToday { on, today } => (
            W::EAcceptedAfterToday,
            vec![("on", on.to_string()), ("today", today.to_string())],
        ),
        I::AcceptedBeforeClosed { on, id, closed } => (
            W::EAcceptedBeforeClosed,
            vec![
                ("on", on.to_string()),
                ("id", id.to_string()),
                ("closed", closed.to_string()),
            ],
        ),
        I::NothingToAssign => (W::ENothingToAssign, vec![]),
        I::NotForBy { format } => (W::ENotForBy, vec![("format", format.name().to_string())]),
        I::DocxToTerminal => (W::EDocxToTerminal, vec![]),
        I::DocxNeedsOutDir => (W::EDocxNeedsOutDir, vec![]),
        I::Docx { why } => (W::EDocx, vec![("why", why.clone())]),
        I::BinaryToTerminal => (W::EBinaryToTerminal, vec![]),
        I::NotADirectory { path } => (
            W::ENotADirectory,
            vec![("path", path.display().to_string())],
        ),
        I::TooManyRows { max } => (W::ETooManyRows, vec![("max", max.to_string())]),
        I::Xlsx { why } => (W::EXlsx, vec![("why", why.clone())]),
        I::Csv { why } => (W::ECsv, vec![("why", why.clone())]),
        I::MixedEncoding { file, line } => (
            W::EMixedEncoding,
            vec![("file", file.clone()), ("line", line.to_string())],
        ),
        I::LineTooLong {
            file,
            line,
            max_bytes,
        } => (
            W::ELineTooLong,
            vec![
                ("file", file.clone()),
                ("line", line.to_string()),
                ("max", format!("{} MiB", max_bytes >> 20)),
            ],
        ),
        I::HeaderUnreadable { file, why } => (
            W::EHeaderUnreadable,
            vec![("file", file.clone()), ("why", why.clone())],
        ),
        I::TooManyColumns { file, n, max } => (
            W::ETooManyColumns,
            vec![
                ("file", file.clone()),
                ("n", n.to_string()),
                ("max", max.to_string()),
            ],
        ),
        I::ColumnTwice { file, header } => (
            W::EColumnTwice,
            vec![("file", file.clone()), ("header", quoted(header))],
        ),
        I::NoProblemColumn { file } => (W::ENoProblemColumn, vec![("file", file.clone())]),
        I::CsvUnequal {
            file,
            line,
            n,
            header,
        } => (
            W::ECsvUnequal,
            vec![
                ("file", file.clone()),
                ("line", line.to_string()),
                ("n", n.to_string()),
                ("header", header.to_string()),
            ],
        ),
        I::MalformedCsv { file, line, why } => (
            W::EMalformedCsv,
            vec![
                ("file", file.clone()),
                ("line", line.to_string()),
                ("why", why.clone()),
            ],
        ),
        I::ImportStopped { file, n } => (
            W::EImportStopped,
            vec![("file", file.clone()), ("n", n.to_string())],
        ),
        I::NotASheet { file } => (W::ENotASheet, vec![("file", file.clone())]),
        I::ByProblemSheet { file } => (W::EByProblemSheet, vec![("file", file.clone())]),
        I::Conflict { item, cells } => {
            let cells: Vec<String> = cells
                .iter()
                .map(|(header, sheet, ledger)| {
                    let args = [
                        ("header", header.clone()),
                        ("sheet", quoted(sheet)),
                        ("ledger", quoted(ledger)),
                    ];
                    fill(lang.t(W::EConflictCell), &args)
                })
                .collect();
            let sep = match lang {
                Lang::En => "; ",
                Lang::Zh => "；",
            };
            (
                W::EConflict,
                vec![("item", item.to_string()), ("cells", cells.join(sep))],
            )
        }
        I::NoSuchSheet {
            file,
            sheet,
            sheets,
        } => (
            W::ENoSuchSheet,
            vec![
                ("file", file.clone()),
                ("sheet", quoted(sheet)),
                ("sheets", list(sheets)),
            ],
        ),
        I::NoHeader { file, rows } => (
            W::ENoHeader,
            vec![("file", file.clone()), ("rows", rows.to_string())],
        ),
        I::BadMap { value } => (W::EBadMap, vec![("value", quoted(value))]),
        I::MissingCampaign { file, code } => (
            W::EMissingCampaign,
            vec![
                ("file", file.clone()),
                ("code", quoted(code)),
                ("bare", code.clone()),
            ],
        ),
        I::SameIdOtherText {
            file,
            id,
            first,
            line,
        } => (
            W::ESameIdOtherText,
            vec![
                ("file", file.clone()),
                ("id", id.clone()),
                ("first", first.to_string()),
                ("line", line.to_string()),
            ],
        ),
        I::Cell {
            header,
            value,
            fault,
        } => cell_words(header, value, fault, lang),
    }
}

fn cell_words(header: &Header, value: &str, fault: &CellFault, lang: Lang) -> (W, Args) {
    use CellFault as F;
    let header = match header {
        Header::Sheet(text) => text.clone(),
        Header::Column(word) => lang.t(*word).to_string(),
    };
    let mut args = vec![("header", header), ("value", quoted(value))];
    let word = match fault {
        F::NotDate => W::ECellNotDate,
        F::NotScope => W::ECellNotScope,
        F::NotStatus => W::ECellNotStatus,
        F::NotUuid => W::ECellNotUuid,
        F::NoProblem => W::ECellNoProblem,
        F::BeforeRaised { raised } => {
            args.push(("raised", raised.to_string()));
            W::ECellBeforeRaised
        }
        F::BeforeDue { due } => {
            args.push(("due", due.to_string()));
            W::ECellBeforeDue
        }
        F::NoProblemUnderOne => W::ECellNoProblemUnderOne,
        F::UuidOfMeasure => W::ECellUuidOfMeasure,
        F::UuidOfProblem => W::ECellUuidOfProblem,
        F::NotUpdatable { ledger } => {
            args.push(("ledger", quoted(ledger)));
            W::ECellNotUpdatable
        }
        F::NoExtendReason => W::ECellNoExtendReason,
        F::NoYear => W::ECellNoYear,
        F::Edited { ledger } => {
            args.push(("ledger", quoted(ledger)));
            W::ECellEdited
        }
        F::Differs { ledger, what } => {
            args.push(("ledger", quoted(ledger)));
            args.push(("what", lang.t(*what).to_string()));
            W::ECellDiffers
        }
    };
    (word, args)
}

fn input_hint(input: &Input) -> Option<W> {
    use Input as I;
    Some(match input {
        I::BadDate { .. } => W::HintDate,
        I::BadId { .. } => W::HintId,
        I::NoHome => W::HintNoHome,
        I::BinaryToTerminal => W::HintBinaryOut,
        I::DocxToTerminal => W::HintDocxOut,
        I::NotADirectory { .. } => W::HintMkdirMan,
        I::TooManyRows { .. } => W::HintTooManyRows,
        I::MixedEncoding { .. } => W::HintMixedEncoding,
        I::NoHeader { .. } | I::NoProblemColumn { .. } => W::HintNoHeader,
        I::BadMap { .. } => W::HintMap,
        _ => return None,
    })
}

fn rule_words(rule: &Rule) -> (W, Args) {
    use Rule as R;
    match rule {
        R::UuidTaken { uuid } => (W::EUuidTaken, vec![("uuid", uuid.clone())]),
        R::CampaignExists { code } => (W::ECampaignExists, vec![("code", code.clone())]),
        R::ClosedNoMeasures { problem, on } => (
            W::EClosedNoMeasures,
            vec![("id", problem.to_string()), ("on", date_or_dash(*on))],
        ),
        R::ClosedNoExtend { id, on } => (
            W::EClosedNoExtend,
            vec![("id", id.to_string()), ("on", date_or_dash(*on))],
        ),
        R::AlreadyClosed { id, on } => (
            W::EAlreadyClosed,
            vec![("id", id.to_string()), ("on", date_or_dash(*on))],
        ),
        R::AlreadyOngoing { id } => (W::EAlreadyOngoing, vec![("id", id.to_string())]),
        R::OpenMeasures { problem, measures } => (
            W::EOpenMeasures,
            vec![("id", problem.to_string()), ("ids", list(measures))],
        ),
        R::NotClosed { id } => (W::ENotClosed, vec![("id", id.to_string())]),
        R::BackupExists { path } => (W::EBackupExists, vec![("path", path.display().to_string())]),
        R::Voided { id } => (W::EVoided, vec![("id", id.to_string())]),
        R::AlreadyVoided { id } => (W::EAlreadyVoided, vec![("id", id.to_string())]),
        R::NotVoided { id } => (W::ENotVoided, vec![("id", id.to_string())]),
        R::VoidClosed { id, on } => (
            W::EVoidClosed,
            vec![("id", id.to_string()), ("on", date_or_dash(*on))],
        ),
        R::VoidedWithProblem { id, problem } => (
            W::EVoidedWithProblem,
            vec![("id", id.to_string()), ("problem", problem.to_string())],
        ),
        R::EditClosedOut { id, problem, on } => (
            W::EEditClosedOut,
            vec![
                ("id", id.to_string()),
                ("problem", problem.to_string()),
                ("on", date_or_dash(*on)),
            ],
        ),
        R::NoAcceptance { id } => (W::ENoAcceptance, vec![("id", id.to_string())]),
        R::NotDone { id } => (W::ENotDone, vec![("id", id.to_string())]),
        R::AlreadyAccepted { id, on } => (
            W::EAlreadyAccepted,
            vec![("id", id.to_string()), ("on", on.to_string())],
        ),
        R::SelfAcceptance { id, actor } => (
            W::ESelfAcceptance,
            vec![("id", id.to_string()), ("actor", actor.clone())],
        ),
        R::Unaccepted { problem, measures } => (
            W::EUnaccepted,
            vec![("id", problem.to_string()), ("ids", list(measures))],
        ),
    }
}

fn missing_words(missing: &Missing) -> (W, Args) {
    match missing {
        Missing::Item(what) => (W::ENotFound, vec![("what", what.clone())]),
        Missing::Campaign { code } => (W::ECampaignNotFound, vec![("code", quoted(code))]),
        Missing::NoCampaign => (W::ENoCampaign, vec![]),
    }
}

pub fn corrupt(corrupt: &Corrupt, lang: Lang) -> String {
    match corrupt {
        Corrupt::CampaignDays { stored, max } => fill(
            lang.t(W::ECampaignDaysCorrupt),
            &[("stored", stored.to_string()), ("max", max.to_string())],
        ),
    }
}

pub fn finding(f: &Finding, lang: Lang) -> String {
    match &f.cause {
        Some(cause) => {
            let mut args = f.args.clone();
            args.push(("why", message(cause, lang)));
            fill(lang.t(f.word), &args)
        }
        None => fill(lang.t(f.word), &f.args),
    }
}

/// `verify --format json` lists its findings in English: JSON is a contract.
pub fn english_findings<S: serde::Serializer>(
    findings: &[Finding],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(findings.iter().map(|f| finding(f, Lang::En)))
}

fn tamper(t: &Tamper, lang: Lang) -> String {
    match t {
        Tamper::UnknownTable { table } => {
            fill(lang.t(W::VUnknownTable), &[("table", quoted(table))])
        }
        Tamper::UnknownColumn { column } => {
            fill(lang.t(W::VUnknownColumn), &[("column", column.clone())])
        }
        Tamper::BackupUnverified { findings } => {
            let sep = match lang {
                Lang::En => "; ",
                Lang::Zh => "；",
            };
            let all: Vec<String> = findings.iter().map(|f| finding(f, lang)).collect();
            fill(lang.t(W::EBackupUnverified), &[("findings", all.join(sep))])
        }
    }
}

fn place(at: &Option<Place>) -> String {
    match at {
        Some(p) => format!("{}:{}: ", p.file, p.line),
        None => String::new(),
    }
}

/// The error's own words, without its causes.
pub fn head(err: &Error, lang: Lang) -> String {
    let path = |p: &std::path::Path| p.display().to_string();
    let said = |(word, args): (W, Args)| fill(lang.t(word), &args);
    match err {
        Error::Invalid(input) => said(input_words(input, lang)),
        Error::Refused(rule) => said(rule_words(rule)),
        Error::NotFound(missing) => said(missing_words(missing)),
        Error::NoLedger { path: p } => said((W::ENoLedger, vec![("path", path(p))])),
        Error::NotALedger { path: p } => said((W::ENotALedger, vec![("path", path(p))])),
        Error::TooNew {
            path: p,
            found,
            supported,
        } => said((
            W::ETooNew,
            vec![
                ("path", path(p)),
                ("found", found.to_string()),
                ("supported", supported.to_string()),
            ],
        )),
        Error::Busy => lang.t(W::EBusy).to_string(),
        Error::Open { path: p, .. } => said((W::EOpen, vec![("path", path(p))])),
        Error::Read { path: p, .. } => said((W::ERead, vec![("path", path(p))])),
        Error::Write { path: p, .. } => said((W::EWrite, vec![("path", path(p))])),
        Error::ReadOnly { path: p } => said((W::EReadOnly, vec![("path", path(p))])),
        Error::SharedNotReady { path: p, side } => said((
            W::ESharedNotReady,
            vec![("path", path(p)), ("side", path(side))],
        )),
        Error::NeedsUpgrade { path: p } => said((W::ENeedsUpgrade, vec![("path", path(p))])),
        Error::Corrupt(c) => corrupt(c, lang),
        Error::Tampered(t) => tamper(t, lang),
        Error::Sqlite(_) => lang.t(W::EStorage).to_string(),
        Error::Io { path: p, .. } => path(p),
        Error::BadRows(rows) => rows
            .iter()
            .map(|(at, e)| format!("{}{}", place(at), message(e, lang)))
            .collect::<Vec<_>>()
            .join("\nerror: "),
    }
}

/// The message with its causes: `a: b: c`. Causes (an OS or SQLite
/// message) stay as the system words them, except a file error's, whose
/// kind is named in Chinese.
pub fn message(err: &Error, lang: Lang) -> String {
    if let (Lang::Zh, Error::Io { path, source }) = (lang, err) {
        return fill(
            lang.t(W::EIo),
            &[
                ("path", path.display().to_string()),
                ("why", lang.t(io_word(source)).to_string()),
            ],
        );
    }
    let head = head(err, lang);
    match std::error::Error::source(err) {
        Some(cause) if !head.ends_with(&cause.to_string()) => format!("{head}: {}", chain(cause)),
        _ => head,
    }
}

pub fn hint(err: &Error, lang: Lang) -> Option<String> {
    let word = match err {
        Error::Invalid(input) => input_hint(input)?,
        Error::Refused(Rule::OpenMeasures { .. }) => W::HintOpenMeasures,
        Error::Refused(Rule::Unaccepted { .. }) => W::HintUnaccepted,
        Error::Refused(Rule::Voided { .. }) => W::HintVoided,
        Error::Refused(Rule::VoidClosed { .. } | Rule::EditClosedOut { .. }) => W::HintReopenFirst,
        Error::NotFound(Missing::Campaign { .. }) => W::HintCampaignList,
        Error::NotFound(Missing::NoCampaign) => W::HintCampaignNew,
        Error::NoLedger { .. } => W::HintNoLedger,
        Error::SharedNotReady { .. } | Error::NeedsUpgrade { .. } => W::HintOwnerRuns,
        Error::BadRows(_) => W::HintBadRows,
        Error::Busy => W::HintBusy,
        Error::Tampered(_) => W::HintTampered,
        _ => return None,
    };
    Some(lang.t(word).to_string())
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

// clap's usage errors, in the house format.

/// `--due <DATE>` as `--due`; a positional `<ID>` by its Chinese name.
pub fn arg_name(arg: &str) -> String {
    match arg.split_whitespace().next() {
        Some(flag) if flag.starts_with('-') => flag.to_string(),
        _ => {
            let bare = arg.trim_matches(|c| matches!(c, '<' | '>' | '[' | ']' | '.'));
            crate::help_zh::positional_name(bare)
                .unwrap_or(bare)
                .to_string()
        }
    }
}

/// The usage errors people make, worded from the catalogue with every
/// detail on the one line: clap lists missing arguments on the lines after
/// its first, which the house format would cut off.
pub fn usage(err: &clap::Error, lang: Lang) -> Option<String> {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    // In Chinese an argument is named by its flag alone: clap's value
    // names (`<DATE>`) are English.
    let name = |s: &String| match lang {
        Lang::En => s.clone(),
        Lang::Zh => arg_name(s),
    };
    let text = |kind| match err.get(kind) {
        Some(ContextValue::String(s)) => Some(name(s)),
        Some(ContextValue::Strings(v)) => Some(v.iter().map(name).collect::<Vec<_>>().join(", ")),
        _ => None,
    };
    let (word, args) = match err.kind() {
        ErrorKind::MissingRequiredArgument => (
            W::EMissingArgs,
            vec![("args", text(ContextKind::InvalidArg)?)],
        ),
        ErrorKind::UnknownArgument => (
            W::EUnknownArg,
            vec![("arg", text(ContextKind::InvalidArg)?)],
        ),
        ErrorKind::InvalidSubcommand => (
            W::EUnknownCommand,
            vec![("command", text(ContextKind::InvalidSubcommand)?)],
        ),
        ErrorKind::ArgumentConflict => (
            W::EArgConflict,
            vec![
                ("arg", text(ContextKind::InvalidArg)?),
                ("other", text(ContextKind::PriorArg)?),
            ],
        ),
        ErrorKind::InvalidValue => {
            let arg = text(ContextKind::InvalidArg)?;
            let value = text(ContextKind::InvalidValue).unwrap_or_default();
            match text(ContextKind::ValidValue).filter(|v| !v.is_empty()) {
                _ if value.is_empty() => (W::EMissingValue, vec![("arg", arg)]),
                Some(valid) => (
                    W::EInvalidValueOf,
                    vec![("value", value), ("arg", arg), ("valid", valid)],
                ),
                None => (W::EInvalidValue, vec![("value", value), ("arg", arg)]),
            }
        }
        _ => return None,
    };
    Some(fill(lang.t(word), &args))
}

pub fn usage_hint(lang: Lang) -> &'static str {
    lang.t(W::HintUsage)
}
