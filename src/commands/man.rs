//! `rectify man`: roff pages from the same clap definitions as `--help`,
//! in the interface language (`rectify man --lang zh`).

use std::io::Write;
use std::path::Path;

use crate::error::{Error, Input, Result};
use crate::words::{say, Lang, W};

pub fn run(dir: Option<&Path>, lang: Lang, out: &mut dyn Write) -> Result<u8> {
    let mut cmd = crate::cli::whole_command();
    if lang == Lang::Zh {
        cmd = crate::help_zh::localize(cmd);
    }
    match dir {
        None => out.write_all(&page(cmd, lang)?.1)?,
        Some(dir) => {
            if !dir.is_dir() {
                return Err(Input::NotADirectory {
                    path: dir.to_path_buf(),
                }
                .into());
            }
            // As clap_mangen::generate_to does: one page per command.
            let mut cmd = cmd.disable_help_subcommand(true);
            cmd.build();
            write_pages(&cmd, lang, dir)?;
            let path = dir.display().to_string();
            writeln!(out, "{}", say(lang, W::SaidManWritten, &[("path", path)]))?;
        }
    }
    Ok(0)
}

fn write_pages(cmd: &clap::Command, lang: Lang, dir: &Path) -> Result<()> {
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        write_pages(sub, lang, dir)?;
    }
    let (name, roff) = page(cmd.clone(), lang)?;
    let path = dir.join(name);
    std::fs::write(&path, roff).map_err(|e| Error::io(&path, e))
}

/// One command's page: its file name and roff text.
fn page(cmd: clap::Command, lang: Lang) -> Result<(String, Vec<u8>)> {
    let man = clap_mangen::Man::new(cmd);
    let mut roff = Vec::new();
    man.render(&mut roff)?;
    if lang == Lang::Zh {
        roff = chinese_roff(&String::from_utf8_lossy(&roff)).into_bytes();
    }
    Ok((man.get_filename(), roff))
}

/// clap_mangen writes its own section names and notes in English; the
/// Chinese page gets them in Chinese.
fn chinese_roff(roff: &str) -> String {
    const SECTIONS: &[(&str, &str)] = &[
        ("NAME", "名称"),
        ("SYNOPSIS", "用法"),
        ("DESCRIPTION", "说明"),
        ("OPTIONS", "选项"),
        ("SUBCOMMANDS", "命令"),
        ("EXTRA", "示例"),
        ("VERSION", "版本"),
        ("AUTHORS", "作者"),
    ];
    let lines: Vec<String> = roff
        .lines()
        .map(|line| {
            let section = line
                .strip_prefix(".SH ")
                .and_then(|name| SECTIONS.iter().find(|(en, _)| *en == name));
            match section {
                Some((_, zh)) => format!(".SH {zh}"),
                None => line
                    .replace("\\fIPossible values:\\fR", "\\fI可选值：\\fR")
                    .replace("[default: ", "[默认："),
            }
        })
        .collect();
    let mut text = lines.join("\n");
    text.push('\n');
    crate::help_zh::chrome(&text)
}
