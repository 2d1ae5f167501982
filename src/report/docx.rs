//! Word documents in the layout of Chinese official documents (GB/T 9704),
//! as far as a report needs: A4 with its margins, the title in 方正小标宋简体
//! 二号, body text in 仿宋_GB2312 三号 at a fixed 28-point line, headings
//! 一、 in 黑体, the date line under the title in 楷体_GB2312 (the face of a
//! second-level （一） heading, which these reports do not have), page
//! numbers "— 1 —" at the foot.
//! Fonts are named with the common ones after them (fontTable `altName`),
//! which Word, WPS and LibreOffice substitute where the first is missing.
//! In English the same layout is set in Times New Roman and Arial.
//!
//! The WordprocessingML is written here, a handful of parts zipped with
//! the `zip` crate: a document this plain needs no document model, and a
//! repeated table header (`w:tblHeader`), which docx-rs cannot mark, is
//! one element.

use std::fmt::Write as _;
use std::io::{Seek, Write};

use zip::write::SimpleFileOptions;

use crate::error::{Error, Input, Result};
use crate::words::Lang;

/// Sizes in half-points, as `w:sz` takes them.
const SIZE_TITLE: u32 = 44; // 二号, 22 pt
const SIZE_BODY: u32 = 32; // 三号, 16 pt
const SIZE_TABLE: u32 = 24; // 小四, 12 pt
const SIZE_PAGE_NUMBER: u32 = 28; // 四号, 14 pt
const SIZE_SMALL: u32 = 18; // 小五, 9 pt

/// A4 in twentieths of a point, and GB/T 9704's margins (37, 35, 28, 26 mm).
const PAGE: (u32, u32) = (11906, 16838);
const MARGINS: (u32, u32, u32, u32) = (2098, 1984, 1587, 1474);

/// One of the document's type faces: the East Asian font and the Latin one.
#[derive(Clone, Copy)]
enum Face {
    Title,
    Body,
    Heading,
    Subheading,
}

impl Face {
    fn fonts(self, lang: Lang) -> (&'static str, &'static str) {
        match (lang, self) {
            (Lang::Zh, Face::Title) => ("方正小标宋简体", "Times New Roman"),
            (Lang::Zh, Face::Body) => ("仿宋_GB2312", "Times New Roman"),
            (Lang::Zh, Face::Heading) => ("黑体", "Times New Roman"),
            (Lang::Zh, Face::Subheading) => ("楷体_GB2312", "Times New Roman"),
            (Lang::En, Face::Title | Face::Heading) => ("Arial", "Arial"),
            (Lang::En, Face::Body | Face::Subheading) => ("Times New Roman", "Times New Roman"),
        }
    }
}

/// The fonts named, each with the one to use where it is missing.
const FONT_TABLE: &[(&str, &str)] = &[
    ("方正小标宋简体", "宋体"),
    ("仿宋_GB2312", "仿宋"),
    ("楷体_GB2312", "楷体"),
    ("黑体", "SimHei"),
    ("宋体", "SimSun"),
    ("Times New Roman", "Liberation Serif"),
    ("Arial", "Liberation Sans"),
];

pub struct Doc {
    lang: Lang,
    body: String,
    headings: u32,
}

impl Doc {
    pub fn new(lang: Lang) -> Doc {
        Doc {
            lang,
            body: String::new(),
            headings: 0,
        }
    }

    fn run(&self, text: &str, face: Face, size: u32, bold: bool) -> String {
        let (east, latin) = face.fonts(self.lang);
        let mut run = format!(
            r#"<w:r><w:rPr><w:rFonts w:ascii="{latin}" w:hAnsi="{latin}" w:eastAsia="{east}" w:cs="{latin}"/>"#
        );
        if bold {
            run.push_str("<w:b/>");
        }
        let _ = write!(
            run,
            r#"<w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr>"#
        );
        for (i, line) in text.split('\n').enumerate() {
            if i > 0 {
                run.push_str("<w:br/>");
            }
            let _ = write!(run, r#"<w:t xml:space="preserve">{}</w:t>"#, escape(line));
        }
        run.push_str("</w:r>");
        run
    }

    /// A paragraph: `props` are its `w:pPr` children.
    fn paragraph_with(&mut self, props: &str, runs: &str) {
        let _ = write!(self.body, "<w:p><w:pPr>{props}</w:pPr>{runs}</w:p>");
    }

    pub fn title(&mut self, text: &str) {
        let run = self.run(text, Face::Title, SIZE_TITLE, self.lang == Lang::En);
        self.paragraph_with(
            r#"<w:jc w:val="center"/><w:spacing w:before="0" w:after="0" w:line="700" w:lineRule="exact"/>"#,
            &run,
        );
    }

    /// The line under the title: the period or the date, centred, in 楷体.
    pub fn subtitle(&mut self, text: &str) {
        let run = self.run(text, Face::Subheading, SIZE_BODY, false);
        self.paragraph_with(&format!(r#"<w:jc w:val="center"/>{}"#, LINE), &run);
    }

    /// A numbered heading: 一、 二、 … (1. 2. … in English).
    pub fn heading(&mut self, text: &str) {
        self.headings += 1;
        let number = match self.lang {
            Lang::Zh => format!("{}、", chinese_numeral(self.headings)),
            Lang::En => format!("{}. ", self.headings),
        };
        let run = self.run(
            &format!("{number}{text}"),
            Face::Heading,
            SIZE_BODY,
            self.lang == Lang::En,
        );
        self.paragraph_with(&format!("{INDENT}{LINE}<w:keepNext/>"), &run);
    }

    /// Body text, its first line indented two characters.
    pub fn paragraph(&mut self, text: &str) {
        let run = self.run(text, Face::Body, SIZE_BODY, false);
        self.paragraph_with(&format!("{INDENT}{LINE}<w:jc w:val=\"both\"/>"), &run);
    }

    /// Small type, for the fingerprint at the end.
    pub fn small(&mut self, text: &str) {
        let run = self.run(text, Face::Body, SIZE_SMALL, false);
        self.paragraph_with(r#"<w:spacing w:before="240"/>"#, &run);
    }

    /// A table with borders whose header row repeats on every page, its
    /// columns as wide as their `weights` share of the text width; the
    /// `numeric` columns are right-aligned.
    pub fn table<S: AsRef<str>>(
        &mut self,
        headers: &[S],
        rows: &[Vec<String>],
        numeric: &[usize],
        weights: &[u32],
    ) {
        let text_width = PAGE.0 - MARGINS.2 - MARGINS.3;
        let total: u32 = weights.iter().sum::<u32>().max(1);
        let widths: Vec<u32> = weights.iter().map(|w| text_width * w / total).collect();
        let borders: String = ["top", "left", "bottom", "right", "insideH", "insideV"]
            .iter()
            .map(|side| {
                format!(r#"<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>"#)
            })
            .collect();
        let _ = write!(
            self.body,
            r#"<w:tbl><w:tblPr><w:tblW w:w="{text_width}" w:type="dxa"/><w:jc w:val="center"/><w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="80" w:type="dxa"/><w:right w:w="80" w:type="dxa"/></w:tblCellMar></w:tblPr><w:tblGrid>"#
        );
        for width in &widths {
            let _ = write!(self.body, r#"<w:gridCol w:w="{width}"/>"#);
        }
        self.body.push_str("</w:tblGrid>");
        let header: Vec<String> = headers.iter().map(|h| h.as_ref().to_string()).collect();
        self.row(&header, true, numeric, &widths);
        for row in rows {
            self.row(row, false, numeric, &widths);
        }
        self.body.push_str("</w:tbl>");
        // Word needs a paragraph between a table and what follows.
        self.paragraph_with(r#"<w:spacing w:before="0" w:after="0"/>"#, "");
    }

    /// One table row; `widths` are its columns', in twips.
    fn row(&mut self, cells: &[String], header: bool, numeric: &[usize], widths: &[u32]) {
        let props = if header {
            "<w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>"
        } else {
            "<w:trPr><w:cantSplit/></w:trPr>"
        };
        let _ = write!(self.body, "<w:tr>{props}");
        for (i, cell) in cells.iter().enumerate() {
            let align = if header {
                "center"
            } else if numeric.contains(&i) {
                "right"
            } else {
                "left"
            };
            let face = if header { Face::Heading } else { Face::Body };
            let run = self.run(cell, face, SIZE_TABLE, false);
            let width = widths.get(i).copied().unwrap_or(0);
            let _ = write!(
                self.body,
                r#"<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr><w:p><w:pPr><w:jc w:val="{align}"/><w:spacing w:before="0" w:after="0" w:line="320" w:lineRule="exact"/></w:pPr>{run}</w:p></w:tc>"#
            );
        }
        self.body.push_str("</w:tr>");
    }

    /// Zip the parts. Every entry carries the same fixed time, so the same
    /// report gives the same bytes.
    pub fn save<Out: Write + Seek>(self, out: Out) -> Result<()> {
        let mut zip = zip::ZipWriter::new(out);
        let options = SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(zip::DateTime::default());
        let parts = [
            ("[Content_Types].xml", CONTENT_TYPES.to_string()),
            ("_rels/.rels", ROOT_RELS.to_string()),
            ("word/_rels/document.xml.rels", DOCUMENT_RELS.to_string()),
            ("word/styles.xml", self.styles()),
            ("word/fontTable.xml", font_table()),
            ("word/footer1.xml", self.footer()),
            ("word/document.xml", self.document()),
        ];
        for (name, xml) in parts {
            zip.start_file(name, options).map_err(zip_error)?;
            zip.write_all(xml.as_bytes())?;
        }
        zip.finish().map_err(zip_error)?;
        Ok(())
    }

    fn document(&self) -> String {
        let (w, h) = PAGE;
        let (top, bottom, left, right) = MARGINS;
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:body>{}<w:sectPr><w:footerReference w:type="default" r:id="rIdFooter"/><w:pgSz w:w="{w}" w:h="{h}"/><w:pgMar w:top="{top}" w:right="{right}" w:bottom="{bottom}" w:left="{left}" w:header="851" w:footer="992" w:gutter="0"/></w:sectPr></w:body></w:document>"#,
            self.body
        )
    }

    fn styles(&self) -> String {
        let (east, latin) = Face::Body.fonts(self.lang);
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="{W_NS}"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="{latin}" w:hAnsi="{latin}" w:eastAsia="{east}" w:cs="{latin}"/><w:sz w:val="{SIZE_BODY}"/><w:szCs w:val="{SIZE_BODY}"/><w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:before="0" w:after="0" w:line="560" w:lineRule="exact"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style><w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:tblPr><w:tblCellMar><w:left w:w="108" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style></w:styles>"#
        )
    }

    /// "— 1 —", centred at the foot of every page.
    fn footer(&self) -> String {
        let (east, latin) = Face::Body.fonts(self.lang);
        let props = format!(
            r#"<w:rPr><w:rFonts w:ascii="{latin}" w:hAnsi="{latin}" w:eastAsia="{east}"/><w:sz w:val="{SIZE_PAGE_NUMBER}"/></w:rPr>"#
        );
        let text = |t: &str| format!(r#"<w:r>{props}<w:t xml:space="preserve">{t}</w:t></w:r>"#);
        let field =
            |kind: &str| format!(r#"<w:r>{props}<w:fldChar w:fldCharType="{kind}"/></w:r>"#);
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:ftr xmlns:w="{W_NS}"><w:p><w:pPr><w:jc w:val="center"/></w:pPr>{}{}<w:r>{props}<w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>{}{}{}{}</w:p></w:ftr>"#,
            text("— "),
            field("begin"),
            field("separate"),
            text("1"),
            field("end"),
            text(" —"),
        )
    }
}

/// Body paragraphs: the first line indented two characters, on the
/// 28-point line.
const INDENT: &str = r#"<w:ind w:firstLineChars="200" w:firstLine="640"/>"#;
const LINE: &str = r#"<w:spacing w:before="0" w:after="0" w:line="560" w:lineRule="exact"/>"#;

const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/><Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/></Types>"#;

const ROOT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;

const DOCUMENT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rIdFonts" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable" Target="fontTable.xml"/><Relationship Id="rIdFooter" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/></Relationships>"#;

fn font_table() -> String {
    let fonts: String = FONT_TABLE
        .iter()
        .map(|(name, alt)| {
            format!(
                r#"<w:font w:name="{}"><w:altName w:val="{}"/></w:font>"#,
                escape(name),
                escape(alt)
            )
        })
        .collect();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:fonts xmlns:w="{W_NS}">{fonts}</w:fonts>"#
    )
}

/// 1 → 一, 12 → 十二: enough for a report's headings.
fn chinese_numeral(n: u32) -> String {
    const DIGITS: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => DIGITS[n as usize].to_string(),
        10..=19 => format!("十{}", DIGITS[(n % 10) as usize]),
        20..=99 => format!(
            "{}十{}",
            DIGITS[(n / 10) as usize],
            DIGITS[(n % 10) as usize]
        ),
        _ => n.to_string(),
    }
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            // XML 1.0 has no place for other control characters; the
            // ledger refuses them, so only a tab can be here.
            c if c.is_control() && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

fn zip_error(err: zip::result::ZipError) -> Error {
    match err {
        zip::result::ZipError::Io(io) => io.into(),
        other => Input::Docx {
            why: other.to_string(),
        }
        .into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_are_numbered_in_chinese() {
        assert_eq!(chinese_numeral(1), "一");
        assert_eq!(chinese_numeral(10), "十");
        assert_eq!(chinese_numeral(12), "十二");
        assert_eq!(chinese_numeral(21), "二十一");
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape("a<b & \"c\"\u{7}"), "a&lt;b &amp; &quot;c&quot;");
    }
}
