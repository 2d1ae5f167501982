use std::io::Write;

use super::Context;
use crate::cli::{ItemFormat, VerifyArgs};
use crate::error::{exit, Result};
use crate::ledger::verify;
use crate::output;

pub fn run(args: VerifyArgs, ctx: &Context, out: &mut dyn Write) -> Result<u8> {
    let ledger = ctx.read()?;
    let options = verify::Options {
        late_days: args.late.map(i64::from),
        expect: args.expect,
    };
    let report = verify::verify(&ledger, &options)?;
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
            for back in &report.clock_back {
                writeln!(
                    out,
                    "clock: event {} {} {} was recorded {}, before the event ahead of it ({})",
                    back.seq, back.item, back.action, back.recorded_at, back.previous_recorded_at
                )?;
            }
            for found in report.expected.iter().filter(|e| e.seq.is_some()) {
                writeln!(
                    out,
                    "expected: {} is event {}",
                    found.fingerprint,
                    found.seq.unwrap_or_default()
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
