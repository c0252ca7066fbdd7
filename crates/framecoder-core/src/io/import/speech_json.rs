//! Speech-to-text JSON (`.json`): OpenAI Whisper, WhisperX and whisper.cpp.
//!
//! - Whisper and WhisperX write `{"segments": [{"start": 0.0, "end": 2.5,
//!   "text": " …", "speaker": "SPEAKER_00"}, …]}`; `speaker` only when
//!   diarised (WhisperX), times in seconds.
//! - whisper.cpp (`-oj`) writes `{"transcription": [{"timestamps": {"from":
//!   "00:00:00,000", …}, "offsets": {"from": 0, …}, "text": " …"}, …]}`,
//!   offsets in milliseconds; with `--diarize` a `speaker` (`"0"`, `"1"`,
//!   `"?"`). tinydiarize's `speaker_turn_next` marks a change of speaker
//!   without naming one, so it is not used: each such segment stays a turn
//!   of the placeholder speaker rather than a guessed person's.
//!
//! Segments become cues and take the subtitle layout
//! ([`super::subtitles`]): one line per segment, `[hh:mm:ss] SPEAKER_00:
//! text`, consecutive segments of one speaker one turn, a segment without a
//! speaker a turn of the placeholder speaker. Other fields (words, tokens,
//! probabilities) are ignored. A JSON file of neither shape is refused with
//! a message naming what was expected.

use super::subtitles::{Cue, document_of_cues};
use super::text::decode_transcript;
use super::{ImportError, Imported};
use serde::Deserialize;
use std::path::PathBuf;

#[derive(Deserialize)]
struct SpeechFile {
    #[serde(default)]
    segments: Option<Vec<Segment>>,
    #[serde(default)]
    transcription: Option<Vec<CppSegment>>,
}

#[derive(Deserialize)]
struct Segment {
    #[serde(default)]
    start: f64,
    #[serde(default)]
    text: String,
    #[serde(default)]
    speaker: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct CppSegment {
    #[serde(default)]
    offsets: Option<Offsets>,
    #[serde(default)]
    text: String,
    #[serde(default)]
    speaker: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct Offsets {
    #[serde(default)]
    from: u64,
}

/// A speaker as a tool wrote it: a name (`SPEAKER_00`), or a number —
/// whisper.cpp's `--diarize` writes `"0"`/`"1"`, `"?"` when unsure — written
/// `SPEAKER_0`, since a bare number is no name to code by. An unsure or
/// empty speaker is none.
fn speaker_name(value: Option<serde_json::Value>) -> Option<String> {
    let name = match value? {
        serde_json::Value::String(name) => name.trim().to_owned(),
        serde_json::Value::Number(number) => number.to_string(),
        _ => return None,
    };
    if name.is_empty() || name == "?" {
        None
    } else if name.bytes().all(|b| b.is_ascii_digit()) {
        Some(format!("SPEAKER_{name}"))
    } else {
        Some(name)
    }
}

/// Seconds (possibly fractional, possibly garbage) as whole milliseconds.
fn millis(seconds: f64) -> u64 {
    if seconds.is_finite() && seconds > 0.0 {
        // Saturating: a time past u64 is a broken file, not a crash.
        (seconds * 1000.0).round().min(u64::MAX as f64) as u64
    } else {
        0
    }
}

fn cue(start: u64, text: String, voice: Option<String>) -> Cue {
    Cue {
        start,
        text: vec![text.trim().to_owned()],
        last_text_line: 0,
        voice,
    }
}

/// Builds a document named `name` from a speech-to-text JSON file.
///
/// # Errors
///
/// [`ImportError::Binary`], [`ImportError::Undecodable`] (also for JSON
/// that is not a Whisper, WhisperX or whisper.cpp result) and
/// [`ImportError::NoCues`] when it holds no segment.
pub fn import_speech_json(
    name: &str,
    bytes: &[u8],
    imported_from: Option<String>,
) -> Result<Imported, ImportError> {
    let path = PathBuf::from(imported_from.as_deref().unwrap_or(name));
    let (text, mut notices) = decode_transcript(bytes, &path)?;
    let undecodable = |reason: String| ImportError::Undecodable {
        path: path.clone(),
        reason,
    };
    let file: SpeechFile = serde_json::from_str(&text).map_err(|error| {
        undecodable(format!(
            "not a speech-to-text JSON result (line {}, column {}: {error})",
            error.line(),
            error.column()
        ))
    })?;
    let cues: Vec<Cue> = match (file.segments, file.transcription) {
        (Some(segments), _) => segments
            .into_iter()
            .map(|s| cue(millis(s.start), s.text, speaker_name(s.speaker)))
            .collect(),
        (None, Some(segments)) => segments
            .into_iter()
            .map(|s| {
                let start = s.offsets.map_or(0, |o| o.from);
                cue(start, s.text, speaker_name(s.speaker))
            })
            .collect(),
        (None, None) => {
            return Err(undecodable(
                "JSON without `segments` (Whisper, WhisperX) or `transcription` (whisper.cpp)".to_owned(),
            ));
        }
    };
    if cues.is_empty() {
        return Err(ImportError::NoCues { path });
    }
    let built = document_of_cues(name, imported_from, &cues, false, "segment");
    notices.push(built.summary);
    notices.extend(built.details);
    Ok(Imported {
        document: built.document,
        notices,
    })
}
