//! `rectify man`: roff pages from the same clap definitions as `--help`.

use std::io::Write;
use std::path::Path;

use clap::CommandFactory;

use crate::cli::Cli;
use crate::error::{Error, Result};

pub fn run(dir: Option<&Path>, out: &mut dyn Write) -> Result<u8> {
    let cmd = Cli::command();
    match dir {
        None => clap_mangen::Man::new(cmd).render(out)?,
        Some(dir) => {
            if !dir.is_dir() {
                return Err(
                    Error::invalid(format!("{} is not a directory", dir.display()))
                        .with_hint("create it first, for example mkdir -p ~/.local/share/man/man1"),
                );
            }
            clap_mangen::generate_to(cmd, dir).map_err(|e| Error::io(dir, e))?;
            writeln!(out, "wrote man pages to {}", dir.display())?;
        }
    }
    Ok(0)
}
