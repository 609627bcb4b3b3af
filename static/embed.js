/* Patchthrough's embeddable call form. On your page:
     <script src="https://calls.example.org/embed.js" data-campaign="your-campaign" async></script>
   puts the campaign's call form in a frame right after this tag (data-lang="es" or "pt_BR" for another language). The frame tells us its height (and nothing
   else) by postMessage; we believe only messages from our own origin and from that frame. Nothing here adds
   inline script or style to your page, so your Content-Security-Policy need only allow this script's origin
   in script-src and frame-src. */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || !script.src || !window.URL) { return; }
  var origin = new URL(script.src).origin;
  var slug = script.getAttribute("data-campaign");
  if (!slug) { return; }

  var frame = document.createElement("iframe");
  var lang = script.getAttribute("data-lang");
  frame.src = origin + "/embed/c/" + encodeURIComponent(slug) + "?parent=" + encodeURIComponent(window.location.origin) +
    (lang ? "&lang=" + encodeURIComponent(lang) : "");
  frame.title = script.getAttribute("data-title") || "Call your legislators";
  frame.className = "patchthrough-embed";
  frame.setAttribute("loading", "lazy");
  frame.setAttribute("scrolling", "no");
  /* Through the style object, which a page's style-src does not restrict (a style attribute would be). */
  frame.style.width = "100%";
  frame.style.border = "0";
  frame.style.display = "block";
  frame.style.height = "40rem";
  script.parentNode.insertBefore(frame, script.nextSibling);

  window.addEventListener("message", function (event) {
    if (event.origin !== origin || event.source !== frame.contentWindow) { return; }
    var data = event.data || {};
    if (data.type === "patchthrough:height" && typeof data.height === "number") {
      var height = Math.ceil(data.height);
      if (height > 0 && height < 20000) { frame.style.height = height + "px"; }
    } else if (data.type === "patchthrough:page" && frame.getBoundingClientRect().top < 0) {
      /* The frame went on to its next page while scrolled past its top: show where that page begins. */
      frame.scrollIntoView();
    }
  });

  /* Ask the frame for its height once it has loaded (it also sends it whenever its content changes). */
  frame.addEventListener("load", function () {
    if (frame.contentWindow) { frame.contentWindow.postMessage({ type: "patchthrough:hello" }, origin); }
  });
})();
