//! Shared output plumbing: tables that line up with Chinese text, JSON.

use std::io::Write;

use chrono::NaiveDate;
use comfy_table::{Cell, CellAlignment, ContentArrangement, Table};
use serde::Serialize;

use crate::error::Result;

/// ASCII only, no borders: box-drawing characters are East Asian
/// "ambiguous width" and break alignment in CJK terminals. Columns are split
/// by padding; the header is underlined with '-'.
const PRESET: &str = "     -             ";

pub fn table<S: AsRef<str>>(headers: &[S]) -> Table {
    let mut table = Table::new();
    table
        .load_preset(PRESET)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(headers.iter().map(|h| Cell::new(h.as_ref())));
    tighten(&mut table);
    fit_or_leave(&mut table);
    table
}

/// Wrap to the terminal's width, but not to a width that reports as zero
/// or absurdly narrow (a pty without a size), which would stack every
/// column one character wide.
fn fit_or_leave(table: &mut Table) {
    if table.width().is_some_and(|w| w < 40) {
        table.set_content_arrangement(ContentArrangement::Disabled);
    }
}

/// Label/value lines (`show`, `campaign show`): no header, no rules.
pub fn key_value_table(rows: Vec<(String, String)>) -> Table {
    let mut table = Table::new();
    table
        .load_preset(comfy_table::presets::NOTHING)
        .set_content_arrangement(ContentArrangement::Dynamic);
    for (k, v) in rows {
        table.add_row(vec![k, v]);
    }
    tighten(&mut table);
    fit_or_leave(&mut table);
    table
}

/// Two spaces between columns and none before the first, so lines start
/// flush left and `cut`/`awk` see clean fields.
fn tighten(table: &mut Table) {
    for column in table.column_iter_mut() {
        column.set_padding((0, 2));
    }
}

pub fn right_align(table: &mut Table, columns: &[usize]) {
    for &i in columns {
        if let Some(col) = table.column_mut(i) {
            col.set_cell_alignment(CellAlignment::Right);
        }
    }
}

pub fn print_table(out: &mut dyn Write, table: &Table) -> Result<()> {
    for line in table.lines() {
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

/// A table of many rows, printed without comfy-table's per-cell layout
/// when nothing needs wrapping or colour: at half a million rows that work
/// was most of `list`'s time. Either way the bytes are the same; the
/// cells are kept back to back in one string, not one allocation each.
pub struct Grid {
    headers: Vec<String>,
    right: Vec<bool>,
    /// The first `painted` columns of a row take its urgency's colour.
    painted: usize,
    text: String,
    ends: Vec<usize>,
    /// Each cell's display width, measured once when it is pushed.
    cell_widths: Vec<u32>,
    urgencies: Vec<Urgency>,
    widths: Vec<usize>,
    /// A cell with a line break or control character: comfy-table lays
    /// those out.
    plain: bool,
}

/// The display width of a cell, or None when it holds a line break or
/// another control character. ASCII is counted by bytes.
fn plain_width(text: &str) -> Option<usize> {
    use unicode_width::UnicodeWidthStr;
    if text.is_ascii() {
        return (!text.bytes().any(|b| b.is_ascii_control())).then_some(text.len());
    }
    // Width by the whole string, as comfy-table measures it: some
    // sequences are narrower than their characters added up.
    (!text.chars().any(char::is_control)).then(|| text.width())
}

impl Grid {
    pub fn new<S: AsRef<str>>(headers: &[S], painted: usize) -> Grid {
        use unicode_width::UnicodeWidthStr;
        let headers: Vec<String> = headers.iter().map(|h| h.as_ref().to_string()).collect();
        Grid {
            right: vec![false; headers.len()],
            widths: headers.iter().map(|h| h.width()).collect(),
            painted,
            text: String::new(),
            ends: Vec::new(),
            cell_widths: Vec::new(),
            urgencies: Vec::new(),
            plain: true,
            headers,
        }
    }

    pub fn right_align(mut self, columns: &[usize]) -> Grid {
        for &i in columns {
            self.right[i] = true;
        }
        self
    }

    pub fn len(&self) -> usize {
        self.urgencies.len()
    }

    pub fn is_empty(&self) -> bool {
        self.urgencies.is_empty()
    }

    /// One row; a cell is anything that displays, so no `String` is made
    /// for a number or a date.
    pub fn push(&mut self, urgency: Urgency, cells: &[&dyn std::fmt::Display]) {
        use std::fmt::Write as _;
        debug_assert_eq!(cells.len(), self.headers.len());
        for (i, cell) in cells.iter().enumerate() {
            let start = self.text.len();
            let _ = write!(self.text, "{cell}");
            let width = match plain_width(&self.text[start..]) {
                Some(w) => w,
                None => {
                    self.plain = false;
                    0
                }
            };
            self.widths[i] = self.widths[i].max(width);
            self.ends.push(self.text.len());
            self.cell_widths
                .push(u32::try_from(width).unwrap_or(u32::MAX));
        }
        self.urgencies.push(urgency);
    }

    fn row(&self, r: usize) -> impl Iterator<Item = &str> {
        self.row_with_widths(r).map(|(text, _)| text)
    }

    fn row_with_widths(&self, r: usize) -> impl Iterator<Item = (&str, usize)> {
        let n = self.headers.len();
        (r * n..(r + 1) * n).map(move |i| {
            let start = if i == 0 { 0 } else { self.ends[i - 1] };
            (
                &self.text[start..self.ends[i]],
                self.cell_widths[i] as usize,
            )
        })
    }

    pub fn print(&self, out: &mut dyn Write, paint: Paint) -> Result<()> {
        let natural: usize = self.widths.iter().map(|w| w + 2).sum();
        let wraps = Table::new()
            .width()
            .is_some_and(|w| w >= 40 && natural >= usize::from(w));
        if !self.plain || paint.on || wraps {
            return print_table(out, &self.to_table(paint));
        }
        self.print_plain(out, natural)
    }

    fn print_plain(&self, out: &mut dyn Write, natural: usize) -> Result<()> {
        use unicode_width::UnicodeWidthStr;
        let mut line = String::new();
        let headers = self.headers.iter().map(|h| (h.as_str(), h.width()));
        self.write_line(out, &mut line, headers)?;
        writeln!(out, "{}", "-".repeat(natural))?;
        for r in 0..self.len() {
            self.write_line(out, &mut line, self.row_with_widths(r))?;
        }
        Ok(())
    }

    fn write_line<'a>(
        &self,
        out: &mut dyn Write,
        line: &mut String,
        cells: impl Iterator<Item = (&'a str, usize)>,
    ) -> Result<()> {
        const SPACES: &str = "                                                                ";
        let pad = |line: &mut String, n: usize| {
            for _ in 0..n / SPACES.len() {
                line.push_str(SPACES);
            }
            line.push_str(&SPACES[..n % SPACES.len()]);
        };
        line.clear();
        for (i, (cell, width)) in cells.enumerate() {
            let gap = self.widths[i] - width;
            if self.right[i] {
                pad(line, gap);
                line.push_str(cell);
                pad(line, 2);
            } else {
                line.push_str(cell);
                pad(line, gap + 2);
            }
        }
        writeln!(out, "{}", line.trim_end())?;
        Ok(())
    }

    fn to_table(&self, paint: Paint) -> Table {
        let mut t = table(&self.headers);
        paint.apply(&mut t);
        for r in 0..self.len() {
            let urgency = self.urgencies[r];
            t.add_row(
                self.row(r)
                    .enumerate()
                    .map(|(i, text)| {
                        if i < self.painted {
                            paint.cell(text.to_string(), urgency)
                        } else {
                            Cell::new(text)
                        }
                    })
                    .collect::<Vec<_>>(),
            );
        }
        let right: Vec<usize> = (0..self.right.len()).filter(|&i| self.right[i]).collect();
        right_align(&mut t, &right);
        t
    }
}

pub fn print_json<T: Serialize + ?Sized>(out: &mut dyn Write, value: &T) -> Result<()> {
    serde_json::to_writer_pretty(&mut *out, value).map_err(std::io::Error::from)?;
    writeln!(out)?;
    Ok(())
}

pub fn date(d: Option<NaiveDate>) -> String {
    Day(d).to_string()
}

/// Shorten to `max` display columns, marking the cut with ASCII `...`
/// (an ellipsis character is ambiguous-width in CJK terminals). Only the
/// first line of a multi-line cell is kept.
pub fn truncate(text: &str, max: usize) -> String {
    use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};
    let first = text.lines().next().unwrap_or("");
    let more_lines = first.len() < text.trim_end().len();
    if !more_lines && first.width() <= max {
        return first.to_string();
    }
    let mut out = String::new();
    let mut width = 0;
    for c in first.chars() {
        let w = c.width().unwrap_or(0);
        if width + w > max.saturating_sub(3) {
            break;
        }
        width += w;
        out.push(c);
    }
    out + "..."
}

use crate::ledger::model::{Event, Item};
use crate::words::{fill, Lang, W};

/// An item as JSON: its stored fields plus the states derived from today.
#[derive(Serialize)]
pub struct ItemView<'a> {
    #[serde(flatten)]
    pub item: &'a Item,
    pub overdue: bool,
    pub days_overdue: i64,
}

impl<'a> ItemView<'a> {
    pub fn new(item: &'a Item, today: NaiveDate) -> Self {
        ItemView {
            item,
            overdue: item.is_overdue(today),
            days_overdue: item.days_overdue(today),
        }
    }
}

/// Whether to colour what is printed; decided once, in main.
#[derive(Clone, Copy, Debug, Default)]
pub struct Paint {
    pub on: bool,
}

impl Paint {
    /// A cell in red (overdue) or yellow (due soon), when colour is on.
    pub fn cell(self, text: String, urgency: Urgency) -> Cell {
        let cell = Cell::new(text);
        match (self.on, urgency) {
            (true, Urgency::Overdue) => cell.fg(comfy_table::Color::Red),
            (true, Urgency::DueSoon) => cell.fg(comfy_table::Color::Yellow),
            _ => cell,
        }
    }

    /// comfy-table drops styling unless it sees a terminal itself; the
    /// decision is ours, made in main. (Uncoloured cells carry no styling,
    /// so nothing is forced off: that would also stop wrapping to the
    /// terminal's width.)
    pub fn apply(self, table: &mut Table) {
        if self.on {
            table.enforce_styling();
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Urgency {
    Overdue,
    DueSoon,
    None,
}

impl Urgency {
    pub fn of(item: &Item, today: NaiveDate) -> Urgency {
        if item.is_overdue(today) {
            Urgency::Overdue
        } else if item.is_due_soon(today, crate::ledger::rules::DUE_SOON_DAYS) {
            Urgency::DueSoon
        } else {
            Urgency::None
        }
    }
}

/// The columns of `list` and of the measures in `show`.
pub fn items_grid(lang: Lang) -> Grid {
    Grid::new(
        &[
            lang.t(W::HId),
            lang.t(W::HStatus),
            lang.t(W::HDue),
            lang.t(W::HOwner),
            lang.t(W::HDept),
            lang.t(W::HTitle),
        ],
        3,
    )
}

pub fn push_item(grid: &mut Grid, item: &Item, today: NaiveDate, lang: Lang) {
    grid.push(
        Urgency::of(item, today),
        &[
            &item.id,
            &item.status_word(today, lang),
            &Day(item.due_current),
            &item.owner,
            &item.department,
            &item.title,
        ],
    );
}

/// A date, or `-` for none, without making a `String` (`date` makes one).
pub struct Day(pub Option<NaiveDate>);

impl std::fmt::Display for Day {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            Some(d) => f.write_str(&crate::dates::ymd(d)),
            None => f.write_str("-"),
        }
    }
}

fn field(payload: &serde_json::Value, side: &str, key: &str) -> String {
    match &payload[side][key] {
        serde_json::Value::Null => "-".into(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// One line describing what an event changed.
pub fn describe_event(e: &Event, lang: Lang) -> String {
    let arrow = match lang {
        Lang::En => " -> ",
        Lang::Zh => " → ",
    };
    let p = &e.payload;
    let reason = p["reason"].as_str().unwrap_or("");
    let (open, close) = match lang {
        Lang::En => (" (", ")"),
        Lang::Zh => ("（", "）"),
    };
    match e.action.as_str() {
        "add" | "campaign" => p["after"]["title"]
            .as_str()
            .or(p["after"]["name"].as_str())
            .unwrap_or("")
            .to_string(),
        "assign" | "edit" => {
            let mut parts: Vec<String> = Vec::new();
            if let Some(after) = p["after"].as_object() {
                // A corrected deadline that moves the one in force with it
                // is said once.
                let moved_together = |key: &str| {
                    key == "due_current"
                        && after.get("due_original") == after.get("due_current")
                        && p["before"]["due_original"] == p["before"]["due_current"]
                };
                for key in after.keys().filter(|k| !moved_together(k)) {
                    let name = match key.as_str() {
                        "leader" => lang.t(W::FLeader),
                        "department" => lang.t(W::FDepartment),
                        "owner" => lang.t(W::FOwner),
                        "title" if e.item.starts_with('P') => lang.t(W::FProblemTitle),
                        "title" => lang.t(W::FMeasureTitle),
                        "scope" => lang.t(W::HScope),
                        "source" => lang.t(W::FSource),
                        "subject" => lang.t(W::FSubject),
                        "cause" => lang.t(W::FCause),
                        "raised_on" => lang.t(W::FRaised),
                        "due_original" => lang.t(W::FDueOriginal),
                        "due_current" => lang.t(W::FDueCurrent),
                        other => other,
                    };
                    let colon = match lang {
                        Lang::En => ": ",
                        Lang::Zh => "：",
                    };
                    parts.push(format!(
                        "{name}{colon}{}{arrow}{}",
                        field(p, "before", key),
                        field(p, "after", key)
                    ));
                }
            }
            if let Some(note) = p["note"].as_str().filter(|n| !n.is_empty()) {
                parts.push(format!("({note})"));
            }
            let mut text = parts.join("; ");
            if !reason.is_empty() {
                text.push_str(&format!("{open}{reason}{close}"));
            }
            text
        }
        "void" => match p["with"].as_str() {
            Some(problem) => fill(
                lang.t(W::LogVoidedWith),
                &[
                    ("problem", problem.to_string()),
                    ("reason", reason.to_string()),
                ],
            ),
            None => reason.to_string(),
        },
        "accept" => {
            let by = field(p, "after", "accepted_by");
            match p["note"].as_str().filter(|n| !n.is_empty()) {
                Some(note) => format!("{by}; {note}"),
                None => by,
            }
        }
        "extend" => {
            format!(
                "{}{arrow}{}{open}{reason}{close}",
                field(p, "before", "due_current"),
                field(p, "after", "due_current")
            )
        }
        "note" => field(p, "after", "progress"),
        "close" | "ongoing" => ["close_note", "evidence"]
            .iter()
            .map(|key| field(p, "after", key))
            .filter(|v| !v.is_empty() && v != "-")
            .collect::<Vec<_>>()
            .join("; "),
        "reopen" => match p["measure"].as_str() {
            Some(measure) => fill(
                lang.t(W::LogReopenedWith),
                &[
                    ("measure", measure.to_string()),
                    ("reason", reason.to_string()),
                ],
            ),
            None => reason.to_string(),
        },
        "language" => field(p, "after", "language"),
        _ => String::new(),
    }
}

/// The action's word; closing a problem is 销号, closing a measure 完成.
pub fn action_word(e: &Event, lang: Lang) -> String {
    let w = match e.action.as_str() {
        "close" if e.item.starts_with('P') => W::ActCloseOut,
        "void" if e.payload["after"]["voided_on"].is_null() => W::ActUnvoid,
        "void" => W::ActVoid,
        "edit" => W::ActEdit,
        "accept" => W::ActAccept,
        "add" => W::ActAdd,
        "assign" => W::ActAssign,
        "extend" => W::ActExtend,
        "note" => W::ActNote,
        "close" => W::ActClose,
        "ongoing" => W::ActOngoing,
        "reopen" => W::ActReopen,
        "campaign" => W::ActCampaign,
        "language" => W::ActLanguage,
        other => return other.to_string(),
    };
    lang.t(w).to_string()
}

/// An RFC 3339 time in `zone`, to the minute; as stored if it is not one.
pub fn local_time(rfc3339: &str, zone: chrono::FixedOffset) -> String {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .map(|t| {
            t.with_timezone(&zone)
                .format("%Y-%m-%d %H:%M %:z")
                .to_string()
        })
        .unwrap_or_else(|_| rfc3339.to_string())
}

/// The history as a table; `with_item` adds the item column for `log`.
/// `zone` is the reader's time zone, resolved in main: history is stored in
/// UTC and shown as local time (`2023-06-20 09:15 +08:00`).
pub fn events_table(
    events: &[Event],
    lang: Lang,
    with_item: bool,
    zone: chrono::FixedOffset,
) -> Table {
    let mut headers = vec![
        lang.t(W::HSeq),
        lang.t(W::HEffective),
        lang.t(W::HWhen),
        lang.t(W::HActor),
    ];
    if with_item {
        headers.push(lang.t(W::HItem));
    }
    headers.extend([lang.t(W::HAction), lang.t(W::HDetail)]);
    let mut t = table(&headers);
    for e in events {
        let mut row = vec![
            e.seq.to_string(),
            e.effective_on.to_string(),
            local_time(&e.recorded_at, zone),
            e.actor.clone(),
        ];
        if with_item {
            row.push(match e.item.as_str() {
                "ledger" => lang.t(W::ObjLedger).to_string(),
                item => item.to_string(),
            });
        }
        row.push(action_word(e, lang));
        row.push(truncate(&describe_event(e, lang), 60));
        t.add_row(row);
    }
    right_align(&mut t, &[0]);
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The plain printer must give comfy-table's bytes exactly: scripts
    /// cut the columns, and a terminal may get either.
    #[test]
    fn grid_prints_what_comfy_table_prints() {
        let mut grid = Grid::new(&["ID", "天数", "责任人", "TITLE"], 2).right_align(&[1]);
        grid.push(Urgency::Overdue, &[&"M1", &12, &"张三", &"整改措施（一）"]);
        grid.push(Urgency::None, &[&"M10", &0, &"", &"trailing spaces   "]);
        grid.push(Urgency::DueSoon, &[&"P2", &345, &"Ann Lee", &""]);
        grid.push(
            Urgency::None,
            &[&"M11", &7, &"欧阳修远", &"半角ｶﾀｶﾅ and 全角"],
        );
        let natural = grid.widths.iter().map(|w| w + 2).sum();
        let mut plain = Vec::new();
        grid.print_plain(&mut plain, natural).unwrap();
        let mut comfy = Vec::new();
        print_table(&mut comfy, &grid.to_table(Paint::default())).unwrap();
        let plain = String::from_utf8(plain).unwrap();
        assert_eq!(plain, String::from_utf8(comfy).unwrap());
        assert!(
            plain.contains("\nM10     0            trailing spaces\n"),
            "{plain}"
        );
    }

    #[test]
    fn a_line_break_in_a_cell_goes_to_comfy_table() {
        let mut grid = Grid::new(&["ID", "TITLE"], 0);
        grid.push(Urgency::None, &[&"M1", &"one"]);
        assert!(grid.plain);
        grid.push(Urgency::None, &[&"M2", &"two\nlines"]);
        assert!(!grid.plain);
        let mut out = Vec::new();
        grid.print(&mut out, Paint::default()).unwrap();
        assert!(String::from_utf8(out)
            .unwrap()
            .contains("M2  two\n    lines"));
    }
}
