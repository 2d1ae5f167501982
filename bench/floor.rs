//! The floor for `import`: the same final rows and events that rectify's
//! import wrote, written into a ledger with the same schema, indexes and
//! settings, by prepared INSERTs in one immediate transaction, with no
//! reads, no validation, no JSON and no hashing. What rectify's import
//! costs above this is the price of its checks and its history chain.
//!
//!     bench-floor DONE.db FRESH.db
//!
//! DONE.db is a ledger after `rectify import`; FRESH.db is a ledger in the
//! state that import started from (the same campaigns, nothing else). The
//! rows are loaded into memory first; only the writing is timed. Prints
//! the writing's wall time in microseconds on stdout.

use rusqlite::types::Value;
use rusqlite::{Connection, TransactionBehavior};
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [done, fresh] = args.as_slice() else {
        eprintln!("usage: bench-floor DONE.db FRESH.db");
        std::process::exit(2);
    };
    if let Err(err) = run(done, fresh) {
        eprintln!("bench-floor: {err}");
        std::process::exit(1);
    }
}

/// A table's rows beyond what FRESH.db already holds, as the statement
/// that writes them and their values.
struct Rows {
    insert: String,
    values: Vec<Vec<Value>>,
}

fn run(done: &str, fresh: &str) -> rusqlite::Result<()> {
    let source = Connection::open_with_flags(done, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let mut target =
        Connection::open_with_flags(fresh, rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE)?;
    // The settings rectify's import runs with (Ledger::open, widen_cache).
    target.query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0))?;
    target.pragma_update(None, "cache_size", -32768)?;

    // Events in seq order last, as rectify's rows and events interleave in
    // one transaction: each table's B-tree grows in key order either way.
    let mut tables = Vec::new();
    for (table, key) in [("problem", "id"), ("measure", "id"), ("event", "seq")] {
        let already: i64 = target.query_row(
            &format!("SELECT coalesce(max({key}), 0) FROM {table}"),
            [],
            |r| r.get(0),
        )?;
        tables.push(load(&source, table, key, already)?);
    }

    let started = Instant::now();
    let tx = target.transaction_with_behavior(TransactionBehavior::Immediate)?;
    for rows in &tables {
        let mut insert = tx.prepare(&rows.insert)?;
        for row in &rows.values {
            insert.execute(rusqlite::params_from_iter(row.iter()))?;
        }
    }
    tx.commit()?;
    drop(target);
    println!("{}", started.elapsed().as_micros());
    Ok(())
}

fn load(source: &Connection, table: &str, key: &str, after: i64) -> rusqlite::Result<Rows> {
    let mut select = source.prepare(&format!(
        "SELECT * FROM {table} WHERE {key} > ?1 ORDER BY {key}"
    ))?;
    let columns: Vec<String> = select
        .column_names()
        .iter()
        .map(|c| c.to_string())
        .collect();
    let width = columns.len();
    let values = select
        .query_map([after], |row| {
            (0..width)
                .map(|i| row.get::<_, Value>(i))
                .collect::<rusqlite::Result<Vec<_>>>()
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let marks: Vec<String> = (1..=width).map(|i| format!("?{i}")).collect();
    Ok(Rows {
        insert: format!(
            "INSERT INTO {table} ({}) VALUES ({})",
            columns.join(", "),
            marks.join(", ")
        ),
        values,
    })
}
