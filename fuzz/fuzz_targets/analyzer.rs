//! Arbitrary bytes in arbitrary chunkings through `ltv_lens::Analyzer`: see `../harness.rs` for the
//! input layout and the invariants checked.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../harness.rs"]
mod harness;

fuzz_target!(|data: &[u8]| harness::check(data));
