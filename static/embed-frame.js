/* Inside another site's frame (the embedded call form, its call page and preview): tell the page that framed
   us our height, only ever to its origin (the server checked it against the campaign's list), answer only
   that origin, and open every link that leaves the embedded pages in a new tab. */
(function () {
  "use strict";

  var parentOrigin = document.body.getAttribute("data-embed-parent");
  var inFrame = window.parent && window.parent !== window;
  var last = 0;

  function height() {
    return Math.ceil(document.body.getBoundingClientRect().height);
  }

  function send(force) {
    if (!inFrame || !parentOrigin) { return; }
    var now = height();
    if (!force && now === last) { return; }
    last = now;
    window.parent.postMessage({ type: "patchthrough:height", height: now }, parentOrigin);
  }

  if (window.ResizeObserver) {
    new ResizeObserver(function () { send(false); }).observe(document.body);
  } else {
    window.addEventListener("resize", function () { send(false); });
    setInterval(function () { send(false); }, 1000);
  }
  window.addEventListener("load", function () {
    send(true);
    // A new page in the frame (the call page after the form): let the host bring the frame's top into view.
    if (inFrame && parentOrigin && document.referrer.indexOf(window.location.origin + "/") === 0) {
      window.parent.postMessage({ type: "patchthrough:page" }, parentOrigin);
    }
  });
  window.addEventListener("message", function (event) {
    if (event.origin !== parentOrigin || event.source !== window.parent) { return; }
    if (event.data && event.data.type === "patchthrough:hello") { send(true); }
  });
  send(true);

  /* The embedded pages live under /embed/; anything else (the campaign's site, sharing, the privacy page)
     belongs in a tab of its own rather than squeezed into the frame, where it could not be shown. */
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[href]");
    if (!link || link.getAttribute("href").charAt(0) === "#") { return; }
    var url = new URL(link.href, window.location.href);
    if (url.protocol !== "http:" && url.protocol !== "https:") { return; }
    if (url.origin === window.location.origin && url.pathname.indexOf("/embed/") === 0) { return; }
    link.target = "_blank";
    link.rel = "noopener";
  });
})();
