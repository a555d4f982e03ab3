//! The accent colour: parsed, and checked for contrast (WCAG 2) against white text on it and
//! as text on a white page. A colour too light for text gets a darker "ink" variant.

use crate::i18n::Text;
use crate::t;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// `#rgb` or `#rrggbb`.
    pub fn parse(s: &str) -> Option<Rgb> {
        let h = s.trim().strip_prefix('#')?;
        if !h.chars().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        let v = |s: &str| u8::from_str_radix(s, 16).ok();
        match h.len() {
            3 => {
                let d: Vec<u8> = h
                    .chars()
                    .map(|c| v(&format!("{c}{c}")))
                    .collect::<Option<_>>()?;
                Some(Rgb(d[0], d[1], d[2]))
            }
            6 => Some(Rgb(v(&h[0..2])?, v(&h[2..4])?, v(&h[4..6])?)),
            _ => None,
        }
    }

    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }

    /// WCAG relative luminance.
    pub fn luminance(self) -> f64 {
        let lin = |c: u8| {
            let c = c as f64 / 255.0;
            if c <= 0.03928 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * lin(self.0) + 0.7152 * lin(self.1) + 0.0722 * lin(self.2)
    }

    fn darken(self, f: f64) -> Rgb {
        let d = |c: u8| (c as f64 * (1.0 - f)).round() as u8;
        Rgb(d(self.0), d(self.1), d(self.2))
    }
}

pub const WHITE: Rgb = Rgb(255, 255, 255);
pub const INK: Rgb = Rgb(0x11, 0x18, 0x27);

/// WCAG contrast ratio, 1 to 21.
pub fn contrast(a: Rgb, b: Rgb) -> f64 {
    let (la, lb) = (a.luminance(), b.luminance());
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    (hi + 0.05) / (lo + 0.05)
}

/// Normal text needs 4.5:1 (WCAG AA).
pub const AA: f64 = 4.5;

/// The colours a page is painted with.
#[derive(Debug, Clone, PartialEq)]
pub struct Palette {
    pub accent: Rgb,
    /// Text on an accent background: white, or dark ink when white lacks contrast.
    pub on_accent: Rgb,
    /// The accent used as text on white (links, times): darkened until it reaches 4.5:1.
    pub ink: Rgb,
    /// What was adjusted, for the build report.
    pub notes: Vec<Text>,
}

impl Palette {
    pub fn new(accent: Option<&str>, default: &str) -> Palette {
        let mut notes = Vec::new();
        let fallback = Rgb::parse(default).unwrap_or(Rgb(0x2f, 0xc6, 0xf6));
        let accent = match accent {
            None => fallback,
            Some(a) => match Rgb::parse(a) {
                Some(c) => c,
                None => {
                    notes.push(t!(
                        "цвет акцента «{a}» не распознан (нужно #RRGGBB): взят цвет темы",
                        "accent colour \"{a}\" not understood (use #RRGGBB): the theme's is used"
                    ));
                    fallback
                }
            },
        };
        let on_accent = if contrast(WHITE, accent) >= AA {
            WHITE
        } else {
            if contrast(INK, accent) < AA {
                let hex = accent.hex();
                notes.push(t!(
                    "у цвета акцента {hex} низкий контраст и с белым, и с тёмным текстом",
                    "accent colour {hex} has low contrast with both white and dark text"
                ));
            }
            if contrast(INK, accent) >= contrast(WHITE, accent) {
                INK
            } else {
                WHITE
            }
        };
        let mut ink = accent;
        let mut step = 0;
        while contrast(ink, WHITE) < AA && step < 40 {
            step += 1;
            ink = accent.darken(step as f64 * 0.025);
        }
        if ink != accent {
            let (a, i) = (accent.hex(), ink.hex());
            notes.push(t!(
                "цвет акцента {a} слишком светлый для текста на белом: для ссылок и времени взят {i}",
                "accent colour {a} is too light for text on white: {i} is used for links and times"
            ));
        }
        Palette {
            accent,
            on_accent,
            ink,
            notes,
        }
    }

    /// `:root{--accent:…;--on-accent:…;--accent-ink:…}`.
    pub fn css_root(&self) -> String {
        format!(
            ":root{{--accent:{};--on-accent:{};--accent-ink:{}}}",
            self.accent.hex(),
            self.on_accent.hex(),
            self.ink.hex()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contrast_of_black_and_white() {
        assert!((contrast(WHITE, Rgb(0, 0, 0)) - 21.0).abs() < 0.01);
    }

    #[test]
    fn light_accent_gets_dark_text_and_darker_ink() {
        let p = Palette::new(Some("#2FC6F6"), "#000000");
        assert_eq!(p.on_accent, INK);
        assert!(contrast(p.ink, WHITE) >= AA);
        assert_ne!(p.ink, p.accent);
        assert!(!p.notes.is_empty());
    }

    #[test]
    fn dark_accent_is_kept() {
        let p = Palette::new(Some("#0B5CAD"), "#000000");
        assert_eq!(p.on_accent, WHITE);
        assert_eq!(p.ink, p.accent);
        assert!(p.notes.is_empty());
    }

    #[test]
    fn bad_accent_falls_back() {
        let p = Palette::new(Some("red;}body{display:none"), "#0b5cad");
        assert_eq!(p.accent, Rgb(0x0b, 0x5c, 0xad));
        assert_eq!(p.notes.len(), 1);
        assert!(p.css_root().starts_with(":root{--accent:#0b5cad;"));
    }
}
