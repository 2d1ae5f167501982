//! The one integration-test binary: every test drives the real `rectify`
//! against a real SQLite file in its own temp dir.

mod harness;

mod fuzz;

mod bad_input;
mod core;
mod crash;
mod honest;
mod invariants;
mod office;
mod reports;
mod sheets;
mod shell;
mod snapshots;
mod storage;
mod trust;
mod workflow;
