//! `rectify remind`: one notice per department (or owner), listing its
//! overdue and due-soon items, each overdue one at the level its lateness
//! calls for: 提醒, then 督办, then 问责.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::{days_left, deadline_filter, Context};
use crate::cli::{RemindArgs, RemindFormat, RemindPer};
use crate::error::{Error, Input, Result};
use crate::ledger::model::{Item, StatusFilter};
use crate::ledger::Detail;
use crate::output::{Day, Grid, Paint, Urgency};
use crate::report::docx::Doc;
use crate::words::{say, Lang, W};

/// How far past its deadline an overdue item is, as the office escalates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Level {
    Reminder,
    FollowUp,
    Escalation,
}

impl Level {
    fn of(days_overdue: i64, (a, b): (u32, u32)) -> Level {
        if days_overdue <= i64::from(a) {
            Level::Reminder
        } else if days_overdue <= i64::from(b) {
            Level::FollowUp
        } else {
            Level::Escalation
        }
    }

    fn word(self) -> W {
        match self {
            Level::Reminder => W::LevelReminder,
            Level::FollowUp => W::LevelFollowUp,
            Level::Escalation => W::LevelEscalation,
        }
    }
}

/// One unit's notice: what is overdue (with its level) and what falls due soon.
#[derive(Default)]
struct Notice {
    overdue: Vec<(Item, Level)>,
    due_soon: Vec<Item>,
}

pub fn run(args: RemindArgs, ctx: &Context, out: &mut dyn Write) -> Result<u8> {
    let ledger = ctx.read()?;
    let campaign = args
        .campaign
        .as_deref()
        .map(|code| ledger.campaign(code))
        .transpose()?;
    let today = ctx.today();
    let lang = ctx.lang;
    let query = |status| deadline_filter(args.campaign.as_deref(), args.within, status);
    let unit_of = |item: &Item| match args.per {
        RemindPer::Dept => item.department.clone(),
        RemindPer::Owner => item.owner.clone(),
    };
    let mut notices: BTreeMap<String, Notice> = BTreeMap::new();
    ledger.each_item(&query(StatusFilter::Overdue), today, Detail::Listing, |i| {
        let level = Level::of(i.days_overdue(today), args.levels);
        notices
            .entry(unit_of(&i))
            .or_default()
            .overdue
            .push((i, level));
        Ok(())
    })?;
    ledger.each_item(&query(StatusFilter::DueSoon), today, Detail::Listing, |i| {
        notices.entry(unit_of(&i)).or_default().due_soon.push(i);
        Ok(())
    })?;
    let scope = match &campaign {
        Some(c) => say(
            lang,
            W::RemindCampaign,
            &[("name", c.name.clone()), ("code", c.code.clone())],
        ),
        None => lang.t(W::RemindAllCampaigns).to_string(),
    };
    if args.format == RemindFormat::Docx && args.out_dir.is_none() {
        return Err(Input::DocxNeedsOutDir.into());
    }
    let page = Page {
        lang,
        today,
        scope,
        within: args.within,
        format: args.format,
    };
    match &args.out_dir {
        Some(dir) => {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
            for (unit, notice) in &notices {
                let path = notice_path(dir, unit, args.format, lang);
                let bytes = match args.format {
                    RemindFormat::Docx => page.document(unit, notice)?,
                    _ => page.render(unit, notice)?.into_bytes(),
                };
                crate::outfile::write_atomically(&path, |file| {
                    file.write_all(&bytes)?;
                    Ok(())
                })?;
                writeln!(out, "{}", path.display())?;
            }
        }
        None => {
            for (n, (unit, notice)) in notices.iter().enumerate() {
                if n > 0 {
                    // A form feed: each notice prints on its own page.
                    out.write_all(b"\x0c\n")?;
                }
                out.write_all(page.render(unit, notice)?.as_bytes())?;
            }
        }
    }
    Ok(0)
}

/// A file named after the unit; a name that cannot be a file name (a
/// slash, a leading dot) is made into one.
fn notice_path(dir: &Path, unit: &str, format: RemindFormat, lang: Lang) -> PathBuf {
    let name = if unit.is_empty() {
        lang.t(W::Unassigned).to_string()
    } else {
        unit.replace(['/', '\\', '\0'], "_")
    };
    let name = name.trim_start_matches('.');
    let extension = match format {
        RemindFormat::Text => "txt",
        RemindFormat::Markdown => "md",
        RemindFormat::Docx => "docx",
    };
    dir.join(format!("{name}.{extension}"))
}

/// A part of a notice: its heading, its column headers and its rows.
type Section = (String, Vec<&'static str>, Vec<Vec<String>>);

struct Page {
    lang: Lang,
    today: NaiveDate,
    /// The campaign, or all of them.
    scope: String,
    within: u32,
    format: RemindFormat,
}

impl Page {
    /// The notice as a Word document in the official layout.
    fn document(&self, unit: &str, notice: &Notice) -> Result<Vec<u8>> {
        let lang = self.lang;
        let mut doc = Doc::new(lang);
        let unit = if unit.is_empty() {
            lang.t(W::Unassigned)
        } else {
            unit
        };
        doc.title(&say(lang, W::RemindTitle, &[("unit", unit.to_string())]));
        doc.subtitle(&format!(
            "{}  {}",
            self.scope,
            say(lang, W::RemindDate, &[("date", self.today.to_string())])
        ));
        for (heading, headers, rows) in self.sections(notice) {
            doc.heading(&heading);
            let numeric = [headers.len() - 2];
            doc.table(&headers, &rows, &numeric, &[10, 30, 10, 14, 10, 10]);
        }
        doc.paragraph(&self.totals(notice));
        let mut bytes = std::io::Cursor::new(Vec::new());
        doc.save(&mut bytes)?;
        Ok(bytes.into_inner())
    }

    fn render(&self, unit: &str, notice: &Notice) -> Result<String> {
        let lang = self.lang;
        let unit = if unit.is_empty() {
            lang.t(W::Unassigned)
        } else {
            unit
        };
        let mut out: Vec<u8> = Vec::new();
        let title = say(lang, W::RemindTitle, &[("unit", unit.to_string())]);
        let date = say(lang, W::RemindDate, &[("date", self.today.to_string())]);
        if self.format == RemindFormat::Markdown {
            writeln!(out, "# {}\n\n- {}\n- {}", md(&title), md(&self.scope), date)?;
        } else {
            writeln!(out, "{title}\n{}\n{date}", self.scope)?;
        }
        for (heading, headers, rows) in self.sections(notice) {
            self.section(&mut out, &heading, &headers, rows)?;
        }
        writeln!(out, "\n{}", self.totals(notice))?;
        Ok(String::from_utf8_lossy(&out).into_owned())
    }

    /// The overdue section and the due-soon one, where they have rows:
    /// each heading, its column headers and its rows.
    fn sections(&self, notice: &Notice) -> Vec<Section> {
        let (lang, today) = (self.lang, self.today);
        let headers = |words: &[W]| words.iter().map(|w| lang.t(*w)).collect::<Vec<_>>();
        let mut sections = Vec::new();
        if !notice.overdue.is_empty() {
            let heading = say(
                lang,
                W::RemindOverdue,
                &[("n", notice.overdue.len().to_string())],
            );
            let rows = notice.overdue.iter().map(|(i, level)| {
                vec![
                    i.id.to_string(),
                    i.title.clone(),
                    i.owner.clone(),
                    Day(i.due_current).to_string(),
                    i.days_overdue(today).to_string(),
                    lang.t(level.word()).to_string(),
                ]
            });
            let columns = [
                W::HId,
                W::HTitle,
                W::HOwner,
                W::HDue,
                W::HDaysLate,
                W::HLevel,
            ];
            sections.push((heading, headers(&columns), rows.collect()));
        }
        if !notice.due_soon.is_empty() {
            let heading = say(
                lang,
                W::RemindDueSoon,
                &[
                    ("days", self.within.to_string()),
                    ("n", notice.due_soon.len().to_string()),
                ],
            );
            let rows = notice.due_soon.iter().map(|i| {
                vec![
                    i.id.to_string(),
                    i.title.clone(),
                    i.owner.clone(),
                    Day(i.due_current).to_string(),
                    days_left(i, today, lang),
                ]
            });
            let columns = [W::HId, W::HTitle, W::HOwner, W::HDue, W::HDaysLeft];
            sections.push((heading, headers(&columns), rows.collect()));
        }
        sections
    }

    /// The closing line: the counts, by level.
    fn totals(&self, notice: &Notice) -> String {
        let count = |level| {
            notice
                .overdue
                .iter()
                .filter(|(_, l)| *l == level)
                .count()
                .to_string()
        };
        say(
            self.lang,
            W::RemindTotals,
            &[
                ("overdue", notice.overdue.len().to_string()),
                ("reminder", count(Level::Reminder)),
                ("followup", count(Level::FollowUp)),
                ("escalation", count(Level::Escalation)),
                ("soon", notice.due_soon.len().to_string()),
            ],
        )
    }

    fn section(
        &self,
        out: &mut Vec<u8>,
        heading: &str,
        headers: &[&str],
        rows: Vec<Vec<String>>,
    ) -> Result<()> {
        if self.format == RemindFormat::Markdown {
            writeln!(out, "\n## {}\n", md(heading))?;
            writeln!(out, "| {} |", headers.join(" | "))?;
            writeln!(out, "|{}|", vec!["---"; headers.len()].join("|"))?;
            for row in rows {
                let cells: Vec<String> = row.iter().map(|c| md(c)).collect();
                writeln!(out, "| {} |", cells.join(" | "))?;
            }
            return Ok(());
        }
        writeln!(out, "\n{heading}")?;
        // The day counts (overdue, left) are the fifth column.
        let mut grid = Grid::new(headers, 0).right_align(&[4]);
        for row in &rows {
            let cells: Vec<&dyn std::fmt::Display> =
                row.iter().map(|c| c as &dyn std::fmt::Display).collect();
            grid.push(Urgency::None, &cells);
        }
        grid.print(out, Paint { on: false })
    }
}

/// A Markdown table cell or heading: its pipes escaped, on one line.
fn md(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_escalate_past_each_bound() {
        let levels = (7, 30);
        assert_eq!(Level::of(1, levels), Level::Reminder);
        assert_eq!(Level::of(7, levels), Level::Reminder);
        assert_eq!(Level::of(8, levels), Level::FollowUp);
        assert_eq!(Level::of(30, levels), Level::FollowUp);
        assert_eq!(Level::of(31, levels), Level::Escalation);
    }

    #[test]
    fn unit_names_become_file_names() {
        let dir = Path::new("out");
        let path = |unit| notice_path(dir, unit, RemindFormat::Markdown, Lang::Zh);
        assert_eq!(path("办公室"), dir.join("办公室.md"));
        assert_eq!(path("../etc"), dir.join("_etc.md"));
        assert_eq!(path(""), dir.join("（未填）.md"));
    }
}
