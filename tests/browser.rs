//! Runs the browser tests (`tests/browser/run.mjs`) in headless Chromium.
//!
//! Needs Node, Debian's `chromium` and `npm ci` in `tests/browser`; `.ci/run` installs
//! them and sets `JIAOHE_REQUIRE_BROWSER=1`, which turns a missing tool into a
//! failure instead of a skip.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::Command;

#[test]
fn workbench_in_headless_chromium() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let node_ok = Command::new("node").arg("--version").output().is_ok();
    let missing: Vec<&str> = [
        (!node_ok).then_some("node"),
        (!Path::new(&chromium).exists()).then_some("chromium"),
        (!dir.join("node_modules/playwright-core").exists())
            .then_some("playwright-core（在 tests/browser 中运行 npm ci）"),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !missing.is_empty() {
        let msg = format!("浏览器测试缺少：{}", missing.join("、"));
        assert!(
            std::env::var_os("JIAOHE_REQUIRE_BROWSER").is_none(),
            "{msg}"
        );
        println!("注意：{msg}，跳过浏览器测试");
        return;
    }
    let out = Command::new("node")
        .arg(dir.join("run.mjs"))
        .env("JIAOHE_BIN", env!("CARGO_BIN_EXE_jiaohe"))
        .env("CHROMIUM", &chromium)
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    println!("{stdout}");
    assert!(
        out.status.success(),
        "browser tests failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
