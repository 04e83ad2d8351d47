//! Tells the test suite whether a headless browser is installed (`cfg(browser_tests)`), so the
//! browser tests are reported as ignored, not passed, on machines without one. Under `CI=true`
//! they always run, and fail when the browser is missing.

use std::path::Path;

const BROWSERS: [&str; 3] = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];
const DRIVERS: [&str; 2] = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"];

fn main() {
    println!("cargo::rustc-check-cfg=cfg(browser_tests)");
    println!("cargo::rerun-if-env-changed=CI");
    println!("cargo::rerun-if-changed=build.rs");
    // Installing or removing the browser changes /usr/bin (a directory that always exists).
    println!("cargo::rerun-if-changed=/usr/bin");
    let ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
    let installed = BROWSERS.iter().any(|p| Path::new(p).is_file()) && DRIVERS.iter().any(|p| Path::new(p).is_file());
    if ci || installed {
        println!("cargo::rustc-cfg=browser_tests");
    }
}
