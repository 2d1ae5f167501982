use std::io::{BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

use rectify::cli::{Cli, ColorChoice};
use rectify::commands::{self, Context};
use rectify::error::{self, exit, Error};
use rectify::ledger::Stamp;
use rectify::output::Paint;
use rectify::words::Lang;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => return usage_error(err),
    };
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(err) if err.is_broken_pipe() => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {}", error::chain(&err));
            if let Some(hint) = err.hint() {
                eprintln!("hint: {hint}");
            }
            ExitCode::from(err.exit_code())
        }
    }
}

fn run(cli: Cli) -> Result<u8, Error> {
    let mut out = BufWriter::new(std::io::stdout().lock());
    if let Some(result) = commands::run_without_ledger(&cli.command, &mut out) {
        let code = result?;
        out.flush()?;
        return Ok(code);
    }
    let ctx = context(&cli)?;
    let code = commands::run(cli.command, &ctx, &mut out)?;
    out.flush()?;
    Ok(code)
}

/// The only place that reads the clock and the environment.
fn context(cli: &Cli) -> Result<Context, Error> {
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let today = cli
        .today
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    // RECTIFY_NOW pins the recorded timestamp, as jj's JJ_TIMESTAMP does, so
    // tests and reproductions get the same history hashes.
    let now = match env("RECTIFY_NOW") {
        Some(text) => chrono::DateTime::parse_from_rfc3339(&text)
            .map_err(|_| Error::invalid(format!("RECTIFY_NOW {text:?} is not an RFC 3339 time")))?
            .with_timezone(&chrono::Utc),
        None => chrono::Utc::now(),
    };
    let actor = cli
        .command
        .actor()
        .or(cli.by.as_deref())
        .map(str::to_string)
        .or_else(|| env("RECTIFY_USER"))
        .or_else(|| env("USER"))
        .unwrap_or_else(|| "unknown".to_string());
    let actor = actor.trim().to_string();
    if actor.is_empty() || actor.chars().count() > 100 || actor.chars().any(char::is_control) {
        return Err(Error::invalid(format!(
            "{actor:?} is not a usable name for --by (1-100 characters, no control characters)"
        )));
    }
    let lang = Lang::resolve(cli.lang.as_deref(), env);
    if let Some(flag) = &cli.lang {
        Lang::parse(flag)
            .ok_or_else(|| Error::invalid(format!("unknown language {flag:?}: use en or zh")))?;
    }
    let db = match &cli.db {
        Some(path) => path.clone(),
        None => default_db(env)?,
    };
    // Colour only where a person reads it: never in pipes, files or cron,
    // and never when NO_COLOR (https://no-color.org) is set to anything.
    let paint = Paint {
        on: match cli.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::io::stdout().is_terminal()
                    && env("NO_COLOR").is_none()
                    && env("TERM").as_deref() != Some("dumb")
            }
        },
    };
    Ok(Context {
        paint,
        progress: std::io::stderr().is_terminal(),
        db,
        stamp: Stamp {
            today,
            now: now.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
            actor,
        },
        lang,
    })
}

fn default_db(env: impl Fn(&str) -> Option<String>) -> Result<PathBuf, Error> {
    if let Some(xdg) = env("XDG_DATA_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
    {
        return Ok(xdg.join("rectify").join("ledger.db"));
    }
    let home = env("HOME").ok_or_else(|| {
        Error::invalid("cannot tell where the ledger is: HOME is not set")
            .with_hint("pass --db PATH or set RECTIFY_DB")
    })?;
    Ok(PathBuf::from(home).join(".local/share/rectify/ledger.db"))
}

/// clap's own errors, reduced to the house format: one `error:` line and a hint.
fn usage_error(err: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    match err.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = err.print();
            ExitCode::SUCCESS
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = err.print();
            ExitCode::from(exit::USAGE)
        }
        _ => {
            let text = err.render().to_string();
            let first = text.lines().next().unwrap_or("error: invalid usage");
            let first = first.strip_prefix("error: ").unwrap_or(first);
            eprintln!("error: {first}");
            eprintln!("hint: see `rectify --help`, or `rectify <command> --help`");
            ExitCode::from(exit::USAGE)
        }
    }
}
