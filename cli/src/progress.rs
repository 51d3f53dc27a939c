//! A spinner per running layer, on stderr, only when stderr is a terminal.

use guard_core::runner::RunEvent;
use guard_core::LayerOutcome;
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::collections::HashMap;
use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::Duration;

pub struct Progress {
    multi: Option<MultiProgress>,
    bars: Mutex<HashMap<String, ProgressBar>>,
}

impl Progress {
    pub fn new(enabled: bool) -> Self {
        let on = enabled && std::io::stderr().is_terminal();
        Progress {
            multi: on.then(|| MultiProgress::with_draw_target(ProgressDrawTarget::stderr())),
            bars: Mutex::new(HashMap::new()),
        }
    }

    pub fn event(&self, ev: RunEvent<'_>) {
        let Some(multi) = &self.multi else { return };
        let Ok(mut bars) = self.bars.lock() else {
            return;
        };
        match ev {
            RunEvent::Started(id) => {
                let bar = multi.add(ProgressBar::new_spinner());
                bar.set_style(
                    ProgressStyle::with_template("{spinner} {msg} {elapsed}")
                        .unwrap_or_else(|_| ProgressStyle::default_spinner()),
                );
                bar.set_message(id.to_string());
                bar.enable_steady_tick(Duration::from_millis(80));
                bars.insert(id.to_string(), bar);
            }
            RunEvent::Finished(id, outcome, took) => {
                if let Some(bar) = bars.remove(id) {
                    let mark = if matches!(outcome, LayerOutcome::Completed) {
                        "✓"
                    } else {
                        "✗"
                    };
                    bar.finish_with_message(format!(
                        "{mark} {id} {} ({:.0?})",
                        outcome.label(),
                        took
                    ));
                }
            }
        }
    }

    pub fn clear(&self) {
        if let Some(m) = &self.multi {
            let _ = m.clear();
        }
    }
}
