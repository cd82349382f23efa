//! The device-code login (`--grant-type=device-code`), for hosts where no browser can reach a
//! loopback callback: SSH sessions, containers, remote shells. The user code and the
//! verification URI go to stderr; the browser opens `verification_uri_complete` unless
//! `--skip-open-browser`; the provider is polled until the code is approved or expires. With
//! PKCE where the provider takes it.

use std::time::{Duration, Instant};

use crate::error::{Error, Kind};
use crate::oidc::http::HttpClient;
use crate::oidc::provider::{ClientConfig, ProviderState, Tokens};
use crate::settings::Settings;
use crate::ui;

pub fn login(
    settings: &Settings,
    provider: &mut ProviderState,
    config: &ClientConfig,
    http: &HttpClient,
) -> anyhow::Result<Tokens> {
    if provider.device_endpoint().is_none() {
        return Err(Error::new(
            Kind::Config,
            format!(
                "{} offers no device flow (its discovery document has no device_authorization_endpoint); \
                 log in with --grant-type=authcode-keyboard (paste the code) or --grant-type=authcode",
                config.issuer
            ),
        ));
    }
    // PKCE where the provider takes it, as for the browser flow: the challenge goes with the
    // device authorization request, the verifier with each poll.
    let (challenge, verifier) = super::attempt::pkce(settings, provider).unzip();
    let device = provider.start_device(config, http, &settings.entry.scopes, challenge)?;
    let mut text = format!(
        "To log in to {}, open {} and enter the code {}",
        config.issuer, device.verification_uri, device.user_code
    );
    if let Some(complete) = &device.verification_uri_complete {
        text.push_str(&format!("\n(or open {complete})"));
    }
    ui::info(&text);
    let open = device
        .verification_uri_complete
        .as_deref()
        .unwrap_or(&device.verification_uri);
    if let Err(e) = settings.browser.open(open) {
        ui::warn(&format!("{e:#}; open the URL above yourself"));
    }
    // The provider's code lifetime, unless --authentication-timeout-sec asks for less.
    let timeout = match settings.auth_timeout_explicit {
        true => device.expires_in.min(settings.auth_timeout),
        false => device.expires_in,
    };
    let deadline = Instant::now() + timeout;
    let progress = ui::Progress::new();
    let sleep = |interval: Duration| countdown(&progress, &device.user_code, interval, deadline);
    let tokens = provider.finish_device(config, http, &device, verifier, sleep, timeout);
    progress.clear();
    tokens.map_err(|e| match crate::error::kind_of(&e) {
        Kind::LoginNeeded => e.context(
            "device login not finished; run the command again for a new code (and approve it sooner)",
        ),
        _ => e.context("login failed"),
    })
}

/// Sleep `interval` between two polls, saying each second how long the code has left.
fn countdown(progress: &ui::Progress, user_code: &str, interval: Duration, deadline: Instant) {
    let until = Instant::now() + interval;
    loop {
        let now = Instant::now();
        if now >= until {
            break;
        }
        let left = deadline.saturating_duration_since(now);
        progress.show(&format!(
            "Waiting for the code {user_code} to be approved: {} left",
            crate::text::duration(left.as_secs() as i64)
        ));
        std::thread::sleep((until - now).min(Duration::from_secs(1)));
    }
}
