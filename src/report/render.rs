//! Shaping report figures for people: tables, Markdown, CSV, prose.

use std::io::Write;

use super::docx::Doc;
use super::figures::ScopeCounts;
use super::{percent, CampaignReport, GroupBy, GroupRow, MonthReport, ReportFormat};
use crate::csvio;
use crate::error::{Error, Input, Result};
use crate::output;
use crate::words::{fill, Lang, W};

fn n(v: i64) -> String {
    v.to_string()
}

fn key_header(group: GroupBy) -> W {
    match group {
        GroupBy::Dept => W::HGroupDept,
        GroupBy::Owner => W::HGroupOwner,
        GroupBy::Source => W::HGroupSource,
        GroupBy::Scope => W::HGroupScope,
    }
}

fn group_headers(group: GroupBy, lang: Lang) -> Vec<&'static str> {
    [
        key_header(group),
        W::HTotal,
        W::HClosed,
        W::HOnTime,
        W::HLate,
        W::HOngoing,
        W::HOpen,
        W::HOverdue,
    ]
    .iter()
    .map(|w| lang.t(*w))
    .collect()
}

fn key_label(key: &str, group: GroupBy, lang: Lang) -> String {
    if key.is_empty() {
        return lang.t(W::Unassigned).to_string();
    }
    if group == GroupBy::Scope {
        if let Ok(scope) = key.parse::<crate::ledger::model::Scope>() {
            return scope.word(lang).to_string();
        }
    }
    key.to_string()
}

fn group_cells(row: &GroupRow, group: GroupBy, lang: Lang) -> Vec<String> {
    vec![
        key_label(&row.key, group, lang),
        n(row.total),
        n(row.closed),
        n(row.on_time),
        n(row.late),
        n(row.ongoing),
        n(row.open),
        n(row.overdue),
    ]
}

fn group_table(out: &mut dyn Write, rows: &[GroupRow], group: GroupBy, lang: Lang) -> Result<()> {
    let mut t = output::table(&group_headers(group, lang));
    for row in rows {
        t.add_row(group_cells(row, group, lang));
    }
    output::right_align(&mut t, &[1, 2, 3, 4, 5, 6, 7]);
    output::print_table(out, &t)
}

fn md_cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
}

fn md_table(
    out: &mut dyn Write,
    headers: &[&str],
    rows: &[Vec<String>],
    numeric_from: usize,
) -> Result<()> {
    let head: Vec<String> = headers.iter().map(|h| md_cell(h)).collect();
    writeln!(out, "| {} |", head.join(" | "))?;
    let rule: Vec<&str> = (0..headers.len())
        .map(|i| if i >= numeric_from { "---:" } else { "---" })
        .collect();
    writeln!(out, "|{}|", rule.join("|"))?;
    for row in rows {
        let cells: Vec<String> = row.iter().map(|c| md_cell(c)).collect();
        writeln!(out, "| {} |", cells.join(" | "))?;
    }
    Ok(())
}

fn md_group_table(
    out: &mut dyn Write,
    rows: &[GroupRow],
    group: GroupBy,
    lang: Lang,
) -> Result<()> {
    let cells: Vec<Vec<String>> = rows.iter().map(|g| group_cells(g, group, lang)).collect();
    md_table(out, &group_headers(group, lang), &cells, 1)
}

fn group_csv(
    out: &mut dyn Write,
    rows: &[GroupRow],
    group: GroupBy,
    lang: Lang,
    bom: bool,
) -> Result<()> {
    let mut w = csvio::writer(&mut *out, bom)?;
    w.write_record(group_headers(group, lang))
        .map_err(csv_error)?;
    for row in rows {
        let mut cells = group_cells(row, group, lang);
        cells[0] = csvio::defuse(&cells[0]).into_owned();
        w.write_record(&cells).map_err(csv_error)?;
    }
    w.flush()?;
    Ok(())
}

/// A report as CSV: one `metric,value` row per figure, keyed as the JSON
/// is (`problems.total`, `measures.on_time` …), the fingerprint last; then,
/// after one blank line, the department table.
fn summary_csv(out: &mut dyn Write, r: &impl Summary, lang: Lang) -> Result<()> {
    let json = serde_json::to_string(r).map_err(std::io::Error::from)?;
    let tree: Node = serde_json::from_str(&json).map_err(std::io::Error::from)?;
    let mut figures = Vec::new();
    tree.flatten("", &mut figures);
    let (fingerprint, figures): (Vec<_>, Vec<_>) = figures
        .into_iter()
        .partition(|(key, _)| key == "fingerprint");
    let mut w = csvio::writer(&mut *out, true)?;
    w.write_record([lang.t(W::CMetric), lang.t(W::CValue)])
        .map_err(csv_error)?;
    for (key, value) in figures.iter().chain(&fingerprint) {
        w.write_record([key.as_str(), &csvio::defuse(value)])
            .map_err(csv_error)?;
    }
    w.flush()?;
    drop(w);
    out.write_all(b"\r\n")?;
    group_csv(out, r.groups(), GroupBy::Dept, lang, false)
}

/// A JSON document read back in the order it was written (serde_json's
/// own map sorts its keys): the figures keep the report's order.
enum Node {
    Leaf(String),
    Object(Vec<(String, Node)>),
    /// Lists (the department table, the overdue list, the burndown) are
    /// not figures.
    List,
}

impl Node {
    fn flatten(&self, prefix: &str, out: &mut Vec<(String, String)>) {
        match self {
            Node::Leaf(value) => out.push((prefix.to_string(), value.clone())),
            Node::Object(fields) => {
                for (key, node) in fields {
                    let path = if prefix.is_empty() {
                        key.clone()
                    } else {
                        format!("{prefix}.{key}")
                    };
                    node.flatten(&path, out);
                }
            }
            Node::List => {}
        }
    }
}

impl<'de> serde::Deserialize<'de> for Node {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Node;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_bool<E>(self, v: bool) -> std::result::Result<Node, E> {
                Ok(Node::Leaf(v.to_string()))
            }
            fn visit_i64<E>(self, v: i64) -> std::result::Result<Node, E> {
                Ok(Node::Leaf(v.to_string()))
            }
            fn visit_u64<E>(self, v: u64) -> std::result::Result<Node, E> {
                Ok(Node::Leaf(v.to_string()))
            }
            fn visit_f64<E>(self, v: f64) -> std::result::Result<Node, E> {
                Ok(Node::Leaf(v.to_string()))
            }
            fn visit_str<E>(self, v: &str) -> std::result::Result<Node, E> {
                Ok(Node::Leaf(v.to_string()))
            }
            fn visit_unit<E>(self) -> std::result::Result<Node, E> {
                Ok(Node::Leaf(String::new()))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> std::result::Result<Node, A::Error> {
                while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
                Ok(Node::List)
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<Node, A::Error> {
                let mut fields = Vec::new();
                while let Some((key, node)) = map.next_entry::<String, Node>()? {
                    fields.push((key, node));
                }
                Ok(Node::Object(fields))
            }
        }
        d.deserialize_any(Visit)
    }
}

fn csv_error(err: csv::Error) -> Error {
    match err.into_kind() {
        csv::ErrorKind::Io(io) => io.into(),
        other => Input::Csv {
            why: format!("{other:?}"),
        }
        .into(),
    }
}

/// The problems by scope, with the unclassified ones where there are any,
/// so that the parts add up to the total; `long` for prose.
fn scopes(by: &ScopeCounts, long: bool, lang: Lang) -> String {
    let word = match (long, by.unscoped > 0) {
        (false, false) => W::ScopesShort,
        (false, true) => W::ScopesShortUnscoped,
        (true, false) => W::ScopesLong,
        (true, true) => W::ScopesLongUnscoped,
    };
    fill(
        lang.t(word),
        &[
            ("group", n(by.group)),
            ("individual", n(by.individual)),
            ("unscoped", n(by.unscoped)),
        ],
    )
}

fn campaign_lines(r: &CampaignReport, lang: Lang) -> Vec<String> {
    let p = &r.problems;
    let m = &r.measures;
    let verdict = if r.all_closed {
        lang.t(W::TVerdictYes).to_string()
    } else {
        fill(lang.t(W::TVerdictNo), &[("open", n(p.open))])
    };
    let mut lines = vec![
        fill(
            lang.t(W::TProblems),
            &[
                ("total", n(p.total)),
                ("scopes", scopes(&p.by_scope, false, lang)),
                ("closed", n(p.closed)),
                ("open", n(p.open)),
            ],
        ),
        fill(
            lang.t(W::TMeasures),
            &[
                ("total", n(m.total)),
                ("closed", n(m.closed)),
                ("on_time", n(m.on_time)),
                ("late", n(m.late)),
                ("ongoing", n(m.ongoing)),
                ("open", n(m.open)),
                ("overdue", n(m.overdue)),
                ("due_soon", n(m.due_soon)),
                ("extended", n(m.extended)),
            ],
        ),
        fill(
            lang.t(W::TRates),
            &[
                ("completion", percent(r.completion_rate)),
                ("on_time", percent(r.on_time_rate)),
            ],
        ),
    ];
    if m.accepted + m.awaiting_acceptance > 0 {
        lines.push(fill(
            lang.t(W::TAcceptance),
            &[
                ("closed", n(m.closed)),
                ("accepted", n(m.accepted)),
                ("awaiting", n(m.awaiting_acceptance)),
            ],
        ));
    }
    if p.awaiting_close_out > 0 {
        lines.push(fill(
            lang.t(W::TAwaitingCloseOut),
            &[("n", n(p.awaiting_close_out))],
        ));
    }
    if p.voided + m.voided > 0 {
        lines.push(fill(
            lang.t(W::TVoided),
            &[("problems", n(p.voided)), ("measures", n(m.voided))],
        ));
    }
    lines.extend([
        verdict,
        fill(
            lang.t(W::TAgeing),
            &[
                ("a", n(r.ageing["0-30"])),
                ("b", n(r.ageing["31-60"])),
                ("c", n(r.ageing["61-90"])),
                ("d", n(r.ageing["over-90"])),
            ],
        ),
    ]);
    lines
}

fn campaign_header(r: &CampaignReport, lang: Lang) -> String {
    let c = &r.campaign;
    fill(
        lang.t(W::THeader),
        &[
            ("name", c.name.clone()),
            ("code", c.code.clone()),
            ("start", c.start.to_string()),
            ("end", c.end.to_string()),
            ("day", n(r.day)),
            ("days", c.days.to_string()),
            ("as_of", r.as_of.to_string()),
        ],
    )
}

fn overdue_rows(r: &CampaignReport) -> Vec<Vec<String>> {
    r.overdue
        .iter()
        .map(|o| {
            vec![
                o.id.clone(),
                o.due.to_string(),
                n(o.days_overdue),
                o.owner.clone(),
                o.department.clone(),
                o.title.clone(),
            ]
        })
        .collect()
}

fn overdue_headers(lang: Lang) -> Vec<&'static str> {
    [
        W::HId,
        W::HDue,
        W::HDaysLate,
        W::HOwner,
        W::HDept,
        W::HTitle,
    ]
    .iter()
    .map(|w| lang.t(*w))
    .collect()
}

fn fingerprint(hash: &str, lang: Lang) -> String {
    fill(lang.t(W::TFingerprint), &[("hash", hash.to_string())])
}

/// The paragraph an office pastes into its written report.
pub fn campaign_text(r: &CampaignReport, lang: Lang) -> String {
    let p = &r.problems;
    let m = &r.measures;
    let finished = r.as_of >= r.campaign.end;
    let mut text = if finished {
        fill(
            lang.t(W::TTextLeadDone),
            &[("days", r.campaign.days.to_string())],
        )
    } else {
        fill(lang.t(W::TTextLeadRunning), &[("day", n(r.day))])
    };
    let accepting = m.accepted + m.awaiting_acceptance > 0;
    let body = if accepting {
        W::TTextBodyAccepted
    } else {
        W::TTextBody
    };
    text.push_str(&fill(
        lang.t(body),
        &[
            ("accepted", n(m.accepted)),
            ("awaiting", n(m.awaiting_acceptance)),
            ("problems", n(p.total)),
            ("scopes", scopes(&p.by_scope, true, lang)),
            ("measures", n(m.total)),
            ("closed", n(m.closed)),
            ("on_time", n(m.on_time)),
            ("rate", percent(r.completion_rate)),
        ],
    ));
    if m.ongoing > 0 {
        text.push_str(&fill(lang.t(W::TTextOngoing), &[("n", n(m.ongoing))]));
    }
    if m.open > 0 {
        text.push_str(&fill(lang.t(W::TTextOpen), &[("n", n(m.open))]));
        if m.overdue > 0 {
            text.push_str(&fill(lang.t(W::TTextOverdue), &[("n", n(m.overdue))]));
        }
    }
    if r.all_closed {
        text.push_str(lang.t(W::TTextAllClosed));
    } else {
        text.push_str(&fill(
            lang.t(W::TTextSomeOpen),
            &[("closed", n(p.closed)), ("open", n(p.open))],
        ));
        if p.awaiting_close_out > 0 {
            text.push_str(&fill(
                lang.t(W::TTextAwaitingCloseOut),
                &[("n", n(p.awaiting_close_out))],
            ));
        }
    }
    text
}

/// The footnote of a report whose figures judge corrected deadlines.
fn corrected_note(corrected: i64, lang: Lang) -> Option<String> {
    (corrected > 0).then(|| fill(lang.t(W::TCorrected), &[("n", n(corrected))]))
}

impl Summary for CampaignReport {
    fn groups(&self) -> &[GroupRow] {
        &self.by_department
    }

    fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    fn text(&self, lang: Lang) -> String {
        campaign_text(self, lang)
    }

    fn footnote(&self, lang: Lang) -> Option<String> {
        corrected_note(self.deadlines_corrected, lang)
    }

    fn document(&self, lang: Lang) -> Doc {
        let r = self;
        let mut doc = Doc::new(lang);
        // 关于主题教育检视问题整改情况的报告, not …整改整改情况….
        let title = if r.campaign.name.ends_with("整改") {
            W::DocCampaignTitleRectification
        } else {
            W::DocCampaignTitle
        };
        doc.title(&fill(lang.t(title), &[("name", r.campaign.name.clone())]));
        doc.subtitle(&fill(
            lang.t(W::DocAsOf),
            &[("date", long_date(r.as_of, lang))],
        ));
        doc.heading(lang.t(W::DocOverview));
        doc.paragraph(&campaign_text(r, lang));
        doc.heading(lang.t(W::DocFigures));
        for line in campaign_lines(r, lang) {
            doc.paragraph(&line);
        }
        doc.heading(lang.t(W::RByDept));
        dept_table(&mut doc, &r.by_department, lang);
        let count = [("n", n(r.overdue.len() as i64))];
        doc.heading(&fill(lang.t(W::DocOverdue), &count));
        if r.overdue.is_empty() {
            doc.paragraph(lang.t(W::RNone));
        } else {
            doc.table(
                &overdue_headers(lang),
                &overdue_rows(r),
                &[2],
                &[10, 14, 9, 10, 14, 33],
            );
        }
        doc
    }

    fn table(&self, out: &mut dyn Write, lang: Lang) -> Result<()> {
        let r = self;
        writeln!(out, "{}", campaign_header(r, lang))?;
        for line in campaign_lines(r, lang) {
            writeln!(out, "{line}")?;
        }
        if let Some(chart) = &r.burndown {
            let title = match chart.step() {
                1 => lang.t(W::RBurndown).to_string(),
                7 => lang.t(W::RBurndownWeek).to_string(),
                n => fill(lang.t(W::RBurndownEvery), &[("n", n.to_string())]),
            };
            writeln!(out, "\n{title}")?;
            for line in chart.render() {
                writeln!(out, "{line}")?;
            }
        }
        writeln!(out, "\n{}", lang.t(W::RByDept))?;
        group_table(out, &r.by_department, GroupBy::Dept, lang)?;
        writeln!(out, "\n{} ({})", lang.t(W::ROverdueList), r.overdue.len())?;
        if !r.overdue.is_empty() {
            let mut t = output::table(&overdue_headers(lang));
            for row in overdue_rows(r) {
                t.add_row(row);
            }
            output::right_align(&mut t, &[2]);
            output::print_table(out, &t)?;
        }
        Ok(())
    }

    fn markdown(&self, out: &mut dyn Write, lang: Lang) -> Result<()> {
        let r = self;
        writeln!(out, "# {}\n", md_cell(&campaign_header(r, lang)))?;
        for line in campaign_lines(r, lang) {
            writeln!(out, "- {}", md_cell(&line))?;
        }
        if let Some(chart) = &r.burndown {
            writeln!(out, "\n```text")?;
            for line in chart.render() {
                writeln!(out, "{line}")?;
            }
            writeln!(out, "```")?;
        }
        writeln!(out, "\n## {}\n", lang.t(W::RByDept))?;
        md_group_table(out, &r.by_department, GroupBy::Dept, lang)?;
        writeln!(
            out,
            "\n## {} ({})\n",
            lang.t(W::ROverdueList),
            r.overdue.len()
        )?;
        if r.overdue.is_empty() {
            writeln!(out, "{}", lang.t(W::RNone))?;
        } else {
            md_table(out, &overdue_headers(lang), &overdue_rows(r), 6)?;
        }
        Ok(())
    }
}

fn month_parts(r: &MonthReport) -> (String, String) {
    (
        r.first.format("%Y").to_string(),
        r.first.format("%-m").to_string(),
    )
}

pub fn month_text(r: &MonthReport, lang: Lang) -> String {
    let (year, month) = month_parts(r);
    let month = if lang == Lang::En {
        r.first.format("%m").to_string()
    } else {
        month
    };
    let mut text = fill(
        lang.t(W::TMonthText),
        &[
            ("year", year),
            ("month", month),
            ("raised", n(r.raised)),
            ("closed", n(r.closed)),
            ("on_time", n(r.closed_on_time)),
            ("late", n(r.closed_late)),
            ("extensions", n(r.extensions)),
            ("open", n(r.open_at_end)),
            ("overdue", n(r.overdue_at_end)),
            ("rate", percent(r.completion_rate)),
        ],
    );
    text.push_str(&fill(
        lang.t(W::TMonthTextProblems),
        &[
            ("raised", n(r.problems.raised)),
            ("closed", n(r.problems.closed_out)),
            ("open", n(r.problems.open_at_end)),
        ],
    ));
    text
}

/// The department table in a Word report: the name, then seven figures,
/// right-aligned.
fn dept_table(doc: &mut Doc, rows: &[GroupRow], lang: Lang) {
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|g| group_cells(g, GroupBy::Dept, lang))
        .collect();
    doc.table(
        &group_headers(GroupBy::Dept, lang),
        &cells,
        &[1, 2, 3, 4, 5, 6, 7],
        &[20, 10, 10, 10, 10, 10, 10, 10],
    );
}

/// A month as written in running text: `June`, or the `6` of `6月`.
fn month_name(day: chrono::NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::En => day.format("%B").to_string(),
        Lang::Zh => day.format("%-m").to_string(),
    }
}

/// `2023年7月26日`, `26 July 2023`.
pub fn long_date(day: chrono::NaiveDate, lang: Lang) -> String {
    fill(
        lang.t(W::DateLong),
        &[
            ("day", day.format("%-d").to_string()),
            ("month", month_name(day, lang)),
            ("year", day.format("%Y").to_string()),
        ],
    )
}

/// `2023年6月1日至6月30日`, `1–30 June 2023`.
fn period(r: &MonthReport, lang: Lang) -> String {
    fill(
        lang.t(W::TPeriod),
        &[
            ("first", r.first.format("%-d").to_string()),
            ("last", r.last.format("%-d").to_string()),
            ("month", month_name(r.first, lang)),
            ("year", r.first.format("%Y").to_string()),
        ],
    )
}

fn month_lines(r: &MonthReport, lang: Lang) -> Vec<(String, String)> {
    vec![
        (
            lang.t(W::RProblemsRaisedInMonth).to_string(),
            n(r.problems.raised),
        ),
        (
            lang.t(W::RProblemsClosedInMonth).to_string(),
            n(r.problems.closed_out),
        ),
        (
            lang.t(W::RProblemsOpenAtMonthEnd).to_string(),
            n(r.problems.open_at_end),
        ),
        (lang.t(W::RRaisedInMonth).to_string(), n(r.raised)),
        (
            lang.t(W::RClosedInMonth).to_string(),
            format!(
                "{} ({} {}, {} {})",
                r.closed,
                lang.t(W::ROnTime),
                r.closed_on_time,
                lang.t(W::RLate),
                r.closed_late
            ),
        ),
        (lang.t(W::RExtensionsInMonth).to_string(), n(r.extensions)),
        (
            lang.t(W::ROpenAtMonthEnd).to_string(),
            format!(
                "{} ({} {})",
                r.open_at_end,
                lang.t(W::Overdue),
                r.overdue_at_end
            ),
        ),
        (
            lang.t(W::RCumulativeRate).to_string(),
            percent(r.completion_rate),
        ),
    ]
}

fn month_header(r: &MonthReport, lang: Lang) -> String {
    let (year, month) = month_parts(r);
    let month = if lang == Lang::En {
        r.first.format("%m").to_string()
    } else {
        month
    };
    let mut header = fill(lang.t(W::TMonthHeader), &[("year", year), ("month", month)]);
    if let Some(code) = &r.campaign {
        header.push_str(&format!(" ({code})"));
    }
    header
}

impl Summary for MonthReport {
    fn groups(&self) -> &[GroupRow] {
        &self.by_department
    }

    fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    fn text(&self, lang: Lang) -> String {
        month_text(self, lang)
    }

    fn footnote(&self, lang: Lang) -> Option<String> {
        corrected_note(self.deadlines_corrected, lang)
    }

    fn document(&self, lang: Lang) -> Doc {
        let r = self;
        let mut doc = Doc::new(lang);
        doc.title(&month_header(r, lang));
        doc.subtitle(&period(r, lang));
        doc.heading(lang.t(W::DocOverview));
        doc.paragraph(&month_text(r, lang));
        doc.heading(lang.t(W::DocFigures));
        let colon = match lang {
            Lang::En => ": ",
            Lang::Zh => "：",
        };
        for (label, value) in month_lines(r, lang) {
            doc.paragraph(&format!("{label}{colon}{value}"));
        }
        doc.heading(lang.t(W::RByDeptCumulative));
        dept_table(&mut doc, &r.by_department, lang);
        doc
    }

    fn table(&self, out: &mut dyn Write, lang: Lang) -> Result<()> {
        let r = self;
        writeln!(out, "{}  {}\n", month_header(r, lang), period(r, lang))?;
        output::print_table(out, &output::key_value_table(month_lines(r, lang)))?;
        writeln!(out, "\n{}", lang.t(W::RByDeptCumulative))?;
        group_table(out, &r.by_department, GroupBy::Dept, lang)?;
        Ok(())
    }

    fn markdown(&self, out: &mut dyn Write, lang: Lang) -> Result<()> {
        let r = self;
        writeln!(out, "# {}\n", md_cell(&month_header(r, lang)))?;
        writeln!(out, "{}\n", period(r, lang))?;
        for (label, value) in month_lines(r, lang) {
            writeln!(out, "- {}: {}", md_cell(&label), md_cell(&value))?;
        }
        writeln!(out, "\n## {}\n", lang.t(W::RByDeptCumulative))?;
        md_group_table(out, &r.by_department, GroupBy::Dept, lang)?;
        Ok(())
    }
}

/// A campaign or monthly report: JSON as computed, the by-department CSV,
/// and table, Markdown and prose that all end with the fingerprint.
pub trait Summary: serde::Serialize {
    fn groups(&self) -> &[GroupRow];
    fn fingerprint(&self) -> &str;
    fn text(&self, lang: Lang) -> String;
    /// A note the figures need, printed above the fingerprint.
    fn footnote(&self, lang: Lang) -> Option<String>;
    /// The Word document, all but its footnote and fingerprint.
    fn document(&self, lang: Lang) -> Doc;
    fn table(&self, out: &mut dyn Write, lang: Lang) -> Result<()>;
    fn markdown(&self, out: &mut dyn Write, lang: Lang) -> Result<()>;
}

pub fn render(
    out: &mut dyn Write,
    r: &impl Summary,
    format: ReportFormat,
    lang: Lang,
) -> Result<()> {
    match format {
        ReportFormat::Json => return output::print_json(out, r),
        ReportFormat::Csv => return summary_csv(out, r, lang),
        ReportFormat::Docx => {
            let mut doc = r.document(lang);
            if let Some(note) = r.footnote(lang) {
                doc.paragraph(&note);
            }
            // Last, in small type: a printed page can be checked later
            // with `verify --expect`.
            doc.small(&fingerprint(r.fingerprint(), lang));
            // The zip writer needs to seek, which a pipe cannot.
            let mut bytes = std::io::Cursor::new(Vec::new());
            doc.save(&mut bytes)?;
            out.write_all(bytes.get_ref())?;
            return Ok(());
        }
        ReportFormat::Text => writeln!(out, "{}", r.text(lang))?,
        ReportFormat::Table => {
            r.table(out, lang)?;
            writeln!(out)?;
        }
        ReportFormat::Markdown => {
            r.markdown(out, lang)?;
            writeln!(out)?;
        }
    }
    if let Some(note) = r.footnote(lang) {
        writeln!(out, "{note}")?;
    }
    writeln!(out, "{}", fingerprint(r.fingerprint(), lang))?;
    Ok(())
}

pub fn render_by(
    out: &mut dyn Write,
    rows: &[GroupRow],
    group: GroupBy,
    format: ReportFormat,
    lang: Lang,
) -> Result<()> {
    match format {
        ReportFormat::Json => {
            let key = match group {
                GroupBy::Dept => "department",
                GroupBy::Owner => "owner",
                GroupBy::Source => "source",
                GroupBy::Scope => "scope",
            };
            let items: Vec<serde_json::Value> = rows
                .iter()
                .map(|r| {
                    let mut v = serde_json::to_value(r).unwrap_or_default();
                    if let Some(obj) = v.as_object_mut() {
                        let k = obj.remove("department").unwrap_or_default();
                        obj.insert(key.to_string(), k);
                    }
                    v
                })
                .collect();
            output::print_json(out, &items)
        }
        ReportFormat::Csv => group_csv(out, rows, group, lang, true),
        ReportFormat::Table => group_table(out, rows, group, lang),
        ReportFormat::Markdown => md_group_table(out, rows, group, lang),
        ReportFormat::Text | ReportFormat::Docx => Err(Input::NotForBy { format }.into()),
    }
}

/// A campaign report laid out for a spreadsheet's summary sheet: the
/// headline lines, the by-department table with numeric cells, and the
/// fingerprint.
pub struct SummarySheet {
    pub lines: Vec<String>,
    pub dept_title: &'static str,
    pub dept_headers: Vec<&'static str>,
    pub dept_rows: Vec<(String, [i64; 7])>,
    pub fingerprint: String,
}

pub fn summary_sheet(r: &CampaignReport, lang: Lang) -> SummarySheet {
    let mut lines = vec![campaign_header(r, lang)];
    lines.extend(campaign_lines(r, lang));
    lines.push(campaign_text(r, lang));
    lines.extend(corrected_note(r.deadlines_corrected, lang));
    SummarySheet {
        lines,
        dept_title: lang.t(W::RByDept),
        dept_headers: group_headers(GroupBy::Dept, lang),
        dept_rows: r
            .by_department
            .iter()
            .map(|g| {
                (
                    key_label(&g.key, GroupBy::Dept, lang),
                    [
                        g.total, g.closed, g.on_time, g.late, g.ongoing, g.open, g.overdue,
                    ],
                )
            })
            .collect(),
        fingerprint: fingerprint(&r.fingerprint, lang),
    }
}
