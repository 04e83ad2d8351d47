// Keeps the dashboard current without a full reload every 30 seconds: "3 minutes ago" texts
// are updated from /data.json, and the page is reloaded once a newer check round has finished
// (or an outage or warning came or went). The page is complete without it.
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
        var summary = document.getElementById("summary");
        var shownRound = summary ? summary.getAttribute("data-round") : "";
        var newRound = data.last_round && data.last_round.finished_at ? data.last_round.finished_at : "";
        var hasBanner = !!document.getElementById("outage-banner");
        var hasWarning = !!document.getElementById("round-warning");
        if (newRound !== shownRound || hasBanner !== !!data.outage || hasWarning !== !!data.warning) {
          location.reload();
          return;
        }
        data.groups.forEach(function (g) {
          g.sites.forEach(function (site) {
            var row = document.querySelector('tr[data-site="' + CSS.escape(site.slug) + '"]');
            if (row) row.querySelector('[data-field="checked"]').textContent = ago(site.last_checked_at);
          });
        });
        var lastRound = document.getElementById("last-round");
        if (lastRound && data.last_round) lastRound.textContent = ago(data.last_round.finished_at);
      })
      .catch(function () { /* keep what is shown; the next tick tries again */ });
  }

  setInterval(refresh, REFRESH_MS);
})();
