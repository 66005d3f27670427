//! The workbench's JSON API, against a real server on a random local port: every
//! endpoint, bad requests of each kind, the loopback guard, and concurrent checks of
//! corpus documents that must equal the CLI's results.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

use base64::Engine as _;
use serde_json::{Value, json};

struct Server {
    addr: SocketAddr,
    baseline: PathBuf,
}

/// One server for the whole test binary, on its own runtime thread.
fn server() -> &'static Server {
    static S: OnceLock<Server> = OnceLock::new();
    S.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap().keep();
        let baseline = dir.join("reviewed.yaml");
        let options = jiaohe::serve::Options {
            port: 0,
            baseline: baseline.clone(),
            load: Default::default(),
        };
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let s = jiaohe::serve::bind(options).await.unwrap();
                tx.send(s.addr).unwrap();
                s.run().await.unwrap();
            });
        });
        let addr = rx.recv_timeout(Duration::from_secs(60)).unwrap();
        Server { addr, baseline }
    })
}

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// A minimal HTTP/1.1 client (so the tests can also send what a browser would not).
fn raw(method: &str, path: &str, host: Option<&str>, ctype: Option<&str>, body: &[u8]) -> Reply {
    let addr = server().addr;
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(120))).unwrap();
    let host = host.map_or_else(|| addr.to_string(), str::to_owned);
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    if let Some(c) = ctype {
        req.push_str(&format!("Content-Type: {c}\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).unwrap();
    // The server may answer (413) before reading everything; ignore write errors.
    let _ = s.write_all(body);
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    let end = buf
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no header end in {:?}", String::from_utf8_lossy(&buf)));
    let head = String::from_utf8_lossy(&buf[..end]).into_owned();
    let mut lines = head.split("\r\n");
    let status: u16 = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|c| c.parse().ok())
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let mut body = buf[end + 4..].to_vec();
    let chunked = headers
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    if chunked {
        let mut out = Vec::new();
        let mut rest = &body[..];
        loop {
            let nl = rest.windows(2).position(|w| w == b"\r\n").unwrap();
            let n = usize::from_str_radix(std::str::from_utf8(&rest[..nl]).unwrap().trim(), 16)
                .unwrap();
            if n == 0 {
                break;
            }
            out.extend_from_slice(&rest[nl + 2..nl + 2 + n]);
            rest = &rest[nl + 2 + n + 2..];
        }
        body = out;
    }
    Reply {
        status,
        headers,
        body,
    }
}

fn get(path: &str) -> Reply {
    raw("GET", path, None, None, b"")
}

fn post(path: &str, v: &Value) -> Reply {
    raw(
        "POST",
        path,
        None,
        Some("application/json"),
        v.to_string().as_bytes(),
    )
}

const DRAFT: &str = "examples/shili-2025-draft.txt";

fn draft() -> String {
    std::fs::read_to_string(DRAFT).unwrap()
}

#[test]
fn page_and_assets() {
    let r = get("/");
    assert_eq!(r.status, 200);
    assert!(r.text().contains("校核工作台"));
    let csp = r.header("Content-Security-Policy").unwrap();
    assert!(csp.contains("default-src 'self'"), "{csp}");
    for p in ["/app.js", "/app.css", "/draft.js"] {
        let r = get(p);
        assert_eq!(r.status, 200, "{p}");
        assert!(!r.body.is_empty());
    }
    // Nothing on the page comes from another host.
    let page = get("/").text()
        + &get("/app.js").text()
        + &get("/app.css").text()
        + &get("/draft.js").text();
    assert!(!page.contains("http://") && !page.contains("https://"));
}

#[test]
fn rules_endpoint() {
    let r = get("/api/rules");
    assert_eq!(r.status, 200);
    let v = r.json();
    let rules = v["rules"].as_array().unwrap();
    let a101 = rules.iter().find(|x| x["id"] == "A101").unwrap();
    assert!(a101["doc"].as_str().unwrap().chars().count() >= 20);
    assert!(a101["wrong"].is_string() && a101["right"].is_string());
    assert!(v["kinds"].as_array().unwrap().len() >= 8);
}

#[test]
fn check_matches_the_library_and_offsets_are_utf16() {
    let text = draft();
    let r = post("/api/check", &json!({"name": "draft.txt", "text": text}));
    assert_eq!(r.status, 200, "{}", r.text());
    let v = r.json();
    assert_eq!(v["version"], 1);
    let diags = v["diagnostics"].as_array().unwrap();
    let rules: Vec<&str> = diags.iter().map(|d| d["rule"].as_str().unwrap()).collect();
    for want in ["A101", "A102", "A103", "A104", "A108", "A110", "W409"] {
        assert!(rules.contains(&want), "{want} missing from {rules:?}");
    }
    let utf16: Vec<u16> = v["text"].as_str().unwrap().encode_utf16().collect();
    for d in diags {
        let (s, e) = (
            d["span"]["start"].as_u64().unwrap() as usize,
            d["span"]["end"].as_u64().unwrap() as usize,
        );
        let (a, b) = (
            d["at"][0].as_u64().unwrap() as usize,
            d["at"][1].as_u64().unwrap() as usize,
        );
        assert_eq!(
            String::from_utf16(&utf16[a..b]).unwrap(),
            text[s..e],
            "UTF-16 and byte spans agree for {}",
            d["rule"]
        );
        assert_eq!(
            d["related_at"].as_array().unwrap().len(),
            d["related"].as_array().unwrap().len()
        );
    }
    assert!(
        v["coverage"]["figures"].as_u64().unwrap() >= v["coverage"]["checked"].as_u64().unwrap()
    );
    let rows = v["rows"].as_array().unwrap();
    assert!(
        rows.iter().any(|r| r["indicator"] == "工业投资"),
        "{rows:?}"
    );
    assert_eq!(
        v["summary"]["errors"].as_u64().unwrap() as usize,
        diags.iter().filter(|d| d["severity"] == "error").count()
    );
}

#[test]
fn check_a_file_sent_as_bytes_in_gb18030() {
    let text = draft();
    let (bytes, _, _) = encoding_rs::GB18030.encode(&text);
    let data = base64::engine::general_purpose::STANDARD.encode(&bytes);
    let r = post("/api/check", &json!({"name": "草稿.txt", "data": data}));
    assert_eq!(r.status, 200, "{}", r.text());
    let v = r.json();
    assert_eq!(v["text"].as_str().unwrap(), text);
    assert!(v["diagnostics"].as_array().unwrap().len() >= 6);
}

/// Word, web-page and table files dropped on the page are read as the CLI reads them:
/// a rendered .docx comes back through /api/check, the HTML fixture's wrong 合计 and
/// the CSV table's are found, with the place a Word or table user can find.
#[test]
fn check_word_html_and_table_files() {
    let b64 = |bytes: &[u8]| base64::engine::general_purpose::STANDARD.encode(bytes);
    let d = post(
        "/api/render/download",
        &json!({"template": "quarterly-brief",
                "data_text": std::fs::read_to_string("examples/render/shili-2025-q3.yaml").unwrap(),
                "data_format": "yaml", "format": "docx"}),
    );
    assert_eq!(d.status, 200, "{}", d.text());
    let r = post(
        "/api/check",
        &json!({"name": "简报.docx", "data": b64(&d.body)}),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let v = r.json();
    assert!(v["text"].as_str().unwrap().contains("示例市"), "{v}");
    assert!(
        v["summary"]["figures"].as_u64().unwrap() > 10,
        "{}",
        v["summary"]
    );
    let errors = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .count();
    assert_eq!(errors, 0, "a rendered draft checks clean: {v}");

    let html = std::fs::read("tests/fixtures/tables/tables.html").unwrap();
    let r = post(
        "/api/check",
        &json!({"name": "page.html", "data": b64(&html)}),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let v = r.json();
    let rules: Vec<&str> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap())
        .collect();
    assert!(rules.contains(&"A140"), "{rules:?}");

    let csv = std::fs::read("tests/fixtures/tables/sheet.csv").unwrap();
    let r = post(
        "/api/check",
        &json!({"name": "sheet.csv", "data": b64(&csv)}),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let v = r.json();
    let places: Vec<&str> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["place"].as_str())
        .collect();
    assert!(places.contains(&"第5行第3列"), "{v}");
}

#[test]
fn disabled_rules_and_user_pack() {
    let text = draft();
    let v = post(
        "/api/check",
        &json!({"text": text, "disabled": ["A101", "w409"]}),
    )
    .json();
    let rules: Vec<&str> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap())
        .collect();
    assert!(
        !rules.contains(&"A101") && !rules.contains(&"W409"),
        "{rules:?}"
    );
    let pack = "rules:\n  - id: X901\n    name: big-growth\n    kind: expr\n    severity: info\n    when: \"change is not none and change > 10\"\n    message: 增速超过10%\n    help: 核实\n    doc: 本地规则：增速超过百分之十时提示复核，示例用。\n    examples:\n      wrong: 示例市工业投资增长16.2%。\n      right: 示例市工业投资增长6.2%。\n";
    let ok = post(
        "/api/rules/validate",
        &json!({"name": "mine.yaml", "text": pack}),
    );
    assert_eq!(ok.status, 200, "{}", ok.text());
    assert_eq!(ok.json()["rules"][0]["id"], "X901");
    let v = post(
        "/api/check",
        &json!({"text": text, "pack": pack, "pack_name": "mine.yaml"}),
    )
    .json();
    assert!(
        v["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["rule"] == "X901"),
        "{v}"
    );
    // A broken pack: 422 with line and column.
    let bad = pack.replace("kind: expr", "kind: nonsense");
    let r = post(
        "/api/rules/validate",
        &json!({"name": "mine.yaml", "text": bad}),
    );
    assert_eq!(r.status, 422);
    let e = &r.json()["errors"][0];
    assert_eq!(e["path"], "mine.yaml");
    assert_eq!(e["line"], 4);
    assert!(e["message"].as_str().unwrap().contains("nonsense"));
    let r = post("/api/check", &json!({"text": text, "pack": bad}));
    assert_eq!(r.status, 422);
    assert!(r.json()["error"].as_str().unwrap().contains("nonsense"));
}

#[test]
fn extract_endpoint_equals_cli_json() {
    let text = draft();
    let r = post("/api/extract", &json!({"name": DRAFT, "text": text}));
    assert_eq!(r.status, 200);
    let api = r.json();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_jiaohe"))
        .args(["extract", "-f", "json", DRAFT])
        .output()
        .unwrap();
    let cli: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(api["files"][0]["statements"], cli["files"][0]["statements"]);
}

#[test]
fn exports() {
    let text = draft();
    let body = json!({"name": "草稿.txt", "text": text});
    let cases = [
        ("json", "application/json"),
        ("sarif", "application/sarif+json"),
        ("html", "text/html"),
        ("csv", "text/csv"),
        ("xlsx", "application/vnd.openxmlformats"),
    ];
    for (f, mime) in cases {
        let r = post(&format!("/api/export/{f}"), &body);
        assert_eq!(r.status, 200, "{f}: {}", r.text());
        assert!(r.header("Content-Type").unwrap().starts_with(mime), "{f}");
        let cd = r.header("Content-Disposition").unwrap();
        assert!(
            cd.contains("attachment") && cd.contains("filename*=UTF-8''"),
            "{cd}"
        );
        assert!(!r.body.is_empty());
    }
    let html = post("/api/export/html", &body).text();
    assert!(html.contains("<mark class=\"error\"") && !html.contains("<script"));
    let sarif = post("/api/export/sarif", &body).json();
    assert_eq!(sarif["version"], "2.1.0");
    let xlsx = post("/api/export/xlsx", &body).body;
    assert_eq!(&xlsx[..2], b"PK", "an xlsx is a zip");
    let r = post("/api/export/pdf", &body);
    assert_eq!(r.status, 404);
    assert!(r.json()["error"].as_str().unwrap().contains("pdf"));
}

#[test]
fn bad_requests_get_chinese_errors() {
    // Not JSON.
    let r = raw("POST", "/api/check", None, Some("text/plain"), b"hello");
    assert_eq!(r.status, 415);
    assert!(r.json()["error"].as_str().unwrap().contains("JSON"));
    // Malformed JSON: line and column.
    let r = raw(
        "POST",
        "/api/check",
        None,
        Some("application/json"),
        b"{\"text\": \"a\",\n oops}",
    );
    assert_eq!(r.status, 400);
    let e = r.json()["error"].as_str().unwrap().to_owned();
    assert!(e.contains("第2行"), "{e}");
    // Unknown field, nothing to check, bad base64.
    for body in [
        json!({"txt": "a"}),
        json!({}),
        json!({"data": "%%%"}),
        json!({"text": "a", "data": "YQ=="}),
    ] {
        let r = post("/api/check", &body);
        assert_eq!(r.status, 400, "{body}: {}", r.text());
        assert!(!r.json()["error"].as_str().unwrap().is_empty());
    }
    // A binary file.
    let data =
        base64::engine::general_purpose::STANDARD.encode([0u8, 159, 146, 150, 0, 0, 1, 2, 3, 0]);
    let r = post("/api/check", &json!({"name": "x.txt", "data": data}));
    assert_eq!(r.status, 400);
    assert!(
        r.json()["error"].as_str().unwrap().contains("x.txt"),
        "{}",
        r.text()
    );
    // A bad date.
    let r = post("/api/check", &json!({"text": "a", "date": "2025/1/1"}));
    assert_eq!(r.status, 400);
    // Oversized.
    let big = vec![b'a'; jiaohe::serve::BODY_LIMIT + 1024];
    let r = raw("POST", "/api/check", None, Some("application/json"), &big);
    assert_eq!(r.status, 413);
    assert!(r.json()["error"].as_str().unwrap().contains("MB"));
    // Unknown endpoint.
    assert_eq!(get("/api/nothing").status, 404);
    // The server is still up.
    assert_eq!(get("/api/rules").status, 200);
}

#[test]
fn only_loopback_host_names() {
    let r = raw("GET", "/api/rules", Some("evil.example:80"), None, b"");
    assert_eq!(r.status, 403);
    let port = server().addr.port();
    let r = raw(
        "GET",
        "/api/rules",
        Some(&format!("localhost:{port}")),
        None,
        b"",
    );
    assert_eq!(r.status, 200);
}

#[test]
fn baseline_written_only_when_asked() {
    let s = server();
    let text = draft();
    let v = post("/api/check", &json!({"text": text})).json();
    let d = &v["diagnostics"][0];
    let b = get("/api/baseline").json();
    assert_eq!(b["path"], s.baseline.display().to_string());
    // An empty justification is refused and nothing is written.
    let r = post(
        "/api/baseline",
        &json!({"entries": [{"rule": d["rule"], "key": d["key"], "justification": " "}]}),
    );
    assert_eq!(r.status, 400);
    assert!(
        !s.baseline.exists()
            || std::fs::read_to_string(&s.baseline)
                .unwrap()
                .find(d["key"].as_str().unwrap())
                .is_none()
    );
    let r = post(
        "/api/baseline",
        &json!({"entries": [{"rule": d["rule"], "key": d["key"], "justification": "已核实，原文如此", "reviewer": "审核员"}]}),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let saved = std::fs::read_to_string(&s.baseline).unwrap();
    assert!(saved.contains("已核实，原文如此"));
    // The CLI reads the same file.
    let v = post("/api/check", &json!({"text": text, "baseline": true})).json();
    let same = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["key"] == d["key"])
        .unwrap();
    assert_eq!(same["reviewed"], "已核实，原文如此");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_jiaohe"))
        .args(["check", "-f", "json", "--no-config", DRAFT, "--baseline"])
        .arg(&s.baseline)
        .output()
        .unwrap();
    let cli: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(cli["summary"]["reviewed"].as_u64().unwrap() >= 1);
}

fn corpus_docs(n: usize) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    let mut v: Vec<PathBuf> = ["seeds", "real"]
        .iter()
        .flat_map(|d| {
            std::fs::read_dir(root.join(d))
                .into_iter()
                .flatten()
                .flatten()
        })
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    v.sort();
    if v.is_empty() {
        println!("注意：未找到 ../shared/corpus，改用 examples/ 中的文档");
        v = vec![
            PathBuf::from(DRAFT),
            PathBuf::from("examples/shili-2025-review.txt"),
        ];
    }
    v.into_iter().cycle().take(n).collect()
}

#[test]
fn fifty_concurrent_checks_equal_the_cli() {
    let docs = corpus_docs(50);
    let handles: Vec<_> = docs
        .iter()
        .cloned()
        .map(|p| {
            std::thread::spawn(move || {
                let data =
                    base64::engine::general_purpose::STANDARD.encode(std::fs::read(&p).unwrap());
                let name = p.display().to_string();
                let r = post("/api/check", &json!({"name": name, "data": data}));
                assert_eq!(r.status, 200, "{name}: {}", r.text());
                (p, r.json())
            })
        })
        .collect();
    let results: Vec<(PathBuf, Value)> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    let mut unique: Vec<&PathBuf> = docs.iter().collect();
    unique.sort();
    unique.dedup();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_jiaohe"))
        .args(["check", "-f", "json", "--no-config", "--fail-on", "never"])
        .args(&unique)
        .output()
        .unwrap();
    let cli: Value = serde_json::from_slice(&out.stdout).unwrap();
    let strip = |d: &Value| {
        let mut d = d.clone();
        let o = d.as_object_mut().unwrap();
        o.remove("at");
        o.remove("related_at");
        d
    };
    for (p, v) in results {
        let f = cli["files"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["path"] == p.display().to_string())
            .unwrap();
        let api: Vec<Value> = v["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(strip)
            .collect();
        assert_eq!(&Value::Array(api), &f["diagnostics"], "{}", p.display());
    }
}

#[test]
fn a_large_check_does_not_block_other_requests() {
    let text = draft().repeat(400); // ≈ 250 KB … enough to take a while in debug
    let big = std::thread::spawn(move || {
        let r = post("/api/check", &json!({"text": text}));
        assert_eq!(r.status, 200);
        std::time::Instant::now()
    });
    std::thread::sleep(Duration::from_millis(50));
    let r = get("/api/rules");
    let small_done = std::time::Instant::now();
    assert_eq!(r.status, 200);
    let big_done = big.join().unwrap();
    assert!(
        small_done <= big_done,
        "the small request waited for the large one"
    );
}

// ---------------------------------------------------------------- drafting

/// The example data of a shipped template, from `/api/templates`.
fn example(template: &str) -> Value {
    let r = get("/api/templates");
    assert_eq!(r.status, 200);
    let list = r.json()["templates"].as_array().unwrap().clone();
    let t = list
        .iter()
        .find(|t| t["name"] == template)
        .unwrap_or_else(|| panic!("no template {template}"));
    t["example"].clone()
}

#[test]
fn templates_list_titles_fields_and_examples() {
    let r = get("/api/templates");
    assert_eq!(r.status, 200);
    let v = r.json();
    let list = v["templates"].as_array().unwrap();
    assert_eq!(list.len(), 4);
    for t in list {
        assert!(!t["title"].as_str().unwrap().is_empty(), "{t}");
        assert!(t["fields"].as_str().unwrap().contains("必填"), "{t}");
        assert!(
            t["example"]["indicators"].as_array().unwrap().len() > 2,
            "{t}"
        );
        assert_eq!(t["example"]["report"]["template"], t["name"]);
    }
}

#[test]
fn render_each_format() {
    let data = example("quarterly-brief");
    for (format, mime) in [
        ("txt", "text/plain"),
        ("md", "text/markdown"),
        ("html", "text/html"),
        (
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml",
        ),
    ] {
        let body = json!({"template": "quarterly-brief", "data": data, "format": format});
        let r = post("/api/render", &body);
        assert_eq!(r.status, 200, "{format}: {}", r.text());
        let v = r.json();
        let text = v["text"].as_str().unwrap();
        assert!(text.contains("示例市"), "{format}: {text}");
        assert!(text.contains("958.3亿元"), "{format}: {text}");
        assert_eq!(v["format"], format);
        assert_eq!(v["errors"], 0, "{format}: {v}");
        assert!(v["diagnostics"].is_array() && v["issues"].is_array());
        assert!(v["computed"].is_array());
        // The download.
        let d = post("/api/render/download", &body);
        assert_eq!(d.status, 200, "{format}: {}", d.text());
        assert!(
            d.header("Content-Type").unwrap().starts_with(mime),
            "{format}: {:?}",
            d.header("Content-Type")
        );
        let cd = d.header("Content-Disposition").unwrap();
        assert!(
            cd.contains("attachment") && cd.contains(&format!(".{format}")),
            "{cd}"
        );
        assert!(!d.body.is_empty());
        if format == "docx" {
            assert_eq!(&d.body[..4], b"PK\x03\x04", "a docx is a zip");
            let zip = zip::ZipArchive::new(std::io::Cursor::new(d.body.clone()));
            let mut zip = zip.expect("a valid zip");
            let mut xml = String::new();
            zip.by_name("word/document.xml")
                .unwrap()
                .read_to_string(&mut xml)
                .unwrap();
            assert!(xml.contains("示例市"));
        } else {
            assert_eq!(String::from_utf8(d.body).unwrap(), text, "{format}");
        }
    }
}

#[test]
fn render_from_yaml_json_and_csv_text() {
    let yaml = std::fs::read_to_string("examples/render/shili-2025-q3.yaml").unwrap();
    let r = post(
        "/api/render",
        &json!({"template": "quarterly-brief", "data_text": yaml, "data_format": "yaml"}),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let v = r.json();
    // The data read back as JSON, for the page's table.
    assert_eq!(v["input"]["indicators"][1]["value"], 958.3);
    assert_eq!(v["template"], "quarterly-brief");
    // Without a template, the data's report.template.
    let r = post(
        "/api/render",
        &json!({"data_text": yaml, "data_format": "yaml"}),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["template"], "quarterly-brief");
    assert_eq!(r.json()["text"], v["text"]);
    let from_json = post(
        "/api/render",
        &json!({"template": "quarterly-brief", "data_text": v["input"].to_string(), "data_format": "json"}),
    );
    assert_eq!(from_json.status, 200);
    assert_eq!(from_json.json()["text"], v["text"]);
    // The CSV example is meant for `--each scope`: no region of its own.
    let csv = std::fs::read_to_string("examples/render/counties-2025-q3.csv").unwrap();
    let r = post(
        "/api/render",
        &json!({"template": "quarterly-brief", "data_text": csv, "data_format": "csv"}),
    );
    assert_eq!(r.status, 422, "{}", r.text());
    assert!(r.json()["error"].as_str().unwrap().contains("region"));
    let csv = format!("# region: 示例市\n{csv}");
    let r = post(
        "/api/render",
        &json!({"template": "quarterly-brief", "data_text": csv, "data_format": "csv"}),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r.json()["text"].as_str().unwrap().contains("示例县"));
    // Broken YAML: line and column.
    let r = post(
        "/api/render",
        &json!({"template": "quarterly-brief", "data_text": "report:\n  region: [示例市\n", "data_format": "yaml"}),
    );
    assert_eq!(r.status, 422, "{}", r.text());
    assert!(
        r.json()["error"].as_str().unwrap().contains("行"),
        "{}",
        r.text()
    );
}

#[test]
fn self_check_findings_have_utf16_offsets_into_the_prose() {
    let mut data = example("quarterly-brief");
    // 规上工业增加值 ranked 18th of 17 市州: the self-check's A121 fires.
    data["indicators"][0]["rank"]["pos"] = json!(18);
    let r = post(
        "/api/render",
        &json!({"template": "quarterly-brief", "data": data}),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let v = r.json();
    let prose: Vec<u16> = v["prose"].as_str().unwrap().encode_utf16().collect();
    let diags = v["diagnostics"].as_array().unwrap();
    assert!(
        diags
            .iter()
            .any(|d| d["severity"] == "error" && d["rule"] == "A121"),
        "expected A121: {v}"
    );
    for d in diags {
        let at = d["at"].as_array().unwrap();
        let (a, b) = (
            at[0].as_u64().unwrap() as usize,
            at[1].as_u64().unwrap() as usize,
        );
        assert!(a < b && b <= prose.len(), "{d}");
        let piece = String::from_utf16(&prose[a..b]).unwrap();
        assert!(!piece.trim().is_empty(), "{d}");
    }
    assert!(v["errors"].as_u64().unwrap() >= 1);
}

#[test]
fn render_errors_are_chinese_with_the_field() {
    // A field the template needs is missing: 422 naming it and the line.
    let r = post(
        "/api/render",
        &json!({"template": "{{ region }}\n{{ dept }}", "data": {"report": {"region": "示例市"}, "indicators": []}}),
    );
    assert_eq!(r.status, 422, "{}", r.text());
    let e = r.json()["error"].as_str().unwrap().to_owned();
    assert!(e.contains("dept") && e.contains("第2行"), "{e}");
    // A shipped template without its required field.
    let mut data = example("quarterly-brief");
    data["report"].as_object_mut().unwrap().remove("region");
    let r = post(
        "/api/render",
        &json!({"template": "quarterly-brief", "data": data}),
    );
    assert_eq!(r.status, 422, "{}", r.text());
    let e = r.json()["error"].as_str().unwrap().to_owned();
    assert!(e.contains("region"), "{e}");
    // An indicator without a name.
    let r = post(
        "/api/render",
        &json!({"template": "quarterly-brief", "data": {"report": {"region": "示例市"}, "indicators": [{"value": 1}]}}),
    );
    assert_eq!(r.status, 422, "{}", r.text());
    assert!(
        r.json()["error"].as_str().unwrap().contains("name"),
        "{}",
        r.text()
    );
    // Bad requests: 400.
    for body in [
        json!({"template": "quarterly-brief"}),
        json!({"template": "", "data": {}}),
        json!({"data": {"report": {"region": "示例市"}, "indicators": []}}),
        json!({"template": "quarterly-brief", "data": {}, "format": "pdf"}),
        json!({"template": "quarterly-brief", "data_text": "a", "data_format": "xls"}),
        json!({"template": "quarterly-brief", "data": {}, "data_text": "a"}),
        json!({"template": "quarterly-brief", "data": {}, "colour": "red"}),
    ] {
        let r = post("/api/render", &body);
        assert_eq!(r.status, 400, "{body}: {}", r.text());
        assert!(!r.json()["error"].as_str().unwrap().is_empty());
    }
    // Malformed JSON, not JSON, oversized.
    let r = raw(
        "POST",
        "/api/render",
        None,
        Some("application/json"),
        b"{\"template\": \"quarterly-brief\",\n data: 1}",
    );
    assert_eq!(r.status, 400);
    assert!(r.json()["error"].as_str().unwrap().contains("第2行"));
    let r = raw("POST", "/api/render", None, Some("text/yaml"), b"a: 1");
    assert_eq!(r.status, 415);
    let big = vec![b' '; jiaohe::serve::BODY_LIMIT + 1024];
    let r = raw(
        "POST",
        "/api/render/download",
        None,
        Some("application/json"),
        &big,
    );
    assert_eq!(r.status, 413);
    assert!(r.json()["error"].as_str().unwrap().contains("MB"));
    assert_eq!(get("/api/templates").status, 200);
}
