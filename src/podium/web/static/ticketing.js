// Fan pages: the cart countdown and the ticket's rotating code (progressive enhancement).
// Without this script every page works: the hold's end time is printed, and the ticket
// page shows the current code with a Refresh link.
"use strict";
(function () {
  // The countdown is shown, never read out each second: a polite status says "5 minutes
  // left" and "1 minute left" once each (WCAG 2.2.1 timing adjustable, 4.1.3 status).
  document.querySelectorAll(".countdown").forEach(function (el) {
    var left = parseInt(el.dataset.seconds, 10);
    var status = el.closest("section").querySelector(".countdown-alert");
    var said = {};
    el.hidden = false;
    el.setAttribute("aria-hidden", "true");
    function tick() {
      if (left <= 0) { el.textContent = ""; status.textContent = el.dataset.over; return; }
      var m = Math.floor(left / 60), s = left % 60;
      el.textContent = "(" + m + ":" + (s < 10 ? "0" : "") + s + ")";
      if (left <= 300 && !said.five) { said.five = true; if (left > 60) { status.textContent = el.dataset.five; } }
      if (left <= 60 && !said.one) { said.one = true; status.textContent = el.dataset.one; }
      left -= 1;
      window.setTimeout(tick, 1000);
    }
    tick();
  });
  // The rotating code: the code part is fetched again when its 15-second step ends.
  function refresh(code) {
    var wait = (parseInt(code.dataset.seconds || "15", 10) || 15) * 1000;
    window.setTimeout(function () {
      fetch(code.dataset.url, { credentials: "same-origin" }).then(function (r) {
        return r.ok ? r.text() : null;
      }).then(function (html) {
        if (!html) { return; }
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.getElementById("ticket-code");
        if (!fresh) { return; }
        code.replaceWith(fresh);
        if (fresh.dataset.state === "live") { refresh(fresh); }
      });
    }, wait);
  }
  var code = document.getElementById("ticket-code");
  if (code && code.dataset.state === "live") { refresh(code); }
})();
