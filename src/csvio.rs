//! CSV as Excel and WPS read it: UTF-8 with a BOM, CRLF line ends, RFC 4180
//! quoting, and free text defused against formula injection.

use std::borrow::Cow;
use std::io::Write;

pub const BOM: &str = "\u{feff}";

/// Characters that make a spreadsheet treat a cell as a formula (OWASP "CSV
/// Injection"), including their full-width forms, which WPS also honours.
const TRIGGERS: &[char] = &['=', '+', '-', '@', '\t', '\r', '\n', '＝', '＋', '－', '＠'];

/// Prefix a `'` to text a spreadsheet would run as a formula. Import strips
/// exactly one such `'`, so text round-trips unchanged.
pub fn defuse(text: &str) -> std::borrow::Cow<'_, str> {
    match text.chars().next() {
        Some(c) if TRIGGERS.contains(&c) => format!("'{text}").into(),
        // Text that already starts with ' before a trigger gets one more, so
        // that stripping one on import gives it back exactly.
        Some('\'') if text[1..].starts_with(TRIGGERS) || text[1..].starts_with('\'') => {
            format!("'{text}").into()
        }
        _ => text.into(),
    }
}

/// The inverse of [`defuse`].
pub fn restore(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if rest.starts_with(TRIGGERS) || rest.starts_with('\'') => rest,
        _ => text,
    }
}

/// A CSV writer with the house layout. The caller must `flush()?` it: the
/// writer's Drop swallows errors.
pub fn writer<W: Write>(mut out: W, bom: bool) -> std::io::Result<csv::Writer<W>> {
    if bom {
        out.write_all(BOM.as_bytes())?;
    }
    Ok(csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defuse_round_trips() {
        for text in [
            "=SUM(A1)", "+1", "-1", "@x", "\tx", "＝1", "plain", "'quoted", "'=x", "''=x", "", "'",
        ] {
            assert_eq!(restore(&defuse(text)), text, "{text:?}");
        }
        assert_eq!(defuse("=1"), "'=1");
        assert_eq!(defuse("普通文本"), "普通文本");
    }
}

use crate::words::{Lang, W};

/// The spreadsheet's columns, in order. Headers come from the catalogue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Column {
    Seq,
    Campaign,
    ProblemId,
    Source,
    Scope,
    Subject,
    Problem,
    Cause,
    RaisedOn,
    MeasureId,
    Measure,
    Leader,
    Department,
    Owner,
    DueOriginal,
    DueCurrent,
    Progress,
    Status,
    ClosedOn,
    Evidence,
    DaysOverdue,
    Note,
    ProblemUuid,
    MeasureUuid,
    /// 版本: written after the UUIDs by `export`, read by `import`; not
    /// one of `COLUMNS`, which are the ledger's own fields.
    Version,
    /// 延期原因: read by `import --update` with a later 调整后时限.
    ExtendReason,
    /// 验收人 and 验收日期: written after 版本 where a campaign asks for
    /// acceptance (验收), read by `import`.
    Acceptor,
    /// Stays last: `Column::COUNT` counts up to it.
    AcceptedOn,
}

impl Column {
    /// How many fields there are, the last one's place plus one.
    pub const COUNT: usize = Column::AcceptedOn as usize + 1;
}

pub const COLUMNS: [Column; 24] = [
    Column::Seq,
    Column::Campaign,
    Column::ProblemId,
    Column::Source,
    Column::Scope,
    Column::Subject,
    Column::Problem,
    Column::Cause,
    Column::RaisedOn,
    Column::MeasureId,
    Column::Measure,
    Column::Leader,
    Column::Department,
    Column::Owner,
    Column::DueOriginal,
    Column::DueCurrent,
    Column::Progress,
    Column::Status,
    Column::ClosedOn,
    Column::Evidence,
    Column::DaysOverdue,
    Column::Note,
    Column::ProblemUuid,
    Column::MeasureUuid,
];

impl Column {
    pub fn word(self) -> W {
        match self {
            Column::Seq => W::CSeq,
            Column::Campaign => W::CCampaign,
            Column::ProblemId => W::CProblemId,
            Column::Source => W::CSource,
            Column::Scope => W::CScope,
            Column::Subject => W::CSubject,
            Column::Problem => W::CProblem,
            Column::Cause => W::CCause,
            Column::RaisedOn => W::CRaisedOn,
            Column::MeasureId => W::CMeasureId,
            Column::Measure => W::CMeasure,
            Column::Leader => W::CLeader,
            Column::Department => W::CDepartment,
            Column::Owner => W::COwner,
            Column::DueOriginal => W::CDueOriginal,
            Column::DueCurrent => W::CDueCurrent,
            Column::Progress => W::CProgress,
            Column::Status => W::CStatus,
            Column::ClosedOn => W::CClosedOn,
            Column::Evidence => W::CEvidence,
            Column::DaysOverdue => W::CDaysOverdue,
            Column::Note => W::CNote,
            Column::ProblemUuid => W::CProblemUuid,
            Column::MeasureUuid => W::CMeasureUuid,
            Column::Version => W::CVersion,
            Column::ExtendReason => W::CExtendReason,
            Column::Acceptor => W::CAcceptor,
            Column::AcceptedOn => W::CAcceptedOn,
        }
    }

    pub fn header(self, lang: Lang) -> &'static str {
        lang.t(self.word())
    }

    /// Either language's header, as a clerk might have typed it.
    pub fn from_header(text: &str) -> Option<Column> {
        let t = text.trim().trim_start_matches(BOM).trim();
        COLUMNS.into_iter().find(|c| {
            let w = c.word();
            w.zh() == t || w.en().eq_ignore_ascii_case(t)
        })
    }

    /// Free-text columns get formula-injection defusing.
    pub fn is_free_text(self) -> bool {
        !matches!(
            self,
            Column::Seq
                | Column::RaisedOn
                | Column::DueOriginal
                | Column::DueCurrent
                | Column::ClosedOn
                | Column::AcceptedOn
                | Column::DaysOverdue
                | Column::ProblemUuid
                | Column::MeasureUuid
                | Column::Version
                | Column::ProblemId
                | Column::MeasureId
        )
    }
}

use chrono::NaiveDate;

use crate::dates::{parse_date, ymd};

use crate::ledger::model::{Item, Kind, Scope, Status};
use crate::ledger::SheetRow;

/// The status word of a sheet row. A done measure of a closed-out problem
/// says 已销号 ("closed"), so the problem's closure survives a round trip.
pub fn status_word(row: &SheetRow, lang: Lang) -> &'static str {
    match &row.measure {
        Some(m) if m.status == Status::Closed && row.problem.status == Status::Closed => {
            Status::Closed.word(Kind::Problem, lang)
        }
        Some(m) => m.status.word(Kind::Measure, lang),
        None => row.problem.status.word(Kind::Problem, lang),
    }
}

/// One exported row, column by column (undefused).
pub fn sheet_cells(row: &SheetRow, seq: u64, today: NaiveDate, lang: Lang) -> Vec<String> {
    COLUMNS
        .iter()
        .map(|&c| match c {
            Column::Seq => seq.to_string(),
            _ => sheet_cell(row, c, today, lang).into_owned(),
        })
        .collect()
}

/// One cell of an exported row (undefused), borrowed from the row where
/// it can be. The row number is the writer's to give.
pub fn sheet_cell(row: &SheetRow, column: Column, today: NaiveDate, lang: Lang) -> Cow<'_, str> {
    let p = &row.problem;
    // Who, when and how it stands are the measure's where there is one.
    let m: &Item = row.measure.as_ref().unwrap_or(p);
    use Cow::Borrowed as text;
    let day = |d: Option<NaiveDate>| d.map_or(Cow::Borrowed(""), |d| ymd(d).into());
    match column {
        Column::Seq => Cow::Borrowed(""),
        Column::Campaign => text(p.campaign.as_deref().unwrap_or_default()),
        Column::ProblemId => p.id.to_string().into(),
        Column::Source => text(&p.source),
        Column::Scope => text(p.scope.map(|s| s.word(lang)).unwrap_or_default()),
        Column::Subject => text(&p.subject),
        Column::Problem => text(&p.title),
        Column::Cause => text(&p.cause),
        Column::RaisedOn => ymd(p.raised_on).into(),
        Column::MeasureId => row
            .measure
            .as_ref()
            .map_or(Cow::Borrowed(""), |m| m.id.to_string().into()),
        Column::Measure => text(row.measure.as_ref().map_or("", |m| &m.title)),
        Column::Leader => text(&m.leader),
        Column::Department => text(&m.department),
        Column::Owner => text(&m.owner),
        Column::DueOriginal => day(m.due_original),
        Column::DueCurrent => day(m.due_current),
        Column::Progress => text(&m.progress),
        Column::Status => text(status_word(row, lang)),
        Column::ClosedOn => day(m.closed_on),
        Column::Evidence => text(&m.evidence),
        Column::DaysOverdue => match m.days_overdue(today) {
            0 => Cow::Borrowed(""),
            n => n.to_string().into(),
        },
        Column::Note => text(&m.close_note),
        Column::ProblemUuid => text(&p.uuid),
        Column::MeasureUuid => text(row.measure.as_ref().map_or("", |m| &m.uuid)),
        Column::Version => version_of_row(row, today).into(),
        Column::ExtendReason => text(""),
        Column::Acceptor => text(row.measure.as_ref().map_or("", |m| &m.accepted_by)),
        Column::AcceptedOn => day(row.measure.as_ref().and_then(|m| m.accepted_on)),
    }
}

/// How a file's bytes were read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf8Bom,
    Gb18030,
}

impl std::fmt::Display for Encoding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf8Bom => "UTF-8 with BOM",
            Encoding::Gb18030 => "GB18030",
        })
    }
}

/// The longest line a sheet may have. A real row is a few kilobytes; a
/// longer one is a binary file, `/dev/zero` or a paste accident, and
/// reading on would only fill memory.
pub const MAX_LINE_BYTES: usize = 1 << 20;

pub enum Sniffed {
    Io(std::io::Error),
    /// Lines `line` (1-based) is not UTF-8 while an earlier or later one
    /// is, or the file starts with a UTF-8 BOM.
    Mixed {
        line: u64,
    },
    TooLong {
        line: u64,
    },
    /// A NUL byte: no text file, in either encoding, holds one.
    Binary,
}

/// Tell a sheet's encoding in one streaming pass, line by line: a file
/// whose non-ASCII lines are all valid UTF-8 is UTF-8 (with or without
/// BOM); one in which none of them is, GB18030/GBK, which is what Excel
/// and WPS on Chinese Windows save "CSV" as. Some of each is a mixed file,
/// refused: a single sequence proves nothing, since GBK text often holds
/// byte pairs that happen to be valid UTF-8, but a whole line rarely does.
///
/// Each byte read is also handed to `copy`, so a pipe or FIFO, which
/// cannot be read twice, can be spooled in the same pass.
pub fn sniff(
    mut input: impl std::io::Read,
    mut copy: impl FnMut(&[u8]) -> std::io::Result<()>,
) -> Result<Encoding, Sniffed> {
    let mut buf = vec![0u8; 64 * 1024];
    let mut line = Vec::new();
    let mut number = 0u64;
    let mut at_start = true;
    let mut has_bom = false;
    let mut first_utf8: Option<u64> = None;
    let mut first_other: Option<u64> = None;
    let mut judge = |line: &[u8], number: u64| {
        if line.is_ascii() {
            return;
        }
        let slot = if std::str::from_utf8(line).is_ok() {
            &mut first_utf8
        } else {
            &mut first_other
        };
        slot.get_or_insert(number);
    };
    loop {
        let n = match input.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Sniffed::Io(e)),
        };
        copy(&buf[..n]).map_err(Sniffed::Io)?;
        let mut chunk = &buf[..n];
        if at_start {
            line.extend_from_slice(chunk);
            if line.len() < BOM.len() && !line.contains(&b'\n') {
                continue;
            }
            at_start = false;
            has_bom = line.starts_with(BOM.as_bytes());
            chunk = &[];
            let pending = std::mem::take(&mut line);
            let body = if has_bom {
                &pending[BOM.len()..]
            } else {
                &pending[..]
            };
            for piece in body.split_inclusive(|b| *b == b'\n') {
                feed(piece, &mut line, &mut number, &mut judge)?;
            }
        }
        for piece in chunk.split_inclusive(|b| *b == b'\n') {
            feed(piece, &mut line, &mut number, &mut judge)?;
        }
    }
    if !line.is_empty() {
        if at_start && line.starts_with(BOM.as_bytes()) {
            has_bom = true;
            line.drain(..BOM.len());
        }
        number += 1;
        judge(&line, number);
    }
    match (first_utf8, first_other) {
        (_, Some(line)) if has_bom || first_utf8.is_some() => Err(Sniffed::Mixed { line }),
        (_, Some(_)) => Ok(Encoding::Gb18030),
        _ if has_bom => Ok(Encoding::Utf8Bom),
        _ => Ok(Encoding::Utf8),
    }
}

/// Add a piece of a line (ending in `\n` when the line ends there); judge
/// the line once it is whole.
fn feed(
    piece: &[u8],
    line: &mut Vec<u8>,
    number: &mut u64,
    judge: &mut impl FnMut(&[u8], u64),
) -> Result<(), Sniffed> {
    if piece.contains(&0) {
        return Err(Sniffed::Binary);
    }
    if line.len() + piece.len() > MAX_LINE_BYTES + 2 {
        return Err(Sniffed::TooLong { line: *number + 1 });
    }
    line.extend_from_slice(piece);
    if piece.ends_with(b"\n") {
        *number += 1;
        judge(line, *number);
        line.clear();
    }
    Ok(())
}

/// A cell as stored: trimmed, formula guard removed, line ends unified.
pub fn clean_cell(column: Column, raw: &str) -> String {
    let text = raw.trim();
    let text = if column.is_free_text() {
        restore(text)
    } else {
        text
    };
    // Most cells have no line break: a copy, without a pattern search.
    if text.contains('\r') {
        text.replace("\r\n", "\n")
    } else {
        text.to_string()
    }
}

/// The status words a sheet may carry, in either language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SheetStatus {
    Open,
    Ongoing,
    Done,
    /// Done, and its problem closed out (已销号).
    ClosedOut,
}

pub fn parse_status(text: &str) -> Option<SheetStatus> {
    Some(match text.trim().to_lowercase().as_str() {
        "open" | "正在整改" | "未完成" | "整改中" | "逾期" | "overdue" | "未整改" | "推进中"
        | "基本完成" | "部分完成" => SheetStatus::Open,
        "ongoing" | "长期坚持" | "持续整改" | "持续推进" => SheetStatus::Ongoing,
        "done" | "已完成" | "完成" | "已整改" | "办结" | "已办结" | "已整改到位" => {
            SheetStatus::Done
        }
        "closed" | "已销号" | "销号" => SheetStatus::ClosedOut,
        _ => return None,
    })
}

/// Compare cells by meaning: dates and words in either spelling.
pub fn canonical(column: Column, value: &str) -> Cow<'_, str> {
    let v = value.trim();
    match column {
        Column::RaisedOn | Column::DueOriginal | Column::DueCurrent | Column::ClosedOn => {
            // Already `YYYY-MM-DD`, as every export writes it: as it is.
            if v.len() == 10 && v.as_bytes()[4] == b'-' && v.as_bytes()[7] == b'-' {
                return Cow::Borrowed(v);
            }
            match parse_date(v) {
                Ok(d) => Cow::Owned(ymd(d)),
                Err(_) => Cow::Borrowed(v),
            }
        }
        Column::Scope => match v.parse::<Scope>() {
            Ok(s) => Cow::Borrowed(s.as_str()),
            Err(_) => Cow::Borrowed(v),
        },
        Column::Status => Cow::Borrowed(match parse_status(v) {
            Some(SheetStatus::Open) => Status::Open.as_str(),
            Some(SheetStatus::Ongoing) => Status::Ongoing.as_str(),
            Some(SheetStatus::Done) => "done",
            Some(SheetStatus::ClosedOut) => "closed-out",
            None => v,
        }),
        _ => Cow::Borrowed(v),
    }
}

/// A row's 版本 (version): the first 12 hex digits of the SHA-256 of a
/// compact JSON array of strings: the value of every column of `COLUMNS`
/// but 序号 and 逾期天数, in that order and in `canonical` form, then for
/// each non-empty extra field, headers sorted, `"+" + header` and its value. It is the content of the row, not an event
/// number, so it means the same in any ledger, and a re-save by Excel or
/// WPS (dates as date cells, the `'` guard dropped) leaves it unchanged.
pub fn version<'a>(
    cells: impl Iterator<Item = (Column, &'a str)>,
    extra: &std::collections::BTreeMap<String, String>,
) -> String {
    use sha2::{Digest, Sha256};
    // The JSON text is hashed as it is written, never built: an export
    // writes a 版本 for every row.
    struct Hashing(Sha256);
    impl std::io::Write for Hashing {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.update(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut h = Hashing(Sha256::new());
    let mut first = true;
    let mut item = |h: &mut Hashing, text: &str| {
        h.0.update(if first { &b"["[..] } else { &b","[..] });
        first = false;
        if text.bytes().any(|b| b == b'"' || b == b'\\' || b < 0x20) {
            // Writing a &str to a hasher cannot fail.
            let _ = serde_json::to_writer(&mut *h, text);
        } else {
            h.0.update(b"\"");
            h.0.update(text.as_bytes());
            h.0.update(b"\"");
        }
    };
    for (c, v) in cells {
        if !matches!(c, Column::Seq | Column::DaysOverdue | Column::Version) {
            item(&mut h, &canonical(c, v));
        }
    }
    for (k, v) in extra.iter().filter(|(_, v)| !v.is_empty()) {
        item(&mut h, &format!("+{k}"));
        item(&mut h, v);
    }
    h.0.update(if first { &b"[]"[..] } else { &b"]"[..] });
    let digest = h.0.finalize();
    crate::ledger::hex(&digest[..6])
}

/// The 版本 of a ledger row, as `export` writes it.
pub fn version_of_row(row: &SheetRow, today: NaiveDate) -> String {
    let mut extra = row.problem.extra_fields();
    if let Some(m) = &row.measure {
        extra.extend(m.extra_fields());
    }
    let cells: Vec<(Column, Cow<'_, str>)> = COLUMNS
        .iter()
        .filter(|c| !matches!(c, Column::Seq | Column::DaysOverdue))
        .map(|&c| (c, sheet_cell(row, c, today, Lang::En)))
        .collect();
    version(cells.iter().map(|(c, v)| (*c, v.as_ref())), &extra)
}
