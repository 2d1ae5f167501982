use std::io::Write;

use serde_json::json;

use super::Context;
use crate::cli::{ItemFormat, ShowArgs};
use crate::error::Result;
use crate::ledger::model::{Item, Kind, StatusFilter};
use crate::ledger::ItemFilter;
use crate::output::{self, ItemView};
use crate::words::W;

pub fn run(args: ShowArgs, ctx: &Context, out: &mut dyn Write) -> Result<u8> {
    let ledger = ctx.read()?;
    let today = ctx.today();
    let lang = ctx.lang;
    let id = ledger.resolve(&args.id)?;
    let item = ledger.item(id)?;
    // A voided problem shows the measures voided with it.
    let status = item.voided_on.map(|_| StatusFilter::Void);
    let measures = match id.kind {
        Kind::Problem => ledger.items(
            &ItemFilter {
                problem: Some(id),
                status,
                ..ItemFilter::default()
            },
            today,
        )?,
        Kind::Measure => Vec::new(),
    };
    let problem = item.problem.map(|p| ledger.item(p)).transpose()?;
    let history = ledger.events_of(id)?;

    if args.format == ItemFormat::Json {
        let measures: Vec<ItemView<'_>> =
            measures.iter().map(|m| ItemView::new(m, today)).collect();
        return output::print_json(
            out,
            &json!({
                "item": ItemView::new(&item, today),
                "problem": problem.as_ref().map(|p| ItemView::new(p, today)),
                "measures": measures,
                "history": history,
            }),
        )
        .map(|()| 0);
    }

    let mut rows = details(&item, problem.as_ref(), today, lang);
    if item.status != crate::ledger::model::Status::Closed {
        let blocking: Vec<String> = measures
            .iter()
            .filter(|m| m.blocks_close_out())
            .map(|m| m.id.to_string())
            .collect();
        rows.push((W::HBlocking, blocking.join(", ")));
    }
    let mut rows: Vec<(String, String)> = rows
        .into_iter()
        .filter(|(_, value)| !value.is_empty())
        .map(|(label, value)| (lang.t(label).to_string(), value))
        .collect();
    // The office's own columns, under its own headers.
    rows.extend(item.extra_fields());
    output::print_table(out, &output::key_value_table(rows))?;
    if id.kind == Kind::Problem {
        writeln!(out, "\n{} ({})", lang.t(W::HMeasuresOf), measures.len())?;
        if !measures.is_empty() {
            let mut grid = output::items_grid(lang);
            for m in &measures {
                output::push_item(&mut grid, m, today, lang);
            }
            grid.print(out, ctx.paint)?;
        }
    }
    writeln!(out, "\n{}", lang.t(W::HHistory))?;
    output::print_table(
        out,
        &output::events_table(&history, lang, false, ctx.zone()),
    )?;
    Ok(0)
}

fn details(
    item: &Item,
    problem: Option<&Item>,
    today: chrono::NaiveDate,
    lang: crate::words::Lang,
) -> Vec<(W, String)> {
    let due = match (item.due_original, item.due_current) {
        (Some(o), Some(c)) if o != c => format!("{c} ({}: {o})", lang.t(W::HDueOriginal)),
        (_, c) => output::date(c),
    };
    let mut status = item.status_word(today, lang).to_string();
    if item.is_overdue(today) {
        status = format!(
            "{status} ({} {})",
            item.days_overdue(today),
            lang.t(W::Days)
        );
    }
    let closed_on = match (item.closed_on, item.closed_on_time()) {
        (Some(on), Some(on_time)) => {
            let word = if on_time { W::ROnTime } else { W::RLate };
            format!("{on} ({})", lang.t(word))
        }
        (on, _) => on.map_or(String::new(), |d| d.to_string()),
    };
    vec![
        (W::HId, format!("{} ({})", item.id, item.uuid)),
        (W::HTitle, item.title.clone()),
        (
            W::HProblem,
            problem.map_or(String::new(), |p| format!("{} {}", p.id, p.title)),
        ),
        (W::HCampaign, item.campaign.clone().unwrap_or_default()),
        (
            W::HScope,
            item.scope
                .map_or(String::new(), |s| s.word(lang).to_string()),
        ),
        (W::HSource, item.source.clone()),
        (W::HSubject, item.subject.clone()),
        (
            W::HCause,
            if problem.is_none() {
                item.cause.clone()
            } else {
                String::new()
            },
        ),
        (W::HLeader, item.leader.clone()),
        (W::HDept, item.department.clone()),
        (W::HOwner, item.owner.clone()),
        (W::HRaised, item.raised_on.to_string()),
        (W::HDue, due),
        (W::HStatus, status),
        (W::HClosedOn, closed_on),
        (
            W::HAcceptedOn,
            item.accepted_on
                .map_or(String::new(), |on| format!("{on} {}", item.accepted_by)),
        ),
        (
            W::HVoidedOn,
            item.voided_on.map_or(String::new(), |on| on.to_string()),
        ),
        (W::HNote, item.close_note.clone()),
        (W::HEvidence, item.evidence.clone()),
        (W::HProgress, item.progress.clone()),
    ]
}
