//! Where `verify`'s time goes, on a ledger the benchmark imported: reading
//! the history, hashing it, and the rest (parsing each payload, replaying
//! it into a scratch ledger, comparing the tables), each timed in this one
//! process over the same file.
//!
//!     bench-verify-parts LEDGER.db
//!
//! Prints one line per part: `read MS`, `hash MS`, `replay MS`, `total MS`.
//! `read` steps through every event in order and reads its columns;
//! `hash` is such a pass that also recomputes the chain (its time less
//! `read`; each is the best of three), which verify does on a second
//! thread alongside the rest; `replay` is the whole of
//! `rectify::ledger::verify` less `read`.

use std::path::Path;
use std::time::Instant;

use rectify::ledger::verify::{verify, Options};
use rectify::ledger::{chain_hash, EventFields, Ledger, EVENT_COLUMNS, GENESIS};

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: bench-verify-parts LEDGER.db");
        std::process::exit(2);
    };
    if let Err(err) = run(Path::new(&path)) {
        eprintln!("bench-verify-parts: {err}");
        std::process::exit(1);
    }
}

fn run(path: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let events =
        rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    // Best of three of each, interleaved, so that neither pass is the one
    // that warmed the caches.
    let (mut read, mut hashed) = (f64::MAX, f64::MAX);
    for _ in 0..3 {
        read = read.min(pass(&events, false)?);
        hashed = hashed.min(pass(&events, true)?);
    }
    drop(events);
    let ledger = Ledger::open_snapshot(path)?;
    let started = Instant::now();
    let report = verify(&ledger, &Options::default())?;
    let total = started.elapsed().as_secs_f64() * 1000.0;
    if !report.ok() {
        return Err("the ledger does not verify".into());
    }
    let hash = (hashed - read).max(0.0);
    println!("read {read:.0}");
    println!("hash {hash:.0}");
    println!("replay {:.0}", (total - read).max(0.0));
    println!("total {total:.0}");
    Ok(())
}

/// One pass over the history in order, reading every column the chain
/// covers, and with `hash` recomputing the chain as verify does.
fn pass(conn: &rusqlite::Connection, hash: bool) -> Result<f64, Box<dyn std::error::Error>> {
    let started = Instant::now();
    let mut stmt = conn.prepare(&format!("SELECT {EVENT_COLUMNS} FROM event ORDER BY seq"))?;
    let mut rows = stmt.query([])?;
    let mut prev = GENESIS.to_string();
    let mut bytes = 0usize;
    while let Some(row) = rows.next()? {
        let text = |i| row.get_ref(i).and_then(|v| Ok(v.as_str()?));
        let fields = EventFields {
            seq: row.get(0)?,
            recorded_at: text(1)?,
            actor: text(2)?,
            item: text(3)?,
            action: text(4)?,
            effective_on: text(5)?,
            payload: text(6)?,
        };
        bytes += fields.payload.len() + text(8)?.len();
        if hash {
            prev = chain_hash(&prev, &fields);
        }
    }
    // Keep the work from being optimised away.
    std::hint::black_box((prev, bytes));
    Ok(started.elapsed().as_secs_f64() * 1000.0)
}
