//! A large generated project: one transcript of a million words, a codebook
//! of 3 frames × 4 claims, 3 coders and 20,000 annotations. Measures the
//! project file (serialise, save, load), document analysis and the GUI's
//! frame times (first frame, scrolling, a jump, coding a span), and prints
//! a table.
//!
//! `cargo bench --bench large_project`. Sizes can be changed for a quick
//! look: `FRAMECODER_BENCH_WORDS=100000 FRAMECODER_BENCH_ANNOTATIONS=2000`.
//!
//! Everything is deterministic (a small LCG) except the UUIDs and the
//! timestamps, which do not change any size or position.

use egui_kittest::Harness;
use framecoder::ui::commands::UiCommand;
use framecoder::ui::state::Intent;
use framecoder::ui::{AppOptions, FramecoderApp};
use framecoder_core::edit::ops;
use framecoder_core::io;
use framecoder_core::model::{
    AttributeDef, AttributeKind, Coder, CoderId, Color, Document, DocumentId, Label, LabelId, LabelKind,
    Project, SpanIndex, sha256_hex, text, turns,
};
use std::error::Error;
use std::hint::black_box;
use std::io::Write;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

type BenchResult<T> = Result<T, Box<dyn Error>>;

// ------------------------------------------------------------ generation

/// Knuth's MMIX LCG; the high bits are good enough for picking words.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    /// Uniform-ish in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn between(&mut self, low: usize, high: usize) -> usize {
        low + self.below(high - low + 1)
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

const WORDS: &[&str] = &[
    "the",
    "of",
    "and",
    "to",
    "a",
    "in",
    "that",
    "is",
    "was",
    "for",
    "on",
    "it",
    "with",
    "as",
    "they",
    "at",
    "be",
    "this",
    "have",
    "from",
    "or",
    "had",
    "by",
    "but",
    "not",
    "what",
    "all",
    "were",
    "we",
    "when",
    "there",
    "can",
    "an",
    "your",
    "which",
    "their",
    "said",
    "if",
    "do",
    "will",
    "each",
    "about",
    "how",
    "up",
    "out",
    "them",
    "then",
    "she",
    "many",
    "some",
    "so",
    "these",
    "would",
    "other",
    "into",
    "has",
    "more",
    "two",
    "like",
    "him",
    "see",
    "time",
    "could",
    "no",
    "make",
    "than",
    "first",
    "been",
    "people",
    "border",
    "caravan",
    "migrants",
    "families",
    "shelter",
    "asylum",
    "security",
    "threat",
    "administration",
    "Congress",
    "Mexico",
    "Washington",
    "officials",
    "volunteers",
    "children",
    "week",
    "crisis",
    "policy",
    "government",
    "president",
    "governor",
    "reporter",
    "question",
    "answer",
    "country",
    "money",
    "funding",
    "hearing",
    "committee",
    "colonel",
    "document",
    "memo",
    "weapons",
    "violence",
    "journey",
    "river",
    "desert",
    "bus",
    "train",
    "night",
    "morning",
    "numbers",
    "thousands",
    "hundreds",
    "nothing",
    "everything",
    "responsibility",
    "humanitarian",
    "enforcement",
    "agents",
    "court",
    "judge",
    "law",
    "rights",
    "claim",
    "evidence",
    "report",
    "statement",
    "interview",
    "radio",
    "television",
    "newspaper",
    "correspondent",
    "listeners",
    "audience",
    "story",
    "coverage",
    "frame",
    "little",
    "very",
    "really",
    "actually",
    "certainly",
    "perhaps",
    "never",
    "always",
    "again",
    "still",
    "already",
    "today",
    "yesterday",
    "tomorrow",
    "Tijuana",
    "Honduras",
    "Guatemala",
    "Salvador",
];

/// About one word in twenty is one of these.
const NON_ASCII: &[&str] = &[
    "señor",
    "café",
    "niño",
    "mañana",
    "Peña",
    "Martínez",
    "jalapeño",
    "naïve",
    "déjà",
    "Zürich",
    "garçon",
    "coöperate",
    "São",
    "Bogotá",
    "México",
    "¿qué?",
    "sí",
    "año",
    "über",
    "façade",
    "中文",
    "e\u{301}",
];

/// Not words (the word count skips them), but real transcripts have them.
const SYMBOLS: &[&str] = &["🌮", "🇲🇽", "👍🏽", "—", "…", "[crosstalk]", "(laughs)"];

/// A transcript of at least `target_words` words: `SPEAKER N: …` turns of
/// 40–200 words separated by blank lines, with a section header now and
/// then.
fn generate_text(rng: &mut Lcg, target_words: usize) -> String {
    let mut out = String::with_capacity(target_words * 7);
    out.push_str("=== Generated hearing transcript (framecoder benchmark) ===\n\n");
    let mut words = 0;
    let mut turn = 0usize;
    while words < target_words {
        if turn % 60 == 59 {
            out.push_str(&format!("=== Segment {} ===\n\n", turn / 60 + 1));
        }
        let speaker = 1 + rng.below(12);
        out.push_str(&format!("SPEAKER {speaker}: "));
        words += 2;
        let length = rng.between(40, 200);
        let mut capital = true;
        for i in 0..length {
            if i > 0 {
                out.push(' ');
            }
            let roll = rng.below(100);
            let word = if roll < 5 {
                NON_ASCII[rng.below(NON_ASCII.len())]
            } else if roll < 6 {
                SYMBOLS[rng.below(SYMBOLS.len())]
            } else {
                WORDS[rng.below(WORDS.len())]
            };
            if capital && let Some(first) = word.chars().next() {
                out.extend(first.to_uppercase());
                out.push_str(&word[first.len_utf8()..]);
            } else {
                out.push_str(word);
            }
            capital = false;
            if roll != 5 {
                words += 1;
            }
            match rng.below(100) {
                0..=6 => {
                    out.push('.');
                    capital = true;
                }
                7..=12 => out.push(','),
                13 => {
                    out.push('?');
                    capital = true;
                }
                _ => {}
            }
        }
        if !out.ends_with(['.', '?']) {
            out.push('.');
        }
        out.push_str("\n\n");
        turn += 1;
    }
    out
}

fn label(name: &str, kind: LabelKind, parent: Option<LabelId>, n: usize, key: char) -> Label {
    Label {
        id: LabelId::new(),
        name: name.to_owned(),
        kind,
        color: Color::palette(n),
        parent,
        description: format!("{kind} used by the benchmark"),
        key: Some(key),
    }
}

/// Byte offsets (relative to `text`) where words start.
fn word_starts(text: &str) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut previous_space = true;
    for (i, c) in text.char_indices() {
        if previous_space && c != ' ' {
            starts.push(i);
        }
        previous_space = c == ' ';
    }
    starts
}

/// The project: the document, codebook, coders and `annotations` spans
/// spread evenly (with jitter) over the text, each 2–40 words inside one
/// paragraph, on word (so char) boundaries.
fn generate_project(rng: &mut Lcg, document: Document, annotations: usize) -> BenchResult<Project> {
    let mut project = Project::new("Benchmark: a million words");
    project.memo = "Generated by benches/large_project.rs".into();
    let mut n = 0;
    let keys = [
        '1', '2', '3', 'q', 'w', 'e', 'r', 'a', 's', 'd', 'f', 'z', 'x', 'c', 'v',
    ];
    let mut claims = Vec::new();
    for frame_name in [
        "Security threat",
        "Humanitarian crisis",
        "Blame and responsibility",
    ] {
        let frame = label(frame_name, LabelKind::Frame, None, n, keys[n]);
        n += 1;
        let frame_id = frame.id;
        project.labels.push(frame);
        for claim in 1..=4 {
            let claim = label(
                &format!("{frame_name}: claim {claim}"),
                LabelKind::Claim,
                Some(frame_id),
                n,
                keys[n],
            );
            n += 1;
            claims.push(claim.id);
            project.labels.push(claim);
        }
    }
    let frames: Vec<LabelId> = project
        .labels
        .iter()
        .filter(|l| l.kind == LabelKind::Frame)
        .map(|l| l.id)
        .collect();
    for name in ["Ana", "Ben", "Bench"] {
        project.coders.push(Coder {
            id: CoderId::new(),
            name: name.to_owned(),
        });
    }
    let coders: Vec<CoderId> = project.coders.iter().map(|c| c.id).collect();
    project.attributes.push(AttributeDef {
        name: "source".into(),
        kind: AttributeKind::Text,
    });
    project.attributes.push(AttributeDef {
        name: "stance".into(),
        kind: AttributeKind::Choice(vec!["endorse".into(), "contest".into(), "neutral".into()]),
    });
    let document_id = document.id;
    let text = document.text.clone();
    let structure = document.structure.clone();
    project.documents.push(document);

    let step = text.len() / annotations.max(1);
    for i in 0..annotations {
        let target = (i * step + rng.below(step.max(1))).min(text.len().saturating_sub(1));
        let mut paragraph = structure.paragraph_at(target);
        // Skip blank lines and headers to the next real paragraph.
        while paragraph + 1 < structure.paragraphs.len() && structure.paragraphs[paragraph].range.len() < 80 {
            paragraph += 1;
        }
        let range = structure.paragraphs[paragraph].range.clone();
        let line = &text[range.clone()];
        let starts = word_starts(line);
        if starts.len() < 4 {
            continue;
        }
        let local = target.saturating_sub(range.start);
        let first = starts
            .iter()
            .position(|&s| s >= local)
            .unwrap_or(starts.len() - 3)
            .min(starts.len() - 3);
        let count = rng.between(2, 40);
        let end = match starts.get(first + count) {
            Some(&next) => line[..next].trim_end().len(),
            None => line.len(),
        };
        let span: Range<usize> = range.start + starts[first]..range.start + end;
        let label = if rng.chance(20) {
            frames[rng.below(frames.len())]
        } else {
            claims[rng.below(claims.len())]
        };
        let coder = coders[rng.below(coders.len())];
        let Some(mut annotation) = ops::new_annotation(&project, document_id, label, coder, span) else {
            return Err(format!("annotation {i} is not on char boundaries").into());
        };
        if rng.chance(10) {
            annotation.memo = "Check against the video: tone suggests irony.".into();
        }
        if rng.chance(25) {
            let stance = ["endorse", "contest", "neutral"][rng.below(3)];
            annotation.attributes.insert("stance".into(), stance.into());
            annotation
                .attributes
                .insert("source".into(), format!("SPEAKER {}", 1 + rng.below(12)));
        }
        project.annotations.insert(annotation.id, annotation);
    }
    Ok(project)
}

// --------------------------------------------------------------- timing

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    match values.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

/// Median wall time of `runs` calls, in ms.
fn median_of<T>(runs: usize, mut f: impl FnMut() -> T) -> f64 {
    median(
        (0..runs)
            .map(|_| {
                let start = Instant::now();
                black_box(f());
                ms(start.elapsed())
            })
            .collect(),
    )
}

fn time<T>(f: impl FnOnce() -> T) -> (T, f64) {
    let start = Instant::now();
    let value = f();
    (value, ms(start.elapsed()))
}

/// Prints the table as it grows, so a slow step shows where it is.
struct Table;

impl Table {
    fn header() {
        println!("{:<60} {:>10}  context", "operation", "time (ms)");
        println!("{}", "-".repeat(120));
    }

    fn row(operation: &str, millis: f64, context: impl AsRef<str>) {
        println!("{operation:<60} {millis:>10.2}  {}", context.as_ref());
        let _ = std::io::stdout().flush();
    }
}

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(default)
}

fn mb(bytes: usize) -> String {
    format!("{:.1} MB", bytes as f64 / 1_000_000.0)
}

// ------------------------------------------------------------------ GUI

type App<'a> = Harness<'a, FramecoderApp>;

const WIDTH: f32 = 1280.0;
const HEIGHT: f32 = 800.0;
/// Over the transcript (left panel ~270 px, right panel ~380 px).
const CENTRE: egui::Pos2 = egui::pos2(640.0, 400.0);
/// Near the top of the transcript, below the menu bar.
const TOP: egui::Pos2 = egui::pos2(640.0, 60.0);

fn wheel(delta_y: f32, phase: egui::TouchPhase) -> egui::Event {
    egui::Event::MouseWheel {
        unit: egui::MouseWheelUnit::Point,
        delta: egui::vec2(0.0, delta_y),
        phase,
        source: egui::MouseWheelSource::Unknown,
        modifiers: egui::Modifiers::default(),
    }
}

/// Runs one frame, returning its wall time in ms.
fn step(harness: &mut App<'_>) -> f64 {
    let start = Instant::now();
    harness.step();
    ms(start.elapsed())
}

/// Whether the last frame asked for another one right away.
fn wants_repaint(harness: &App<'_>) -> bool {
    harness
        .output()
        .viewport_output
        .get(&egui::ViewportId::ROOT)
        .is_some_and(|v| v.repaint_delay == Duration::ZERO)
}

/// Steps until no immediate repaint is wanted (at most `max` frames);
/// returns the frame times.
fn settle(harness: &mut App<'_>, max: usize) -> Vec<f64> {
    let mut times = Vec::new();
    while times.len() < max {
        times.push(step(harness));
        if !wants_repaint(harness) {
            break;
        }
    }
    times
}

fn offset_at(harness: &App<'_>, pos: egui::Pos2) -> Option<usize> {
    harness.state().transcript().offset_at(pos)
}

fn percent(offset: Option<usize>, len: usize) -> String {
    offset.map_or_else(
        || "?".to_owned(),
        |o| format!("{:.1}%", o as f64 * 100.0 / len.max(1) as f64),
    )
}

/// How many spans the GUI part codes (and then undoes and redoes).
const CODINGS: usize = 5;

fn gui(project_path: &Path, scratch: &Path, text_len: usize) -> BenchResult<()> {
    let options = AppOptions {
        project: Some(project_path.to_path_buf()),
        prefs: framecoder::ui::app::Prefs {
            coder_name: Some("Bench".into()),
            launched_before: true,
            ..Default::default()
        },
        scratch_dir: Some(scratch.to_path_buf()),
        autosave_every: framecoder::ui::app::AUTOSAVE_INTERVAL,
    };
    let mut new_ms = 0.0;
    let (mut harness, build_ms) = time(|| {
        Harness::builder()
            .with_size(egui::vec2(WIDTH, HEIGHT))
            .with_step_dt(1.0 / 60.0)
            .with_accessibility_check(false)
            // The generated text may hold characters no bundled font has.
            .allow_missing_glyphs()
            .with_max_steps(0)
            .build_eframe(|cc| {
                // The project opens on a worker; the row measures until it is in.
                let (app, took) = time(|| {
                    let mut app = FramecoderApp::new(&cc.egui_ctx, options);
                    app.finish_background_work();
                    app
                });
                new_ms = took;
                app
            })
    });
    let problems = harness.state().problems().len();
    let annotations = harness.state().workspace().project().annotations.len();
    if annotations == 0 || problems > 0 {
        return Err(format!(
            "the app did not open the project cleanly: {:?}",
            harness.state().problems()
        )
        .into());
    }
    Table::row(
        "GUI: FramecoderApp::new (io::load on a worker + index)",
        new_ms,
        format!("{annotations} annotations, 0 problems"),
    );
    Table::row(
        "GUI: build_eframe (new + 2 frames: fonts, layout)",
        build_ms,
        format!("{WIDTH}×{HEIGHT}, kittest AccessKit tree included"),
    );
    let first = step(&mut harness);
    Table::row("GUI: first frame after build", first, "step()");
    let settling = settle(&mut harness, 20);
    let idle: Vec<f64> = (0..20).map(|_| step(&mut harness)).collect();
    let idle_ms = median(idle.clone());
    Table::row(
        "GUI: idle frame (median of 20)",
        idle_ms,
        format!(
            "max {:.2} ms; {} frame(s) to settle before",
            idle.iter().copied().fold(0.0, f64::max),
            settling.len()
        ),
    );

    // Scroll with the wheel, one event per frame.
    harness.hover_at(CENTRE);
    harness.step();
    let before = offset_at(&harness, TOP);
    let scroll_frames = 50;
    let scroll_step = 400.0;
    let mut scroll_times = Vec::with_capacity(scroll_frames);
    for _ in 0..scroll_frames {
        harness.event(wheel(-scroll_step, egui::TouchPhase::Move));
        scroll_times.push(step(&mut harness));
    }
    let tail = settle(&mut harness, 60);
    let after = offset_at(&harness, TOP);
    let worst = scroll_times.iter().copied().fold(0.0, f64::max);
    let over_16 = scroll_times.iter().filter(|&&t| t > 16.7).count();
    Table::row(
        "GUI: frame while wheel-scrolling (median of 50)",
        median(scroll_times),
        format!(
            "max {worst:.2} ms, {over_16} over 16.7 ms; top {} → {}",
            percent(before, text_len),
            percent(after, text_len)
        ),
    );
    Table::row(
        "GUI: frames after the last wheel event (median)",
        median(tail.clone()),
        format!("{} frames until the smoothed scroll stopped", tail.len()),
    );

    // Jump to the middle: one huge trackpad-style delta, calibrated from
    // how far the wheel scrolling went.
    let scrolled_px = scroll_frames as f32 * scroll_step;
    let (Some(before), Some(after)) = (before, after) else {
        return Err("no text under the pointer; is the transcript visible?".into());
    };
    let bytes_per_px = (after.saturating_sub(before)) as f32 / scrolled_px;
    if bytes_per_px <= 0.0 {
        return Err("wheel scrolling did not move the transcript".into());
    }
    let jump_px = (text_len / 2).saturating_sub(after) as f32 / bytes_per_px;
    // A trackpad-style gesture applies the delta at once (no smoothing).
    harness.event(wheel(0.0, egui::TouchPhase::Start));
    harness.step();
    harness.event(wheel(-jump_px, egui::TouchPhase::Move));
    let jump_ms = step(&mut harness);
    harness.event(wheel(0.0, egui::TouchPhase::End));
    let jump_settle = settle(&mut harness, 30);
    let mut landed = offset_at(&harness, TOP);
    // Heights of paragraphs never laid out are estimates, so the first
    // jump lands near, not at, the middle; correct it (untimed).
    let first_landing = landed;
    for _ in 0..2 {
        let Some(now) = landed else { break };
        let moved = now.saturating_sub(after) as f32;
        if moved <= 0.0 {
            break;
        }
        let error = text_len as f32 / 2.0 - now as f32;
        if error.abs() < text_len as f32 * 0.01 {
            break;
        }
        let correction = error / (moved / jump_px);
        harness.event(wheel(0.0, egui::TouchPhase::Start));
        harness.event(wheel(-correction, egui::TouchPhase::Move));
        harness.event(wheel(0.0, egui::TouchPhase::End));
        harness.step();
        settle(&mut harness, 30);
        landed = offset_at(&harness, TOP);
    }
    Table::row(
        "GUI: jump to the middle (the frame of one huge delta)",
        jump_ms,
        format!(
            "{:.0} px; landed at {} (corrected to {}); then {} frame(s), {:.2} ms, to settle",
            jump_px,
            percent(first_landing, text_len),
            percent(landed, text_len),
            jump_settle.len(),
            jump_settle.iter().sum::<f64>()
        ),
    );
    let idle_middle: Vec<f64> = (0..20).map(|_| step(&mut harness)).collect();
    let idle_middle_ms = median(idle_middle);
    Table::row(
        "GUI: idle frame in the middle (median of 20)",
        idle_middle_ms,
        "where the coding below happens; more spans on screen in a denser project",
    );

    // Code a few spans near the centre, as a label key would: each is
    // handled, then the next frame draws it (table rows, lanes, counts).
    let Some(offset) = offset_at(&harness, CENTRE) else {
        return Err("no text under the centre".into());
    };
    let (ranges, label) = {
        let project = &harness.state().workspace().project();
        let Some(document) = project.documents.first() else {
            return Err("no document".into());
        };
        let first = framecoder::ui::transcript::word_at(&document.text, &document.structure, offset);
        // Spans of seven words, like real claims, each starting a few words
        // after the previous one so that they overlap.
        let spaces: Vec<usize> = document.text[first.start..]
            .char_indices()
            .filter(|(_, c)| *c == ' ')
            .map(|(i, _)| first.start + i)
            .take(CODINGS * 3 + 8)
            .collect();
        let ranges: Vec<Range<usize>> = (0..CODINGS)
            .filter_map(|k| {
                let start = if k == 0 {
                    first.start
                } else {
                    spaces.get(k * 3 - 1)? + 1
                };
                let end = *spaces.get(k * 3 + 6)?;
                Some(start..end)
            })
            .collect();
        let Some(label) = project.labels.iter().find(|l| l.kind == LabelKind::Claim) else {
            return Err("no claim label".into());
        };
        (ranges, label.id)
    };
    if ranges.len() != CODINGS {
        return Err("not enough words under the centre to code".into());
    }
    let before_count = harness.state().workspace().project().annotations.len();
    let ctx = harness.ctx.clone();
    let (mut handles, mut frames, mut actions) = (Vec::new(), Vec::new(), Vec::new());
    for range in &ranges {
        let (_, handle_ms) = time(|| {
            harness.state_mut().handle(
                &ctx,
                Intent::CodeRanges {
                    label,
                    ranges: vec![range.clone()],
                },
            );
        });
        let frame_ms = step(&mut harness);
        settle(&mut harness, 10);
        handles.push(handle_ms);
        frames.push(frame_ms);
        actions.push(handle_ms + frame_ms);
    }
    let added = harness.state().workspace().project().annotations.len() - before_count;
    if added != CODINGS {
        return Err(format!("coding added {added} annotations, not {CODINGS}").into());
    }
    Table::row(
        "coding action (handle + next frame)",
        median(actions.clone()),
        format!(
            "median of {CODINGS} spans of 7 words, max {:.2} ms; {:.2} × the idle frame; \
             {:.2} ms over the idle frame in the middle",
            actions.iter().copied().fold(0.0, f64::max),
            median(actions.clone()) / idle_ms,
            median(actions) - idle_middle_ms
        ),
    );
    Table::row(
        "GUI: handle(CodeRanges) (edit + history + index update)",
        median(handles),
        format!("median of {CODINGS}"),
    );
    Table::row(
        "GUI: frame after adding an annotation",
        median(frames),
        format!("median of {CODINGS}; table rows, lanes and counts follow the edit"),
    );

    for (name, command) in [("undo", UiCommand::Undo), ("redo", UiCommand::Redo)] {
        let (mut handles, mut frames, mut totals) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..CODINGS {
            let (_, handle_ms) = time(|| harness.state_mut().handle(&ctx, Intent::Command(command)));
            let frame = step(&mut harness);
            settle(&mut harness, 10);
            handles.push(handle_ms);
            frames.push(frame);
            totals.push(handle_ms + frame);
        }
        Table::row(
            &format!("GUI: {name} (handle + next frame)"),
            median(totals.clone()),
            format!(
                "median of {CODINGS} (one per span coded): handle {:.2} ms, frame {:.2} ms; max {:.2} ms",
                median(handles),
                median(frames),
                totals.iter().copied().fold(0.0, f64::max)
            ),
        );
    }

    // Memory once the project is open and coded; saving (below) adds the
    // serialised file it writes.
    let peak = peak_rss_mb().unwrap_or(f64::NAN);
    let target = 4.0 * text_len as f64 / 1_000_000.0 + 100.0;
    Table::row(
        "peak RSS (MB) after loading and coding (GUI process)",
        peak,
        format!("VmHWM; target ≤ {target:.0} MB (4 × the text + 100 MB)"),
    );

    // Ctrl+S: the UI thread takes a snapshot, the worker writes.
    let (_, save_ui_ms) = time(|| harness.state_mut().handle(&ctx, Intent::Command(UiCommand::Save)));
    let (_, save_wait_ms) = time(|| harness.state_mut().finish_pending_saves());
    let saved_frames: Vec<f64> = (0..3).map(|_| step(&mut harness)).collect();
    Table::row(
        "GUI: Save command on the UI thread (project snapshot)",
        save_ui_ms,
        format!(
            "worker then took {save_wait_ms:.1} ms; next frames {}",
            saved_frames
                .iter()
                .map(|t| format!("{t:.2}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    );
    Table::row(
        "Workspace::snapshot (what a save copies on the UI thread)",
        median_of(5, || harness.state().workspace().snapshot()),
        "median of 5; the project is shared, copied only if edited while saving",
    );
    // For profiling the frames after an edit (`perf record`): undo/redo
    // pairs, each followed by one frame.
    let repeat = env_usize("FRAMECODER_BENCH_PROFILE_EDITS", 0);
    if repeat > 0 {
        let mut frames = Vec::with_capacity(repeat * 2);
        for _ in 0..repeat {
            for command in [UiCommand::Undo, UiCommand::Redo] {
                harness.state_mut().handle(&ctx, Intent::Command(command));
                frames.push(step(&mut harness));
            }
        }
        Table::row(
            "GUI: frame after undo or redo (median, profiling loop)",
            median(frames),
            format!("{} frames", repeat * 2),
        );
        harness.state_mut().handle(&ctx, Intent::Command(UiCommand::Save));
        harness.state_mut().finish_pending_saves();
    }
    if harness.state().workspace().history.is_dirty() {
        return Err("still dirty after saving".into());
    }
    Ok(())
}

// ----------------------------------------------------------------- main

/// Set in the child process that runs the GUI part: the project file and
/// the length of its text.
const GUI_PROJECT: &str = "FRAMECODER_BENCH_GUI_PROJECT";
const GUI_TEXT_LEN: &str = "FRAMECODER_BENCH_GUI_TEXT_LEN";

/// The process's peak resident set (VmHWM in /proc/self/status), in MB.
fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1000.0)
}

/// The GUI part, run in a child process: open the project, scroll, code,
/// undo, redo (then the peak memory so far), save (and the peak again).
fn gui_child(path: &Path) -> BenchResult<()> {
    let text_len = env_usize(GUI_TEXT_LEN, 0);
    let scratch = tempfile::tempdir()?;
    gui(path, scratch.path(), text_len)?;
    Table::row(
        "peak RSS (MB) after saving too (GUI process)",
        peak_rss_mb().unwrap_or(f64::NAN),
        "VmHWM; the save thread serialises the whole project into one string",
    );
    Ok(())
}

fn main() -> BenchResult<()> {
    if let Some(path) = std::env::var_os(GUI_PROJECT) {
        return gui_child(Path::new(&path));
    }
    let target_words = env_usize("FRAMECODER_BENCH_WORDS", 1_000_000);
    let target_annotations = env_usize("FRAMECODER_BENCH_ANNOTATIONS", 20_000);
    let started = Instant::now();
    let mut rng = Lcg(0x5eed_f00d);

    let text: Arc<str> = Arc::from(generate_text(&mut rng, target_words));
    let (document, _) = time(|| {
        Document::new(
            DocumentId::new(),
            "generated-hearing".into(),
            text.clone(),
            Some("generated-hearing.txt".into()),
        )
    });
    let paragraphs = document.structure.paragraphs.len();
    let turns_count = document.structure.turns.len();
    let words = document.word_count();
    let speakers = document.structure.speakers().len();
    let project = generate_project(&mut rng, document, target_annotations)?;
    let annotations = project.annotations.len();
    println!(
        "framecoder large_project: {words} words, {} chars, {}, {paragraphs} paragraphs, {turns_count} turns, \
         {speakers} speakers; {} labels, {} coders, {annotations} annotations",
        text.chars().count(),
        mb(text.len()),
        project.labels.len(),
        project.coders.len(),
    );
    println!();
    Table::header();

    // 1. The project file.
    let ron = io::to_ron_string(&project);
    let serialise = median_of(5, || io::to_ron_string(&project).len());
    Table::row(
        "io::to_ron_string (serialise)",
        serialise,
        format!("{} ({} text), median of 5", mb(ron.len()), mb(text.len())),
    );
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("large.ron");
    let save = median_of(5, || io::save_project(&project, &path).map_err(|e| e.to_string()));
    io::save_project(&project, &path)?;
    if std::fs::read_to_string(&path)? != ron {
        return Err("save_project wrote other bytes than to_ron_string".into());
    }
    Table::row(
        "io::save_project (serialise + temp + fsync + .bak + rename)",
        save,
        "median of 5",
    );
    let mut loaded_repairs = 0;
    let load = median_of(3, || match io::load(&path) {
        Ok(loaded) => {
            loaded_repairs = loaded.repairs.len();
            loaded.project.annotations.len()
        }
        Err(error) => panic!("the generated project does not load: {error}"),
    });
    Table::row(
        "io::load (read + parse + validate + Document::new)",
        load,
        format!("median of 3; {loaded_repairs} repairs"),
    );
    let loaded = io::load(&path)?;
    if loaded.project != project {
        return Err("the loaded project differs from the saved one".into());
    }
    let parse = median_of(3, || {
        io::project_file::parse(&ron, "large.ron")
            .map(|l| l.repairs.len())
            .ok()
    });
    Table::row("io::project_file::parse (from memory)", parse, "median of 3");
    // The floor for loading: the same file read and parsed into the file's
    // structs, nothing checked or analysed.
    let bare = median_of(3, || {
        std::fs::read_to_string(&path)
            .map_err(|e| e.to_string())
            .and_then(|source| io::project_file::parse_bare(&source).map_err(|e| e.to_string()))
    });
    Table::row(
        "bare ron parse (read + ron into the file structs, no validation)",
        bare,
        format!("median of 3; io::load is {:.2} × this", load / bare),
    );

    // A corrected transcript: words inserted near the end, so the last 1%
    // of the annotations have to be re-anchored on load.
    let moved_at = {
        let mut at = text.len() * 99 / 100;
        while !text.is_char_boundary(at) || !text[..at].ends_with(' ') {
            at += 1;
        }
        at
    };
    let snippet = &text[moved_at..moved_at + 60.min(text.len() - moved_at)];
    let documents_at = ron.find("    documents: [").unwrap_or(0);
    let Some(in_ron) = ron[documents_at..].find(snippet).map(|i| documents_at + i) else {
        return Err("cannot find the snippet in the RON text".into());
    };
    let corrected = format!("{}Correction inserted. {}", &ron[..in_ron], &ron[in_ron..]);
    let (reanchored, reanchor_ms) = time(|| io::project_file::parse(&corrected, "corrected.ron"));
    let reanchored = reanchored?;
    let moved = reanchored
        .repairs
        .iter()
        .filter(|p| p.message.contains("re-anchored"))
        .count();
    let orphaned = reanchored
        .repairs
        .iter()
        .filter(|p| p.message.contains("orphaned"))
        .count();
    Table::row(
        "parse with a word inserted at 99% of the text",
        reanchor_ms,
        format!(
            "{moved} re-anchored, {orphaned} orphaned; {:.2} ms per moved annotation over a clean parse",
            (reanchor_ms - parse) / moved.max(1) as f64
        ),
    );

    // What each moved annotation costs: the loader searches the whole text
    // for its quote, and the whole file for its id (to name the line).
    if let Some(last) = project.annotations.values().max_by_key(|a| a.range.start) {
        let quote = last.quote.clone();
        Table::row(
            "  model::text::find_nearest (one quote, whole text)",
            median_of(5, || framecoder_core::model::text::find_nearest(&text, &quote, 0)),
            format!("{}-byte quote, median of 5", quote.len()),
        );
        let needle = format!("\"{}\"", last.id);
        Table::row(
            "  str::find of an annotation id in the file (problem line)",
            median_of(5, || ron.find(&needle)),
            "one whole-file scan per problem, which the id index now avoids, median of 5",
        );
    }

    // Exports (issue 3) and agreement (issue 4) on the same project.
    let export_dir = dir.path();
    for (name, format, file) in [
        (
            "export CSV (export_spans)",
            framecoder_core::io::export::SpanFormat::Csv(Default::default()),
            "spans.csv",
        ),
        (
            "export Excel (export_spans)",
            framecoder_core::io::export::SpanFormat::Xlsx,
            "spans.xlsx",
        ),
        (
            "export JSONL (export_spans)",
            framecoder_core::io::export::SpanFormat::Jsonl,
            "spans.jsonl",
        ),
        (
            "export HTML report (export_spans)",
            framecoder_core::io::export::SpanFormat::Html,
            "report.html",
        ),
    ] {
        let out = export_dir.join(file);
        let filter = framecoder_core::io::export::Filter::default();
        let time = median_of(3, || {
            framecoder_core::io::export::export_spans(&project, &filter, format, &out)
                .map_err(|e| e.to_string())
        });
        let size = std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0);
        Table::row(name, time, format!("{} MB, median of 3", size / 1_000_000));
    }
    let qdpx = export_dir.join("large.qdpx");
    let options = framecoder_core::io::refi::QdpxOptions::default();
    let time = median_of(3, || {
        framecoder_core::io::refi::export_qdpx(&project, &options, &qdpx).map_err(|e| e.to_string())
    });
    let size = std::fs::metadata(&qdpx).map(|m| m.len()).unwrap_or(0);
    // MB/s of the project's own size (text and annotations as RON), so that
    // runs at two sizes show whether exchange scales linearly.
    let ron_mb = ron.len() as f64 / 1_000_000.0;
    Table::row(
        "export REFI-QDA .qdpx (export_qdpx)",
        time,
        format!(
            "{} MB zip, median of 3; {:.1} MB/s of project",
            size / 1_000_000,
            ron_mb / (time / 1000.0)
        ),
    );
    let time = median_of(3, || {
        framecoder_core::io::refi::import_qdpx(&qdpx)
            .map(|i| i.project.annotations.len())
            .map_err(|e| e.to_string())
    });
    Table::row(
        "import REFI-QDA .qdpx (import_qdpx)",
        time,
        format!("median of 3; {:.1} MB/s of project", ron_mb / (time / 1000.0)),
    );
    let coders: Vec<_> = project.coders.iter().map(|c| c.id).collect();
    for (name, unit) in [
        (
            "agreement, char units (κ/α/αU/percent, all labels)",
            framecoder_core::review::agreement::UnitKind::Char,
        ),
        (
            "agreement, word units",
            framecoder_core::review::agreement::UnitKind::Word,
        ),
    ] {
        let options = framecoder_core::review::agreement::AgreementOptions {
            coders: coders.clone(),
            unit,
            ..Default::default()
        };
        let time = median_of(3, || {
            framecoder_core::review::agreement::agreement(&project, &options)
                .map(|r| r.labels.len())
                .map_err(|e| e.to_string())
        });
        Table::row(
            name,
            time,
            format!("{} coders, {annotations} annotations, median of 3", coders.len()),
        );
    }

    // 2. Document analysis.
    let document_new = median_of(3, || {
        Document::new(DocumentId::new(), "d".into(), text.clone(), None).words
    });
    Table::row(
        "Document::new (hash + char index + structure + words)",
        document_new,
        format!("{} of text, median of 3", mb(text.len())),
    );
    Table::row("  sha256_hex", median_of(3, || sha256_hex(&text)), "");
    Table::row(
        "  CharIndex::new",
        median_of(3, || framecoder_core::model::CharIndex::new(&text)),
        "",
    );
    Table::row(
        "  turns::detect_structure",
        median_of(3, || turns::detect_structure(&text).turns.len()),
        format!("{paragraphs} paragraphs, {turns_count} turns"),
    );
    Table::row(
        "  text::word_count",
        median_of(3, || text::word_count(&text)),
        format!("{words} words"),
    );
    // Core work the GUI does on opening a project (index) and per frame.
    Table::row(
        "SpanIndex::build (on open; edits update it)",
        median_of(5, || SpanIndex::build(&project)),
        format!("{annotations} annotations, median of 5"),
    );
    Table::row(
        "Project::label_counts (a recount; the index keeps the counts)",
        median_of(11, || project.label_counts().len()),
        "median of 11",
    );
    let document_id = project.documents[0].id;
    Table::row(
        "annotations_in + sort by position (replica of table/lanes)",
        median_of(5, || {
            let mut spans: Vec<_> = project
                .annotations_in(document_id)
                .map(|a| (a.range.clone(), a.id))
                .collect();
            spans.sort_by_key(|(r, id)| (r.start, std::cmp::Reverse(r.end), *id));
            spans.len()
        }),
        "what rebuilding the table rows costs (on a new sort or filter; edits move rows), median of 5",
    );
    let structure = &project.documents[0].structure;
    Table::row(
        "Structure::speakers (status bar, every frame)",
        median_of(11, || structure.speakers().len()),
        format!("{turns_count} turns, median of 11"),
    );

    // 3. The GUI, in a process of its own so that its peak memory is that
    // of opening the project and coding, not of generating it above.
    drop((project, loaded, reanchored, ron, corrected));
    let status = std::process::Command::new(std::env::current_exe()?)
        .env(GUI_PROJECT, &path)
        .env(GUI_TEXT_LEN, text.len().to_string())
        .status()?;
    if !status.success() {
        return Err(format!("the GUI part failed ({status})").into());
    }
    Table::row(
        "peak RSS (MB) of this process (generation, exports, agreement)",
        peak_rss_mb().unwrap_or(f64::NAN),
        "VmHWM; not a target, for context",
    );

    println!("{}", "-".repeat(120));
    println!("total bench time {:.1} s", started.elapsed().as_secs_f64());
    Ok(())
}
