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
                | Column::DaysOverdue
                | Column::ProblemUuid
                | Column::MeasureUuid
                | Column::ProblemId
                | Column::MeasureId
        )
    }
}

use chrono::NaiveDate;

use crate::dates::ymd;

use crate::ledger::model::{Item, Kind, Status};
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

pub enum Sniffed {
    Io(std::io::Error),
    Invalid(String),
}

/// Tell a sheet's encoding in one streaming pass: UTF-8 (with or without
/// BOM), else GB18030/GBK, which is what Excel and WPS on Chinese Windows
/// save "CSV" as. A file that starts with a BOM must be UTF-8 throughout.
pub fn sniff(mut input: impl std::io::Read) -> Result<Encoding, Sniffed> {
    let mut buf = vec![0u8; 64 * 1024];
    // Bytes of a character split across two reads.
    let mut carry = 0usize;
    let mut offset = 0u64;
    let mut first = true;
    let mut has_bom = false;
    loop {
        let n = match input.read(&mut buf[carry..]) {
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Sniffed::Io(e)),
        };
        let filled = carry + n;
        if first && filled >= BOM.len() {
            has_bom = buf.starts_with(BOM.as_bytes());
            first = false;
        }
        match std::str::from_utf8(&buf[..filled]) {
            Ok(_) => carry = 0,
            Err(e) if e.error_len().is_none() && n > 0 => {
                // Incomplete at the end of the read: carry it over.
                let valid = e.valid_up_to();
                buf.copy_within(valid..filled, 0);
                carry = filled - valid;
                offset += valid as u64;
                continue;
            }
            Err(e) if has_bom => {
                return Err(Sniffed::Invalid(format!(
                    "the file starts with a UTF-8 byte-order mark but byte {} is not UTF-8 (mixed encodings?)",
                    offset + e.valid_up_to() as u64
                )))
            }
            Err(_) => return Ok(Encoding::Gb18030),
        }
        if n == 0 {
            return Ok(if has_bom {
                Encoding::Utf8Bom
            } else {
                Encoding::Utf8
            });
        }
        offset += filled as u64;
    }
}

/// A cell as stored: trimmed, formula guard removed, line ends unified.
pub fn clean_cell(column: Column, raw: &str) -> String {
    let text = raw.trim();
    let text = if column.is_free_text() {
        restore(text)
    } else {
        text
    };
    text.replace("\r\n", "\n")
}
