//! Where a sheet's cells come from: a CSV file's bytes (UTF-8 or GBK), or
//! a workbook (XLSX, XLS, ODS) read with calamine. Both give rows of text
//! cells, numbered as the clerk sees them: a CSV's line, a sheet's row.
//! The kind is told by the file's first bytes, never by its name.

use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use calamine::{Data, Reader};

use crate::csvio;
use crate::error::{Error, Input, Result};

/// A sheet's bytes: a file, or a stream (standard input, a FIFO, `<(…)`)
/// that is spooled to a temp file in the same pass that tells its
/// encoding, since a stream cannot be read twice.
pub struct Source {
    input: Origin,
    path: PathBuf,
    pub(super) name: String,
}

enum Origin {
    File(std::fs::File),
    Stream(Box<dyn Read>),
}

/// What the file turned out to be, for the import's summary.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Csv(csvio::Encoding),
    Xlsx,
    Xls,
    Ods,
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Format::Csv(encoding) => encoding.fmt(f),
            Format::Xlsx => f.write_str("XLSX"),
            Format::Xls => f.write_str("XLS"),
            Format::Ods => f.write_str("ODS"),
        }
    }
}

/// One row as the file holds it: its number and its cells as text.
#[derive(Clone, Debug, Default)]
pub struct RawRow {
    pub line: u64,
    pub cells: Vec<String>,
}

impl RawRow {
    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(|c| c.trim().is_empty())
    }
}

/// The rows of a sheet, one at a time.
pub enum Rows {
    Csv(CsvRows),
    Book(std::vec::IntoIter<RawRow>),
}

impl Rows {
    pub fn next_row(&mut self) -> Option<Result<RawRow>> {
        match self {
            Rows::Csv(csv) => csv.next_row(),
            Rows::Book(rows) => rows.next().map(Ok),
        }
    }
}

/// The largest workbook read: it is read into memory whole.
const MAX_BOOK_BYTES: u64 = 256 << 20;

const ZIP: &[u8] = b"PK\x03\x04";
const CFB: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

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

    /// The sheet's rows: a workbook's named (or first) sheet, or a CSV's
    /// records, decoded.
    pub fn rows(self, sheet: Option<&str>) -> Result<(Rows, Format)> {
        let Source { input, path, name } = self;
        let io = |e| Error::io(&path, e);
        let (head, rest) = match input {
            Origin::File(mut file) => {
                let head = first_bytes(&mut file).map_err(io)?;
                file.seek(SeekFrom::Start(0)).map_err(io)?;
                (head, Origin::File(file))
            }
            Origin::Stream(mut stream) => {
                let head = first_bytes(&mut stream).map_err(io)?;
                let again = std::io::Cursor::new(head.clone());
                (head, Origin::Stream(Box::new(again.chain(stream))))
            }
        };
        if head.starts_with(ZIP) || head.starts_with(CFB) {
            let reader: Box<dyn Read> = match rest {
                Origin::File(file) => Box::new(file),
                Origin::Stream(stream) => stream,
            };
            let mut bytes = Vec::new();
            reader
                .take(MAX_BOOK_BYTES)
                .read_to_end(&mut bytes)
                .map_err(io)?;
            return workbook(bytes, &name, sheet);
        }
        if head.starts_with(b"%PDF") {
            return Err(Input::NotASheet { file: name }.into());
        }
        let (reader, encoding) = decoded(rest, &path, &name)?;
        Ok((Rows::Csv(CsvRows::new(reader, name)), Format::Csv(encoding)))
    }
}

/// The first bytes, which tell a workbook from text.
fn first_bytes(input: &mut impl Read) -> std::io::Result<Vec<u8>> {
    let mut head = vec![0u8; 8];
    let mut got = 0;
    while got < head.len() {
        match input.read(&mut head[got..])? {
            0 => break,
            n => got += n,
        }
    }
    head.truncate(got);
    Ok(head)
}

/// UTF-8 (with or without BOM), else GB18030/GBK, judged line by line. A
/// file is judged, then read again from its start; a stream is spooled to
/// a temp file as it is judged.
fn decoded(input: Origin, path: &Path, name: &str) -> Result<(Box<dyn Read>, csvio::Encoding)> {
    let judged = |e| match e {
        csvio::Sniffed::Io(e) => Error::io(path, e),
        csvio::Sniffed::Mixed { line } => Input::MixedEncoding {
            file: name.to_string(),
            line,
        }
        .into(),
        csvio::Sniffed::TooLong { line } => Input::LineTooLong {
            file: name.to_string(),
            line,
            max_bytes: csvio::MAX_LINE_BYTES,
        }
        .into(),
        csvio::Sniffed::Binary => Input::NotASheet {
            file: name.to_string(),
        }
        .into(),
    };
    let (mut file, encoding) = match input {
        Origin::File(mut file) => {
            let encoding = csvio::sniff(std::io::BufReader::new(&mut file), |_| Ok(()));
            (file, encoding.map_err(judged)?)
        }
        Origin::Stream(stream) => {
            let temp = |e| Error::io("temp file", e);
            let mut spool = tempfile::tempfile().map_err(temp)?;
            let mut writer = std::io::BufWriter::new(&mut spool);
            let encoding = csvio::sniff(stream, |bytes| writer.write_all(bytes));
            let encoding = encoding.map_err(judged)?;
            writer.flush().map_err(temp)?;
            drop(writer);
            (spool, encoding)
        }
    };
    let start = match encoding {
        csvio::Encoding::Utf8Bom => csvio::BOM.len() as u64,
        _ => 0,
    };
    file.seek(SeekFrom::Start(start))
        .map_err(|e| Error::io(path, e))?;
    let reader: Box<dyn Read> = match encoding {
        csvio::Encoding::Gb18030 => Box::new(
            encoding_rs_io::DecodeReaderBytesBuilder::new()
                .encoding(Some(encoding_rs::GB18030))
                .build(file),
        ),
        _ => Box::new(file),
    };
    Ok((reader, encoding))
}

/// A workbook's sheet as rows of text. A range merged over several rows
/// gives its value to each (a problem merged over its measures); across
/// columns it stays one cell, as a title or a heading is.
fn workbook(bytes: Vec<u8>, name: &str, wanted: Option<&str>) -> Result<(Rows, Format)> {
    let not_a_sheet = || {
        Error::from(Input::NotASheet {
            file: name.to_string(),
        })
    };
    let cursor = std::io::Cursor::new(bytes);
    let bad = |e: &dyn std::fmt::Display| {
        Error::from(Input::Xlsx {
            why: format!("{name}: {e}"),
        })
    };
    let (range, merged, format) = if cursor.get_ref().starts_with(ZIP) {
        match calamine::Xlsx::new(cursor.clone()) {
            Ok(mut book) => {
                let sheet = pick_sheet(book.sheet_names(), wanted, name)?;
                let range = book.worksheet_range(&sheet).map_err(|e| bad(&e))?;
                let merged = match book.worksheet_merge_cells(&sheet) {
                    Some(Ok(m)) => m,
                    Some(Err(e)) => return Err(bad(&e)),
                    None => Vec::new(),
                };
                (range, merged, Format::Xlsx)
            }
            Err(_) => {
                let mut book = calamine::Ods::new(cursor).map_err(|_| not_a_sheet())?;
                let sheet = pick_sheet(book.sheet_names(), wanted, name)?;
                let range = book.worksheet_range(&sheet).map_err(|e| bad(&e))?;
                (range, Vec::new(), Format::Ods)
            }
        }
    } else {
        let mut book = calamine::Xls::new(cursor).map_err(|_| not_a_sheet())?;
        let sheet = pick_sheet(book.sheet_names(), wanted, name)?;
        let range = book.worksheet_range(&sheet).map_err(|e| bad(&e))?;
        let merged = book.worksheet_merge_cells(&sheet).unwrap_or_default();
        (range, merged, Format::Xls)
    };
    let Some((top, left)) = range.start() else {
        return Ok((Rows::Book(Vec::new().into_iter()), format));
    };
    let (height, width) = range.get_size();
    let mut grid: Vec<Vec<String>> = range
        .rows()
        .map(|row| row.iter().map(cell_text).collect())
        .collect();
    for region in merged {
        let (r0, c0) = region.start;
        let (r1, _) = region.end;
        let (Some(row0), Some(col)) = (r0.checked_sub(top), c0.checked_sub(left)) else {
            continue;
        };
        let (row0, col) = (row0 as usize, col as usize);
        if row0 >= height || col >= width {
            continue;
        }
        let value = grid[row0][col].clone();
        let last = ((r1 - top) as usize).min(height - 1);
        for row in grid.iter_mut().take(last + 1).skip(row0 + 1) {
            row[col] = value.clone();
        }
    }
    let rows: Vec<RawRow> = grid
        .into_iter()
        .enumerate()
        .map(|(i, cells)| {
            // Columns left of the used range are empty; keep positions.
            let mut all = vec![String::new(); left as usize];
            all.extend(cells);
            RawRow {
                line: u64::from(top) + i as u64 + 1,
                cells: all,
            }
        })
        .collect();
    Ok((Rows::Book(rows.into_iter()), format))
}

fn pick_sheet(names: Vec<String>, wanted: Option<&str>, file: &str) -> Result<String> {
    match wanted {
        None => names.into_iter().next().ok_or_else(|| {
            Input::NotASheet {
                file: file.to_string(),
            }
            .into()
        }),
        Some(want) => match names.iter().find(|n| n.trim() == want.trim()) {
            Some(found) => Ok(found.clone()),
            None => Err(Input::NoSuchSheet {
                file: file.to_string(),
                sheet: want.to_string(),
                sheets: names,
            }
            .into()),
        },
    }
}

/// A cell as the sheet shows it: dates as dates, whole numbers without a
/// fraction (序号 1, not 1.0).
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(n) => n.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => match dt.as_datetime() {
            Some(at) if at.time() == chrono::NaiveTime::MIN => at.date().to_string(),
            Some(at) => at.to_string(),
            None => dt.as_f64().to_string(),
        },
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => e.to_string(),
    }
}

/// A CSV's records, without a header: the layout finds it.
pub struct CsvRows {
    name: String,
    records: csv::StringRecordsIntoIter<LineCounter<Box<dyn Read>>>,
    lines: std::rc::Rc<std::cell::RefCell<LineIndex>>,
}

impl CsvRows {
    fn new(input: Box<dyn Read>, name: String) -> Self {
        let lines = std::rc::Rc::new(std::cell::RefCell::new(LineIndex::default()));
        let counter = LineCounter {
            inner: input,
            index: lines.clone(),
        };
        let reader = csv::ReaderBuilder::new()
            .has_headers(false)
            // A title row has one field, the table below it many.
            .flexible(true)
            .buffer_capacity(64 * 1024)
            .from_reader(counter);
        CsvRows {
            name,
            records: reader.into_records(),
            lines,
        }
    }

    /// The next record and its line, as an editor numbers lines.
    fn next_row(&mut self) -> Option<Result<RawRow>> {
        let record = match self.records.next()? {
            Ok(r) => r,
            Err(e) => {
                let line = e
                    .position()
                    .map_or(0, |p| self.lines.borrow_mut().line_at(p.byte()));
                return Some(Err(csv_error(&self.name, line, &e)));
            }
        };
        let line = record
            .position()
            .map_or(0, |p| self.lines.borrow_mut().line_at(p.byte()));
        Some(Ok(RawRow {
            line,
            cells: record.iter().map(str::to_string).collect(),
        }))
    }
}

/// Line numbers from byte offsets, for a stream read once. The csv crate's
/// own line count drifts on CRLF files, so count newlines instead. Offsets
/// are asked for in increasing order, so only the newlines not yet passed
/// are kept: their offsets, not the bytes read (a copy of the whole input
/// was a tenth of a large import's allocations).
#[derive(Default)]
struct LineIndex {
    /// Offsets of the newlines read and not yet passed, in order.
    ahead: std::collections::VecDeque<u64>,
    /// Bytes read so far.
    read: u64,
    /// Newlines passed: all of them before the last offset asked for.
    passed: u64,
}

impl LineIndex {
    fn push(&mut self, bytes: &[u8]) {
        let at = self.read;
        self.ahead
            .extend(memchr::memchr_iter(b'\n', bytes).map(|i| at + i as u64));
        self.read += bytes.len() as u64;
    }

    /// The 1-based line of the record starting at `byte`.
    fn line_at(&mut self, byte: u64) -> u64 {
        // After a CRLF the reported start can sit on the LF: that newline
        // ends the line before, so it is passed too.
        while self.ahead.front().is_some_and(|&nl| nl <= byte) {
            self.ahead.pop_front();
            self.passed += 1;
        }
        self.passed + 1
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

pub fn csv_error(file: &str, line: u64, e: &csv::Error) -> Error {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn rows_of(bytes: &[u8]) -> Result<(Vec<RawRow>, Format)> {
        let (mut rows, format) = Source::from_bytes(bytes, "t.csv")?.rows(None)?;
        let mut out = Vec::new();
        while let Some(row) = rows.next_row() {
            out.push(row?);
        }
        Ok((out, format))
    }

    #[test]
    fn csv_rows_keep_their_lines_and_ragged_widths() {
        let (rows, format) =
            rows_of("整改台账\r\n问题描述,整改措施\r\n\"多\n行\",措施\r\n".as_bytes()).unwrap();
        assert_eq!(format, Format::Csv(csvio::Encoding::Utf8));
        let lines: Vec<u64> = rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, [1, 2, 3]);
        assert_eq!(rows[0].cells, ["整改台账"]);
        assert_eq!(rows[2].cells, ["多\n行", "措施"]);
    }

    #[test]
    fn other_binaries_are_not_sheets() {
        for bytes in [&b"%PDF-1.7\n..."[..], CFB, b"PK\x03\x04garbage"] {
            let Err(err) = rows_of(bytes) else {
                panic!("{bytes:?} was read")
            };
            assert!(
                matches!(err, Error::Invalid(Input::NotASheet { .. })),
                "{err:?}"
            );
        }
    }

    #[test]
    fn numbers_and_dates_read_as_the_sheet_shows_them() {
        assert_eq!(cell_text(&Data::Float(1.0)), "1");
        assert_eq!(cell_text(&Data::Float(2.5)), "2.5");
        assert_eq!(cell_text(&Data::Empty), "");
    }
}
