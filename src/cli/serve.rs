//! `jiaohe serve`: the local web workbench.

use std::io::{self, Write};
use std::path::PathBuf;

use super::{RuleArgs, load_options};
use crate::serve;

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// 端口（0 表示自动选择空闲端口）
    #[arg(long, default_value_t = 8790)]
    pub port: u16,
    /// 启动后用默认浏览器打开页面
    #[arg(long)]
    pub open: bool,
    /// “保存复核记录”写入的基线文件（与 check --baseline 用同一格式）
    #[arg(long, value_name = "FILE", default_value = "jiaohe-baseline.yaml")]
    pub baseline: PathBuf,
    #[command(flatten)]
    pub rule_args: RuleArgs,
}

/// `jiaohe serve`.
pub fn run(args: &ServeArgs, out: &mut dyn Write) -> io::Result<i32> {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            let _ = writeln!(io::stderr(), "错误：无法启动服务：{e}");
            return Ok(2);
        }
    };
    let options = serve::Options {
        port: args.port,
        baseline: args.baseline.clone(),
        load: load_options(&args.rule_args),
    };
    runtime.block_on(async {
        let server = match serve::bind(options).await {
            Ok(s) => s,
            Err(e) => {
                let _ = writeln!(io::stderr(), "错误：{e}");
                return Ok(2);
            }
        };
        let url = format!("http://{}/", server.addr);
        writeln!(
            out,
            "校核工作台已启动：{url}（只在本机可访问；按 Ctrl+C 停止）"
        )?;
        out.flush()?;
        if args.open {
            if let Err(e) = webbrowser::open(&url) {
                let _ = writeln!(
                    io::stderr(),
                    "提示：无法打开浏览器（{e}），请手动访问 {url}"
                );
            }
        }
        tokio::select! {
            r = server.run() => r.map(|()| 0),
            _ = tokio::signal::ctrl_c() => Ok(0),
        }
    })
}
