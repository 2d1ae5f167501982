//! rectify: a command-line ledger for rectification work (整改台账).
//!
//! The binary is a thin shell over this library: `cli` parses, `commands`
//! runs one subcommand each, `ledger` owns storage and the domain rules,
//! `report` computes the figures that go upward.

pub mod cli;
pub mod commands;
pub(crate) mod csvio;
pub(crate) mod dates;
pub mod error;
pub(crate) mod header_names;
pub mod help_zh;
pub mod ledger;
pub(crate) mod outfile;
pub mod output;
pub(crate) mod progress;
pub mod report;
pub mod wording;
pub mod words;
pub(crate) mod xlsxio;
