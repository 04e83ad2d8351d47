// Refreshes the dashboard every 30 seconds from /data.json. The page is complete without it.
(function () {
  "use strict";
  var REFRESH_MS = 30000;

  function ago(iso) {
    if (!iso) return "never";
    var secs = Math.max(0, (Date.now() - Date.parse(iso)) / 1000);
    if (secs < 60) return "less than a minute ago";
    var units = [[86400, "day"], [3600, "hour"], [60, "minute"]];
    for (var i = 0; i < units.length; i++) {
      if (secs >= units[i][0]) {
        var n = Math.floor(secs / units[i][0]);
        return n + " " + units[i][1] + (n === 1 ? "" : "s") + " ago";
      }
    }
    return "less than a minute ago";
  }

  function refresh() {
    fetch("/data.json", { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (data) {
        // An outage opening or closing, or a new warning, changes the page's shape: reload it.
        var hasBanner = !!document.getElementById("outage-banner");
        var hasWarning = !!document.getElementById("round-warning");
        if (hasBanner !== !!data.outage || hasWarning !== !!data.warning) { location.reload(); return; }
        var known = 0;
        data.groups.forEach(function (g) {
          g.sites.forEach(function (site) {
            var row = document.querySelector('tr[data-site="' + CSS.escape(site.slug) + '"]');
            if (!row) return;
            known++;
            var badge = row.querySelector('[data-field="status"]');
            badge.className = "badge " + site.status;
            badge.textContent = data.labels[site.status] || site.status;
            row.querySelector('[data-field="checked"]').textContent = ago(site.last_checked_at);
            row.querySelector('[data-field="response"]').textContent =
              site.last_response_ms == null ? "–" : site.last_response_ms + " ms";
          });
        });
        if (known !== document.querySelectorAll("tr[data-site]").length) { location.reload(); return; }
        var lastRound = document.getElementById("last-round");
        if (lastRound && data.last_round) lastRound.textContent = ago(data.last_round.finished_at);
        var generated = document.getElementById("generated");
        if (generated) generated.textContent = new Date(data.generated_at).toLocaleString();
      })
      .catch(function () { /* keep what is shown; the next tick tries again */ });
  }

  setInterval(refresh, REFRESH_MS);
})();
