//! `jiaohe init`: an example data file and a copy of a shipped template to start
//! from.

use std::io::{self, Write};
use std::path::PathBuf;

use crate::render::{TEMPLATES, builtin};

/// The example data written by `init` for each shipped template (the files of
/// `examples/render/`).
pub const EXAMPLE_DATA: &[(&str, &str)] = &[
    (
        "annual-review",
        include_str!("../../examples/render/shili-2025.yaml"),
    ),
    (
        "quarterly-brief",
        include_str!("../../examples/render/shili-2025-q3.yaml"),
    ),
    (
        "work-summary-plan",
        include_str!("../../examples/render/shili-gxj-2025.yaml"),
    ),
    (
        "bulletin-industry",
        include_str!("../../examples/render/shili-bulletin-2025.yaml"),
    ),
];

#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// 写入的文件夹（默认当前文件夹）
    pub dir: Option<PathBuf>,
    /// 复制哪个内置模板（默认 annual-review）
    #[arg(
        long,
        short = 't',
        value_name = "NAME",
        default_value = "annual-review"
    )]
    pub template: String,
    /// 允许覆盖已存在的文件
    #[arg(long)]
    pub force: bool,
}

/// `jiaohe init`.
pub fn run(args: &InitArgs, out: &mut dyn Write) -> io::Result<i32> {
    let Some(source) = builtin(&args.template) else {
        let names: Vec<&str> = TEMPLATES.iter().map(|(n, _, _)| *n).collect();
        let _ = writeln!(
            io::stderr(),
            "错误：没有名为“{}”的内置模板，可选：{}",
            args.template,
            names.join("、")
        );
        return Ok(2);
    };
    let dir = args.dir.clone().unwrap_or_else(|| PathBuf::from("."));
    let name = args.template.strip_suffix(".j2").unwrap_or(&args.template);
    let template_path = dir.join(format!("{name}.j2"));
    let data_path = dir.join("report-data.yaml");
    // The example data for this template, naming the template file next to it.
    let example = EXAMPLE_DATA
        .iter()
        .find(|(n, _)| *n == name)
        .map_or(EXAMPLE_DATA[0].1, |(_, d)| *d);
    let data = example.replacen(
        &format!("template: {name}"),
        &format!("template: {}", template_path.display()),
        1,
    );
    let files = [(&data_path, data), (&template_path, source.to_owned())];
    if !args.force {
        if let Some((p, _)) = files.iter().find(|(p, _)| p.exists()) {
            let _ = writeln!(
                io::stderr(),
                "错误：“{}”已存在，未覆盖；确需覆盖请加 --force",
                p.display()
            );
            return Ok(2);
        }
    }
    if let Err(e) = std::fs::create_dir_all(&dir) {
        let _ = writeln!(
            io::stderr(),
            "错误：无法创建文件夹“{}”：{}",
            dir.display(),
            crate::load::io_reason(&e)
        );
        return Ok(2);
    }
    for (p, body) in &files {
        if let Err(e) = std::fs::write(p, body) {
            let _ = writeln!(
                io::stderr(),
                "错误：无法写出“{}”：{}",
                p.display(),
                crate::load::io_reason(&e)
            );
            return Ok(2);
        }
        writeln!(out, "已写出 {}", p.display())?;
    }
    writeln!(
        out,
        "下一步：编辑数据后运行 jiaohe render {} -o 草稿.docx",
        data_path.display()
    )?;
    Ok(0)
}
