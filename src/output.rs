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

pub fn print_json<T: Serialize + ?Sized>(out: &mut dyn Write, value: &T) -> Result<()> {
    serde_json::to_writer_pretty(&mut *out, value).map_err(std::io::Error::from)?;
    writeln!(out)?;
    Ok(())
}

pub fn date(d: Option<NaiveDate>) -> String {
    d.map_or_else(|| "-".to_string(), |d| d.to_string())
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
use crate::words::{Lang, W};

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
        } else if item.is_due_soon(today, 7) {
            Urgency::DueSoon
        } else {
            Urgency::None
        }
    }
}

/// The columns of `list` and of the measures in `show`.
pub fn items_table(items: &[Item], today: NaiveDate, lang: Lang, paint: Paint) -> Table {
    let mut t = table(&[
        lang.t(W::HId),
        lang.t(W::HStatus),
        lang.t(W::HDue),
        lang.t(W::HOwner),
        lang.t(W::HDept),
        lang.t(W::HTitle),
    ]);
    paint.apply(&mut t);
    for item in items {
        let urgency = Urgency::of(item, today);
        t.add_row(vec![
            paint.cell(item.id.to_string(), urgency),
            paint.cell(item.status_word(today, lang).to_string(), urgency),
            paint.cell(date(item.due_current), urgency),
            Cell::new(&item.owner),
            Cell::new(&item.department),
            Cell::new(&item.title),
        ]);
    }
    t
}

fn field(payload: &serde_json::Value, side: &str, key: &str) -> String {
    match &payload[side][key] {
        serde_json::Value::Null => "-".into(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// One line describing what an event changed.
pub fn describe_event(e: &Event) -> String {
    let p = &e.payload;
    let reason = p["reason"].as_str().unwrap_or("");
    match e.action.as_str() {
        "add" | "campaign" => p["after"]["title"]
            .as_str()
            .or(p["after"]["name"].as_str())
            .unwrap_or("")
            .to_string(),
        "assign" => {
            let mut parts: Vec<String> = Vec::new();
            if let Some(after) = p["after"].as_object() {
                for key in after.keys() {
                    parts.push(format!(
                        "{key}: {} -> {}",
                        field(p, "before", key),
                        field(p, "after", key)
                    ));
                }
            }
            if let Some(note) = p["note"].as_str().filter(|n| !n.is_empty()) {
                parts.push(format!("({note})"));
            }
            parts.join("; ")
        }
        "extend" => format!(
            "{} -> {} ({reason})",
            field(p, "before", "due_current"),
            field(p, "after", "due_current")
        ),
        "note" => field(p, "after", "progress"),
        "close" | "ongoing" => ["close_note", "evidence"]
            .iter()
            .map(|key| field(p, "after", key))
            .filter(|v| !v.is_empty() && v != "-")
            .collect::<Vec<_>>()
            .join("; "),
        "reopen" => reason.to_string(),
        _ => String::new(),
    }
}

pub fn action_word(action: &str, lang: Lang) -> String {
    let w = match action {
        "add" => W::ActAdd,
        "assign" => W::ActAssign,
        "extend" => W::ActExtend,
        "note" => W::ActNote,
        "close" => W::ActClose,
        "ongoing" => W::ActOngoing,
        "reopen" => W::ActReopen,
        "campaign" => W::ActCampaign,
        other => return other.to_string(),
    };
    lang.t(w).to_string()
}

/// The history as a table; `with_item` adds the item column for `log`.
pub fn events_table(events: &[Event], lang: Lang, with_item: bool) -> Table {
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
            e.recorded_at.clone(),
            e.actor.clone(),
        ];
        if with_item {
            row.push(e.item.clone());
        }
        row.push(action_word(&e.action, lang));
        row.push(truncate(&describe_event(e), 60));
        t.add_row(row);
    }
    right_align(&mut t, &[0]);
    t
}
