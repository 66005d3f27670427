//! Batches: many inputs processed in parallel, results handed on in input order.
//!
//! [`Batch::run`] takes inputs from an iterator in *windows* of
//! [`WINDOW_PER_JOB`] × jobs items, processes a window on a rayon pool of `--jobs`
//! threads (the work function runs in parallel; collecting keeps input order), then
//! hands the window's results to the sink one by one, in input order, on the calling
//! thread, and drops them before the next window is read. So:
//! - output is byte-identical whatever the number of threads or their timing;
//! - at most one window of results is alive at a time, so memory does not grow with
//!   the number of inputs (work functions should return what is to be printed, not
//!   the extraction);
//! - the sink does only cheap work (writing bytes): rendering happens in the workers.
//!
//! A progress bar ([`indicatif`]) is drawn on standard error only when it is a
//! terminal and the run has more than [`PROGRESS_MIN_FILES`] inputs; otherwise
//! nothing is drawn, so pipes and tests see nothing.

use std::io;
use std::num::NonZeroUsize;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

/// Inputs per thread in one window: large enough that a slow file rarely leaves
/// threads idle at the window's end, small enough that a window of results is small.
pub const WINDOW_PER_JOB: usize = 16;

/// Runs with more inputs than this show a progress bar (on a terminal).
pub const PROGRESS_MIN_FILES: u64 = 20;

/// The default number of jobs: the number of cores.
pub fn default_jobs() -> usize {
    std::thread::available_parallelism().map_or(1, NonZeroUsize::get)
}

/// Whether a run of `total` inputs shows a progress bar.
pub fn wants_progress(stderr_is_terminal: bool, total: u64) -> bool {
    stderr_is_terminal && total > PROGRESS_MIN_FILES
}

/// A pool of workers and the progress bar of one run.
pub struct Batch {
    pool: rayon::ThreadPool,
    window: usize,
    progress: Option<ProgressBar>,
}

impl Batch {
    /// A batch of `jobs` threads (`0`: the number of cores). `total` is the number of
    /// inputs when known: with it, and standard error a terminal, a progress bar is
    /// drawn.
    pub fn new(jobs: usize, total: Option<u64>) -> Result<Batch, String> {
        let jobs = if jobs == 0 { default_jobs() } else { jobs };
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(jobs)
            .thread_name(|i| format!("jiaohe-{i}"))
            .build()
            .map_err(|e| format!("无法启动 {jobs} 个工作线程：{e}"))?;
        let progress = total
            .filter(|&t| wants_progress(io::IsTerminal::is_terminal(&io::stderr()), t))
            .map(|t| {
                let bar = ProgressBar::with_draw_target(Some(t), ProgressDrawTarget::stderr());
                if let Ok(style) = ProgressStyle::with_template(
                    "{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} 个文件（剩余约 {eta}）",
                ) {
                    bar.set_style(style);
                }
                bar
            });
        Ok(Batch {
            pool,
            window: WINDOW_PER_JOB * jobs,
            progress,
        })
    }

    /// Processes every input with `work` in parallel and hands each result to `sink`
    /// in input order. Stops at the first error the sink returns (a closed pipe).
    pub fn run<I, T, W, S>(&self, inputs: I, work: W, mut sink: S) -> io::Result<()>
    where
        I: Iterator,
        I::Item: Send,
        T: Send,
        W: Fn(I::Item) -> T + Sync,
        S: FnMut(T) -> io::Result<()>,
    {
        let mut inputs = inputs.peekable();
        while inputs.peek().is_some() {
            let window: Vec<I::Item> = inputs.by_ref().take(self.window).collect();
            let progress = self.progress.as_ref();
            let results: Vec<T> = self.pool.install(|| {
                window
                    .into_par_iter()
                    .map(|i| {
                        let r = work(i);
                        if let Some(p) = progress {
                            p.inc(1);
                        }
                        r
                    })
                    .collect()
            });
            for r in results {
                sink(r)?;
            }
        }
        Ok(())
    }

    /// Runs `f` (which writes to standard error) with the progress bar hidden.
    pub fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        match &self.progress {
            Some(p) => p.suspend(f),
            None => f(),
        }
    }

    /// Removes the progress bar.
    pub fn finish(&self) {
        if let Some(p) = &self.progress {
            p.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_in_input_order_whatever_the_timing() {
        for jobs in [1, 3, 8] {
            let batch = Batch::new(jobs, None).unwrap();
            let mut got = Vec::new();
            batch
                .run(
                    0..200u64,
                    |i| {
                        // Later inputs finish first.
                        std::thread::sleep(std::time::Duration::from_micros((200 - i) * 20));
                        i * 2
                    },
                    |r| {
                        got.push(r);
                        Ok(())
                    },
                )
                .unwrap();
            assert_eq!(got, (0..200).map(|i| i * 2).collect::<Vec<_>>(), "{jobs}");
        }
    }

    #[test]
    fn sink_errors_stop_the_run() {
        let batch = Batch::new(2, None).unwrap();
        let mut seen = 0;
        let r = batch.run(
            0..1000,
            |i| i,
            |_| {
                seen += 1;
                if seen == 5 {
                    Err(io::Error::new(io::ErrorKind::BrokenPipe, "closed"))
                } else {
                    Ok(())
                }
            },
        );
        assert!(r.is_err());
        assert_eq!(seen, 5);
    }

    #[test]
    fn progress_only_on_a_terminal_for_long_runs() {
        assert!(!wants_progress(false, 10_000));
        assert!(!wants_progress(true, PROGRESS_MIN_FILES));
        assert!(wants_progress(true, PROGRESS_MIN_FILES + 1));
    }
}
