//! A row counter on stderr for long imports and exports. It appears only
//! when stderr is a terminal (decided in main) and only once the work
//! passes about 10,000 rows, so tests, pipes and cron never see it.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

const SHOW_FROM: u64 = 10_000;

pub struct Progress {
    bar: Option<ProgressBar>,
    rows: u64,
}

impl Progress {
    pub fn rows(enabled: bool, label: &'static str) -> Progress {
        let bar = enabled.then(|| {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
            if let Ok(style) =
                ProgressStyle::with_template("{spinner} {msg}: {human_pos} rows ({elapsed})")
            {
                bar.set_style(style);
            }
            bar.set_message(label);
            bar
        });
        Progress { bar, rows: 0 }
    }

    pub fn row(&mut self) {
        self.rows += 1;
        if let Some(bar) = &self.bar {
            if self.rows == SHOW_FROM {
                bar.set_draw_target(ProgressDrawTarget::stderr());
            }
            if self.rows.is_multiple_of(256) || self.rows == SHOW_FROM {
                bar.set_position(self.rows);
            }
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
