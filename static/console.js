/* The console's results refresh themselves while open: the server renders them again, we swap them in.
   Without JavaScript the page is the same, as of when it was loaded. */
(function () {
  "use strict";

  var box = document.querySelector("[data-results-url]");
  if (!box || !window.fetch) { return; }
  var url = box.getAttribute("data-results-url");
  var seconds = parseFloat(box.getAttribute("data-refresh-seconds")) || 10;
  var busy = false;

  function refresh() {
    if (busy || document.hidden) { return; }
    busy = true;
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (data && typeof data.html === "string") {
          /* Keep open whatever the organiser opened (tables behind <details>). */
          var open = Array.prototype.map.call(box.querySelectorAll("details[open] summary"), function (s) { return s.textContent; });
          box.innerHTML = data.html;
          Array.prototype.forEach.call(box.querySelectorAll("details summary"), function (s) {
            if (open.indexOf(s.textContent) !== -1) { s.parentNode.open = true; }
          });
          box.setAttribute("data-refreshed", String(Date.now()));
        }
      })
      .catch(function () { /* offline for a moment: try again next time */ })
      .then(function () { busy = false; });
  }

  window.setInterval(refresh, seconds * 1000);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) { refresh(); } });
})();
