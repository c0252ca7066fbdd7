//! Exports of labelled spans through the public API: the quote/offset
//! invariant on multi-byte text, filters, CSV/JSONL/HTML details, and
//! statistics against independently counted numbers. (`framecoder export`
//! and `framecoder stats` as a user runs them are the application's CLI
//! tests.)

mod html;
mod props;
mod stats;
mod tidy;
mod turns;
mod xlsx;
