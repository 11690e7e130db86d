//! The one rule for names people type: display names in a call and class names of rooms.
//!
//! A name is shown to others, so it must not be able to look like nothing or like someone else:
//! bidirectional controls (which reorder the text after them, e.g. to make "nimda" read "admin") are
//! removed, and a name made only of invisible characters (zero-width spaces, Hangul fillers, …) is
//! refused as empty.

use serde::{Deserialize, Serialize};

/// Longest display name, in characters, after trimming.
pub const MAX_NAME_CHARS: usize = 40;

/// What is wrong with a name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum NameProblem {
    /// Nothing visible is left after trimming.
    Empty,
    /// Longer than the limit, in characters.
    TooLong,
}

/// Trims `raw`, removes control and bidi-control characters, and checks that something visible is
/// left and that it has at most `max_chars` characters.
pub fn clean_text(raw: &str, max_chars: usize) -> Result<String, NameProblem> {
    let kept = strip_controls(raw);
    let name = kept.trim();
    if !name.chars().any(|c| !is_invisible(c) && !c.is_whitespace()) {
        return Err(NameProblem::Empty);
    }
    if name.chars().count() > max_chars {
        return Err(NameProblem::TooLong);
    }
    Ok(name.to_string())
}

/// `raw` without control and bidi-control characters.
pub(super) fn strip_controls(raw: &str) -> String {
    raw.chars()
        .filter(|&c| !c.is_control() && !is_bidi_control(c))
        .collect()
}

/// Characters that change the direction of the text around them (Unicode bidi embeddings,
/// overrides, isolates and marks).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Characters that render as nothing. They may stay inside a name (a zero-width joiner builds
/// emoji and some scripts need it), but they do not count as something to see.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}' // soft hyphen
            | '\u{034F}' // combining grapheme joiner
            | '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}' // Hangul fillers
            | '\u{17B4}' | '\u{17B5}'
            | '\u{180B}'..='\u{180E}'
            | '\u{200B}'..='\u{200D}' // zero-width space, non-joiner, joiner
            | '\u{2060}'..='\u{2064}' // word joiner, invisible operators
            | '\u{206A}'..='\u{206F}'
            | '\u{FE00}'..='\u{FE0F}' // variation selectors
            | '\u{FEFF}' // zero-width no-break space
            | '\u{E0000}'..='\u{E007F}' // tags
    )
}

/// A display name as others will see it (the rule of [`clean_text`]); `None` if it is empty or too
/// long.
pub fn clean_name(raw: &str) -> Option<String> {
    clean_text(raw, MAX_NAME_CHARS).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(clean_text("  Minji \n", 40), Ok("Minji".into()));
        assert_eq!(clean_text("   ", 40), Err(NameProblem::Empty));
        assert_eq!(clean_text(&"가".repeat(40), 40), Ok("가".repeat(40)));
        assert_eq!(clean_text(&"가".repeat(41), 40), Err(NameProblem::TooLong));
    }

    #[test]
    fn invisible_only_names_are_empty() {
        for raw in [
            "\u{200B}\u{200B}",
            "\u{3164}",
            "\u{FEFF} \u{2060}",
            "\u{115F}\u{1160}",
            "\u{202E}",
        ] {
            assert_eq!(clean_text(raw, 40), Err(NameProblem::Empty), "{raw:?}");
        }
    }

    #[test]
    fn bidi_overrides_are_removed_but_real_text_stays() {
        assert_eq!(clean_text("\u{202E}nimda", 40), Ok("nimda".into()));
        assert_eq!(clean_text("Ann\u{2066}a\u{2069}", 40), Ok("Anna".into()));
        assert_eq!(
            clean_text("김민지 👩\u{200D}🏫", 40),
            Ok("김민지 👩\u{200D}🏫".into())
        );
        assert_eq!(clean_text("مرحبا", 40), Ok("مرحبا".into()));
    }
}
