//! Inputs: the paths a user names, folders expanded into the documents they hold.
//!
//! [`Inputs`] is an iterator over [`Input`]s in a stable order. A file named on the
//! command line (or `-`, standard input) is taken as it is, whatever its extension. A
//! folder is walked with the `ignore` crate: `.gitignore`, `.ignore` and
//! `.git/info/exclude` files are respected (also outside a git repository), hidden
//! files and folders are skipped, `--glob` patterns include (`*.txt`) or exclude
//! (`!草稿/**`) paths relative to the folder (they only narrow: unlike ripgrep's
//! `--glob`, an include pattern never brings back an ignored or hidden file), and
//! only files of the document types in
//! [`DOCUMENT_EXTENSIONS`] are kept. Within a folder, entries are visited sorted by
//! name, depth first, which is the order of [`std::path::Path`]'s comparison (component
//! by component), so the order never depends on the file system.
//!
//! The walk streams: only the entries of the folders on the current path are held, never
//! the list of all files, so a folder of any size is walked in constant memory.

use std::path::{Path, PathBuf};

use ignore::overrides::{Override, OverrideBuilder};
use ignore::{Walk, WalkBuilder};

/// The extensions (lower case, without the dot) of the document types jiaohe reads
/// when it walks a folder. Files named on the command line are read whatever their
/// extension.
pub const DOCUMENT_EXTENSIONS: &[&str] = &["txt", "md", "html", "htm", "docx", "csv", "xlsx"];

/// Whether a path has one of [`DOCUMENT_EXTENSIONS`] (case-insensitive).
pub fn is_document(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        DOCUMENT_EXTENSIONS
            .iter()
            .any(|d| d.eq_ignore_ascii_case(e))
    })
}

/// One input to process, or a problem met while walking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A path to load (`-` is standard input).
    Path(String),
    /// A folder entry that could not be listed, or a bad pattern: a Chinese message
    /// naming the path.
    Error { path: String, message: String },
}

/// How folders are walked.
#[derive(Debug, Clone, Default)]
pub struct WalkOptions {
    /// `--glob` patterns, in order; `!` marks an exclusion.
    pub globs: Vec<String>,
}

enum Pending {
    Walk(Box<Walk>),
    One(Input),
}

/// The inputs of a list of command-line paths, in order; see the module documentation.
pub struct Inputs {
    args: std::vec::IntoIter<String>,
    options: WalkOptions,
    current: Option<Pending>,
}

impl Inputs {
    pub fn new(args: &[String], options: &WalkOptions) -> Self {
        Inputs {
            args: Vec::from(args).into_iter(),
            options: options.clone(),
            current: None,
        }
    }
}

fn overrides(root: &Path, globs: &[String]) -> Result<Override, String> {
    let mut b = OverrideBuilder::new(root);
    for g in globs {
        b.add(g)
            .map_err(|e| format!("--glob 模式“{g}”写法不对：{}", glob_reason(&e)))?;
    }
    b.build()
        .map_err(|e| format!("--glob 模式有误：{}", glob_reason(&e)))
}

fn glob_reason(e: &ignore::Error) -> String {
    // The crate's messages are English; keep them as a note after our own words.
    format!("（{e}）")
}

fn walker(root: &Path, options: &WalkOptions) -> Result<Walk, String> {
    let mut b = WalkBuilder::new(root);
    b.standard_filters(true)
        .require_git(false)
        .follow_links(false)
        .sort_by_file_name(std::cmp::Ord::cmp);
    if !options.globs.is_empty() {
        // Applied as a filter rather than as the crate's overrides, which would let
        // an include pattern bring back ignored and hidden files: `--glob` only
        // narrows. Excluded folders are not entered.
        let globs = overrides(root, &options.globs)?;
        b.filter_entry(move |e| {
            let is_dir = e.file_type().is_some_and(|t| t.is_dir());
            e.depth() == 0 || !globs.matched(e.path(), is_dir).is_ignore()
        });
    }
    Ok(b.build())
}

fn walk_error(e: &ignore::Error) -> Input {
    fn path_of(e: &ignore::Error) -> Option<&Path> {
        match e {
            ignore::Error::WithPath { path, .. } => Some(path),
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                path_of(err)
            }
            ignore::Error::Partial(v) => v.first().and_then(path_of),
            _ => None,
        }
    }
    fn io_of(e: &ignore::Error) -> Option<&std::io::Error> {
        match e {
            ignore::Error::Io(io) => Some(io),
            ignore::Error::WithPath { err, .. }
            | ignore::Error::WithDepth { err, .. }
            | ignore::Error::WithLineNumber { err, .. } => io_of(err),
            ignore::Error::Partial(v) => v.first().and_then(io_of),
            _ => None,
        }
    }
    let path = path_of(e).map_or_else(String::new, |p| p.display().to_string());
    let reason = io_of(e).map_or_else(|| format!("{e}"), crate::load::io_reason);
    Input::Error {
        message: format!("无法读取目录项 {path}：{reason}"),
        path,
    }
}

impl Iterator for Inputs {
    type Item = Input;

    fn next(&mut self) -> Option<Input> {
        loop {
            match self.current.take() {
                Some(Pending::One(i)) => return Some(i),
                Some(Pending::Walk(mut w)) => {
                    for entry in w.by_ref() {
                        match entry {
                            Err(e) => {
                                self.current = Some(Pending::Walk(w));
                                return Some(walk_error(&e));
                            }
                            Ok(ent) => {
                                // Walk roots are folders; only files below them count.
                                if ent.depth() == 0
                                    || !ent.file_type().is_some_and(|t| t.is_file())
                                    || !is_document(ent.path())
                                {
                                    continue;
                                }
                                self.current = Some(Pending::Walk(w));
                                return Some(Input::Path(ent.path().display().to_string()));
                            }
                        }
                    }
                }
                None => {
                    let arg = self.args.next()?;
                    let p = PathBuf::from(&arg);
                    self.current = Some(if arg != "-" && p.is_dir() {
                        match walker(&p, &self.options) {
                            Ok(w) => Pending::Walk(Box::new(w)),
                            Err(message) => Pending::One(Input::Error { path: arg, message }),
                        }
                    } else {
                        Pending::One(Input::Path(arg))
                    });
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(args: &[String], globs: &[&str]) -> Vec<String> {
        Inputs::new(
            args,
            &WalkOptions {
                globs: globs.iter().map(|s| (*s).to_owned()).collect(),
            },
        )
        .map(|i| match i {
            Input::Path(p) => p,
            Input::Error { message, .. } => format!("ERR {message}"),
        })
        .collect()
    }

    #[test]
    fn walks_sorted_filtered_and_ignoring() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for f in [
            "b.txt",
            "a.md",
            "a/z.txt",
            "a/y.html",
            "c.pdf",
            "skip.txt",
            ".hidden.txt",
            "draft/d.txt",
            "keep.TXT",
        ] {
            let p = root.join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, "x").unwrap();
        }
        std::fs::write(root.join(".gitignore"), "skip.txt\n").unwrap();
        let r = root.display().to_string();
        let rel = |v: Vec<String>| -> Vec<String> {
            v.into_iter()
                .map(|p| p.strip_prefix(&r).unwrap_or(&p).to_owned())
                .collect()
        };
        assert_eq!(
            rel(names(std::slice::from_ref(&r), &[])),
            [
                "/a/y.html",
                "/a/z.txt",
                "/a.md",
                "/b.txt",
                "/draft/d.txt",
                "/keep.TXT"
            ]
        );
        assert_eq!(
            rel(names(std::slice::from_ref(&r), &["!draft/**", "!*.md"])),
            ["/a/y.html", "/a/z.txt", "/b.txt", "/keep.TXT"]
        );
        assert_eq!(
            rel(names(std::slice::from_ref(&r), &["*.txt"])),
            ["/a/z.txt", "/b.txt", "/draft/d.txt"]
        );
        // A file named on the command line is kept whatever it is.
        let pdf = root.join("c.pdf").display().to_string();
        assert_eq!(
            names(std::slice::from_ref(&pdf), &["!*.pdf"]),
            std::slice::from_ref(&pdf)
        );
        let bad = names(std::slice::from_ref(&r), &["a{"]);
        assert!(bad[0].starts_with("ERR --glob 模式“a{”写法不对"), "{bad:?}");
    }
}
