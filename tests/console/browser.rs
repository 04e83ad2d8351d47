//! The `/traffic` page in a real headless Chromium, signed in, at a phone's width and a
//! desktop's: nothing scrolls sideways and the chart is drawn.

use std::time::Duration;

use crate::both_backends;
use crate::harness::{sw, wait_until};
use crate::web::browser::{Driver, installed};
use crate::web::{add_user, spawn};

both_backends! {
    #[cfg_attr(lacks_browser, ignore = "needs chromium and chromedriver (apt-get install chromium chromium-driver)")]
    fn the_traffic_page_fits_a_phone_and_a_desktop(db) {
        let Some((browser, driver)) = installed() else { return };
        // A long, unbreakable path, the kind that pushes a phone's page sideways.
        let dir = db.path().join("var-log-nginx-a-rather-long-directory-name-for-a-virtual-host-xxxxxxxx");
        std::fs::create_dir_all(&dir).unwrap();
        crate::traffic::generate(&dir.join("access.log"), crate::traffic::PROFILE, &[]);
        let log = dir.join("access.log");
        sw(db, &["traffic", log.to_str().unwrap(), "--once", "--from-start", "--threshold", "10", "--window", "120"]).ok();
        let app = spawn(db);
        add_user(&app.db, "alice");

        let d = Driver::start(driver, browser);
        d.sign_in(&app, "alice");
        for (width, height) in [(390u32, 844u32), (1280, 900)] {
            d.resize(width, height);
            d.go(&app.url("/traffic"));
            wait_until("the traffic page opens", Duration::from_secs(20), || d.url() == app.url("/traffic"));
            let text = d.page_text();
            assert!(text.contains("2.0 hits/s") && text.contains("Recovered"), "{text}");
            d.assert_fits(width, "/traffic");
            let inner = d.run("return window.innerWidth").as_f64().unwrap();
            let chart = d.run("const r = document.querySelector('figure.chart svg').getBoundingClientRect(); return [r.width, r.height]");
            let (w, h) = (chart[0].as_f64().unwrap(), chart[1].as_f64().unwrap());
            assert!(w > 200.0 && w <= inner && h > 50.0, "the chart is drawn to the page's width: {w}x{h} in {inner}");
        }
    }
}
