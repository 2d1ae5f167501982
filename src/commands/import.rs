//! `rectify import`: a spreadsheet into the ledger, all or nothing.
//!
//! The whole file is applied inside one transaction through the same
//! operations the commands use, so every rule holds and every item gets its
//! history. Any bad row rolls everything back; up to 20 problems are
//! reported at once so a clerk can fix a sheet in one pass.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::Path;

use chrono::NaiveDate;

use super::Context;
use crate::cli::ImportArgs;
use crate::csvio::{self, clean_cell, Column, COLUMNS};
use crate::dates::parse_date;
use crate::error::{CellFault, Header, Input, Place};
use crate::error::{Error, Result};
use crate::ledger::model::{Campaign, ItemId, ItemRef, Kind, Scope, Status};
use crate::ledger::{
    CloseRequest, Ledger, NewMeasure, NewProblem, OpenMode, ProblemDefaults, SheetRow, Stamp,
    Writer,
};
use crate::progress::Progress;
use crate::words::{say, Lang, W};

const MAX_REPORTED: usize = 20;

/// The widest sheet read. Real ledgers have a few dozen columns.
const MAX_COLUMNS: usize = 1000;

pub fn run(args: ImportArgs, ctx: &Context, out: &mut dyn Write) -> Result<u8> {
    // The encoding and the header are checked before the ledger is opened,
    // so a sheet that cannot be read never creates a ledger file.
    let sheet = Source::open(&args.file)?.prepare()?;
    let (name, encoding) = (sheet.name.clone(), sheet.encoding);
    let mut ledger = if args.dry_run && !ctx.db.exists() {
        // Rehearse against an empty ledger rather than create a file.
        Ledger::scratch()?
    } else {
        ctx.open(if args.dry_run {
            OpenMode::Existing
        } else {
            OpenMode::Create
        })?
    };
    ledger.widen_cache()?;
    let counts = import(
        &mut ledger,
        &ctx.stamp,
        sheet,
        args.campaign.as_deref(),
        !args.dry_run,
        ctx.progress,
    )?;
    let word = if args.dry_run {
        W::SaidWouldImport
    } else {
        W::SaidImported
    };
    let figures = [
        ("problems", counts.problems.to_string()),
        ("measures", counts.measures.to_string()),
        ("file", name),
        ("encoding", encoding.to_string()),
        ("skipped", counts.skipped.to_string()),
    ];
    writeln!(out, "{}", say(ctx.lang, word, &figures))?;
    if args.dry_run {
        writeln!(out, "{}", ctx.lang.t(W::SaidNothingWritten))?;
    }
    Ok(0)
}

/// Import a sheet in one transaction, committed only when `commit` is set
/// and every row is good. Rows are read as they are applied, so memory does
/// not grow with the file.
pub fn import(
    ledger: &mut Ledger,
    stamp: &Stamp,
    mut sheet: SheetReader,
    campaign: Option<&str>,
    commit: bool,
    show_progress: bool,
) -> Result<Counts> {
    let name = sheet.name.clone();
    let run = |w: &mut Writer<'_>| {
        w.set_via(&format!("import:{name}"));
        let mut import = Import::new(&name, campaign, w.today());
        let mut progress = Progress::rows(show_progress, "import");
        import.apply(w, &mut sheet, &mut progress)
    };
    if commit {
        ledger.write(stamp, run)
    } else {
        ledger.rehearse(stamp, run)
    }
}

/// A sheet's bytes: a file, or a stream (standard input, a FIFO, `<(…)`)
/// that is spooled to a temp file in the same pass that tells its
/// encoding, since a stream cannot be read twice.
pub struct Source {
    input: Origin,
    path: std::path::PathBuf,
    name: String,
}

enum Origin {
    File(std::fs::File),
    Stream(Box<dyn Read>),
}

impl Source {
    pub fn open(file: &str) -> Result<Source> {
        if file == "-" {
            return Ok(Source {
                input: Origin::Stream(Box::new(std::io::stdin())),
                path: "<stdin>".into(),
                name: "<stdin>".into(),
            });
        }
        let path = Path::new(file);
        let opened = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
        let regular = opened.metadata().map_err(|e| Error::io(path, e))?.is_file();
        let name = path
            .file_name()
            .map_or_else(|| file.to_string(), |n| n.to_string_lossy().into_owned());
        Ok(Source {
            input: if regular {
                Origin::File(opened)
            } else {
                Origin::Stream(Box::new(opened))
            },
            path: path.to_path_buf(),
            name,
        })
    }

    /// A sheet held in memory, as the fuzz target feeds it.
    pub fn from_bytes(bytes: &[u8], name: &str) -> Result<Source> {
        Ok(Source {
            input: Origin::Stream(Box::new(std::io::Cursor::new(bytes.to_vec()))),
            path: name.into(),
            name: name.into(),
        })
    }

    /// Tell the encoding and read the header: the sheet, ready for its rows.
    pub fn prepare(self) -> Result<SheetReader> {
        let name = self.name.clone();
        let (reader, encoding) = self.decoded()?;
        SheetReader::new(reader, name, encoding)
    }

    /// UTF-8 (with or without BOM), else GB18030/GBK, judged line by line.
    fn decoded(self) -> Result<(Box<dyn Read>, csvio::Encoding)> {
        use std::io::{BufReader, Seek, SeekFrom};
        let Source { input, path, name } = self;
        let io = |e| Error::io(&path, e);
        let sniffed = |result: std::result::Result<csvio::Encoding, csvio::Sniffed>| {
            result.map_err(|e| match e {
                csvio::Sniffed::Io(e) => Error::io(&path, e),
                csvio::Sniffed::Mixed { line } => Input::MixedEncoding {
                    file: name.clone(),
                    line,
                }
                .into(),
                csvio::Sniffed::TooLong { line } => Input::LineTooLong {
                    file: name.clone(),
                    line,
                    max_bytes: csvio::MAX_LINE_BYTES,
                }
                .into(),
            })
        };
        let (mut file, encoding) = match input {
            Origin::File(mut file) => {
                let encoding = sniffed(csvio::sniff(BufReader::new(&mut file), |_| Ok(())))?;
                file.seek(SeekFrom::Start(0)).map_err(io)?;
                (file, encoding)
            }
            Origin::Stream(stream) => {
                let mut spool = tempfile::tempfile().map_err(|e| Error::io("temp file", e))?;
                let mut writer = std::io::BufWriter::new(&mut spool);
                let encoding = sniffed(csvio::sniff(stream, |bytes| writer.write_all(bytes)))?;
                writer.flush().map_err(|e| Error::io("temp file", e))?;
                drop(writer);
                spool
                    .seek(SeekFrom::Start(0))
                    .map_err(|e| Error::io("temp file", e))?;
                (spool, encoding)
            }
        };
        let reader: Box<dyn Read> = match encoding {
            csvio::Encoding::Gb18030 => Box::new(
                encoding_rs_io::DecodeReaderBytesBuilder::new()
                    .encoding(Some(encoding_rs::GB18030))
                    .build(file),
            ),
            csvio::Encoding::Utf8Bom => {
                file.seek(SeekFrom::Start(csvio::BOM.len() as u64))
                    .map_err(io)?;
                Box::new(file)
            }
            csvio::Encoding::Utf8 => Box::new(file),
        };
        Ok((reader, encoding))
    }
}

/// The sheet's header, then its records one at a time.
pub struct SheetReader {
    name: String,
    encoding: csvio::Encoding,
    columns: Vec<(Column, String)>,
    records: csv::StringRecordsIntoIter<LineCounter<Box<dyn Read>>>,
    lines: std::rc::Rc<std::cell::RefCell<LineIndex>>,
}

impl SheetReader {
    fn new(input: Box<dyn Read>, name: String, encoding: csvio::Encoding) -> Result<Self> {
        let lines = std::rc::Rc::new(std::cell::RefCell::new(LineIndex::default()));
        let counter = LineCounter {
            inner: input,
            index: lines.clone(),
        };
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(false)
            .buffer_capacity(64 * 1024)
            .from_reader(counter);
        let headers = reader
            .headers()
            .map_err(|e| Input::HeaderUnreadable {
                file: name.clone(),
                why: e.to_string(),
            })?
            .clone();
        if headers.len() > MAX_COLUMNS {
            return Err(Input::TooManyColumns {
                file: name,
                n: headers.len(),
                max: MAX_COLUMNS,
            }
            .into());
        }
        let mut columns = Vec::new();
        let mut unknown = Vec::new();
        for header in headers.iter() {
            match Column::from_header(header) {
                Some(c) if columns.iter().any(|(seen, _)| *seen == c) => {
                    return Err(Input::ColumnTwice {
                        file: name,
                        header: header.to_string(),
                    }
                    .into())
                }
                Some(c) => columns.push((c, header.trim().to_string())),
                None => unknown.push(header.trim().to_string()),
            }
        }
        if !unknown.is_empty() {
            return Err(Input::UnknownColumns {
                file: name,
                columns: unknown,
            }
            .into());
        }
        if !columns.iter().any(|(c, _)| *c == Column::Problem) {
            return Err(Input::NoProblemColumn { file: name }.into());
        }
        Ok(SheetReader {
            name,
            encoding,
            columns,
            records: reader.into_records(),
            lines,
        })
    }

    /// The next non-blank record and its line, as an editor numbers lines.
    fn next_record(&mut self) -> Option<Result<(u64, csv::StringRecord)>> {
        loop {
            let record = match self.records.next()? {
                Ok(r) => r,
                Err(e) => {
                    let line = e
                        .position()
                        .map_or(0, |p| self.lines.borrow_mut().line_at(p.byte()));
                    return Some(Err(csv_error(&self.name, line, &e)));
                }
            };
            if record.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            let line = record
                .position()
                .map_or(0, |p| self.lines.borrow_mut().line_at(p.byte()));
            return Some(Ok((line, record)));
        }
    }
}

/// Line numbers from byte offsets, for a stream read once. The csv crate's
/// own line count drifts on CRLF files, so count newlines instead. Offsets
/// are asked for in increasing order, so counting goes on from the last
/// answer and only the chunks not yet passed are kept.
#[derive(Default)]
struct LineIndex {
    /// Chunks read but not yet passed: (offset of first byte, bytes).
    chunks: std::collections::VecDeque<(u64, Vec<u8>)>,
    /// Bytes read so far.
    read: u64,
    /// Newlines counted before offset `counted_to`.
    newlines: u64,
    counted_to: u64,
}

impl LineIndex {
    fn push(&mut self, bytes: &[u8]) {
        self.chunks.push_back((self.read, bytes.to_vec()));
        self.read += bytes.len() as u64;
    }

    /// The 1-based line of the record starting at `byte`.
    fn line_at(&mut self, byte: u64) -> u64 {
        // After a CRLF the reported start can sit on the LF.
        let target = if self.byte(byte) == Some(b'\n') {
            byte + 1
        } else {
            byte
        };
        while self.counted_to < target {
            let Some((at, chunk)) = self.chunks.front() else {
                break;
            };
            let end = at + chunk.len() as u64;
            let from = (self.counted_to.max(*at) - at) as usize;
            let upto = (target.min(end) - at) as usize;
            self.newlines += chunk[from..upto].iter().filter(|b| **b == b'\n').count() as u64;
            self.counted_to = at + upto as u64;
            if self.counted_to >= end {
                self.chunks.pop_front();
            }
        }
        self.newlines + 1
    }

    fn byte(&self, offset: u64) -> Option<u8> {
        self.chunks
            .iter()
            .find(|(at, chunk)| offset >= *at && offset < at + chunk.len() as u64)
            .map(|(at, chunk)| chunk[(offset - at) as usize])
    }
}

struct LineCounter<R> {
    inner: R,
    index: std::rc::Rc<std::cell::RefCell<LineIndex>>,
}

impl<R: Read> Read for LineCounter<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.index.borrow_mut().push(&buf[..n]);
        Ok(n)
    }
}

fn csv_error(file: &str, line: u64, e: &csv::Error) -> Error {
    let file = file.to_string();
    match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => Input::CsvUnequal {
            file,
            line,
            n: *len,
            header: *expected_len,
        },
        other => Input::MalformedCsv {
            file,
            line,
            why: format!("{other:?}"),
        },
    }
    .into()
}

#[derive(Default)]
pub struct Counts {
    problems: u64,
    measures: u64,
    skipped: u64,
}

/// One record, cleaned, with its parse errors.
struct Row<'a> {
    line: u64,
    cells: HashMap<Column, (String, &'a str)>,
}

impl Row<'_> {
    fn text(&self, c: Column) -> Option<&str> {
        self.cells
            .get(&c)
            .map(|(v, _)| v.as_str())
            .filter(|v| !v.is_empty())
    }
}

enum Slot {
    Problem(ItemId),
    Failed,
}

/// The status words a sheet may carry, in either language.
#[derive(Clone, Copy, PartialEq, Eq)]
enum SheetStatus {
    Open,
    Ongoing,
    Done,
    /// Done, and its problem closed out (已销号).
    ClosedOut,
}

fn parse_status(text: &str) -> Option<SheetStatus> {
    Some(match text.trim().to_lowercase().as_str() {
        "open" | "正在整改" | "未完成" | "整改中" | "逾期" | "overdue" => {
            SheetStatus::Open
        }
        "ongoing" | "长期坚持" => SheetStatus::Ongoing,
        "done" | "已完成" | "完成" | "已整改" => SheetStatus::Done,
        "closed" | "已销号" | "销号" => SheetStatus::ClosedOut,
        _ => return None,
    })
}

struct Import<'n> {
    name: &'n str,
    default_campaign: Option<&'n str>,
    today: NaiveDate,
    errors: Vec<(Option<Place>, Error)>,
    problems: HashMap<String, Slot>,
    campaigns: HashMap<String, Option<Campaign>>,
    /// Problems to close out once all their rows are in: closing date, line.
    close_out: Vec<(ItemId, NaiveDate, u64)>,
    close_out_at: HashMap<ItemId, usize>,
    /// The raised date of the problem the last rows belonged to: a sheet
    /// lists a problem's measures together, and each needs it.
    last_problem_raised: Option<(ItemId, NaiveDate)>,
    counts: Counts,
}

impl<'n> Import<'n> {
    fn new(name: &'n str, default_campaign: Option<&'n str>, today: NaiveDate) -> Self {
        Import {
            name,
            default_campaign,
            today,
            errors: Vec::new(),
            problems: HashMap::new(),
            campaigns: HashMap::new(),
            close_out: Vec::new(),
            close_out_at: HashMap::new(),
            last_problem_raised: None,
            counts: Counts::default(),
        }
    }

    fn fail(&mut self, line: u64, error: Error) {
        if self.errors.len() < MAX_REPORTED {
            let at = Place {
                file: self.name.to_string(),
                line,
            };
            self.errors.push((Some(at), error));
        } else if self.errors.len() == MAX_REPORTED {
            let stopped = Input::ImportStopped {
                file: self.name.to_string(),
                n: MAX_REPORTED,
            };
            self.errors.push((None, stopped.into()));
        }
    }

    fn fail_raw(&mut self, error: Error) {
        if self.errors.len() < MAX_REPORTED {
            self.errors.push((None, error));
        }
    }

    /// A cell's error: `header: "value" …`, the header as the sheet has it
    /// (or the column's own name, for a column the sheet lacks).
    fn cell_error(&mut self, row: &Row<'_>, c: Column, fault: CellFault) {
        let (value, header) = row.cells.get(&c).cloned().unwrap_or_default();
        let header = if header.is_empty() {
            Header::Column(c.word())
        } else {
            Header::Sheet(header.to_string())
        };
        let error = Input::Cell {
            header,
            value: value.to_string(),
            fault,
        };
        self.fail(row.line, error.into());
    }

    fn apply(
        &mut self,
        w: &mut Writer<'_>,
        sheet: &mut SheetReader,
        progress: &mut Progress,
    ) -> Result<Counts> {
        if let Some(code) = self.default_campaign {
            w.campaign(code)?;
        }
        while let Some(next) = sheet.next_record() {
            let (line, record) = match next {
                Ok(r) => r,
                Err(e) => {
                    // A broken record ends the reading; what was found so far
                    // is reported with it.
                    self.fail_raw(e);
                    break;
                }
            };
            let cells = sheet
                .columns
                .iter()
                .zip(record.iter())
                .map(|((c, header), raw)| (*c, (clean_cell(*c, raw), header.as_str())))
                .collect();
            let row = Row { line, cells };
            progress.row();
            if let Err(e) = self.apply_row(w, &row) {
                match e {
                    Error::Invalid { .. } | Error::Refused { .. } | Error::NotFound { .. } => {
                        self.fail(row.line, e)
                    }
                    other => return Err(other),
                }
            }
            if self.errors.len() > MAX_REPORTED {
                break;
            }
        }
        for (id, on, line) in std::mem::take(&mut self.close_out) {
            if let Err(e) = w.close(
                id,
                &CloseRequest {
                    on: Some(on),
                    ..CloseRequest::default()
                },
            ) {
                self.fail(line, e);
            }
        }
        if !self.errors.is_empty() {
            return Err(Error::BadRows(std::mem::take(&mut self.errors)));
        }
        Ok(std::mem::take(&mut self.counts))
    }

    fn date(&mut self, row: &Row<'_>, c: Column) -> std::result::Result<Option<NaiveDate>, ()> {
        match row.text(c) {
            None => Ok(None),
            Some(text) => match parse_date(text) {
                Ok(d) => Ok(Some(d)),
                Err(_) => {
                    self.cell_error(row, c, CellFault::NotDate);
                    Err(())
                }
            },
        }
    }

    fn problem_raised(&mut self, w: &Writer<'_>, problem: ItemId) -> Result<NaiveDate> {
        match self.last_problem_raised {
            Some((id, raised)) if id == problem => Ok(raised),
            _ => {
                let raised = w.item(problem)?.raised_on;
                self.last_problem_raised = Some((problem, raised));
                Ok(raised)
            }
        }
    }

    fn campaign(&mut self, w: &Writer<'_>, code: &str) -> Result<Option<Campaign>> {
        if !self.campaigns.contains_key(code) {
            let found = match w.campaign(code) {
                Ok(c) => Some(c),
                Err(Error::NotFound { .. }) => None,
                Err(e) => return Err(e),
            };
            self.campaigns.insert(code.to_string(), found);
        }
        Ok(self.campaigns[code].clone())
    }

    fn apply_row(&mut self, w: &mut Writer<'_>, row: &Row<'_>) -> Result<()> {
        let before = self.errors.len();
        let raised = self.date(row, Column::RaisedOn);
        let due_original = self.date(row, Column::DueOriginal);
        let due_current = self.date(row, Column::DueCurrent);
        let closed_on = self.date(row, Column::ClosedOn);
        let scope = match row.text(Column::Scope).map(str::parse::<Scope>) {
            Some(Err(_)) => {
                self.cell_error(row, Column::Scope, CellFault::NotScope);
                None
            }
            other => other.and_then(|r| r.ok()),
        };
        let status = match row.text(Column::Status) {
            None => None,
            Some(text) => match parse_status(text) {
                Some(s) => Some(s),
                None => {
                    self.cell_error(row, Column::Status, CellFault::NotStatus);
                    None
                }
            },
        };
        let mut uuid = |c: Column| -> Option<String> {
            let text = row.text(c)?;
            match text.parse::<ItemRef>() {
                Ok(ItemRef::Uuid(u)) => Some(u),
                _ => {
                    self.cell_error(row, c, CellFault::NotUuid);
                    None
                }
            }
        };
        let problem_uuid = uuid(Column::ProblemUuid);
        let measure_uuid = uuid(Column::MeasureUuid);
        if row.text(Column::Problem).is_none() {
            self.cell_error(row, Column::Problem, CellFault::NoProblem);
        }
        let code = row
            .text(Column::Campaign)
            .or(self.default_campaign)
            .map(str::to_string);
        let campaign = match &code {
            Some(code) => match self.campaign(w, code)? {
                Some(c) => Some(c),
                None => {
                    if row.text(Column::Campaign).is_some() {
                        self.cell_error(row, Column::Campaign, CellFault::NoCampaign);
                    }
                    None
                }
            },
            None => None,
        };
        let (Ok(raised), Ok(due_original), Ok(due_current), Ok(closed_on)) =
            (raised, due_original, due_current, closed_on)
        else {
            return Ok(());
        };
        let raised = raised.unwrap_or(campaign.as_ref().map_or(self.today, |c| c.start));
        if let Some(due) = due_original.or(due_current) {
            if due < raised {
                self.cell_error(row, Column::DueOriginal, CellFault::BeforeRaised { raised });
            }
        }
        if let (Some(o), Some(c)) = (due_original, due_current) {
            if c < o {
                self.cell_error(row, Column::DueCurrent, CellFault::BeforeDue { due: o });
            }
        }
        let closing = matches!(status, Some(SheetStatus::Done | SheetStatus::ClosedOut));
        if closing && closed_on.is_none() {
            self.cell_error(row, Column::ClosedOn, CellFault::NoClosedOn);
        }
        if self.errors.len() > before {
            // Rows of a problem whose first row failed would only repeat it.
            if let Some(key) = problem_key(row, &problem_uuid) {
                self.problems.entry(key).or_insert(Slot::Failed);
            }
            return Ok(());
        }

        let has_measure = row.text(Column::Measure).is_some();
        let owner = |c: Column| row.text(c).map(str::to_string);
        let assignee = ProblemDefaults {
            leader: owner(Column::Leader),
            department: owner(Column::Department),
            owner: owner(Column::Owner),
            due: due_original.or(due_current),
        };
        let key = problem_key(row, &problem_uuid);
        let problem = match key.as_ref().and_then(|k| self.problems.get(k)) {
            Some(Slot::Failed) => return Ok(()),
            Some(Slot::Problem(id)) => *id,
            None => {
                let existing = match &problem_uuid {
                    Some(u) => match w.resolve(&ItemRef::Uuid(u.clone())) {
                        Ok(id) if id.kind == Kind::Problem => Some(id),
                        Ok(_) => {
                            self.cell_error(row, Column::ProblemUuid, CellFault::UuidOfMeasure);
                            return Ok(());
                        }
                        Err(Error::NotFound { .. }) => None,
                        Err(e) => return Err(e),
                    },
                    None => None,
                };
                let id = match existing {
                    Some(id) => {
                        if !self.same_as_ledger(w, row, id, None, false)? {
                            if let Some(k) = key {
                                self.problems.insert(k, Slot::Failed);
                            }
                            return Ok(());
                        }
                        if !has_measure {
                            self.counts.skipped += 1;
                        }
                        id
                    }
                    None => {
                        let ids = w.add_problem(NewProblem {
                            uuid: problem_uuid.clone(),
                            campaign: campaign.as_ref().map(|c| c.code.clone()),
                            infer_campaign: false,
                            title: row.text(Column::Problem).unwrap_or_default().to_string(),
                            scope,
                            source: owner(Column::Source),
                            subject: owner(Column::Subject),
                            cause: owner(Column::Cause),
                            assignee: ProblemDefaults {
                                due: if has_measure {
                                    campaign.as_ref().map(|c| c.end)
                                } else {
                                    assignee.due
                                },
                                ..assignee.clone()
                            },
                            raised: Some(raised),
                            measures: Vec::new(),
                        })?;
                        self.counts.problems += 1;
                        if !has_measure {
                            self.settle(
                                w,
                                ids[0],
                                row,
                                due_original,
                                due_current,
                                status,
                                closed_on,
                            )?;
                        }
                        ids[0]
                    }
                };
                if let Some(k) = key {
                    self.problems.insert(k, Slot::Problem(id));
                }
                id
            }
        };
        if !has_measure {
            return Ok(());
        }
        if let Some(u) = &measure_uuid {
            match w.resolve(&ItemRef::Uuid(u.clone())) {
                Ok(id) => {
                    if id.kind != Kind::Measure {
                        self.cell_error(row, Column::MeasureUuid, CellFault::UuidOfProblem);
                    } else if self.same_as_ledger(w, row, problem, Some(id), true)? {
                        self.counts.skipped += 1;
                    }
                    return Ok(());
                }
                Err(Error::NotFound { .. }) => {}
                Err(e) => return Err(e),
            }
        }
        let measure = w.add_measure(NewMeasure {
            uuid: measure_uuid,
            problem,
            title: row.text(Column::Measure).unwrap_or_default().to_string(),
            assignee,
            raised: Some(raised.max(self.problem_raised(w, problem)?)),
        })?;
        self.counts.measures += 1;
        self.settle(
            w,
            measure,
            row,
            due_original,
            due_current,
            status,
            closed_on,
        )?;
        if status == Some(SheetStatus::ClosedOut) {
            let on = closed_on.expect("checked above");
            // Indexed, not searched: an exported ledger is all 已销号 rows.
            match self.close_out_at.get(&problem) {
                Some(&at) => {
                    let entry = &mut self.close_out[at];
                    entry.1 = entry.1.max(on);
                    entry.2 = row.line;
                }
                None => {
                    self.close_out_at.insert(problem, self.close_out.len());
                    self.close_out.push((problem, on, row.line));
                }
            }
        }
        Ok(())
    }

    /// Bring a new item to the state its row describes, through the same
    /// events a clerk's commands would record.
    #[allow(clippy::too_many_arguments)]
    fn settle(
        &mut self,
        w: &mut Writer<'_>,
        id: ItemId,
        row: &Row<'_>,
        due_original: Option<NaiveDate>,
        due_current: Option<NaiveDate>,
        status: Option<SheetStatus>,
        closed_on: Option<NaiveDate>,
    ) -> Result<()> {
        if let (Some(o), Some(c)) = (due_original, due_current) {
            if c > o {
                w.extend(id, c, "调整后时限 (imported)")?;
            }
        }
        if let Some(progress) = row.text(Column::Progress) {
            w.note(id, progress)?;
        }
        let request = |ongoing| CloseRequest {
            on: closed_on,
            note: row.text(Column::Note).map(str::to_string),
            evidence: row.text(Column::Evidence).map(str::to_string),
            ongoing,
        };
        match status {
            Some(SheetStatus::Done | SheetStatus::ClosedOut) => w.close(id, &request(false))?,
            Some(SheetStatus::Ongoing) if id.kind == Kind::Measure => w.close(
                id,
                &CloseRequest {
                    on: None,
                    ..request(true)
                },
            )?,
            _ => {}
        }
        Ok(())
    }

    /// A row whose UUID is already in the ledger must match it exactly;
    /// then it is skipped. Otherwise it is refused: an import never edits.
    fn same_as_ledger(
        &mut self,
        w: &Writer<'_>,
        row: &Row<'_>,
        problem: ItemId,
        measure: Option<ItemId>,
        measure_level: bool,
    ) -> Result<bool> {
        let problem_item = w.item(problem)?;
        let measure_item = measure.map(|m| w.item(m)).transpose()?;
        let sheet_row = SheetRow {
            problem: problem_item,
            measure: measure_item,
        };
        let ledger_cells = csvio::sheet_cells(&sheet_row, 0, self.today, Lang::En);
        let problem_only_row = row.text(Column::Measure).is_none();
        for (i, column) in COLUMNS.iter().enumerate() {
            let compared = match column {
                Column::Seq
                | Column::ProblemId
                | Column::MeasureId
                | Column::DaysOverdue
                | Column::ProblemUuid
                | Column::MeasureUuid => false,
                Column::Campaign
                | Column::Source
                | Column::Scope
                | Column::Subject
                | Column::Problem
                | Column::Cause
                | Column::RaisedOn => true,
                _ => measure_level || problem_only_row,
            };
            let Some((value, _)) = row.cells.get(column) else {
                continue;
            };
            if !compared {
                continue;
            }
            if canonical(*column, value) != canonical(*column, &ledger_cells[i]) {
                let what = if measure_level {
                    Column::MeasureUuid
                } else {
                    Column::ProblemUuid
                };
                self.cell_error(
                    row,
                    *column,
                    CellFault::Differs {
                        ledger: ledger_cells[i].to_string(),
                        what: what.word(),
                    },
                );
                return Ok(false);
            }
        }
        Ok(true)
    }
}

fn problem_key(row: &Row<'_>, uuid: &Option<String>) -> Option<String> {
    uuid.clone().or_else(|| {
        row.text(Column::ProblemId)
            .map(|id| format!("id:{}", id.to_uppercase()))
    })
}

/// Compare cells by meaning: dates and words in either spelling.
fn canonical(column: Column, value: &str) -> String {
    let v = value.trim();
    match column {
        Column::RaisedOn | Column::DueOriginal | Column::DueCurrent | Column::ClosedOn => {
            parse_date(v)
                .map(|d| d.to_string())
                .unwrap_or_else(|_| v.to_string())
        }
        Column::Scope => v
            .parse::<Scope>()
            .map(|s| s.as_str().to_string())
            .unwrap_or_else(|_| v.to_string()),
        Column::Status => match parse_status(v) {
            Some(SheetStatus::Open) => Status::Open.as_str().into(),
            Some(SheetStatus::Ongoing) => Status::Ongoing.as_str().into(),
            Some(SheetStatus::Done) => "done".into(),
            Some(SheetStatus::ClosedOut) => "closed-out".into(),
            None => v.to_string(),
        },
        _ => v.to_string(),
    }
}
