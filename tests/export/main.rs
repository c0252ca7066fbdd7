//! Exports of labelled spans through the public API and the CLI: the
//! quote/offset invariant on multi-byte text, filters, CSV/JSONL/HTML
//! details, statistics against independently counted numbers, and
//! `framecoder export` / `framecoder stats` as a user runs them.

mod cli;
mod fixtures;
mod html;
mod props;
#[path = "../common/run.rs"]
mod run;
mod stats;
mod tidy;
