//! Links the `bxland` executable as a non-PIE binary on Linux.
//!
//! The program carries large tables of pointers (CSS browser data, time zones, rule
//! dictionaries); in a position-independent executable each of them is relocated at every
//! start, which costs about 10 ms of page faults before `main` — more than checking an event.
//! A fixed-address executable has them resolved at link time: `bxland --version` drops from
//! ~12 ms to ~2 ms (see docs/batch.md). The library and the tests are not affected.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && env == "gnu" {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
