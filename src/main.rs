use std::io::{BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use rectify::cli::{Cli, ColorChoice};
use rectify::commands::{self, Context};
use rectify::error::{exit, Error, Input};
use rectify::ledger::Stamp;
use rectify::output::Paint;
use rectify::words::{Lang, W};

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let lang = interface_lang(&args);
    let cli = match parse(&args, lang) {
        Ok(cli) => cli,
        Err(err) => return usage_error(err, lang),
    };
    // Neither --lang nor RECTIFY_LANG: the office's language, recorded in
    // the ledger (`init --lang zh`), comes before the locale, so cron and
    // a bare shell speak it too. The command goes on with this connection.
    let explicit =
        cli.lang.is_some() || std::env::var_os("RECTIFY_LANG").is_some_and(|v| !v.is_empty());
    let peeked = match explicit {
        true => None,
        false => ledger_path(&cli)
            .ok()
            .and_then(|db| rectify::ledger::peek(&db)),
    };
    let lang = peeked
        .as_ref()
        .and_then(|peek| peek.language.as_deref())
        .and_then(Lang::parse)
        .unwrap_or(lang);
    match run(cli, lang, peeked) {
        Ok(code) => ExitCode::from(code),
        Err(err) if err.is_broken_pipe() => ExitCode::SUCCESS,
        Err(err) => {
            // The `error:`/`hint:` prefixes stay English in every language:
            // scripts look for them.
            eprintln!("error: {}", err.message_in(lang));
            if let Some(hint) = err.hint_in(lang) {
                eprintln!("hint: {hint}");
            }
            ExitCode::from(err.exit_code())
        }
    }
}

/// The interface language, known before parsing from `--lang` or the
/// environment, so `--help` and usage errors can speak it too.
fn interface_lang(args: &[std::ffi::OsString]) -> Lang {
    let flag = args
        .windows(2)
        .find_map(|w| (w[0] == "--lang").then(|| w[1].to_string_lossy().into_owned()));
    let flag = flag.or_else(|| {
        args.iter().find_map(|a| {
            a.to_str()
                .and_then(|a| a.strip_prefix("--lang="))
                .map(str::to_string)
        })
    });
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    Lang::resolve(flag.as_deref(), env)
}

/// Parse the command line; `--help` speaks the interface language.
fn parse(args: &[std::ffi::OsString], lang: Lang) -> Result<Cli, clap::Error> {
    use clap::{CommandFactory, FromArgMatches};
    let mut cmd = Cli::command();
    let matches = match cmd.try_get_matches_from_mut(args) {
        Ok(matches) => matches,
        // Help and usage errors show the tree's own words (about lines,
        // value names): in Chinese, they come from the Chinese tree, which
        // is made only then, since making it takes every subcommand's
        // arguments. A command line that parses parses the same on both.
        Err(_) if lang == Lang::Zh => {
            let mut zh = rectify::help_zh::localize(rectify::cli::whole_command());
            let parsed = zh.try_get_matches_from_mut(args);
            std::mem::forget(zh);
            parsed?
        }
        Err(err) => return Err(err),
    };
    let cli = Cli::from_arg_matches(&matches);
    // Freeing clap's tree took a tenth of a one-row `add` (callgrind) when
    // it held every subcommand's arguments; less now, but the process ends
    // soon and the OS takes the memory back whole.
    std::mem::forget(cmd);
    std::mem::forget(matches);
    cli
}

fn run(cli: Cli, lang: Lang, peeked: Option<rectify::ledger::Peek>) -> Result<u8, Error> {
    // Checked before any command, `man` and `completions` included.
    if let Some(flag) = &cli.lang {
        Lang::parse(flag).ok_or_else(|| Input::BadLang {
            value: flag.to_string(),
        })?;
    }
    let mut out = BufWriter::new(std::io::stdout().lock());
    if let Some(result) = commands::run_without_ledger(&cli.command, lang, &mut out) {
        let code = result?;
        out.flush()?;
        return Ok(code);
    }
    let ctx = context(&cli, lang, peeked)?;
    let result = commands::run(cli.command, &ctx, &mut out).and_then(|code| {
        out.flush()?;
        Ok(code)
    });
    match result {
        // The change is in the ledger: a script that saw a failure would
        // retry it and record it twice.
        Err(err) if ctx.committed.get() && !err.is_broken_pipe() => {
            eprintln!(
                "warning: {}: {}",
                lang.t(W::WarnRecordedNotPrinted),
                err.message_in(lang)
            );
            Ok(exit::OK)
        }
        other => other,
    }
}

/// The only place that reads the clock and the environment.
fn context(cli: &Cli, lang: Lang, peeked: Option<rectify::ledger::Peek>) -> Result<Context, Error> {
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let today = cli
        .today
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    // RECTIFY_NOW pins the recorded timestamp, as jj's JJ_TIMESTAMP does, so
    // tests and reproductions get the same history hashes.
    let now = match env("RECTIFY_NOW") {
        Some(text) => chrono::DateTime::parse_from_rfc3339(&text)
            .map_err(|_| Input::BadNow {
                value: text.to_string(),
            })?
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
        .or_else(|| env("LOGNAME"))
        .unwrap_or_else(account_id);
    let actor = actor.trim().to_string();
    if actor.is_empty()
        || actor.chars().count() > 100
        || actor
            .chars()
            .any(|c| c.is_control() || rectify::ledger::is_bidi_control(c))
    {
        return Err(Input::BadActor {
            name: actor.to_string(),
        }
        .into());
    }
    let db = ledger_path(cli)?;
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
        committed: std::cell::Cell::new(false),
        lang_flag: cli.lang.as_deref().and_then(Lang::parse),
        // Today's offset of the local zone (TZ), for the history's times.
        zone: cli
            .command
            .shows_event_times()
            .then(|| *chrono::Local::now().offset()),
        peeked: std::cell::RefCell::new(peeked),
    })
}

/// Who is acting when nothing names them (cron may set neither `USER` nor
/// `LOGNAME`): the account's number, which names the same person in any
/// language, rather than a word such as "unknown".
fn account_id() -> String {
    use std::os::unix::fs::MetadataExt;
    match std::fs::metadata("/proc/self") {
        Ok(meta) => format!("uid:{}", meta.uid()),
        Err(_) => "uid:?".to_string(),
    }
}

/// `--db`, else `RECTIFY_DB` (clap reads it), else the XDG data dir.
fn ledger_path(cli: &Cli) -> Result<PathBuf, Error> {
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    match &cli.db {
        Some(path) => Ok(path.clone()),
        None => default_db(env),
    }
}

fn default_db(env: impl Fn(&str) -> Option<String>) -> Result<PathBuf, Error> {
    if let Some(xdg) = env("XDG_DATA_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
    {
        return Ok(xdg.join("rectify").join("ledger.db"));
    }
    let home = env("HOME").ok_or(Input::NoHome)?;
    Ok(PathBuf::from(home).join(".local/share/rectify/ledger.db"))
}

/// The rectify error behind a clap value error, if a rectify parser made it.
fn ours(err: &clap::Error) -> Option<&Error> {
    std::error::Error::source(err).and_then(|e| e.downcast_ref::<Error>())
}

/// clap's own errors, reduced to the house format: one `error:` line and a hint.
fn usage_error(err: clap::Error, lang: Lang) -> ExitCode {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    // A value rectify's own parser refused (a date, an id): word it in the
    // interface language.
    if let (Lang::Zh, ErrorKind::ValueValidation, Some(e)) = (lang, err.kind(), ours(&err)) {
        let arg = match err.get(ContextKind::InvalidArg) {
            Some(ContextValue::String(arg)) => rectify::wording::arg_name(arg),
            _ => String::new(),
        };
        eprintln!("error: {arg}：{}", e.message_in(lang));
        let hint = e
            .hint_in(lang)
            .unwrap_or_else(|| rectify::wording::usage_hint(lang).into());
        eprintln!("hint: {hint}");
        return ExitCode::from(exit::USAGE);
    }
    match err.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            print_help(&err, lang, false);
            ExitCode::SUCCESS
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            print_help(&err, lang, true);
            ExitCode::from(exit::USAGE)
        }
        _ => {
            let line = rectify::wording::usage(&err, lang).unwrap_or_else(|| {
                // A kind not worded here: clap's own first line.
                let text = err.render().to_string();
                let first = text.lines().next().unwrap_or("error: invalid usage");
                first.strip_prefix("error: ").unwrap_or(first).to_string()
            });
            eprintln!("error: {line}");
            eprintln!("hint: {}", rectify::wording::usage_hint(lang));
            ExitCode::from(exit::USAGE)
        }
    }
}

/// Help as clap renders it; in Chinese, with clap's last English words
/// replaced (plain text then: the replacement cannot keep clap's styles).
fn print_help(err: &clap::Error, lang: Lang, to_stderr: bool) {
    if lang == Lang::En {
        let _ = err.print();
        return;
    }
    let text = rectify::help_zh::chrome(&err.render().to_string());
    let _ = if to_stderr {
        std::io::stderr().write_all(text.as_bytes())
    } else {
        std::io::stdout().write_all(text.as_bytes())
    };
}
