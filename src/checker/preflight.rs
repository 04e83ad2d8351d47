//! What `sitewatch doctor` asks of the checker without running a round: does the sandbox
//! answer, and may this process open ICMP sockets for ping sites?

use super::http::ClientError;
use super::ping::Pinger;
use super::probe::Prober;
use super::sandbox;
use crate::settings::Settings;

/// `Ok(Ok(()))` when a sandbox URL answered (or there are none), `Ok(Err(failures))` when
/// none did: the round would record nothing and exit 3.
pub async fn sandbox_answers(settings: &Settings) -> Result<Result<(), Vec<String>>, ClientError> {
    let prober = Prober::new(settings)?;
    Ok(sandbox::check(&prober, &settings.check.sandbox_urls).await)
}

/// Whether ping checks could run: at least one ICMP socket opens. Must run in the runtime.
pub fn icmp_allowed(settings: &Settings) -> bool {
    !Pinger::open(settings.check.source_address).not_permitted()
}
