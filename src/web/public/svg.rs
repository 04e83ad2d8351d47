//! Shields-style flat badges: a grey label and a coloured message, each box as wide as its
//! text measured in Verdana 11px (the font the badge names first), so the text fits whatever
//! the name.

use std::fmt::Write;

/// Advance widths of Verdana's printable ASCII glyphs (U+0020 to U+007E) in thousandths of an
/// em, from the font's horizontal metrics; at 11px a glyph is `width * 11 / 1000` pixels.
const VERDANA: [u16; 95] = [
    351, 393, 458, 818, 635, 1076, 726, 268, 454, 454, 635, 818, 363, 454, 363, 454, // ' ' to '/'
    635, 635, 635, 635, 635, 635, 635, 635, 635, 635, 454, 454, 818, 818, 818, 545, // '0' to '?'
    1000, 683, 685, 698, 770, 632, 574, 775, 751, 420, 454, 692, 556, 842, 748, 787, // '@' to 'O'
    603, 787, 695, 683, 616, 731, 683, 988, 685, 615, 685, 454, 454, 454, 818, 635, // 'P' to '_'
    635, 600, 623, 520, 623, 595, 351, 623, 632, 274, 344, 591, 274, 972, 632, 606, // '`' to 'o'
    623, 623, 426, 520, 394, 632, 591, 818, 591, 591, 525, 634, 454, 634, 818, // 'p' to '~'
];

/// Characters outside the table are taken as wide as a capital letter, so text never
/// overflows its box.
const OTHER: u16 = 750;

const FONT_PX: f64 = 11.0;
/// Space left and right of each text.
const PADDING: f64 = 5.0;

/// The width of `text` in Verdana 11px, in pixels.
pub fn text_width(text: &str) -> f64 {
    let thousandths: u32 = text
        .chars()
        .map(|c| match c as u32 {
            code @ 0x20..=0x7e => u32::from(VERDANA[(code - 0x20) as usize]),
            _ => u32::from(OTHER),
        })
        .sum();
    f64::from(thousandths) * FONT_PX / 1000.0
}

fn escape(text: &str) -> String {
    text.chars().fold(String::with_capacity(text.len()), |mut out, c| {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() => {}
            c => out.push(c),
        }
        out
    })
}

/// A flat badge: `label` on grey, `message` on `color` (a CSS colour such as `#4c1`).
pub fn badge(label: &str, message: &str, color: &str) -> String {
    let (label_text, message_text) = (text_width(label), text_width(message));
    let label_box = (label_text + 2.0 * PADDING).round();
    let message_box = (message_text + 2.0 * PADDING).round();
    let width = label_box + message_box;
    let (label, message) = (escape(label), escape(message));
    let mut svg = String::with_capacity(1_200);
    let _ = write!(
        svg,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="20" role="img" aria-label="{label}: {message}"><title>{label}: {message}</title><linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient><clipPath id="r"><rect width="{width}" height="20" rx="3" fill="#fff"/></clipPath><g clip-path="url(#r)"><rect width="{label_box}" height="20" fill="#555"/><rect x="{label_box}" width="{message_box}" height="20" fill="{color}"/><rect width="{width}" height="20" fill="url(#s)"/></g><g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" text-rendering="geometricPrecision" font-size="11">"##
    );
    for (text, measured, middle) in
        [(&label, label_text, label_box / 2.0), (&message, message_text, label_box + message_box / 2.0)]
    {
        let _ = write!(
            svg,
            r##"<text x="{middle}" y="15" fill="#010101" fill-opacity=".3" textLength="{measured:.1}">{text}</text><text x="{middle}" y="14" textLength="{measured:.1}">{text}</text>"##
        );
    }
    svg.push_str("</g></svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_follow_the_glyphs() {
        assert!((text_width("up") - (632.0 + 623.0) * 11.0 / 1000.0).abs() < 1e-9);
        assert!(text_width("WWW") > text_width("iii") * 3.0, "wide letters take more room");
        assert!(text_width("é") > 0.0);
    }

    #[test]
    fn each_box_fits_its_text_and_names_are_escaped() {
        let svg = badge("<script>x</script>", "operational", "#4c1");
        assert!(!svg.contains("<script>") && svg.contains("&lt;script&gt;"), "{svg}");
        let short = badge("a", "up", "#4c1");
        let long = badge("a much longer site name", "up", "#4c1");
        let width =
            |svg: &str| -> f64 { svg.split("width=\"").nth(1).unwrap().split('"').next().unwrap().parse().unwrap() };
        assert!(width(&long) - width(&short) >= text_width("a much longer site name") - text_width("a") - 1.0);
    }
}
