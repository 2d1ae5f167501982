//! `rectify completions SHELL`: a completion script on stdout.

use std::io::Write;

use crate::error::Result;

pub fn run(shell: clap_complete::Shell, out: &mut dyn Write) -> Result<u8> {
    let mut cmd = crate::cli::whole_command();
    // clap_complete panics on a write error (a closed pipe, say), so
    // generate in memory and write it ourselves.
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut cmd, "rectify", &mut script);
    out.write_all(&script)?;
    Ok(0)
}
