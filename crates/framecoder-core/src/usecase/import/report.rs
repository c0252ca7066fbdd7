//! The speaker report of an imported transcript, and a preview that reads
//! a file without touching any project.
//!
//! A wrong speaker is the worst import error in framing research (it moves
//! a claim to another actor in every export), and it is silent by nature.
//! So every import says what was detected: the layout, the speakers and
//! their turn counts, the first turns, the share of the speech attributed
//! to a speaker, and each line that looks like a speaker label but opens
//! no turn. The CLI prints it after `import`; the GUI's import preview
//! shows the same data before anything is added.

use crate::io::import::{ImportError, import_file};
use crate::model::turns::{PassedOver, detect_with_report};
use crate::model::{Document, PatternError, SpeakerDetection};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// How many turns a report shows from the start of the document.
pub const FIRST_TURNS: usize = 5;

/// Longest excerpt of a turn's speech in a report, in chars.
const EXCERPT_CHARS: usize = 80;

/// One speaker and how many turns they have.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpeakerCount {
    pub speaker: String,
    pub turns: usize,
}

/// A turn as the report shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TurnPreview {
    /// 1-based line of the turn's label.
    pub line: usize,
    pub speaker: String,
    pub timestamp: Option<String>,
    /// The start of the speech, on one line, at most 80 chars.
    pub excerpt: String,
}

/// What speaker detection found in one document.
#[derive(Clone, Debug, PartialEq)]
pub struct SpeakerReport {
    pub detection: SpeakerDetection,
    /// The layout of most labels, described (`Name  0:03 header lines
    /// (Otter, Trint, Teams)`); `None` without turns.
    pub layout: Option<String>,
    pub turns: usize,
    /// In order of first appearance.
    pub speakers: Vec<SpeakerCount>,
    /// The first [`FIRST_TURNS`] turns.
    pub first_turns: Vec<TurnPreview>,
    /// Non-blank chars of the text outside speaker labels and furniture
    /// (headers, stage directions such as `(BEGIN VIDEOTAPE)`).
    pub speech_chars: usize,
    /// Of those, the chars inside a turn's speech.
    pub attributed_chars: usize,
    /// Lines that look like speaker labels but open no turn (at most 50).
    pub passed_over: Vec<PassedOver>,
    /// How many such lines there are in all.
    pub passed_over_total: usize,
}

impl SpeakerReport {
    /// The report of `document` as its own [`Document::speakers`] setting
    /// reads it. Linear in the text.
    pub fn of(document: &Document) -> Self {
        let text = &*document.text;
        let found = detect_with_report(text, &document.speakers);
        let structure = &found.structure;
        // In order of first appearance; the map keeps a file of many
        // distinct speakers linear.
        let mut speakers: Vec<SpeakerCount> = Vec::new();
        let mut index: HashMap<&str, usize> = HashMap::new();
        for turn in &structure.turns {
            match index.get(turn.speaker.as_str()) {
                Some(&at) => {
                    if let Some(count) = speakers.get_mut(at) {
                        count.turns += 1;
                    }
                }
                None => {
                    index.insert(&turn.speaker, speakers.len());
                    speakers.push(SpeakerCount {
                        speaker: turn.speaker.clone(),
                        turns: 1,
                    });
                }
            }
        }
        let first_turns = structure
            .turns
            .iter()
            .take(FIRST_TURNS)
            .map(|turn| TurnPreview {
                line: structure.paragraph_at(turn.range.start) + 1,
                speaker: turn.speaker.clone(),
                timestamp: turn.timestamp.clone(),
                excerpt: excerpt(text.get(turn.speech_start..turn.range.end).unwrap_or("")),
            })
            .collect();
        let visible = |range: std::ops::Range<usize>| {
            text.get(range)
                .map_or(0, |part| part.chars().filter(|c| !c.is_whitespace()).count())
        };
        let labels: usize = structure
            .turns
            .iter()
            .map(|turn| visible(turn.range.start..turn.speech_start))
            .sum();
        let attributed_chars = structure
            .turns
            .iter()
            .map(|turn| visible(turn.speech_start..turn.range.end))
            .sum();
        Self {
            detection: document.speakers.clone(),
            layout: found.layout.map(|layout| layout.describe().to_owned()),
            turns: structure.turns.len(),
            speakers,
            first_turns,
            speech_chars: visible(0..text.len()).saturating_sub(labels + found.furniture_chars),
            attributed_chars,
            passed_over: found.passed_over,
            passed_over_total: found.passed_over_total,
        }
    }

    /// The share of the speech attributed to a speaker, 0 to 1 (1 for a
    /// text without speech).
    pub fn attributed_share(&self) -> f64 {
        if self.speech_chars == 0 {
            1.0
        } else {
            self.attributed_chars as f64 / self.speech_chars as f64
        }
    }

    /// The report as a few lines of plain text, for the CLI.
    pub fn lines(&self) -> Vec<String> {
        let mut lines = Vec::new();
        let layout = self.layout.as_deref().unwrap_or("no speaker labels found");
        lines.push(format!(
            "speakers ({}): {layout}; {} turns, {:.0}% of the speech attributed",
            self.detection,
            self.turns,
            self.attributed_share() * 100.0
        ));
        if !self.speakers.is_empty() {
            let counts: Vec<String> = self
                .speakers
                .iter()
                .map(|s| format!("{} ({})", s.speaker, s.turns))
                .collect();
            lines.push(format!("  speakers: {}", counts.join(", ")));
        }
        for turn in &self.first_turns {
            let time = turn
                .timestamp
                .as_deref()
                .map(|t| format!(" [{t}]"))
                .unwrap_or_default();
            lines.push(format!(
                "  line {}: {}{time}: {}",
                turn.line, turn.speaker, turn.excerpt
            ));
        }
        if self.passed_over_total > 0 {
            lines.push(format!(
                "  {} line{} look like speaker labels but open no turn:",
                self.passed_over_total,
                if self.passed_over_total == 1 { "" } else { "s" }
            ));
            for line in &self.passed_over {
                lines.push(format!("    line {}: {}", line.line, excerpt(&line.text)));
            }
            if self.passed_over_total > self.passed_over.len() {
                lines.push(format!(
                    "    … and {} more",
                    self.passed_over_total - self.passed_over.len()
                ));
            }
        }
        lines
    }
}

/// The start of `text` on one line, at most [`EXCERPT_CHARS`] chars.
fn excerpt(text: &str) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() > EXCERPT_CHARS {
        let head: String = one_line.chars().take(EXCERPT_CHARS).collect();
        format!("{head}…")
    } else {
        one_line
    }
}

/// A transcript read for a preview: the document it would become, the
/// reader's notices and the speaker report. No project is touched.
#[derive(Debug)]
pub struct ImportPreview {
    pub path: PathBuf,
    pub document: Document,
    pub notices: Vec<String>,
    pub report: SpeakerReport,
}

/// Why a preview could not be made.
#[derive(Debug, thiserror::Error)]
pub enum PreviewError {
    #[error(transparent)]
    Pattern(#[from] PatternError),
    #[error(transparent)]
    Import(#[from] ImportError),
}

/// Reads the transcript at `path` with `speakers` and reports what an
/// import would give, without touching any project: for an import preview
/// where the researcher may try another detection before importing.
///
/// # Errors
///
/// [`PreviewError::Pattern`] for an invalid pattern (before the file is
/// read), [`PreviewError::Import`] when the file cannot be imported.
pub fn preview(path: &Path, speakers: &SpeakerDetection) -> Result<ImportPreview, PreviewError> {
    speakers.validate()?;
    let imported = import_file(path)?;
    let document = imported.document.with_speakers(speakers.clone());
    let report = SpeakerReport::of(&document);
    Ok(ImportPreview {
        path: path.to_owned(),
        document,
        notices: imported.notices,
        report,
    })
}
