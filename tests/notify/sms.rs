//! SMS through a Twilio stand-in (basic auth and form fields checked, 201 with a `sid`) and a
//! generic gateway stand-in (JSON or form, header auth), with every answer a gateway can give.

use std::ops::Deref;
use std::sync::{Arc, Mutex};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::TimeDelta;
use diesel::prelude::*;
use sitewatch::db::models::recipient::{Recipient, Scope};
use sitewatch::db::models::site::Site;
use sitewatch::db::schema::deliveries;
use sitewatch::domain::alert::Event;
use sitewatch::domain::time::now_utc;

use super::{BASE, TWILIO_SID, TWILIO_TOKEN, add_site, deliveries, queue, round, settings, twilio_section};
use crate::both_backends;
use crate::harness::receiver::{Answer, Received, Receiver};
use crate::harness::sw;

/// What the stand-in answers a well-formed, authenticated request with.
pub(super) type Reply = fn(&Received) -> Answer;

/// A Twilio stand-in: refuses a request without the right basic auth or form fields as Twilio
/// does, else answers with the reply the test set.
pub(super) struct Twilio {
    receiver: Receiver,
    reply: Arc<Mutex<Reply>>,
}

impl Twilio {
    pub(super) fn reply_with(&self, reply: Reply) {
        *self.reply.lock().unwrap() = reply;
    }
}

impl Deref for Twilio {
    type Target = Receiver;

    fn deref(&self) -> &Receiver {
        &self.receiver
    }
}

pub(super) fn twilio(reply: Reply) -> Twilio {
    let reply = Arc::new(Mutex::new(reply));
    let current = Arc::clone(&reply);
    let receiver = Receiver::start(move |request| {
        let expected = format!("Basic {}", STANDARD.encode(format!("{TWILIO_SID}:{TWILIO_TOKEN}")));
        if request.header("authorization") != Some(expected.as_str()) {
            return Answer::json(
                401,
                r#"{"code": 20003, "message": "Authenticate", "more_info": "https://www.twilio.com/docs/errors/20003", "status": 401}"#,
            );
        }
        let path_ok = request.path == format!("/2010-04-01/Accounts/{TWILIO_SID}/Messages.json");
        let form = request.form();
        let fields_ok = ["To", "From", "Body"].iter().all(|f| form.get(*f).is_some_and(|v| !v.is_empty()));
        if request.method != "POST"
            || !path_ok
            || !fields_ok
            || request.header("content-type") != Some("application/x-www-form-urlencoded")
        {
            return Answer::json(
                400,
                r#"{"code": 21604, "message": "A 'To' phone number is required.", "more_info": "https://www.twilio.com/docs/errors/21604", "status": 400}"#,
            );
        }
        let reply = *current.lock().unwrap();
        reply(request)
    });
    Twilio { receiver, reply }
}

pub(super) fn queued(_: &Received) -> Answer {
    Answer::json(201, r#"{"sid": "SM0123456789abcdef0123456789abcdef", "status": "queued"}"#)
}

fn sent_to(receiver: &Receiver) -> Vec<String> {
    let mut to: Vec<String> = receiver.received().iter().map(|r| r.form()["To"].clone()).collect();
    to.sort();
    to
}

both_backends! {
    fn each_phone_recipient_gets_one_sms_through_twilio(db) {
        let gateway = twilio(queued);
        let smtp = crate::harness::smtp::SmtpServer::plain();
        add_site(db, "api");
        add_site(db, "shop");
        let handle = db.open();
        sw(db, &["recipient", "add", "+44 7700 900123", "--site", "api"]).ok();
        sw(db, &["recipient", "add", "+1 (555) 010-0199", "--group", "web"]).ok();
        sw(db, &["recipient", "add", "+33 6 12 34 56 78"]).ok();
        sw(db, &["recipient", "add", "+49 151 23456789", "--site", "shop"]).ok();
        sw(db, &["recipient", "add", "ops@example.com"]).ok();
        let toml = format!(
            "{BASE}{}{}",
            twilio_section(&gateway.url(""), "to = [\"+447700900123\", \"+4915100000000\"]"),
            crate::notify::email_section(smtp.addr.port(), "")
        );
        let settings = settings(db, &toml);
        let notification = queue(&handle, &settings, Event::OutageOpened, &["api"]);

        let report = round(&handle, &settings);
        assert_eq!((report.sent, report.failed, report.retrying), (5, 0, 0), "{report:?}");
        assert_eq!(
            sent_to(&gateway),
            ["+15550100199", "+33612345678", "+447700900123", "+4915100000000"],
            "global, all-alerts, group and site numbers, each once; the shop's number hears nothing"
        );
        let request = &gateway.received()[0];
        let form = request.form();
        assert_eq!(form["From"], "+15005550006");
        let link = format!("https://status.example.com/outages/{}", notification.outage_id.unwrap());
        assert_eq!(form["Body"], format!("DOWN: api since 21 Nov 10:30 {link}"), "Paris time, the day (the test outage began days ago), the link");
        assert_eq!(smtp.received_by("ops@example.com").len(), 1, "e-mail recipients get no SMS, and still their mail");
        assert!(deliveries(&handle).iter().all(|d| d.state == "sent"));
        assert_eq!(round(&handle, &settings).sent, 0, "sent once");
        assert_eq!(gateway.received().len(), 4);
    }

    fn phone_recipients_are_refused_twice_in_one_scope(db) {
        add_site(db, "api");
        sw(db, &["recipient", "add", "+447700900123", "--site", "api"]).ok();
        let error = sw(db, &["recipient", "add", "+44 7700-900123", "--site", "api"]).usage_error();
        assert!(error.contains("+447700900123 already receives these alerts"), "{error}");
        sw(db, &["recipient", "add", "+447700900123"]).ok();
        let handle = db.open();
        let mut conn = handle.conn().unwrap();
        let api = Site::by_slug(&mut conn, "api").unwrap();
        let rows = Recipient::in_scope(&mut conn, Scope::Site(api.id)).unwrap();
        assert_eq!((rows.len(), rows[0].email.as_str(), rows[0].kind.as_str()), (1, "+447700900123", "phone"));
        let error = sw(db, &["recipient", "add", "ops at example"]).usage_error();
        assert!(error.contains("neither an e-mail address") && error.contains("phone number"), "{error}");
    }

    fn a_twilio_refusal_fails_the_sms_with_twilios_message_and_code(db) {
        let gateway = twilio(|_| Answer::json(400, r#"{"code": 21211, "message": "The 'To' number +15005550001 is not a valid phone number.", "more_info": "https://www.twilio.com/docs/errors/21211", "status": 400}"#));
        add_site(db, "api");
        let settings = settings(db, &format!("{BASE}{}", twilio_section(&gateway.url(""), "to = [\"+15005550001\"]")));
        let handle = db.open();
        queue(&handle, &settings, Event::OutageOpened, &["api"]);
        let report = round(&handle, &settings);
        assert_eq!(report.failed, 1, "{report:?}");
        let delivery = &deliveries(&handle)[0];
        assert_eq!((delivery.state.as_str(), delivery.attempts), ("failed", 1));
        let error = delivery.last_error.clone().unwrap();
        assert_eq!(
            error,
            "Twilio refused the message (HTTP 400 Bad Request: The 'To' number +15005550001 is not a valid phone number. \
             (Twilio error 21211, https://www.twilio.com/docs/errors/21211))"
        );
        let listed = sw(db, &["notify", "list", "--json"]).run().json();
        assert_eq!(listed[0]["channel"], "sms");
        assert_eq!(listed[0]["last_error"], error.as_str(), "shown as stored");
        assert!(report.warning().unwrap().contains("sms to +15005550001: Twilio refused the message"));
        round(&handle, &settings);
        assert_eq!(gateway.received().len(), 1, "a refused SMS is not sent again");
    }

    fn wrong_credentials_are_retried_once_fixed(db) {
        let gateway = twilio(queued);
        add_site(db, "api");
        let wrong = settings(db, &format!("{BASE}{}", twilio_section(&gateway.url(""), "to = [\"+447700900123\"]").replace(TWILIO_TOKEN, "stale")));
        let handle = db.open();
        queue(&handle, &wrong, Event::OutageOpened, &["api"]);
        let report = round(&handle, &wrong);
        assert_eq!(report.retrying, 1, "{report:?}");
        let error = deliveries(&handle)[0].last_error.clone().unwrap();
        assert!(error.contains("refused the credentials") && error.contains("Authenticate") && error.contains("20003"), "{error}");
        let right = settings(db, &format!("{BASE}{}", twilio_section(&gateway.url(""), "to = [\"+447700900123\"]")));
        assert_eq!(round(&handle, &right).sent, 1);
    }

    fn a_429_waits_for_the_reset_and_a_500_is_retried(db) {
        let gateway = twilio(|_| Answer::json(429, r#"{"code": 20429, "message": "Too Many Requests", "more_info": "", "status": 429}"#).with_header("Retry-After", "120"));
        add_site(db, "api");
        let settings = settings(db, &format!("{BASE}{}", twilio_section(&gateway.url(""), "to = [\"+447700900123\", \"+447700900124\"]")));
        let handle = db.open();
        queue(&handle, &settings, Event::OutageOpened, &["api"]);
        let report = round(&handle, &settings);
        assert_eq!(report.deferred, 2, "the second waits as long as the first: {report:?}");
        assert_eq!(gateway.received().len(), 1);
        for delivery in deliveries(&handle) {
            let wait = delivery.not_before.unwrap() - now_utc();
            assert!(wait > TimeDelta::seconds(100) && wait <= TimeDelta::seconds(120), "{wait}");
            assert!(delivery.last_error.unwrap().contains("Too Many Requests"));
            assert_eq!(delivery.attempts, 0);
        }
        assert_eq!(round(&handle, &settings).results.len(), 0, "nothing is due before the reset");

        gateway.reply_with(|_| Answer::json(500, r#"{"message": "internal error"}"#));
        diesel::update(deliveries::table)
            .set(deliveries::not_before.eq(now_utc() - TimeDelta::seconds(1)))
            .execute(&mut *handle.conn().unwrap())
            .unwrap();
        let report = round(&handle, &settings);
        assert_eq!(report.retrying, 2, "{report:?}");
        assert!(deliveries(&handle).iter().any(|d| d.attempts == 1 && d.last_error.as_deref().unwrap().contains("HTTP 500")));

        gateway.reply_with(queued);
        assert_eq!(round(&handle, &settings).sent, 2);
        let count = |number: &str| sent_to(&gateway).iter().filter(|n| *n == number).count();
        assert_eq!((count("+447700900123"), count("+447700900124")), (3, 1), "429, 500, 201; the other waited behind it");
    }

    fn a_reply_that_never_comes_is_an_unknown_outcome_never_resent(db) {
        let gateway = twilio(|_| Answer::hang());
        add_site(db, "api");
        let settings = settings(db, &format!("{BASE}{}", twilio_section(&gateway.url(""), "to = [\"+447700900123\"]")));
        let handle = db.open();
        queue(&handle, &settings, Event::OutageOpened, &["api"]);
        let report = round(&handle, &settings);
        assert_eq!(report.failed, 1, "{report:?}");
        let delivery = &deliveries(&handle)[0];
        let error = delivery.last_error.as_deref().unwrap();
        assert!(error.contains("outcome unknown") && error.contains("no answer within 10 s after the request was sent"), "{error}");
        gateway.reply_with(queued);
        round(&handle, &settings);
        assert_eq!(gateway.received().len(), 1, "never sent a second time by itself");
    }

    fn a_generic_gateway_takes_json_or_a_form_with_its_own_fields_and_header_auth(db) {
        let gateway = Receiver::start(|request| {
            if request.header("x-api-key") != Some("k-123") {
                return Answer::json(401, r#"{"error": "bad key"}"#);
            }
            Answer::json(202, r#"{"id": 7}"#)
        });
        add_site(db, "api");
        let common = format!(
            "[sms]\nenabled = true\nprovider = \"http\"\nurl = \"{}\"\nto = [\"+447700900123\"]\nto_field = \"destination\"\n\
             body_field = \"text\"\nfrom_field = \"sender\"\nfrom = \"Sitewatch\"\n",
            gateway.url("/send")
        );
        let json = settings(db, &format!("{BASE}{common}format = \"json\"\n[sms.headers]\nX-Api-Key = \"k-123\"\n"));
        let handle = db.open();
        let opened = queue(&handle, &json, Event::OutageOpened, &["api"]);
        assert_eq!(round(&handle, &json).sent, 1);
        let request = &gateway.received()[0];
        assert_eq!((request.method.as_str(), request.path.as_str()), ("POST", "/send"));
        assert_eq!(request.header("content-type"), Some("application/json"));
        let text = format!("DOWN: api since 21 Nov 10:30 https://status.example.com/outages/{}", opened.outage_id.unwrap());
        assert_eq!(request.json(), serde_json::json!({"destination": "+447700900123", "text": text, "sender": "Sitewatch"}));

        let form = settings(db, &format!("{BASE}{common}format = \"form\"\n[sms.headers]\nX-Api-Key = \"k-123\"\n"));
        queue(&handle, &form, Event::SiteJoined, &["api"]);
        assert_eq!(round(&handle, &form).sent, 1);
        let request = &gateway.received()[1];
        assert_eq!(request.header("content-type"), Some("application/x-www-form-urlencoded"));
        let fields = request.form();
        assert_eq!((fields["destination"].as_str(), fields["sender"].as_str()), ("+447700900123", "Sitewatch"));
        assert!(fields["text"].starts_with("DOWN TOO: api since 21 Nov 10:30 https://status.example.com/outages/"), "{}", fields["text"]);

        gateway.respond_with(|_| Answer::json(400, r#"{"error": "destination not allowed on this account"}"#));
        queue(&handle, &form, Event::OutageResolved, &["api"]);
        let report = round(&handle, &form);
        assert_eq!(report.failed, 1, "{report:?}");
        let error = deliveries(&handle).into_iter().find(|d| d.state == "failed").unwrap().last_error.unwrap();
        assert!(error.contains(&format!("SMS gateway {} refused the message", gateway.url("/send"))), "{error}");
        assert!(error.contains("HTTP 400 Bad Request: destination not allowed on this account"), "{error}");
    }
}
