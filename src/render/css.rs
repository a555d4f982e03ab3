//! Theme CSS: parsed, compiled for the browser targets and minified with lightningcss, once
//! per theme.

use lightningcss::stylesheet::{MinifyOptions, ParserOptions, PrinterOptions, StyleSheet};

/// Compiles and minifies `src` for the themes' browser targets; the error names the line and
/// column.
pub fn compile(src: &str) -> Result<String, String> {
    compile_for(src, *super::theme::css_targets())
}

/// Compiles and minifies `src` for `targets` (the Bitrix24 page states its own).
pub fn compile_for(src: &str, targets: lightningcss::targets::Targets) -> Result<String, String> {
    let mut sheet = StyleSheet::parse(src, ParserOptions::default()).map_err(|e| e.to_string())?;
    sheet
        .minify(MinifyOptions {
            targets,
            ..Default::default()
        })
        .map_err(|e| e.to_string())?;
    let out = sheet
        .to_css(PrinterOptions {
            minify: true,
            targets,
            ..Default::default()
        })
        .map_err(|e| e.to_string())?;
    Ok(out.code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minifies_and_prefixes() {
        let css = compile("a {\n  color: #ff0000;\n  user-select: none;\n}\n").unwrap();
        assert!(css.starts_with("a{"), "{css}");
        assert!(css.contains("red"), "{css}");
        assert!(!css.contains('\n'), "{css}");
    }
}
