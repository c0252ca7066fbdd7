//! `framecoder agree PROJECT`: the agreement table, as text, JSON or CSV.

use super::Failure;
use framecoder_core::io;
use framecoder_core::io::export::Filter;
use framecoder_core::model::{CoderId, DocumentId, LabelId, Project};
use framecoder_core::review::agreement::{AgreementOptions, AgreementReport, Level, UnitKind, agreement};
use std::path::PathBuf;

/// Options of `framecoder agree`.
#[derive(clap::Args, Debug)]
pub struct AgreeArgs {
    /// The project file.
    project: PathBuf,
    /// Coders to compare, by name or id (default: every coder).
    #[arg(long, value_delimiter = ',')]
    coders: Vec<String>,
    /// Documents to include, by name or id (default: all).
    #[arg(long, value_delimiter = ',')]
    documents: Vec<String>,
    /// Labels to include, by name, path or id; a frame includes its claims
    /// (default: all).
    #[arg(long, value_delimiter = ',')]
    labels: Vec<String>,
    /// What one unit is: a character, a word token, a sentence, a
    /// non-blank line (paragraph) or a speaker turn's speech. A unit larger
    /// than a character is coded with a label when a span overlaps it.
    #[arg(long, value_enum, default_value_t = Unit::Char)]
    unit: Unit,
    /// Rows per label as coded, or per frame (a claim counts for its frame).
    #[arg(long, value_enum, default_value_t = LevelArg::Label)]
    level: LevelArg,
    /// Drop the text no coder coded.
    #[arg(long)]
    ignore_uncoded: bool,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
enum Unit {
    Char,
    Word,
    Sentence,
    Paragraph,
    Turn,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
enum LevelArg {
    Label,
    Frame,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
enum Format {
    Text,
    Json,
    Csv,
}

/// Resolves the names with the same rules as `export` (names or ids, any
/// case; a frame brings its claims; every unknown name reported).
fn resolve(project: &Project, args: &AgreeArgs, file: &str) -> Result<AgreementOptions, Failure> {
    let filter = Filter {
        coders: args.coders.clone(),
        labels: args.labels.clone(),
        documents: args.documents.clone(),
        ..Filter::default()
    };
    let selection = filter
        .resolve(project)
        .map_err(|error| Failure(vec![format!("{file}: {error}")]))?;
    let labels: Vec<LabelId> = project
        .labels
        .iter()
        .map(|l| l.id)
        .filter(|id| selection.includes_label(*id))
        .collect();
    let documents: Vec<DocumentId> = project
        .documents
        .iter()
        .map(|d| d.id)
        .filter(|id| selection.includes_document(*id))
        .collect();
    Ok(AgreementOptions {
        coders: project
            .coders
            .iter()
            .map(|c| c.id)
            .filter(|id| selection.includes_coder(*id))
            .collect::<Vec<CoderId>>(),
        documents: if args.documents.is_empty() {
            Vec::new()
        } else {
            documents
        },
        labels: if args.labels.is_empty() {
            Vec::new()
        } else {
            labels
        },
        unit: match args.unit {
            Unit::Char => UnitKind::Char,
            Unit::Word => UnitKind::Word,
            Unit::Sentence => UnitKind::Sentence,
            Unit::Paragraph => UnitKind::Paragraph,
            Unit::Turn => UnitKind::Turn,
        },
        level: match args.level {
            LevelArg::Label => Level::Label,
            LevelArg::Frame => Level::Frame,
        },
        ignore_uncoded: args.ignore_uncoded,
    })
}

pub fn run(args: &AgreeArgs) -> Result<(), Failure> {
    let file = args.project.display().to_string();
    let loaded = io::load(&args.project)?;
    let options = resolve(&loaded.project, args, &file)?;
    let report = agreement(&loaded.project, &options).map_err(|e| Failure(vec![format!("{file}: {e}")]))?;
    let output = match args.format {
        Format::Json => {
            serde_json::to_string_pretty(&report).map_err(|e| Failure(vec![e.to_string()]))? + "\n"
        }
        Format::Csv => to_csv(&report)?,
        Format::Text => to_text(&report),
    };
    print!("{output}");
    Ok(())
}

fn figure(value: Option<f64>) -> String {
    value.map_or_else(|| "—".to_owned(), |v| format!("{v:.3}"))
}

/// The figure columns of `agree`'s text and CSV, in order (JSON carries the
/// same fields by these names).
const FIGURES: [&str; 6] = ["kappa", "alpha", "fleiss_kappa", "ac1", "alpha_u", "percent"];

/// One row of the table: its name, its figures (in [`FIGURES`] order), units
/// and spans; the pooled row has no αU.
fn rows(report: &AgreementReport) -> Vec<(String, [Option<f64>; 6], u64, usize)> {
    let mut rows: Vec<_> = report
        .labels
        .iter()
        .map(|row| {
            (
                row.label.clone(),
                [
                    row.kappa,
                    row.alpha,
                    row.fleiss_kappa,
                    row.ac1,
                    row.alpha_u,
                    row.percent,
                ],
                row.units,
                row.spans,
            )
        })
        .collect();
    let pooled = |name: String, p: &framecoder_core::review::agreement::PooledAgreement, spans| {
        (
            name,
            [p.kappa, p.alpha, p.fleiss_kappa, p.ac1, None, p.percent],
            p.units,
            spans,
        )
    };
    rows.push(pooled(
        POOLED.to_owned(),
        &report.pooled,
        report.labels.iter().map(|l| l.spans).sum(),
    ));
    // Per speaker: the pooled figures over the units in their turns.
    for speaker in &report.speakers {
        rows.push(pooled(
            format!("speaker: {}", speaker.speaker),
            &speaker.pooled,
            0,
        ));
    }
    rows
}

/// The name of the pooled row (and its speaker rows have no αU either).
const POOLED: &str = "(pooled)";

fn to_text(report: &AgreementReport) -> String {
    let width = report
        .labels
        .iter()
        .map(|l| l.label.chars().count())
        .chain(report.speakers.iter().map(|s| s.speaker.chars().count() + 9))
        .max()
        .unwrap_or(0)
        .max(12);
    let mut out = format!(
        "coders: {}; unit: {:?}; level: {:?}\n{:width$}",
        report.coders.join(", "),
        report.unit,
        report.level,
        "label"
    );
    for name in FIGURES {
        out += &format!("  {name:>12}");
    }
    out += &format!("  {:>9}  {:>6}\n", "units", "spans");
    for (label, figures, units, spans) in rows(report) {
        out += &format!("{label:width$}");
        for (i, value) in figures.iter().enumerate() {
            // The pooled row has no αU: blank, not "—" (undefined).
            let cell = if (label == POOLED || label.starts_with("speaker: ")) && FIGURES[i] == "alpha_u" {
                String::new()
            } else {
                figure(*value)
            };
            out += &format!("  {cell:>12}");
        }
        out += &format!("  {units:>9}  {spans:>6}\n");
    }
    out
}

fn to_csv(report: &AgreementReport) -> Result<String, Failure> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let number = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
    let fail = |e: csv::Error| Failure(vec![e.to_string()]);
    let mut header = vec!["label"];
    header.extend(FIGURES);
    header.extend(["units", "spans"]);
    writer.write_record(&header).map_err(fail)?;
    for (label, figures, units, spans) in rows(report) {
        let mut record = vec![label];
        record.extend(figures.iter().map(|v| number(*v)));
        record.extend([units.to_string(), spans.to_string()]);
        writer.write_record(&record).map_err(fail)?;
    }
    let bytes = writer.into_inner().map_err(|e| Failure(vec![e.to_string()]))?;
    String::from_utf8(bytes).map_err(|e| Failure(vec![e.to_string()]))
}
