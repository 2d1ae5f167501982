//! Arbitrary bytes as a sheet to import: never a panic, and whatever the
//! import does (all or nothing), the ledger still verifies.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rectify::commands::import::{import, Options, SheetReader, Source};
use rectify::ledger::{verify::verify, Ledger, Stamp};

fuzz_target!(|data: &[u8]| {
    let mut ledger = Ledger::scratch().expect("in-memory ledger");
    let stamp = Stamp {
        today: chrono::NaiveDate::from_ymd_opt(2023, 7, 26).unwrap(),
        now: "2023-07-26T00:00:00Z".into(),
        actor: "fuzz".into(),
    };
    let source = Source::from_bytes(data, "fuzz.csv").expect("temp file");
    if let Ok(mut sheet) = SheetReader::prepare(source, &Options::default()) {
        let _ = import(&mut ledger, &stamp, &mut sheet, None, true, false);
    }
    let report = verify(&ledger, &Default::default()).expect("verify runs");
    assert!(report.ok(), "history and tables disagree after an import");
});
