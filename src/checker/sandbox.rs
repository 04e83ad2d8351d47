//! The sandbox test (`check.sandbox_urls`): if none of the URLs that normally answer does,
//! the checker's own network is down and the round must not blame the sites.

use futures_util::future::join_all;

use super::probe::Prober;

/// `Ok(())` when at least one sandbox URL answered with any HTTP status (or there are none);
/// otherwise the failures, one per URL, for the offline message.
pub async fn check(prober: &Prober, urls: &[url::Url]) -> Result<(), Vec<String>> {
    if urls.is_empty() {
        return Ok(());
    }
    let results = join_all(urls.iter().map(|url| prober.probe(url))).await;
    if results.iter().any(|r| r.status_code.is_some()) {
        return Ok(());
    }
    Err(urls.iter().zip(&results).map(|(url, r)| format!("{url}: {}", r.outcome())).collect())
}
