//! `framecoder export PROJECT --format csv|jsonl|xlsx|html -o OUT [filters]`:
//! the labelled spans as a tidy table (CSV, JSON lines, an Excel workbook)
//! or an HTML report, written atomically (a failed export never leaves
//! half a file behind). `turns-csv` and `turns-jsonl` write one row per
//! speaker turn instead (only `--document` applies). Formats are named,
//! never guessed from the output's extension, because `-o -` has none.
//!
//! `qdpx` writes a REFI-QDA project (the filters keep only the chosen
//! spans; `--offsets`, `--line-endings` suit the receiving tool), `qdc` the
//! codebook alone.

use super::Failure;
use clap::{Args, ValueEnum};
use framecoder_core::io::{self, export};
use framecoder_core::usecase::export::{overwrites_project, select_for_export};
use std::io::Write;
use std::path::PathBuf;

/// Which spans: repeat a flag for several names. Shared by `export` and
/// `stats`.
#[derive(Args, Debug, Clone, Default)]
pub struct FilterArgs {
    /// Only spans of this coder (name or id; repeatable).
    #[arg(long = "coder", value_name = "NAME")]
    pub coders: Vec<String>,
    /// Only spans of this label (name, `Frame > Claim` path or id;
    /// repeatable). A frame includes its claims.
    #[arg(long = "label", value_name = "NAME")]
    pub labels: Vec<String>,
    /// Only spans in this document (name or id; repeatable).
    #[arg(long = "document", value_name = "NAME")]
    pub documents: Vec<String>,
    /// Only spans in turns of this speaker (as shown, after renames;
    /// repeatable).
    #[arg(long = "speaker", value_name = "NAME")]
    pub speakers: Vec<String>,
    /// Only spans of speakers with this attribute value, e.g. `role=host`
    /// (repeatable: all must hold).
    #[arg(long = "speaker-attribute", value_name = "ATTRIBUTE=VALUE")]
    pub speaker_attributes: Vec<String>,
}

impl FilterArgs {
    pub fn filter(&self) -> export::Filter {
        export::Filter {
            coders: self.coders.clone(),
            labels: self.labels.clone(),
            documents: self.documents.clone(),
            speakers: self.speakers.clone(),
            speaker_attributes: self.speaker_attributes.clone(),
        }
    }
}

/// What `export` writes.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// One row per span (RFC 4180, UTF-8).
    Csv,
    /// One JSON object per span and line.
    Jsonl,
    /// An Excel workbook: sheet "Spans" (the CSV's columns), sheet "Codebook".
    Xlsx,
    /// A self-contained report to read or print.
    Html,
    /// One row per speaker turn (RFC 4180, UTF-8).
    TurnsCsv,
    /// One JSON object per speaker turn and line.
    TurnsJsonl,
    /// A REFI-QDA project for other QDA tools.
    Qdpx,
    /// The codebook alone, as REFI-QDA.
    Qdc,
}

/// How REFI-QDA positions count (qdpx only).
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Offsets {
    /// Unicode code points, as in the project file.
    Chars,
    /// UTF-16 code units, for tools that count that way.
    Utf16,
}

/// Line endings of exported transcripts (qdpx only).
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineEndings {
    Lf,
    Crlf,
}

#[derive(Args, Debug, Clone)]
pub struct ExportArgs {
    /// The project file.
    pub project: PathBuf,
    /// Output format.
    #[arg(long, value_enum)]
    pub format: ExportFormat,
    /// Output file (`-` for standard output).
    #[arg(short = 'o', long = "output", value_name = "OUT")]
    pub output: PathBuf,
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Start the CSV with a byte order mark, so Excel reads it as UTF-8.
    #[arg(long)]
    pub bom: bool,
    /// Prefix `'` to CSV cells starting with = + - @, tab or CR, so a
    /// spreadsheet never runs them as formulas. Changes those cells: for
    /// them `text[start:end] == quote` no longer holds.
    #[arg(long)]
    pub excel_safe: bool,
    /// Position unit in qdpx (default: chars).
    #[arg(long, value_enum, value_name = "UNIT")]
    pub offsets: Option<Offsets>,
    /// Line endings of transcripts in qdpx (default: lf).
    #[arg(long, value_enum, value_name = "EOL")]
    pub line_endings: Option<LineEndings>,
}

/// What a tidy export writes: spans or turns, in a format.
enum Tidy {
    Spans(export::SpanFormat),
    Turns(export::TurnFormat),
}

impl Tidy {
    fn write(
        &self,
        project: &framecoder_core::model::Project,
        filter: &export::Filter,
        out: &mut dyn Write,
    ) -> Result<export::Exported, export::ExportError> {
        match *self {
            Tidy::Spans(format) => export::write_spans(project, filter, format, out),
            Tidy::Turns(format) => export::write_turns(project, filter, format, out),
        }
    }

    fn noun(&self) -> &'static str {
        match self {
            Tidy::Spans(_) => "span(s)",
            Tidy::Turns(_) => "turn(s)",
        }
    }
}

pub fn run(args: &ExportArgs) -> Result<(), Failure> {
    let csv = export::CsvOptions {
        bom: args.bom,
        excel_safe: args.excel_safe,
    };
    let tidy = match args.format {
        ExportFormat::Csv => Tidy::Spans(export::SpanFormat::Csv(csv)),
        ExportFormat::Jsonl => Tidy::Spans(export::SpanFormat::Jsonl),
        ExportFormat::Xlsx => Tidy::Spans(export::SpanFormat::Xlsx),
        ExportFormat::Html => Tidy::Spans(export::SpanFormat::Html),
        ExportFormat::TurnsCsv => Tidy::Turns(export::TurnFormat::Csv(csv)),
        ExportFormat::TurnsJsonl => Tidy::Turns(export::TurnFormat::Jsonl),
        ExportFormat::Qdpx | ExportFormat::Qdc => return run_refi(args),
    };
    // Options of other formats are mistakes, not wishes to ignore.
    if args.offsets.is_some() || args.line_endings.is_some() {
        usage_error("--offsets and --line-endings apply to --format qdpx only");
    }
    let is_csv = matches!(args.format, ExportFormat::Csv | ExportFormat::TurnsCsv);
    if (args.bom || args.excel_safe) && !is_csv {
        usage_error("--bom and --excel-safe apply to --format csv and turns-csv only");
    }
    if matches!(tidy, Tidy::Turns(_)) && !(args.filter.coders.is_empty() && args.filter.labels.is_empty()) {
        usage_error("turns have no coder or label: --format turns-csv and turns-jsonl take --document only");
    }
    let to_stdout = args.output.as_os_str() == "-";
    if !to_stdout && overwrites_project(&args.project, &args.output) {
        return Err(Failure(vec![format!(
            "{}: is the project itself; choose another output file",
            args.output.display()
        )]));
    }
    let loaded = io::load(&args.project)?;
    for repair in &loaded.repairs {
        eprintln!("{}:{repair}", args.project.display());
    }
    let mut bytes = Vec::new();
    let exported = tidy
        .write(&loaded.project, &args.filter.filter(), &mut bytes)
        .map_err(|error| Failure(vec![format!("{}: {error}", args.project.display())]))?;
    let shown = if to_stdout {
        "standard output".to_owned()
    } else {
        args.output.display().to_string()
    };
    if to_stdout {
        let mut stdout = std::io::stdout().lock();
        stdout
            .write_all(&bytes)
            .and_then(|()| stdout.flush())
            .map_err(|error| Failure(vec![format!("{shown}: {error}")]))?;
    } else {
        io::write_atomic(&args.output, &bytes).map_err(|error| Failure(vec![format!("{shown}: {error}")]))?;
    }
    for notice in &exported.notices {
        eprintln!("{shown}: {notice}");
    }
    let summary = format!("{} {} written", exported.rows, tidy.noun());
    if to_stdout {
        // Standard output carries the export; the summary goes aside.
        eprintln!("{summary}");
    } else {
        println!("{shown}: {summary}");
    }
    Ok(())
}

/// `--format qdpx|qdc`: the REFI-QDA exchange files.
fn run_refi(args: &ExportArgs) -> Result<(), Failure> {
    if args.bom || args.excel_safe {
        usage_error("--bom and --excel-safe apply to --format csv and turns-csv only");
    }
    if args.format == ExportFormat::Qdc && (args.offsets.is_some() || args.line_endings.is_some()) {
        usage_error("--offsets and --line-endings apply to --format qdpx only");
    }
    if args.output.as_os_str() == "-" || overwrites_project(&args.project, &args.output) {
        return Err(Failure(vec![format!(
            "{}: choose an output file other than the project or standard output",
            args.output.display()
        )]));
    }
    let loaded = io::load(&args.project)?;
    let project = select_for_export(&loaded.project, &args.filter.filter())
        .map_err(|error| Failure(vec![format!("{}: {error}", args.project.display())]))?;
    let fail = |error: io::refi::RefiError| Failure(vec![error.to_string()]);
    match args.format {
        ExportFormat::Qdc => {
            io::refi::export_qdc(&project, &args.output).map_err(fail)?;
            println!(
                "{}: {} code(s) written",
                args.output.display(),
                project.labels.len()
            );
        }
        _ => {
            let options = io::refi::QdpxOptions {
                positions: match args.offsets {
                    Some(Offsets::Utf16) => io::refi::PositionUnit::Utf16,
                    _ => io::refi::PositionUnit::CodePoints,
                },
                crlf: args.line_endings == Some(LineEndings::Crlf),
            };
            io::refi::export_qdpx(&project, &options, &args.output).map_err(fail)?;
            println!(
                "{}: {} document(s), {} span(s) written",
                args.output.display(),
                project.documents.len(),
                project.annotations.len()
            );
        }
    }
    Ok(())
}

/// Reports a misuse of `export`'s options the way clap reports its own
/// (message, the subcommand's usage, exit 2).
fn usage_error(message: &str) -> ! {
    use clap::CommandFactory;
    let mut command = super::Cli::command();
    // Building fills in `framecoder export` as the name shown in the usage.
    command.build();
    match command.find_subcommand_mut("export") {
        Some(export) => export
            .error(clap::error::ErrorKind::ArgumentConflict, message)
            .exit(),
        None => command
            .error(clap::error::ErrorKind::ArgumentConflict, message)
            .exit(),
    }
}
