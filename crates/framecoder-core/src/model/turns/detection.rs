//! The researcher's choice of how speakers are found in one document, and
//! a user pattern compiled safely.
//!
//! `Auto` is the built-in detection; `None` imports without speakers (a
//! transcript whose layout the detector misreads is better without turns
//! than with wrong ones); `Pattern` is a regular expression the user wrote
//! for a layout we do not know. The choice is stored per document in the
//! project file, because turns are derived again at every load.

use regex::{Regex, RegexBuilder};
use serde::{Deserialize, Serialize};

/// How speaker turns are found in a document.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SpeakerDetection {
    /// The built-in layouts (see [`super::Layout`]).
    #[default]
    Auto,
    /// No turns at all. Written `NoSpeakers` in project files: RON would
    /// have to write a variant named `None` as `r#None`.
    #[serde(rename = "NoSpeakers")]
    None,
    /// A regular expression matched at the start of each line (after
    /// indentation); its named group `speaker`, or else its first group, is
    /// the speaker; a named group `ts` (or `timestamp`) the time. Speech
    /// starts after the match; a line it does not match continues the turn.
    Pattern(String),
}

/// Why a speaker pattern cannot be used. The message names the pattern.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("speaker pattern {pattern:?}: {reason}")]
pub struct PatternError {
    pub pattern: String,
    pub reason: String,
}

/// Longest compiled pattern accepted: a pattern from a project file must
/// not be able to spend the memory of the machine.
const PATTERN_SIZE_LIMIT: usize = 1 << 20;

impl SpeakerDetection {
    /// The CLI and GUI form: `auto`, `none` (any case), or a pattern, which
    /// is checked here so a bad one is refused before anything is imported.
    ///
    /// # Errors
    ///
    /// [`PatternError`] when the pattern does not compile or has no group.
    pub fn parse(text: &str) -> Result<Self, PatternError> {
        match text.trim().to_lowercase().as_str() {
            "auto" => Ok(Self::Auto),
            "none" => Ok(Self::None),
            _ => {
                let detection = Self::Pattern(text.to_owned());
                detection.validate()?;
                Ok(detection)
            }
        }
    }

    pub fn is_auto(&self) -> bool {
        *self == Self::Auto
    }

    /// Checks a pattern (the other choices are always valid).
    ///
    /// # Errors
    ///
    /// [`PatternError`] when the pattern does not compile or has no group.
    pub fn validate(&self) -> Result<(), PatternError> {
        match self {
            Self::Pattern(pattern) => UserPattern::new(pattern).map(|_| ()),
            _ => Ok(()),
        }
    }
}

impl std::fmt::Display for SpeakerDetection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Auto => f.write_str("auto"),
            Self::None => f.write_str("none"),
            Self::Pattern(pattern) => write!(f, "pattern {pattern:?}"),
        }
    }
}

/// A compiled user pattern. The `regex` crate never backtracks, so a
/// pattern matches a line in linear time; its size is capped.
pub(super) struct UserPattern {
    regex: Regex,
    /// Index of the speaker group.
    speaker: usize,
}

/// A label found by a user pattern: the speaker's byte range, the
/// timestamp's, and where the speech starts (all relative to the line).
pub(super) struct UserLabel {
    pub speaker: std::ops::Range<usize>,
    pub timestamp: Option<std::ops::Range<usize>>,
    pub speech: usize,
}

impl UserPattern {
    pub(super) fn new(pattern: &str) -> Result<Self, PatternError> {
        let error = |reason: String| PatternError {
            pattern: pattern.to_owned(),
            reason,
        };
        let build = |source: &str| {
            RegexBuilder::new(source)
                .size_limit(PATTERN_SIZE_LIMIT)
                .dfa_size_limit(PATTERN_SIZE_LIMIT)
                .build()
                .map_err(|e| error(format!("not a valid regular expression: {e}")))
        };
        // Checked alone first, so an error points into the user's pattern;
        // then anchored at the line start, so that a name inside speech
        // never opens a turn.
        build(pattern)?;
        let regex = build(&format!(r"^[ \t]*(?:{pattern})"))?;
        let named = regex.capture_names().position(|name| name == Some("speaker"));
        let speaker = match named {
            Some(index) => index,
            None if regex.captures_len() > 1 => 1,
            None => {
                return Err(error(
                    "has no group for the speaker; write it as (…) or (?P<speaker>…)".to_owned(),
                ));
            }
        };
        Ok(Self { regex, speaker })
    }

    pub(super) fn label(&self, line: &str) -> Option<UserLabel> {
        let caps = self.regex.captures(line)?;
        let speaker = caps.get(self.speaker).filter(|m| !m.as_str().trim().is_empty())?;
        let timestamp = caps.name("ts").or_else(|| caps.name("timestamp"));
        let end = caps.get(0)?.end();
        let rest = line.get(end..).unwrap_or("");
        Some(UserLabel {
            speaker: speaker.range(),
            timestamp: timestamp.map(|m| m.range()),
            speech: end + (rest.len() - rest.trim_start().len()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choices_parse_and_bad_patterns_are_refused() {
        assert_eq!(SpeakerDetection::parse("auto"), Ok(SpeakerDetection::Auto));
        assert_eq!(SpeakerDetection::parse("NONE"), Ok(SpeakerDetection::None));
        assert!(SpeakerDetection::parse(r"(\w+) >").is_ok());
        let unclosed = SpeakerDetection::parse(r"(\w+").unwrap_err();
        assert!(
            unclosed.to_string().contains("not a valid regular expression"),
            "{unclosed}"
        );
        let no_group = SpeakerDetection::parse(r"\w+:").unwrap_err();
        assert!(no_group.to_string().contains("no group"), "{no_group}");
        // A pattern whose automaton would be huge is refused, not built.
        assert!(SpeakerDetection::parse(r"(\w{1000}){1000}").is_err());
    }
}
