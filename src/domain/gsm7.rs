//! The GSM 03.38 default alphabet SMS texts are sent in: which characters it has, how many
//! septets each takes (the extension table's take two), and what stands in for the others.
//!
//! A text with one character outside the alphabet is sent as UCS-2 by gateways, which cuts a
//! single message from 160 characters to 70, so alert texts are kept inside it.

/// The basic table: one septet each.
const BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?\
                     ¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

/// The extension table: an escape septet and one more each.
const EXTENSION: &str = "\u{c}^{}\\[~]|€";

/// Septets `c` takes in a message, or `None` when the alphabet lacks it.
pub fn septets_of(c: char) -> Option<usize> {
    if BASIC.contains(c) {
        Some(1)
    } else if EXTENSION.contains(c) {
        Some(2)
    } else {
        None
    }
}

/// Septets `text` takes; characters outside the alphabet count as the one `sanitize` puts in.
pub fn septets(text: &str) -> usize {
    text.chars().map(|c| septets_of(c).unwrap_or(1)).sum()
}

/// What a character outside the alphabet becomes: its plain letter, an ASCII look-alike, or `?`.
fn stand_in(c: char) -> &'static str {
    match c {
        'á' | 'â' | 'ã' | 'ā' | 'ą' => "a",
        'Á' | 'À' | 'Â' | 'Ã' | 'Ā' | 'Ą' => "A",
        'ç' | 'ć' | 'č' => "c",
        'Ć' | 'Č' => "C",
        'ď' | 'đ' => "d",
        'Ď' | 'Đ' => "D",
        'ê' | 'ë' | 'ē' | 'ę' | 'ě' => "e",
        'È' | 'Ê' | 'Ë' | 'Ē' | 'Ę' | 'Ě' => "E",
        'í' | 'î' | 'ï' | 'ī' => "i",
        'Ì' | 'Í' | 'Î' | 'Ï' | 'Ī' => "I",
        'ł' => "l",
        'Ł' => "L",
        'ń' | 'ň' => "n",
        'Ń' | 'Ň' => "N",
        'ó' | 'ô' | 'õ' | 'ō' | 'ő' => "o",
        'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ō' | 'Ő' => "O",
        'ř' => "r",
        'Ř' => "R",
        'ś' | 'š' => "s",
        'Ś' | 'Š' => "S",
        'ť' => "t",
        'Ť' => "T",
        'ú' | 'û' | 'ū' | 'ů' | 'ű' => "u",
        'Ù' | 'Ú' | 'Û' | 'Ū' | 'Ů' | 'Ű' => "U",
        'ý' | 'ÿ' => "y",
        'Ý' | 'Ÿ' => "Y",
        'ź' | 'ż' | 'ž' => "z",
        'Ź' | 'Ż' | 'Ž' => "Z",
        'œ' => "oe",
        'Œ' => "OE",
        '‘' | '’' | '‚' | '′' | '`' | '´' => "'",
        '“' | '”' | '„' | '″' | '«' | '»' => "\"",
        '‐' | '‑' | '‒' | '–' | '—' | '―' | '−' => "-",
        '…' => "...",
        '•' | '·' => "*",
        '×' => "x",
        '\t' | '\u{a0}' | '\u{2009}' | '\u{202f}' => " ",
        _ => "?",
    }
}

/// `text` with every character outside the alphabet replaced (see `stand_in`).
pub fn sanitize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match septets_of(c) {
            Some(_) => out.push(c),
            None => out.push_str(stand_in(c)),
        }
    }
    out
}

/// The longest start of `text` that takes at most `limit` septets.
pub fn truncate(text: &str, limit: usize) -> &str {
    let mut used = 0;
    for (index, c) in text.char_indices() {
        used += septets_of(c).unwrap_or(1);
        if used > limit {
            return &text[..index];
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tables_hold_128_and_10_characters() {
        assert_eq!(BASIC.chars().count(), 127, "the basic table less its escape code");
        assert_eq!(EXTENSION.chars().count(), 10);
        assert!(BASIC.chars().all(|c| !EXTENSION.contains(c)));
    }

    #[test]
    fn extension_characters_count_double() {
        assert_eq!(septets("api down"), 8);
        assert_eq!(septets("[api]"), 7);
        assert_eq!(septets("€5 {x}"), 9);
        assert_eq!(septets("Ünïcode"), 7, "an unknown character counts as its stand-in");
    }

    #[test]
    fn characters_outside_the_alphabet_are_replaced() {
        assert_eq!(sanitize("Café ✘ São Paulo – “api” …"), "Café ? Sao Paulo - \"api\" ...");
        assert_eq!(sanitize("Zürich, Malmö, Ñandú"), "Zürich, Malmö, Ñandu");
        assert_eq!(sanitize("日本"), "??");
        let clean = sanitize("façade — ½ ✔");
        assert!(clean.chars().all(|c| septets_of(c).is_some()), "{clean}");
    }

    #[test]
    fn truncation_respects_double_characters() {
        assert_eq!(truncate("abc", 5), "abc");
        assert_eq!(truncate("ab[c", 3), "ab", "`[` needs two septets and only one is left");
        assert_eq!(truncate("ab[c", 4), "ab[");
        assert_eq!(truncate("éé", 1), "é");
    }
}
