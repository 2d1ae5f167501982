use std::io::Write;

use super::Context;
use crate::cli::{ItemFormat, VerifyArgs};
use crate::error::{exit, Result};
use crate::ledger::{verify, OpenMode};
use crate::output;

pub fn run(args: VerifyArgs, ctx: &Context, out: &mut dyn Write) -> Result<u8> {
    let ledger = ctx.open(OpenMode::Existing)?;
    let report = verify::verify(&ledger, args.late.map(i64::from))?;
    let code = if report.ok() {
        exit::OK
    } else {
        exit::TAMPERED
    };
    match args.format {
        ItemFormat::Json => output::print_json(
            out,
            &serde_json::json!({ "ok": report.ok(), "report": &report }),
        )?,
        ItemFormat::Table => {
            for problem in &report.problems {
                writeln!(out, "{problem}")?;
            }
            for late in &report.late {
                writeln!(
                    out,
                    "late: event {} {} {} claims {} but was recorded {} ({} days later)",
                    late.seq,
                    late.item,
                    late.action,
                    late.effective_on,
                    late.recorded_at,
                    late.days_late
                )?;
            }
            let verdict = if report.ok() { "ok" } else { "TAMPERED" };
            writeln!(
                out,
                "{verdict}: {} events, {} problems found; fingerprint {}",
                report.events,
                report.problems.len(),
                report.fingerprint
            )?;
        }
    }
    if !report.ok() {
        eprintln!(
            "error: the ledger does not match its history ({} problems)",
            report.problems.len()
        );
    }
    Ok(code)
}
