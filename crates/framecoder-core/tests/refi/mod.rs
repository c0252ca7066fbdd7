//! Tests of REFI-QDA exchange (`framecoder_core::io::refi`): round
//! trips through `.qdpx`, `.qdc` and codebook CSV, schema validation of
//! everything written, files other tools write, and hostile archives.
//! The REFI schemas are copied under `tests/refi/schema/` so the tests stand alone;
//! schema checks need `xmllint` (Debian: libxml2-utils) and print a note
//! when it is missing.

mod codebook;
mod evidence;
mod exchange_prop;
mod foreign;
mod hostile;
mod roundtrip;
mod schema;
