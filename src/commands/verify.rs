use std::io::Write;

use super::Context;
use crate::cli::{ItemFormat, VerifyArgs};
use crate::error::{exit, Result};
use crate::ledger::verify;
use crate::output;
use crate::words::{say, W};

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
            for finding in &report.findings {
                writeln!(out, "{}", crate::wording::finding(finding, ctx.lang))?;
            }
            let lang = ctx.lang;
            for late in &report.late {
                let args = [
                    ("seq", late.seq.to_string()),
                    ("item", late.item.clone()),
                    ("action", late.action.clone()),
                    ("on", late.effective_on.to_string()),
                    ("at", late.recorded_at.clone()),
                    ("days", late.days_late.to_string()),
                ];
                writeln!(out, "{}", say(lang, W::VerifyLate, &args))?;
            }
            for back in &report.clock_back {
                let args = [
                    ("seq", back.seq.to_string()),
                    ("item", back.item.clone()),
                    ("action", back.action.clone()),
                    ("at", back.recorded_at.clone()),
                    ("previous", back.previous_recorded_at.clone()),
                ];
                writeln!(out, "{}", say(lang, W::VerifyClockBack, &args))?;
            }
            for found in &report.expected {
                if let Some(seq) = found.seq {
                    let args = [
                        ("hash", found.fingerprint.clone()),
                        ("seq", seq.to_string()),
                    ];
                    writeln!(out, "{}", say(lang, W::VerifyExpected, &args))?;
                }
            }
            let word = if report.ok() {
                W::VerifyOk
            } else {
                W::VerifyTampered
            };
            let args = [
                ("events", report.events.to_string()),
                ("found", report.findings.len().to_string()),
                ("hash", report.fingerprint.clone()),
            ];
            writeln!(out, "{}", say(lang, word, &args))?;
        }
    }
    if !report.ok() {
        let args = [("found", report.findings.len().to_string())];
        eprintln!("error: {}", say(ctx.lang, W::VerifyMismatch, &args));
    }
    Ok(code)
}
