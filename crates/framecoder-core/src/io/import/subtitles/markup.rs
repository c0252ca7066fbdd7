//! Cue markup: WebVTT and SubRip tags, voices, character references.

use super::cues::parse_timestamp;

/// Names of the tags removed from cue text. SubRip borrows `font`, `i`,
/// `b`, `u`, `s` from HTML; the others are WebVTT's.
pub(super) const TAGS: &[&str] = &["b", "c", "font", "i", "lang", "ruby", "rt", "s", "span", "u", "v"];

/// What a `<…>` in cue text is.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Tag<'a> {
    /// `<v Name>` or `<v.class Name>`.
    Voice(&'a str),
    /// `</v>`.
    VoiceEnd,
    /// Any other known tag, removed.
    Markup,
    /// Not a tag (`<3`): kept as text.
    Text,
}

pub(super) fn classify_tag(inner: &str) -> Tag<'_> {
    if let Some(name) = inner.strip_prefix('/') {
        let name = name.trim();
        return if name.eq_ignore_ascii_case("v") {
            Tag::VoiceEnd
        } else if TAGS.iter().any(|tag| tag.eq_ignore_ascii_case(name)) {
            Tag::Markup
        } else {
            Tag::Text
        };
    }
    // WebVTT karaoke timestamps: `<00:00:01.500>`.
    if inner.starts_with(|c: char| c.is_ascii_digit()) {
        return if parse_timestamp(inner).is_some() {
            Tag::Markup
        } else {
            Tag::Text
        };
    }
    let name_end = inner
        .find(|c: char| c == '.' || c.is_whitespace())
        .unwrap_or(inner.len());
    let name = inner.get(..name_end).unwrap_or("");
    if !TAGS.iter().any(|tag| tag.eq_ignore_ascii_case(name)) {
        return Tag::Text;
    }
    if name.eq_ignore_ascii_case("v") {
        // The annotation (the name) follows the first whitespace, after
        // any classes.
        let voice = inner
            .split_once(char::is_whitespace)
            .map_or("", |(_, rest)| rest.trim());
        if !voice.is_empty() {
            return Tag::Voice(voice);
        }
    }
    Tag::Markup
}

/// Splits cue text at voice tags and removes markup: `(voice, text)` pairs,
/// the text still with its line breaks.
pub(super) fn split_voices(raw: &str) -> Vec<(Option<String>, String)> {
    let mut segments: Vec<(Option<String>, String)> = vec![(None, String::new())];
    let start_segment =
        |segments: &mut Vec<(Option<String>, String)>, voice: Option<String>| match segments.last_mut() {
            Some(last) if last.1.trim().is_empty() => *last = (voice, String::new()),
            _ => segments.push((voice, String::new())),
        };
    let push = |segments: &mut Vec<(Option<String>, String)>, text: &str| {
        if let Some(last) = segments.last_mut() {
            last.1.push_str(text);
        }
    };
    let mut rest = raw;
    while let Some(open) = rest.find(['<', '{']) {
        let before = rest.get(..open).unwrap_or("");
        let tail = rest.get(open..).unwrap_or("");
        push(&mut segments, before);
        if let Some(after_brace) = tail.strip_prefix('{') {
            // ASS override blocks such as `{\an8}` or `{\i1}`.
            // Scanning only up to the next `{` keeps a cue of many `{` linear.
            if after_brace.starts_with('\\')
                && let Some(close) = after_brace
                    .find(['{', '}'])
                    .filter(|&i| after_brace.as_bytes().get(i) == Some(&b'}'))
            {
                rest = after_brace.get(close + 1..).unwrap_or("");
            } else {
                push(&mut segments, "{");
                rest = after_brace;
            }
            continue;
        }
        let after_angle = tail.get(1..).unwrap_or("");
        // A tag holds no `<`: looking only up to the next `<` or `>` keeps a
        // cue of a million `<` linear instead of quadratic.
        let close = after_angle
            .find(['<', '>'])
            .filter(|&i| after_angle.as_bytes().get(i) == Some(&b'>'));
        let Some(close) = close else {
            push(&mut segments, "<");
            rest = after_angle;
            continue;
        };
        let inner = after_angle.get(..close).unwrap_or("");
        match classify_tag(inner) {
            Tag::Voice(name) => {
                let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
                start_segment(&mut segments, Some(name));
            }
            Tag::VoiceEnd => {
                if segments.last().is_some_and(|last| last.0.is_some()) {
                    start_segment(&mut segments, None);
                }
            }
            Tag::Markup => {}
            Tag::Text => {
                push(&mut segments, "<");
                push(&mut segments, inner);
                push(&mut segments, ">");
            }
        }
        rest = after_angle.get(close + 1..).unwrap_or("");
    }
    push(&mut segments, rest);
    segments.retain(|(_, text)| !text.trim().is_empty());
    segments
}

/// Decodes WebVTT character references; unknown ones stay as written.
pub(super) fn decode_references(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(rest.get(..amp).unwrap_or(""));
        let tail = rest.get(amp..).unwrap_or("");
        // References are short; a far-away `;` belongs to other text.
        let decoded = tail
            .get(1..)
            .and_then(|after| after.char_indices().take(12).find(|(_, c)| *c == ';'))
            .and_then(|(semi, _)| {
                let name = tail.get(1..semi + 1)?;
                Some((reference(name)?, semi + 2))
            });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = tail.get(len..).unwrap_or("");
            }
            None => {
                out.push('&');
                rest = tail.get(1..).unwrap_or("");
            }
        }
    }
    out.push_str(rest);
    out
}

pub(super) fn reference(name: &str) -> Option<char> {
    let code = if let Some(hex) = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
        u32::from_str_radix(hex, 16).ok()?
    } else if let Some(decimal) = name.strip_prefix('#') {
        decimal.parse().ok()?
    } else {
        return match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some('\u{a0}'),
            "lrm" => Some('\u{200e}'),
            "rlm" => Some('\u{200f}'),
            _ => None,
        };
    };
    // A NUL or a line break from a reference would break the one-line cue.
    char::from_u32(code).filter(|c| !c.is_control() || *c == '\t')
}
