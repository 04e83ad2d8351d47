//! Tweets through a stand-in for the X API v2 that checks the OAuth 1.0a signature with its
//! own HMAC-SHA1 (RFC 5849 §3.4), not egg-mode's.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha1::Sha1;
use sitewatch::domain::alert::Event;
use sitewatch::domain::time::now_utc;

use super::{BASE, add_site, deliveries, queue, round, settings};
use crate::both_backends;
use crate::harness::receiver::{Answer, Received, Receiver};
use crate::harness::wait_until;

const CONSUMER_KEY: &str = "xvz1evFS4wEEPTGEFPHBog";
const CONSUMER_SECRET: &str = "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw";
const ACCESS_TOKEN: &str = "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb";
const ACCESS_SECRET: &str = "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE";

fn twitter_section(api: &Receiver, access_secret: &str) -> String {
    format!(
        "[twitter]\nenabled = true\nconsumer_key = \"{CONSUMER_KEY}\"\nconsumer_secret = \"{CONSUMER_SECRET}\"\n\
         access_token = \"{ACCESS_TOKEN}\"\naccess_secret = \"{access_secret}\"\nendpoint = \"{}\"\n",
        api.url("/2/tweets")
    )
}

/// RFC 3986 percent-encoding, as OAuth 1.0a requires.
fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            out.push(u8::from_str_radix(&text[i + 1..i + 3], 16).expect("a percent escape"));
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

/// Checks the request's OAuth 1.0a HMAC-SHA1 signature for `url`; `Err` says what is wrong.
fn verify_oauth(request: &Received, url: &str) -> Result<(), String> {
    let header = request.header("authorization").ok_or("no Authorization header")?;
    let params = header.strip_prefix("OAuth ").ok_or("not an OAuth header")?;
    let mut oauth: Vec<(String, String)> = params
        .split(',')
        .map(|pair| {
            let (k, v) = pair.trim().split_once('=').expect("key=\"value\"");
            (decode(k), decode(v.trim_matches('"')))
        })
        .collect();
    let get = |name: &str, list: &[(String, String)]| list.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    let signature = get("oauth_signature", &oauth).ok_or("no oauth_signature")?;
    if get("oauth_signature_method", &oauth).as_deref() != Some("HMAC-SHA1") {
        return Err("not HMAC-SHA1".into());
    }
    if get("oauth_consumer_key", &oauth).as_deref() != Some(CONSUMER_KEY)
        || get("oauth_token", &oauth).as_deref() != Some(ACCESS_TOKEN)
    {
        return Err("wrong consumer key or token".into());
    }
    let timestamp: i64 = get("oauth_timestamp", &oauth).ok_or("no timestamp")?.parse().map_err(|_| "bad timestamp")?;
    if (timestamp - now_utc().and_utc().timestamp()).abs() > 300 {
        return Err("stale timestamp".into());
    }
    oauth.retain(|(k, _)| k != "oauth_signature" && k != "realm");
    // A JSON body is not part of the signature (only form bodies are).
    let mut pairs: Vec<String> = oauth.iter().map(|(k, v)| format!("{}={}", encode(k), encode(v))).collect();
    pairs.sort();
    let base = format!("{}&{}&{}", request.method, encode(url), encode(&pairs.join("&")));
    let key = format!("{}&{}", encode(CONSUMER_SECRET), encode(ACCESS_SECRET));
    let mut mac = Hmac::<Sha1>::new_from_slice(key.as_bytes()).unwrap();
    mac.update(base.as_bytes());
    let expected = STANDARD.encode(mac.finalize().into_bytes());
    if expected == signature { Ok(()) } else { Err(format!("signature mismatch for base string {base}")) }
}

/// An X API stand-in: 401 with the API's error body for a bad signature, else `answer`.
fn api(mut answer: impl FnMut(&Received) -> Answer + Send + 'static) -> Receiver {
    let api = Receiver::always(500);
    let url = api.url("/2/tweets");
    api.respond_with(move |request| match verify_oauth(request, &url) {
        Ok(()) => answer(request),
        Err(_) => {
            Answer::json(401, r#"{"title":"Unauthorized","type":"about:blank","status":401,"detail":"Unauthorized"}"#)
        }
    });
    api
}

fn created() -> Answer {
    Answer::json(201, r#"{"data":{"id":"1445880548472328192","text":"ok"}}"#)
}

both_backends! {
    fn a_signed_tweet_reaches_the_api(db) {
        let api = api(|_| created());
        add_site(db, "api");
        let settings = settings(db, &format!("{BASE}{}", twitter_section(&api, ACCESS_SECRET)));
        let handle = db.open();
        let notification = queue(&handle, &settings, Event::OutageOpened, &["api"]);

        let report = round(&handle, &settings);
        assert_eq!(report.sent, 1, "{report:?}");
        let requests = api.received();
        assert_eq!(requests.len(), 1);
        let request = &requests[0];
        assert_eq!((request.method.as_str(), request.path.as_str()), ("POST", "/2/tweets"));
        assert!(request.header("content-type").unwrap().starts_with("application/json"));
        let body = request.json();
        assert_eq!(body.as_object().unwrap().len(), 1, "only `text`: {body}");
        let text = body["text"].as_str().unwrap();
        assert!(text.starts_with("✘ api is down (since 2026-11-21 10:30 CET)"), "{text}");
        assert!(text.ends_with(&format!("https://status.example.com/outages/{}", notification.outage_id.unwrap())));
        assert!(text.chars().count() <= 280);
        round(&handle, &settings);
        assert_eq!(api.received().len(), 1, "sent once");
    }

    fn a_wrong_secret_is_refused_and_reported_with_the_api_message(db) {
        let api = api(|_| created());
        add_site(db, "api");
        let settings = settings(db, &format!("{BASE}{}", twitter_section(&api, "not-the-secret")));
        let handle = db.open();
        queue(&handle, &settings, Event::OutageOpened, &["api"]);

        let report = round(&handle, &settings);
        assert_eq!((report.sent, report.retrying), (0, 1), "the stand-in checks the signature: {report:?}");
        let error = deliveries(&handle)[0].last_error.clone().unwrap();
        assert!(error.contains("401") && error.contains("Unauthorized"), "{error}");
        assert!(report.warning().unwrap().contains("X API refused the request (HTTP 401 Unauthorized"));
    }

    fn a_401_or_403_keeps_the_api_message(db) {
        let api = api(|_| Answer::json(403, r#"{"detail":"You are not permitted to perform this action.","status":403,"title":"Forbidden"}"#));
        add_site(db, "api");
        let settings = settings(db, &format!("{BASE}{}", twitter_section(&api, ACCESS_SECRET)));
        let handle = db.open();
        queue(&handle, &settings, Event::OutageOpened, &["api"]);
        round(&handle, &settings);
        let error = deliveries(&handle)[0].last_error.clone().unwrap();
        assert!(error.contains("HTTP 403 Forbidden: You are not permitted to perform this action."), "{error}");
    }

    fn a_429_waits_for_its_reset_time_then_one_tweet_is_posted(db) {
        let reset = now_utc().and_utc().timestamp() + 2;
        let mut first = true;
        let api = api(move |_| {
            if std::mem::take(&mut first) {
                Answer::json(429, r#"{"title":"Too Many Requests","detail":"Too Many Requests","status":429}"#)
                    .with_header("x-rate-limit-reset", &reset.to_string())
            } else {
                created()
            }
        });
        add_site(db, "api");
        let settings = settings(db, &format!("{BASE}{}", twitter_section(&api, ACCESS_SECRET)));
        let handle = db.open();
        queue(&handle, &settings, Event::OutageOpened, &["api"]);

        let report = round(&handle, &settings);
        assert_eq!((report.sent, report.deferred), (0, 1), "{report:?}");
        let waiting = deliveries(&handle)[0].clone();
        let not_before = waiting.not_before.expect("a reset time");
        assert_eq!(not_before.and_utc().timestamp(), reset);
        assert_eq!(waiting.attempts, 0, "a rate limit is not a failed attempt");

        if now_utc() < not_before {
            let report = round(&handle, &settings);
            assert_eq!(report.sent + report.deferred, 0, "not tried before the reset time");
            assert_eq!(api.received().len(), 1);
        }
        wait_until("the rate limit resets", std::time::Duration::from_secs(10), || now_utc() > not_before);
        let report = round(&handle, &settings);
        assert_eq!(report.sent, 1, "{report:?}");
        round(&handle, &settings);
        let posted = api.received().len();
        assert_eq!(posted, 2, "one refused, one tweet");
        assert_eq!(deliveries(&handle)[0].state, "sent");
    }
}
