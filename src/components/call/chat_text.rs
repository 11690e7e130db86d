//! Chat text split into plain runs and web links, so the view can render links as `<a>` while
//! everything stays text (never HTML).

/// One run of a chat message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece {
    Text(String),
    /// An `http:` or `https:` address, shown and linked as written.
    Link(String),
}

/// Punctuation that ends a sentence rather than an address.
const TRAILING: &[char] = &['.', ',', ';', ':', '!', '?', ')', '"', '\'', '”', '’'];

/// Splits `text` at every `http://` or `https://` address. An address ends at whitespace; closing
/// punctuation right after it (as in "see https://x.org.") stays text.
pub fn pieces(text: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = next_link(rest) {
        let end = start
            + rest[start..]
                .find(char::is_whitespace)
                .unwrap_or(rest.len() - start);
        let link = rest[start..end].trim_end_matches(TRAILING);
        let scheme = rest[start..].find("//").map_or(0, |i| i + 2);
        if link.len() > scheme {
            push_text(&mut out, &rest[..start]);
            out.push(Piece::Link(link.to_string()));
            rest = &rest[start + link.len()..];
        } else {
            // A scheme with nothing after it is no address: keep it as text, look further.
            push_text(&mut out, &rest[..start + scheme]);
            rest = &rest[start + scheme..];
        }
    }
    push_text(&mut out, rest);
    out
}

/// Where the next address starts, if any.
fn next_link(text: &str) -> Option<usize> {
    let lower = text.to_ascii_lowercase();
    [lower.find("https://"), lower.find("http://")]
        .into_iter()
        .flatten()
        .min()
}

fn push_text(out: &mut Vec<Piece>, text: &str) {
    if text.is_empty() {
        return;
    }
    match out.last_mut() {
        Some(Piece::Text(previous)) => previous.push_str(text),
        _ => out.push(Piece::Text(text.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Piece {
        Piece::Text(s.to_string())
    }
    fn link(s: &str) -> Piece {
        Piece::Link(s.to_string())
    }

    #[test]
    fn plain_text_stays_one_piece() {
        assert_eq!(
            pieces("hello <b>there</b>"),
            vec![text("hello <b>there</b>")]
        );
    }

    #[test]
    fn a_link_in_a_sentence_leaves_its_full_stop_outside() {
        assert_eq!(
            pieces("see https://example.org/a?b=1. ok"),
            vec![
                text("see "),
                link("https://example.org/a?b=1"),
                text(". ok")
            ]
        );
    }

    #[test]
    fn two_links_and_other_schemes() {
        assert_eq!(
            pieces("http://a.kr javascript:alert(1) https://b.kr"),
            vec![
                link("http://a.kr"),
                text(" javascript:alert(1) "),
                link("https://b.kr")
            ]
        );
    }

    #[test]
    fn a_bare_scheme_is_text() {
        assert_eq!(pieces("https:// nothing"), vec![text("https:// nothing")]);
    }
}
