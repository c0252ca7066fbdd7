//! What one line of a transcript is: blank, furniture, text, or a speaker
//! label (sure, or a *candidate* that counts only with more evidence).
//!
//! The patterns are written for the layouts researchers receive (see the
//! README's import section). Every pattern is anchored at the line start and
//! built from bounded repetitions, so the `regex` crate matches each line in
//! linear time whatever it holds. Nothing here decides turns: that is
//! [`super`]'s walk over the classified lines.

use super::timestamps::{SPELLED, TIMESTAMP};
use regex::Regex;

/// Which layout a label belongs to; the import report names the layout of
/// a document by its most frequent label layout.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Layout {
    /// `[00:01:23] Name: text` (Descript, our subtitle rendering, logs).
    TimestampFirst,
    /// `Name (00:01:23):` (Rev), `Name [00:01:23] speech` (Trint).
    NameThenTime,
    /// `Name  0:03` or `Name   0 minutes 3 seconds` alone on a line, speech
    /// below (Otter, Trint, Teams).
    HeaderLine,
    /// `Mr. SMITH.` / `The CHAIRMAN.` (hearing records).
    Hearing,
    /// `KELLY:` / `JOHN KING, CNN ANCHOR:` (broadcast transcripts).
    Broadcast,
    /// `SPEAKER_00:` / `S01:` (speech-to-text diarisation).
    Diarised,
    /// `Name:` in mixed case, display names, CJK names (interviews, chats).
    NameColon,
    /// A pattern the user gave.
    Custom,
}

impl Layout {
    /// How the import report names the layout, with the tools that write it.
    pub fn describe(self) -> &'static str {
        match self {
            Self::TimestampFirst => "[hh:mm:ss] Name: (Descript, subtitles, logs)",
            Self::NameThenTime => "Name (hh:mm:ss): (Rev, Trint)",
            Self::HeaderLine => "Name  0:03 header lines (Otter, Trint, Teams)",
            Self::Hearing => "Mr. SMITH. (hearing records)",
            Self::Broadcast => "NAME: in capitals (broadcast transcripts)",
            Self::Diarised => "SPEAKER_00: (speech-to-text diarisation)",
            Self::NameColon => "Name: (interviews, meeting chats)",
            Self::Custom => "custom pattern",
        }
    }
}

/// A speaker label found at the start of a line. Offsets are relative to the
/// line start.
#[derive(Clone, Copy, Debug)]
pub(super) struct Label<'a> {
    pub speaker: &'a str,
    /// As written; normalised when the turn is built.
    pub timestamp: Option<&'a str>,
    /// Where the speech starts: after the label and the whitespace after it.
    pub speech: usize,
    pub layout: Layout,
}

/// What one line is, as far as turns are concerned.
#[derive(Clone, Copy, Debug)]
pub(super) enum Line<'a> {
    Blank,
    /// Headers, rules, stage directions, bare timestamps: they end a turn.
    Furniture,
    Text,
    Label(Label<'a>),
    /// A mixed-case `Name:` that is only a label with more evidence (the
    /// name recurs, or every line of the text is a label), since prose is
    /// full of `Note:` and `Update:`.
    Candidate(Label<'a>),
}

/// Indentation, a closed-caption `>>` and Markdown emphasis may precede a
/// label.
const PREFIX: &str = r"^[ \t]*(?:>>[ \t]*)?(?:\*\*|__)?";

/// Closing emphasis, as in `**KELLY:**` or `**Kelly**:`.
const EMPHASIS: &str = r"(?:\*\*|__)?";

/// After the label's colon or period: whitespace or the end of the line, so
/// that `TIME:12`, `U.S.A.` or `https://` is not read as a label.
const AFTER: &str = r"(?:\*\*|__)?(?:\s+|$)";

/// `(voice-over)`, `(D-Conn.)`, `(00:01:23)`, `(Guest)`, `(2)`, `(Орлова)`
/// after a name; [`keeps_paren`] decides whether it is part of the speaker.
const PAREN: &str = r"(?P<pgroup>[ \t]*\((?P<paren>[^()\n]{1,40})\))";

/// A second parenthesis, after a role (`JOHN, HOST (voice-over):`): never
/// part of the speaker.
const ROLE_PAREN: &str = r"(?:[ \t]*\([^()\n]{1,40}\))";

/// An all-caps word of a broadcast name: `KELLY`, `O'BRIEN`, `MARTÍNEZ`,
/// `MR.`, `McCAIN`.
const CAPS_WORD: &str = r"(?:Mc|Mac)?\p{Lu}[\p{Lu}\p{M}'’.\-]*";

/// A capitalised word of a mixed-case name: `Ana`, `Pérez`, `Dr.`, `Пост`.
const NAME_WORD: &str = r"\p{Lu}[\p{L}\p{M}'’.\-]*";

/// Lowercase particles that may sit inside a name (`Ana de la Cruz`), each
/// followed by another word of the name.
const PARTICLE: &str = "de|del|della|da|das|do|dos|du|la|le|van|von|der|den|di|bin|ibn|al|el|y|e|ter|ten|zu";

/// A meeting app's display name that no capital opens: `maria.k`,
/// `john_doe`, `iPhone`. It needs a dot, underscore, digit or inner capital,
/// so that a lowercase word of prose (`note:`) is never one.
const DISPLAY: &str = r"\p{Ll}[\p{L}\p{N}]*(?:[._\-][\p{L}\p{N}]+)+|\p{Ll}+\p{Lu}[\p{L}\p{N}]*|\p{Ll}+\d+";

/// Diarisation labels of speech-to-text tools: `SPEAKER_00`, `SPK_1`, `S01`.
/// Mixed-case `Speaker 1` stays a candidate (it is also prose).
const DIARISED: &str = r"SPEAKER_\d{1,3}|SPK_?\d{1,3}|spk_?\d{1,3}|S\d{1,3}";

/// Names in scripts without capitals (CJK), at most ten characters.
const CJK_NAME: &str = r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}·・]{1,10}";

/// Titles that open a hearing label (`Mr. McFARLANE:`, `Senator SMITH.`).
const TITLE: &str = r"(?:Mr|Mrs|Ms|Mx|Dr|Sen|Rep|Gen|Col|Lt|Maj|Capt|Adm|Gov|Prof|Rev|Hon)\.|Lt\. Col\.|Miss|Senator|Representative|Congressman|Congresswoman|Delegate|Chairman|Chairwoman|Chair|Vice Chairman|Vice Chair|Ranking Member|General|Colonel|Lieutenant Colonel|Major|Captain|Admiral|Judge|Justice|Chief Justice|Secretary|Ambassador|Governor|Mayor|Director|Commissioner|Professor|Attorney General|Father|Reverend|Speaker|President";

/// A hearing surname: at least two capitals in a row, with the mixed-case
/// prefixes the Congressional Record keeps (`McFARLANE`, `DeCONCINI`).
const SURNAME: &str = r"(?:Mc|Mac|O'|O’|D'|D’|De|Di|Du|La|Le|Van|Von|St\. ?)?\p{Lu}[\p{Lu}\p{M}'’\-]+";

/// Roles meeting apps and transcribers put in parentheses after a name:
/// not part of the speaker (`Jordan Avery (Guest)` is Jordan Avery).
const ROLES: &[&str] = &[
    "guest",
    "host",
    "co-host",
    "cohost",
    "moderator",
    "interviewer",
    "interviewee",
    "external",
    "organizer",
    "organiser",
    "presenter",
    "panelist",
    "me",
    "you",
    "unverified",
    "translator",
    "interpreter",
    "translated",
    "through translator",
    "cont'd",
    "continuing",
    "on camera",
    "off camera",
];

/// Whether the parenthesis after a name belongs to the speaker: a device
/// number (`iPhone (2)`) or a name (`Пост 2 (Орлова)`: the person behind a
/// call sign) does; a role (`(Guest)`), party (`(R)`, `(D-MT)`), stage note
/// (`(voice-over)`, `(V.O.)`) or timestamp does not.
fn keeps_paren(inner: &str) -> bool {
    let inner = inner.trim();
    if !inner.is_empty() && inner.bytes().all(|b| b.is_ascii_digit()) {
        return true;
    }
    let lower = inner.to_lowercase();
    if ROLES.contains(&lower.as_str()) {
        return false;
    }
    let mut chars = inner.chars();
    let starts_upper = chars.next().is_some_and(char::is_uppercase);
    // All capitals (`R`, `D-MT`, `CNN`, `V.O.`) are parties and notes.
    let has_lower = inner.chars().any(char::is_lowercase);
    let party = inner
        .split_once('-')
        .is_some_and(|(party, _)| party.len() <= 3 && party.chars().all(|c| c.is_ascii_uppercase()));
    starts_upper && has_lower && !party && !inner.chars().any(|c| c.is_ascii_digit())
}
/// Names in capitals that are Nexis/LexisNexis header fields or editorial
/// notes, not speakers. In capitals they are page furniture.
pub(super) const NOT_SPEAKERS: &[&str] = &[
    "ABSTRACT",
    "ACC-NO",
    "ANCHORS",
    "ATTENDEES",
    "BODY",
    "BYLINE",
    "CATEGORY",
    "CITY",
    "COPYRIGHT",
    "CORRECTION",
    "CORRECTION-DATE",
    "COUNTRY",
    "DATE",
    "DATELINE",
    "DISTRIBUTION",
    "DOCUMENT-TYPE",
    "DURATION",
    "EDITION",
    "EDITOR'S NOTE",
    "EDITOR’S NOTE",
    "EXAMPLE",
    "GEOGRAPHIC",
    "GRAPHIC",
    "GUESTS",
    "HEADLINE",
    "HIGHLIGHT",
    "IMPORTANT",
    "INDUSTRY",
    "JOURNAL-CODE",
    "KEYWORDS",
    "LANGUAGE",
    "LENGTH",
    "LINK",
    "LOAD-DATE",
    "LOCATION",
    "NETWORK",
    "NOTE",
    "NOTES",
    "ORGANIZATION",
    "PARTICIPANTS",
    "PERSON",
    "PLACE",
    "POSTED",
    "PRESENT",
    "PROGRAM",
    "PUBLICATION",
    "PUBLICATION-TYPE",
    "PUBLISHED",
    "RE",
    "SECTION",
    "SERIES",
    "SHOW",
    "SOURCE",
    "SOURCES",
    "STATE",
    "SUBJECT",
    "SUMMARY",
    "TAGS",
    "TIME",
    "TITLE",
    "TOPIC",
    "TOPICS",
    "TRANSCRIPT",
    "TYPE",
    "UPDATE",
    "UPDATED",
    "URL",
    "WARNING",
];

pub(super) fn is_not_speaker(name: &str) -> bool {
    NOT_SPEAKERS
        .iter()
        .any(|key| key.eq_ignore_ascii_case(name.trim()))
}

/// Words that open a sentence with a colon (`Honestly: I don't know.`,
/// `Update: it passed.`) rather than name a speaker: in mixed case they are
/// never a label, even after a timestamp, where a Descript continuation
/// line (`[00:00:06] Honestly: …`) would otherwise open a turn.
/// (`Question:`/`Answer:` are not here: interviews use them as labels.)
const DISCOURSE: &[&str] = &[
    "absolutely",
    "actually",
    "again",
    "also",
    "anyway",
    "basically",
    "bottom line",
    "but",
    "clearly",
    "correct",
    "definitely",
    "disclaimer",
    "edit",
    "exactly",
    "example",
    "finally",
    "first",
    "frankly",
    "fyi",
    "honestly",
    "however",
    "important",
    "look",
    "listen",
    "meanwhile",
    "no",
    "note",
    "now",
    "ok",
    "okay",
    "plus",
    "ps",
    "quote",
    "remember",
    "reminder",
    "right",
    "second",
    "seriously",
    "so",
    "sure",
    "then",
    "third",
    "tip",
    "truthfully",
    "update",
    "warning",
    "well",
    "yeah",
    "yes",
];

fn is_discourse(name: &str) -> bool {
    let lower = name.trim().to_lowercase();
    DISCOURSE.contains(&lower.as_str())
}

/// The compiled patterns, built once: building a regex per line would make a
/// million-word transcript crawl.
pub(super) static PATTERNS: std::sync::LazyLock<Option<Patterns>> =
    std::sync::LazyLock::new(|| Patterns::new().ok());

pub(super) struct Patterns {
    furniture: Regex,
    timestamp_prefix: Regex,
    timestamp_only: Regex,
    name_paren_time: Regex,
    name_bare_time: Regex,
    hearing: Regex,
    broadcast: Regex,
    diarised: Regex,
    mixed: Regex,
}

impl Patterns {
    pub(super) fn new() -> Result<Self, regex::Error> {
        let person = format!(r"{NAME_WORD}(?: (?:(?:{PARTICLE}) ){{0,2}}(?:{NAME_WORD}|#?\d+)){{0,4}}");
        let any_name = format!(r"{person}|{DISPLAY}|{DIARISED}");
        let caps_name = format!(r"{CAPS_WORD}(?: (?:{CAPS_WORD}|#?\d+)){{0,4}}");
        let role = format!(r"{CAPS_WORD}(?: (?:{CAPS_WORD}|#?\d+)){{0,5}}");
        let the_office = r"The(?: \p{Lu}[\p{Lu}'’\-]+){1,3}(?: pro tempore)?";
        let of_state = r"(?: of \p{Lu}\p{Ll}+(?: \p{Lu}\p{Ll}+)?)?";
        let bracketed_time = format!(r"[\[(]?{TIMESTAMP}[\])]?");
        let bare_time = format!(r"{bracketed_time}(?:[ \t]*(?:-->|[-–—]|to)[ \t]*{bracketed_time})?");
        let furniture = [
            // Headers and rules: `=== rm-1.php ===`, `--- page 3 ---`, `# Part 2`.
            r"(?:={3,}|-{3,}|~{3,}|\*{3,}|_{3,}|#{1,6}[ \t]).*",
            // Decorations such as `* * *`.
            r"[-=*_~#•·][-=*_~#•· \t]{2,}",
            // Stage directions: `[MUSIC]`, `(BREAK)`, `(SOUNDBITE OF MUSIC)`,
            // also after a cue's time (`[00:00:00] (41 seconds of silence)`).
            &format!(r"(?:{bracketed_time}[ \t]+)?[\[(][^\[\]()]*[\])]\.?"),
            // A timestamp or a time range alone, as left over from subtitles.
            &bare_time,
            r"(?i:page)[ \t]*\d+(?:[ \t]+(?i:of)[ \t]+\d+)?",
            // Meeting apps' notes: `Jordan Avery started transcription`.
            r".{1,80} (?:started|stopped) transcription\.?",
        ]
        .join("|");
        Ok(Self {
            furniture: Regex::new(&format!(r"^[ \t]*(?:{furniture})\s*$"))?,
            timestamp_prefix: Regex::new(&format!(
                r"^[ \t]*(?:>>[ \t]*)?[\[(]?(?P<ts>{TIMESTAMP})[\])]?(?:[ \t]*[-–—|][ \t]*|[ \t]+)"
            ))?,
            timestamp_only: Regex::new(&format!(r"^{TIMESTAMP}$"))?,
            name_paren_time: Regex::new(&format!(
                r"{PREFIX}(?P<name>{any_name}){EMPHASIS}[ \t]*(?:\((?P<ts>{TIMESTAMP})\){EMPHASIS}(?:[ \t]*:{AFTER}|\s*$)|\[(?P<ts2>{TIMESTAMP})\]{EMPHASIS}:?{AFTER})"
            ))?,
            name_bare_time: Regex::new(&format!(
                r"{PREFIX}(?P<name>{any_name}){PAREN}?{EMPHASIS}[ \t]+(?P<ts>{TIMESTAMP}|{SPELLED})\s*$"
            ))?,
            hearing: Regex::new(&format!(
                r"{PREFIX}(?P<name>(?:{TITLE}) {SURNAME}(?: {SURNAME}){{0,2}}{of_state}|{the_office}){PAREN}?{EMPHASIS}[:.]{AFTER}"
            ))?,
            broadcast: Regex::new(&format!(
                r"{PREFIX}(?P<name>{caps_name}){PAREN}?(?:,[ \t]+{role}{ROLE_PAREN}?)?{EMPHASIS}:{AFTER}"
            ))?,
            diarised: Regex::new(&format!(r"{PREFIX}(?P<name>{DIARISED}){EMPHASIS}:{AFTER}"))?,
            mixed: Regex::new(&format!(
                r"{PREFIX}(?P<name>{person}|{DISPLAY}|{CJK_NAME}){PAREN}?{EMPHASIS}(?::{AFTER}|：\s*)"
            ))?,
        })
    }

    pub(super) fn classify<'a>(&self, line: &'a str) -> Line<'a> {
        if line.trim().is_empty() {
            return Line::Blank;
        }
        if self.furniture.is_match(line) {
            return Line::Furniture;
        }
        if let Some(caps) = self.timestamp_prefix.captures(line) {
            let (Some(ts), Some(whole)) = (caps.name("ts"), caps.get(0)) else {
                return Line::Text;
            };
            let rest = line.get(whole.end()..).unwrap_or("");
            // A timestamp vouches for the label, so a mixed-case name needs
            // no second occurrence here.
            return match self.label_after_timestamp(rest) {
                Some(label) => Line::Label(Label {
                    timestamp: Some(ts.as_str()),
                    speech: whole.end() + label.speech,
                    layout: Layout::TimestampFirst,
                    ..label
                }),
                None => Line::Text,
            };
        }
        if let Some(label) = self.label(&self.name_paren_time, line, Layout::NameThenTime) {
            return Line::Label(label);
        }
        if let Some(label) = self.label(&self.name_bare_time, line, Layout::HeaderLine) {
            return Line::Label(label);
        }
        if let Some(label) = self.label(&self.hearing, line, Layout::Hearing) {
            return Line::Label(label);
        }
        if let Some(label) = self.label(&self.diarised, line, Layout::Diarised) {
            return Line::Label(label);
        }
        if let Some(label) = self.label(&self.broadcast, line, Layout::Broadcast) {
            return if is_not_speaker(label.speaker) {
                Line::Furniture
            } else {
                Line::Label(label)
            };
        }
        match self.label(&self.mixed, line, Layout::NameColon) {
            Some(label) if !is_not_speaker(label.speaker) && !is_discourse(label.speaker) => {
                Line::Candidate(label)
            }
            _ => Line::Text,
        }
    }

    fn label_after_timestamp<'a>(&self, rest: &'a str) -> Option<Label<'a>> {
        [&self.hearing, &self.diarised, &self.broadcast, &self.mixed]
            .into_iter()
            .zip([
                Layout::Hearing,
                Layout::Diarised,
                Layout::Broadcast,
                Layout::NameColon,
            ])
            .find_map(|(regex, layout)| self.label(regex, rest, layout))
            .filter(|label| !is_not_speaker(label.speaker))
            .filter(|label| !(label.layout == Layout::NameColon && is_discourse(label.speaker)))
    }

    /// A label from one of the patterns: the `name` group, with the
    /// parenthesis after it when [`keeps_paren`] says it is part of the
    /// name; a timestamp from the `ts` group or that parenthesis
    /// (`KELLY (00:01:23):`).
    fn label<'a>(&self, regex: &Regex, line: &'a str, layout: Layout) -> Option<Label<'a>> {
        // Capitals names (broadcast, hearings) put only roles and notes in
        // parentheses: `UNKNOWN SPEAKER (Note)` is the placeholder speaker.
        let paren_may_name = !matches!(layout, Layout::Broadcast | Layout::Hearing);
        let caps = regex.captures(line)?;
        let name = caps.name("name")?;
        let paren = caps.name("paren").map(|m| m.as_str().trim());
        let paren_time = paren.filter(|inner| self.timestamp_only.is_match(inner));
        let end = match (caps.name("pgroup"), paren) {
            (Some(group), Some(inner)) if paren_may_name && paren_time.is_none() && keeps_paren(inner) => {
                group.end()
            }
            _ => name.end(),
        };
        Some(Label {
            speaker: line.get(name.start()..end)?.trim(),
            // `ts2`: Trint's `Name [00:00:03] speech`, where speech may
            // follow the bracket without a colon.
            timestamp: caps
                .name("ts")
                .or_else(|| caps.name("ts2"))
                .map(|m| m.as_str())
                .or(paren_time),
            speech: caps.get(0)?.end(),
            layout,
        })
    }
}
