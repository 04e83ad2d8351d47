#!/usr/bin/env bash
# Regenerates the pictures in docs/screenshots/ from demo data: the dashboard, an http site, a
# ping site, an outage and the public status page, at a desktop's width (1280 px) and a phone's
# (390 px). Needs chromium and chromedriver (Debian: apt-get install chromium chromium-driver).
#
# Usage: scripts/screenshots.sh [DIR]   (default: docs/screenshots)
set -euo pipefail
cd "$(dirname "$0")/.."

dir="${1:-docs/screenshots}"
mkdir -p "$dir"
export SITEWATCH_SCREENSHOTS_DIR="$(cd "$dir" && pwd)"

if cargo nextest --version >/dev/null 2>&1; then
    cargo nextest run --test main --run-ignored ignored-only --no-capture -E 'test(=web::browser::screenshots_for_the_docs)'
else
    cargo test --test main -- --ignored --exact web::browser::screenshots_for_the_docs --nocapture
fi
ls -l "$SITEWATCH_SCREENSHOTS_DIR"/*.png
