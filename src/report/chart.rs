//! The burndown chart: open measures per day (or week), in ASCII, with the
//! ideal straight line to zero marked `*`. Block characters (█▅▂) are
//! ambiguous-width in Chinese terminals and break the columns there.

use chrono::NaiveDate;
use serde::ser::SerializeSeq;

const HEIGHT: i64 = 10;
/// A cell filled by eighths: a low part `.`, half or more `:`, full `#`.
const BLOCKS: [char; 9] = [' ', '.', '.', '.', ':', ':', ':', ':', '#'];
/// The ideal line where no bar reaches.
const IDEAL: char = '*';
/// The terminal width the chart fits, its label and axis included.
const WIDTH: usize = 80;

#[derive(Debug, Clone)]
pub struct Burndown {
    start: NaiveDate,
    days: u32,
    /// Open measures on each day from the start up to the report date.
    open: Vec<i64>,
    total: i64,
}

/// In JSON, one `{date, open}` per day from the start to the report date.
impl serde::Serialize for Burndown {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(serde::Serialize)]
        struct Day {
            date: NaiveDate,
            open: i64,
        }
        let mut seq = s.serialize_seq(Some(self.open.len()))?;
        for (offset, &open) in self.open.iter().enumerate() {
            let date = crate::dates::add_days(self.start, offset as u64).unwrap_or(self.start);
            seq.serialize_element(&Day { date, open })?;
        }
        seq.end()
    }
}

impl Burndown {
    pub fn new(start: NaiveDate, days: u32, open: Vec<i64>, total: i64) -> Self {
        Burndown {
            start,
            days,
            open,
            total,
        }
    }

    /// Days a column: the fewest that fit the campaign in 80 columns.
    pub fn step(&self) -> u32 {
        let room = (WIDTH - self.label_width() - 2) as u32;
        self.days.div_ceil(room).max(1)
    }

    /// The widest figure on the vertical axis.
    fn label_width(&self) -> usize {
        self.peak().to_string().len()
    }

    fn peak(&self) -> i64 {
        self.open
            .iter()
            .copied()
            .max()
            .unwrap_or(0)
            .max(self.total)
            .max(1)
    }

    pub fn render(&self) -> Vec<String> {
        let step = self.step();
        let columns = self.days.div_ceil(step) as usize;
        let points: Vec<Option<i64>> = (0..columns)
            .map(|c| {
                // A week is shown by its last day that has happened.
                let last = ((c + 1) * step as usize).min(self.days as usize) - 1;
                let first = c * step as usize;
                (first < self.open.len()).then(|| self.open[last.min(self.open.len() - 1)])
            })
            .collect();
        let peak = self.peak();
        let ideal = |c: usize| -> i64 {
            if columns <= 1 {
                return 0;
            }
            let left = (columns - 1 - c) as i64;
            (self.total * left + (columns as i64 - 1) / 2) / (columns as i64 - 1)
        };
        let label_width = self.label_width();
        let mut lines = Vec::new();
        for row in (0..HEIGHT).rev() {
            let mut line = String::new();
            let label = match row {
                r if r == HEIGHT - 1 => peak.to_string(),
                0 => "0".to_string(),
                _ => String::new(),
            };
            line.push_str(&format!("{label:>label_width$} |"));
            for (c, point) in points.iter().enumerate() {
                let eighths = point.map_or(0, |v| v * HEIGHT * 8 / peak);
                let fill = (eighths - row * 8).clamp(0, 8) as usize;
                let ideal_row = (ideal(c) * HEIGHT / peak).min(HEIGHT - 1);
                let ch = if fill == 0 && ideal_row == row {
                    IDEAL
                } else {
                    BLOCKS[fill]
                };
                line.push(ch);
            }
            lines.push(line.trim_end().to_string());
        }
        let end = crate::dates::add_days(self.start, u64::from(self.days.max(1)) - 1)
            .unwrap_or(self.start);
        lines.push(format!("{:>label_width$} +{}", "", "-".repeat(columns)));
        let start_label = self.start.format("%m-%d").to_string();
        let end_label = end.format("%m-%d").to_string();
        let gap = columns
            .saturating_sub(start_label.len() + end_label.len())
            .max(1);
        lines.push(format!(
            "{:>label_width$}  {start_label}{}{end_label}",
            "",
            " ".repeat(gap)
        ));
        lines
    }
}
