//! The progress of reading the input, on standard error: bytes read and the rate, with a bar and the
//! time left when the size is known (a file; standard input's is not). On a terminal it is one line,
//! redrawn at most ten times a second and cleared as soon as reading ends, so that it is gone before
//! the output and before any error message. Without a flag it is shown only on a terminal and once the
//! input reaches 8 MiB (smaller files are read before a bar would help); `--quiet` turns it off;
//! `--progress` shows it for any input, and when standard error is not a terminal writes plain lines
//! instead: one a second at most while reading, and a last line with the total.
//!
//! Then the fitting of the prediction models ([`Fitting`]), shown when reading was: the steps done of
//! the fitting's steps (each candidate's fit and holdout refit, the spend model, the predictions), as a
//! bar cleared when the fitting ends, or as plain lines (one a second at most) and a last line.

use ltv_lens::FitProgress;
use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

/// Without `--progress`, the bytes an input must reach before the bar is drawn.
const AUTO_MIN_BYTES: u64 = 8 << 20;
/// The shortest time between two redraws of the bar.
const REDRAW: Duration = Duration::from_millis(100);
/// The shortest time between two plain lines (and before the first).
const LINE_EVERY: Duration = Duration::from_secs(1);
/// The bar's width in characters.
const BAR_WIDTH: usize = 24;
const MIB: f64 = (1u64 << 20) as f64;

/// What the flags ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// No flag: a bar on a terminal, for large inputs.
    Auto,
    /// `--quiet`: nothing.
    Quiet,
    /// `--progress`: always; plain lines when standard error is not a terminal.
    Forced,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    /// One line redrawn in place.
    Bar,
    /// Lines appended, for logs and pipes.
    Lines,
}

/// The progress display of one input.
pub struct Progress {
    style: Style,
    /// Nothing is drawn before this many bytes are read.
    show_from: u64,
    total: Option<u64>,
    read: u64,
    start: Instant,
    last: Option<Instant>,
    /// Whether the bar is on the screen (and must be cleared).
    drawn: bool,
}

impl Progress {
    /// The display for an input of `total` bytes (`None` when unknown), or `None` when nothing is to be
    /// shown.
    pub fn new(mode: Mode, total: Option<u64>) -> Option<Progress> {
        let (style, show_from) = style(mode, total)?;
        Some(Progress {
            style,
            show_from,
            total,
            read: 0,
            start: Instant::now(),
            last: None,
            drawn: false,
        })
    }

    /// Counts `bytes` more read, and redraws when it is time to.
    pub fn advance(&mut self, bytes: usize) {
        self.read += bytes as u64;
        if self.read < self.show_from {
            return;
        }
        let now = Instant::now();
        if !redraw_due(self.style, self.start, self.last, now) {
            return;
        }
        self.last = Some(now);
        let elapsed = now - self.start;
        let text = match self.style {
            Style::Bar => {
                self.drawn = true;
                format!("\r{}\x1b[K", bar_line(self.read, self.total, elapsed))
            }
            Style::Lines => format!("ltv-lens: {}\n", plain_line(self.read, self.total, elapsed)),
        };
        // Progress is a courtesy: a standard error that cannot be written to does not stop the work.
        let _ = std::io::stderr().lock().write_all(text.as_bytes());
    }

    /// Ends the display once the whole input is read: the bar is cleared, or the last line written.
    pub fn finish(self) {
        if self.style == Style::Lines {
            let line = format!(
                "ltv-lens: {}\n",
                summary_line(self.read, self.start.elapsed())
            );
            let _ = std::io::stderr().lock().write_all(line.as_bytes());
        }
    }
}

impl Drop for Progress {
    /// Clears the bar, also when reading stops on an error: the error message gets a clean line.
    fn drop(&mut self) {
        if self.drawn {
            let _ = std::io::stderr().lock().write_all(b"\r\x1b[K");
        }
    }
}

/// Whether a display of `style` started at `start`, last drawn at `last`, is to be drawn again at `now`.
fn redraw_due(style: Style, start: Instant, last: Option<Instant>, now: Instant) -> bool {
    match (style, last) {
        (Style::Bar, None) => true,
        (Style::Bar, Some(last)) => now - last >= REDRAW,
        (Style::Lines, last) => now - last.unwrap_or(start) >= LINE_EVERY,
    }
}

/// How the progress of an input of `total` bytes is shown, and from how many bytes read; `None` when
/// it is not.
fn style(mode: Mode, total: Option<u64>) -> Option<(Style, u64)> {
    let terminal = std::io::stderr().is_terminal();
    let (style, show_from) = match mode {
        Mode::Quiet => return None,
        Mode::Auto if !terminal => return None,
        Mode::Auto => (Style::Bar, AUTO_MIN_BYTES),
        Mode::Forced if terminal => (Style::Bar, 0),
        Mode::Forced => (Style::Lines, 0),
    };
    if total.is_some_and(|total| total < show_from) {
        return None;
    }
    Some((style, show_from))
}

/// The progress display of the models' fitting, after an input of `total` bytes was read.
pub struct Fitting {
    style: Style,
    start: Instant,
    last: Option<Instant>,
    /// Whether the bar is on the screen (and must be cleared).
    drawn: bool,
    /// The latest step reported.
    latest: Option<FitProgress>,
}

impl Fitting {
    /// The display, or `None` when the progress of reading an input of `total` bytes would not be
    /// shown either.
    pub fn new(mode: Mode, total: Option<u64>) -> Option<Fitting> {
        let (style, _) = style(mode, total)?;
        Some(Fitting {
            style,
            start: Instant::now(),
            last: None,
            drawn: false,
            latest: None,
        })
    }

    /// Shows `step`, when it is time to redraw.
    pub fn step(&mut self, step: FitProgress) {
        self.latest = Some(step);
        let now = Instant::now();
        if !redraw_due(self.style, self.start, self.last, now) {
            return;
        }
        self.last = Some(now);
        let text = match self.style {
            Style::Bar => {
                self.drawn = true;
                format!("\r{}\x1b[K", fitting_bar_line(step))
            }
            Style::Lines => format!("ltv-lens: {}\n", fitting_line(step)),
        };
        let _ = std::io::stderr().lock().write_all(text.as_bytes());
    }

    /// Ends the display once the models are fitted: the bar is cleared, or the last line written
    /// (nothing when no step was reported: the models were not fitted).
    pub fn finish(self) {
        if let (Style::Lines, Some(step)) = (self.style, self.latest) {
            let line = format!(
                "ltv-lens: fitted the models in {} steps in {:.1} s\n",
                step.total,
                self.start.elapsed().as_secs_f64()
            );
            let _ = std::io::stderr().lock().write_all(line.as_bytes());
        }
    }
}

impl Drop for Fitting {
    /// Clears the bar, also when the work stops on an error.
    fn drop(&mut self) {
        if self.drawn {
            let _ = std::io::stderr().lock().write_all(b"\r\x1b[K");
        }
    }
}

/// The share of the fitting's steps done, at most 1.
fn fitting_fraction(step: FitProgress) -> f64 {
    if step.total == 0 {
        1.0
    } else {
        (f64::from(step.done) / f64::from(step.total)).min(1.0)
    }
}

/// The fitting's bar: `fitting the models [######------]  25%  2 of 8 steps`.
fn fitting_bar_line(step: FitProgress) -> String {
    let fraction = fitting_fraction(step);
    let filled = (fraction * BAR_WIDTH as f64).floor() as usize;
    format!(
        "fitting the models [{}{}] {:>3.0}%  {} of {} steps",
        "#".repeat(filled),
        "-".repeat(BAR_WIDTH - filled),
        fraction * 100.0,
        step.done,
        step.total
    )
}

/// A plain line while fitting: `fitting the models: 2 of 8 steps (25%)`.
fn fitting_line(step: FitProgress) -> String {
    format!(
        "fitting the models: {} of {} steps ({:.0}%)",
        step.done,
        step.total,
        fitting_fraction(step) * 100.0
    )
}

/// The bar's line: `[######------]  25%  100.0 MiB of 400.0 MiB  50.0 MiB/s  6 s left`, or without a
/// known size `100.0 MiB read  50.0 MiB/s`.
fn bar_line(read: u64, total: Option<u64>, elapsed: Duration) -> String {
    let rate = rate(read, elapsed);
    let mut line = match total {
        Some(total) => {
            let fraction = fraction(read, total);
            let filled = (fraction * BAR_WIDTH as f64).floor() as usize;
            format!(
                "[{}{}] {:>3.0}%  {} of {}",
                "#".repeat(filled),
                "-".repeat(BAR_WIDTH - filled),
                fraction * 100.0,
                size(read),
                size(total)
            )
        }
        None => format!("{} read", size(read)),
    };
    if let Some(rate) = rate {
        line.push_str(&format!("  {:.1} MiB/s", rate / MIB));
    }
    if let Some(left) = time_left(read, total, rate) {
        line.push_str(&format!("  {left} left"));
    }
    line
}

/// A plain line while reading: `read 100.0 MiB of 400.0 MiB (25%), 50.0 MiB/s, 6 s left`.
fn plain_line(read: u64, total: Option<u64>, elapsed: Duration) -> String {
    let rate = rate(read, elapsed);
    let mut line = format!("read {}", size(read));
    if let Some(total) = total {
        line.push_str(&format!(
            " of {} ({:.0}%)",
            size(total),
            fraction(read, total) * 100.0
        ));
    }
    if let Some(rate) = rate {
        line.push_str(&format!(", {:.1} MiB/s", rate / MIB));
    }
    if let Some(left) = time_left(read, total, rate) {
        line.push_str(&format!(", {left} left"));
    }
    line
}

/// The last plain line: `read 1234 bytes (1.2 KiB) in 0.5 s` with the rate when it can be measured.
fn summary_line(read: u64, elapsed: Duration) -> String {
    let mut line = format!(
        "read {read} bytes ({}) in {:.1} s",
        size(read),
        elapsed.as_secs_f64()
    );
    if let Some(rate) = rate(read, elapsed) {
        line.push_str(&format!(", {:.1} MiB/s", rate / MIB));
    }
    line
}

/// `read / total`, at most 1 (a file may grow while it is read).
fn fraction(read: u64, total: u64) -> f64 {
    if total == 0 {
        1.0
    } else {
        (read as f64 / total as f64).min(1.0)
    }
}

/// Bytes per second, when any time has passed.
fn rate(read: u64, elapsed: Duration) -> Option<f64> {
    let seconds = elapsed.as_secs_f64();
    (seconds > 0.0 && read > 0).then(|| read as f64 / seconds)
}

/// The time left at the rate so far: `6 s`, `2 min 5 s`, `1 h 3 min`.
fn time_left(read: u64, total: Option<u64>, rate: Option<f64>) -> Option<String> {
    let left = total?.saturating_sub(read) as f64 / rate?;
    let seconds = left.ceil() as u64;
    Some(match seconds {
        0..60 => format!("{seconds} s"),
        60..3600 => format!("{} min {} s", seconds / 60, seconds % 60),
        _ => format!("{} h {} min", seconds / 3600, seconds % 3600 / 60),
    })
}

/// A byte count for people: `812 B`, `1.2 KiB`, `474.0 MiB`, `2.50 GiB`.
fn size(bytes: u64) -> String {
    let b = bytes as f64;
    match bytes {
        0..1024 => format!("{bytes} B"),
        1024..1_048_576 => format!("{:.1} KiB", b / 1024.0),
        1_048_576..1_073_741_824 => format!("{:.1} MiB", b / MIB),
        _ => format!("{:.2} GiB", b / (MIB * 1024.0)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECOND: Duration = Duration::from_secs(1);

    #[test]
    fn sizes_are_in_binary_units() {
        assert_eq!(size(0), "0 B");
        assert_eq!(size(1023), "1023 B");
        assert_eq!(size(1536), "1.5 KiB");
        assert_eq!(size(100 << 20), "100.0 MiB");
        assert_eq!(size(5 << 29), "2.50 GiB");
    }

    #[test]
    fn the_bar_shows_the_share_read_the_rate_and_the_time_left() {
        // 100 of 400 MiB in 2 s: 25 %, 50 MiB/s, 300 MiB left → 6 s; a quarter of 24 columns is 6.
        assert_eq!(
            bar_line(100 << 20, Some(400 << 20), 2 * SECOND),
            "[######------------------]  25%  100.0 MiB of 400.0 MiB  50.0 MiB/s  6 s left"
        );
        // Without a size: bytes and rate only.
        assert_eq!(
            bar_line(30 << 20, None, 4 * SECOND),
            "30.0 MiB read  7.5 MiB/s"
        );
        // Before any time has passed there is no rate, hence no time left.
        assert_eq!(
            bar_line(0, Some(1 << 20), Duration::ZERO),
            "[------------------------]   0%  0 B of 1.0 MiB"
        );
    }

    #[test]
    fn plain_lines_say_the_same_in_words() {
        // 1 MiB of 1 GiB in 1 s: 1023 MiB left at 1 MiB/s → 1023 s = 17 min 3 s.
        assert_eq!(
            plain_line(1 << 20, Some(1 << 30), SECOND),
            "read 1.0 MiB of 1.00 GiB (0%), 1.0 MiB/s, 17 min 3 s left"
        );
        assert_eq!(plain_line(3 << 20, None, SECOND), "read 3.0 MiB, 3.0 MiB/s");
        // 2 MiB of 10 GiB at 2 MiB/s: (10240 − 2) / 2 = 5119 s = 1 h 25 min 19 s, shown as 1 h 25 min.
        assert_eq!(
            time_left(2 << 20, Some(10 << 30), Some(2.0 * MIB)).unwrap(),
            "1 h 25 min"
        );
        assert_eq!(
            summary_line(1234, Duration::from_millis(500)),
            "read 1234 bytes (1.2 KiB) in 0.5 s, 0.0 MiB/s"
        );
    }

    #[test]
    fn the_fitting_shows_its_steps() {
        // 3 of 8 steps: 37.5 %, printed 38 % (half to even); 0.375 × 24 columns = 9 filled.
        let step = FitProgress { done: 3, total: 8 };
        assert_eq!(
            fitting_bar_line(step),
            "fitting the models [#########---------------]  38%  3 of 8 steps"
        );
        assert_eq!(fitting_line(step), "fitting the models: 3 of 8 steps (38%)");
        assert_eq!(fitting_fraction(FitProgress { done: 0, total: 0 }), 1.0);
    }

    #[test]
    fn a_file_that_grows_while_read_stays_at_100_percent() {
        assert_eq!(fraction(12, 10), 1.0);
        assert_eq!(fraction(0, 0), 1.0);
        assert_eq!(time_left(12, Some(10), Some(1.0)).unwrap(), "0 s");
    }
}
