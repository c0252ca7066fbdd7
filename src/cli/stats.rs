//! `framecoder stats PROJECT [--by document|speaker|coder|speaker:ATTR] [--format
//! text|csv] [filters]`: spans per label and document, speaker or coder,
//! printed to standard output for a terminal or a pipeline.

use super::Failure;
use super::export::FilterArgs;
use clap::{Args, ValueEnum};
use framecoder_core::analysis;
use framecoder_core::io;
use std::io::Write;
use std::path::PathBuf;

/// What counts as two labels going together.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum CooccurrenceArg {
    Overlap,
    Turn,
}

/// How the table is printed.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StatsFormat {
    /// Aligned columns for reading.
    #[default]
    Text,
    /// RFC 4180 CSV.
    Csv,
}

#[derive(Args, Debug, Clone)]
pub struct StatsArgs {
    /// The project file.
    pub project: PathBuf,
    /// Count per `document`, `speaker`, `coder` or `speaker:ATTRIBUTE` (the
    /// values of a speaker attribute, e.g. `speaker:role`).
    #[arg(long, value_parser = analysis::By::parse, default_value = "document")]
    pub by: analysis::By,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: StatsFormat,
    /// Instead of counts, a label × label table of how often two labels
    /// overlap in the text (`overlap`) or appear in the same speaker turn
    /// (`turn`); the diagonal holds each label's own count.
    #[arg(long, value_enum, value_name = "overlap|turn")]
    pub cooccurrence: Option<CooccurrenceArg>,
    #[command(flatten)]
    pub filter: FilterArgs,
}

pub fn run(args: &StatsArgs) -> Result<(), Failure> {
    let loaded = io::load(&args.project)?;
    // Repairs go to stderr: stdout is the table, perhaps piped into a file.
    for repair in &loaded.repairs {
        eprintln!("{}:{repair}", args.project.display());
    }
    if let Some(mode) = args.cooccurrence {
        let mode = match mode {
            CooccurrenceArg::Overlap => analysis::Cooccurs::Overlap,
            CooccurrenceArg::Turn => analysis::Cooccurs::Turn,
        };
        let table = analysis::cooccurrence(&loaded.project, &args.filter.filter(), mode)
            .map_err(|error| Failure(vec![format!("{}: {error}", args.project.display())]))?;
        let text = match args.format {
            StatsFormat::Text => table.to_text(),
            StatsFormat::Csv => table.to_csv(),
        };
        return write_out(&text);
    }
    let by = args.by.clone();
    let table = analysis::count_spans(&loaded.project, &args.filter.filter(), by)
        .map_err(|error| Failure(vec![format!("{}: {error}", args.project.display())]))?;
    let text = match args.format {
        StatsFormat::Text => table.to_text(),
        StatsFormat::Csv => table.to_csv(),
    };
    write_out(&text)
}

fn write_out(text: &str) -> Result<(), Failure> {
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
        .map_err(|error| Failure(vec![format!("standard output: {error}")]))
}
