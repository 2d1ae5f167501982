//! Lays the functions that everyday commands run side by side in the
//! release binary: `link/hot-functions.txt` (written by
//! `link/hot-functions.sh`) goes to the linker as its symbol order.
//!
//! A command maps the code it runs as it starts. Spread over 8 MB, one
//! `add` mapped 4 MB of it; packed, a one-row write is 0.3-0.6 ms
//! quicker (README, "Speed").
//!
//! Only where the linker is known to be lld: x86_64 Linux with glibc,
//! where Rust links with its own rust-lld by default (1.90 on; rectify
//! needs 1.91), and nobody chose another linker. GNU ld would refuse
//! the option and fail the build, so anywhere else the binary is linked
//! in the default order.

use std::env;
use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=link/hot-functions.txt");
    println!("cargo:rerun-if-env-changed=RUSTC_LINKER");
    let var = |name: &str| env::var(name).unwrap_or_default();
    let lld_by_default = var("TARGET") == "x86_64-unknown-linux-gnu";
    let linker_chosen =
        env::var_os("RUSTC_LINKER").is_some() || var("CARGO_ENCODED_RUSTFLAGS").contains("linker");
    if var("PROFILE") != "release" || !lld_by_default || linker_chosen {
        return;
    }
    let list = Path::new(&var("CARGO_MANIFEST_DIR")).join("link/hot-functions.txt");
    let Some(list) = list.to_str().filter(|path| !path.contains(',')) else {
        return;
    };
    if !Path::new(list).is_file() {
        return;
    }
    println!("cargo:rustc-link-arg-bin=rectify=-Wl,--symbol-ordering-file={list}");
    // A name the code no longer has is skipped: a stale list costs speed,
    // never the build.
    println!("cargo:rustc-link-arg-bin=rectify=-Wl,--no-warn-symbol-ordering");
}
