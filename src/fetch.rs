//! The one module that talks to the browser's fetch: every `JsValue`/network error becomes a
//! plain message here, saying what was asked for and what went wrong.

use gloo_net::http::{Request, Response};

async fn get(url: &str) -> Result<Response, String> {
    Request::get(url).send().await.map_err(|e| format!("could not fetch {url}: {e}"))
}

async fn body(url: &str, resp: Response) -> Result<String, String> {
    if !resp.ok() {
        return Err(format!("could not fetch {url}: HTTP {} {}", resp.status(), resp.status_text()));
    }
    resp.text().await.map_err(|e| format!("could not read {url}: {e}"))
}

/// GET `url` as text. Errors name the URL and the HTTP status or network failure.
pub async fn fetch_text(url: &str) -> Result<String, String> {
    body(url, get(url).await?).await
}

/// GET `url` as text, or `None` when the server says it does not exist (HTTP 404).
pub async fn fetch_optional(url: &str) -> Result<Option<String>, String> {
    let resp = get(url).await?;
    if resp.status() == 404 {
        return Ok(None);
    }
    body(url, resp).await.map(Some)
}
