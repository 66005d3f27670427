//! The local web workbench (`jiaohe serve`): a page and a JSON API over the same
//! library the CLI uses.
//!
//! # Brief overview
//!
//! - Listens on 127.0.0.1 only; requests whose `Host` is not the loopback address
//!   are refused (no DNS rebinding), and the API takes `application/json` only, so a
//!   web page elsewhere cannot post to it without a CORS preflight we never answer.
//! - The page (`web/`) is embedded in the binary ([`assets`]); nothing is fetched
//!   from the network and nothing is written to disk unless the user saves the
//!   baseline.
//! - Checking, extracting and rendering run on the blocking pool
//!   (`spawn_blocking`), so a large document never stalls other requests; a panic
//!   in one becomes a 500 for that request only.
//! - [`api`] holds the handlers; its module docs list the endpoints.

pub mod api;
pub mod assets;
pub mod draft;

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};

use crate::check::{LoadOptions, RuleSet};

/// Largest request body accepted (a Word file of a long report is a few MB).
pub const BODY_LIMIT: usize = 32 * 1024 * 1024;

/// Server options.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// 0 picks a free port.
    pub port: u16,
    /// Where "save reviewed findings" writes.
    pub baseline: PathBuf,
    /// `--rules` packs and `jiaohe.yaml`, as the CLI reads them.
    pub load: LoadOptions,
}

/// State shared by the handlers.
pub struct AppState {
    /// The rules as configured at start.
    pub rules: Arc<RuleSet>,
    pub options: Options,
    /// Rule sets with a user's pack added, by a hash of the pack text (a few only).
    pub packs: Mutex<Vec<(u64, Arc<RuleSet>)>>,
    /// Serialises writes of the baseline file.
    pub baseline_lock: Mutex<()>,
    /// The port actually bound (for the `Host` check).
    pub port: u16,
}

/// A bound server, ready to run.
pub struct Server {
    pub addr: SocketAddr,
    listener: tokio::net::TcpListener,
    app: Router,
}

impl Server {
    /// Serves until the process is stopped.
    pub async fn run(self) -> std::io::Result<()> {
        axum::serve(self.listener, self.app).await
    }
}

/// Loads the rules and binds 127.0.0.1:`port`.
pub async fn bind(options: Options) -> Result<Server, String> {
    let rules = RuleSet::load(&options.load).map_err(|errs| {
        errs.iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    })?;
    let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, options.port))
        .await
        .map_err(|e| format!("无法监听 127.0.0.1:{}：{e}", options.port))?;
    let addr = listener
        .local_addr()
        .map_err(|e| format!("无法取得监听地址：{e}"))?;
    let state = Arc::new(AppState {
        rules: Arc::new(rules),
        options,
        packs: Mutex::new(Vec::new()),
        baseline_lock: Mutex::new(()),
        port: addr.port(),
    });
    let app = router(state);
    Ok(Server {
        addr,
        listener,
        app,
    })
}

/// The routes.
pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .merge(assets::routes())
        .nest("/api", api::routes())
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(middleware::from_fn_with_state(state.clone(), loopback_only))
        .with_state(state)
}

/// Refuses requests addressed to any host name but the loopback one.
async fn loopback_only(State(state): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    let port = state.port;
    let ok = [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
    ]
    .iter()
    .any(|h| h == host);
    if ok {
        next.run(req).await
    } else {
        (StatusCode::FORBIDDEN, "只接受发往本机（127.0.0.1）的请求").into_response()
    }
}
