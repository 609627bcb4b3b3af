/* Patchthrough: a little plain JavaScript on top of pages that work without it.
   Every sentence it shows comes from the page (data-* attributes or the server's JSON). */
(function () {
  "use strict";

  var lang = document.documentElement.lang || "en";

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? values[key] : whole;
    });
  }

  /* The error summary or the district picker, when the server sent one: take the supporter to it. */
  function focusOnLoad() {
    var target = document.querySelector("[data-focus-on-load]");
    if (target) {
      target.focus();
    }
  }

  /* "3 days, 4 hours left to call", and the deadline in the supporter's own time zone. */
  function startCountdown(el) {
    var ends = new Date(el.getAttribute("data-ends"));
    if (isNaN(ends.getTime())) { return; }
    var zone = el.getAttribute("data-campaign-zone");
    var here = "";
    try { here = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { here = ""; }

    function unit(n, name) {
      try {
        return new Intl.NumberFormat(lang, { style: "unit", unit: name, unitDisplay: "long" }).format(n);
      } catch (e) {
        return n + " " + name + (n === 1 ? "" : "s");
      }
    }
    function list(parts) {
      try { return new Intl.ListFormat(lang, { style: "long", type: "unit" }).format(parts); } catch (e) { return parts.join(", "); }
    }
    function render() {
      var left = ends.getTime() - Date.now();
      el.textContent = "";
      if (left <= 0) {
        el.textContent = el.getAttribute("data-over-text");
        el.hidden = false;
        return false;
      }
      var minutes = Math.floor(left / 60000);
      var days = Math.floor(minutes / 1440);
      var hours = Math.floor((minutes % 1440) / 60);
      var mins = minutes % 60;
      var parts = days > 0 ? [unit(days, "day"), unit(hours, "hour")]
        : hours > 0 ? [unit(hours, "hour"), unit(mins, "minute")]
        : [unit(Math.max(mins, 1), "minute")];
      el.appendChild(document.createTextNode(fill(el.getAttribute("data-left-text"), { time: list(parts) })));
      if (here && zone && here !== zone) {
        var local = document.createElement("span");
        local.className = "countdown-local";
        var when = ends.toLocaleString(lang, { weekday: "long", month: "long", day: "numeric", hour: "numeric", minute: "2-digit", timeZoneName: "short" });
        local.textContent = fill(el.getAttribute("data-local-text"), { local: when });
        el.appendChild(local);
      }
      el.hidden = false;
      return true;
    }
    if (render()) {
      var timer = setInterval(function () { if (!render()) { clearInterval(timer); } }, 30000);
    }
  }

  /* Inline checks: the same first checks the server makes, with the server's own sentences. */
  function checkField(input) {
    var value = input.value.trim();
    var kind = input.getAttribute("data-check");
    if (!value) { return input.getAttribute("data-msg-empty"); }
    if (kind === "phone" && value.charAt(0) !== "+") {
      var digits = value.replace(/\D/g, "");
      if (digits.length === 11 && digits.charAt(0) === "1") { digits = digits.slice(1); }
      if (digits.length < 10) { return input.getAttribute("data-msg-short"); }
      if (digits.length > 10) { return input.getAttribute("data-msg-long"); }
    }
    if (kind === "location" && /^[0-9\s-]+$/.test(value) && !/^[0-9]{5}(?:[-\s]?[0-9]{4})?$/.test(value)) {
      return input.getAttribute("data-msg-zip");
    }
    return "";
  }

  function showFieldError(input, message, prefixText) {
    var error = document.getElementById(input.id + "-error");
    var field = input.closest(".field");
    if (!error) { return; }
    error.textContent = "";
    if (message) {
      var prefix = document.createElement("span");
      prefix.className = "visually-hidden";
      prefix.textContent = prefixText || "";
      error.appendChild(prefix);
      error.appendChild(document.createTextNode(message));
      error.hidden = false;
      input.setAttribute("aria-invalid", "true");
      if (field) { field.classList.add("field-invalid"); }
    } else {
      error.hidden = true;
      input.removeAttribute("aria-invalid");
      if (field) { field.classList.remove("field-invalid"); }
    }
  }

  function enhanceForm(form) {
    var inputs = Array.prototype.slice.call(form.querySelectorAll("[data-check]"));
    var summary = form.querySelector("[data-error-summary]");
    var button = form.querySelector("[data-submit]");
    var buttonText = button ? button.textContent : "";
    var prefixText = form.getAttribute("data-error-prefix");

    inputs.forEach(function (input) {
      input.addEventListener("blur", function () {
        // Only speak up once something was typed, or to confirm a fix.
        if (input.value.trim() || input.getAttribute("aria-invalid")) { showFieldError(input, checkField(input), prefixText); }
      });
      input.addEventListener("input", function () {
        if (input.getAttribute("aria-invalid") && !checkField(input)) { showFieldError(input, "", prefixText); }
      });
    });

    form.addEventListener("submit", function (event) {
      if (button && button.getAttribute("aria-disabled") === "true") { event.preventDefault(); return; }
      var problems = [];
      inputs.forEach(function (input) {
        var message = checkField(input);
        showFieldError(input, message, prefixText);
        if (message) { problems.push({ id: input.id, message: message }); }
      });
      if (problems.length && summary) {
        event.preventDefault();
        var list = summary.querySelector("ul");
        list.textContent = "";
        problems.forEach(function (problem) {
          var item = document.createElement("li");
          var link = document.createElement("a");
          link.href = "#" + problem.id;
          link.textContent = problem.message;
          item.appendChild(link);
          list.appendChild(item);
        });
        summary.hidden = false;
        summary.focus();
        return;
      }
      // One call per press: a second tap while the page loads would place a second call.
      if (button) {
        button.setAttribute("aria-disabled", "true");
        button.textContent = form.getAttribute("data-busy-text") || buttonText;
      }
    });

    if (summary) {
      summary.addEventListener("click", function (event) {
        var link = event.target.closest("a[href^='#']");
        var input = link && document.getElementById(link.getAttribute("href").slice(1));
        if (input) { event.preventDefault(); input.focus(); }
      });
    }
    // Coming back with the Back button shows the page as it was left: make the button work again.
    window.addEventListener("pageshow", function () {
      if (button) { button.removeAttribute("aria-disabled"); button.textContent = buttonText; }
    });
  }

  /* The call page: ask the server how the call is going, and say it in the live region. */
  function followCall(region) {
    var url = region.getAttribute("data-status-url");
    var text = region.querySelector("[data-status-text]");
    var started = Date.now();
    var failures = 0;

    /* The page as a whole follows the view the server rendered: heading, words, demo box, ending. */
    function applyView(data) {
      if (!data.view || region.getAttribute("data-view") === data.view || !data.view_html) { return; }
      region.setAttribute("data-view", data.view);
      Array.prototype.forEach.call(document.querySelectorAll("[data-view-part]"), function (part) {
        var html = data.view_html[part.getAttribute("data-view-part")];
        if (typeof html === "string") { part.innerHTML = html; }
      });
      enhanceSharing();
    }

    function apply(data) {
      applyView(data);
      region.setAttribute("data-state", data.state);
      region.setAttribute("data-final", data.final ? "true" : "false");
      if (text.textContent.trim() !== data.message) { text.textContent = data.message; }
      var line = document.querySelector("[data-line]");
      if (line) {
        line.hidden = !data.line;
        var place = line.querySelector("[data-line-text]");
        if (data.line && place.textContent.trim() !== data.line.message) { place.textContent = data.line.message; }
      }
      Array.prototype.forEach.call(document.querySelectorAll("[data-show-when]"), function (section) {
        section.hidden = section.getAttribute("data-show-when").split(" ").indexOf(data.state) === -1;
      });
      (data.legs || []).forEach(function (leg) {
        var item = document.querySelector(".target[data-position='" + leg.position + "']");
        if (!item) { return; }
        item.setAttribute("data-leg-state", leg.state);
        if (leg.state === "current") { item.setAttribute("aria-current", "step"); } else { item.removeAttribute("aria-current"); }
      });
    }

    function poll() {
      var request = new XMLHttpRequest();
      request.open("GET", url);
      request.setRequestHeader("Accept", "application/json");
      request.timeout = 10000;
      request.onload = function () {
        var data = null;
        try { data = request.status === 200 ? JSON.parse(request.responseText) : null; } catch (e) { data = null; }
        if (data && data.state) {
          failures = 0;
          apply(data);
          if (data.final) { return; }
        } else {
          failures += 1;
        }
        schedule();
      };
      request.onerror = request.ontimeout = function () { failures += 1; schedule(); };
      request.send();
    }

    function schedule() {
      // A call lasts minutes; a page left open for hours should not keep asking.
      if (Date.now() - started > 3600000) { return; }
      // Every 2 s while the call is young, then less often; back off when the server is unwell.
      var delay = Date.now() - started < 180000 ? 2000 : 5000;
      delay = Math.min(delay * Math.pow(2, failures), 30000);
      setTimeout(poll, delay);
    }

    if (region.getAttribute("data-final") !== "true") { schedule(); }
  }

  function enhanceSharing() {
    var native = document.querySelector("[data-share-native]");
    if (native && navigator.share) {
      native.parentNode.hidden = false;
      native.addEventListener("click", function () {
        navigator.share({
          title: native.getAttribute("data-share-title"),
          text: native.getAttribute("data-share-text"),
          url: native.getAttribute("data-share-url")
        }).catch(function () { /* the supporter closed the share sheet */ });
      });
    }
    var copy = document.querySelector("[data-copy]");
    var status = document.querySelector("[data-copy-status]");
    if (copy && navigator.clipboard && navigator.clipboard.writeText) {
      copy.parentNode.hidden = false;
      copy.addEventListener("click", function () {
        navigator.clipboard.writeText(copy.getAttribute("data-copy")).then(function () {
          if (status) { status.textContent = copy.getAttribute("data-copied-text"); }
        });
      });
    }
  }

  /* The preview: each step is sent without leaving the page, the transcript grows in place (its live region
     says the new lines), focus stays on the control used (or the first new one), and the voice is spoken. */
  function enhancePreview(section) {
    var speech = window.speechSynthesis && window.SpeechSynthesisUtterance ? window.speechSynthesis : null;
    var voice = section.querySelector("[data-preview-voice]");
    var mute = section.querySelector("[data-preview-mute]");
    if (speech && voice && mute) {
      voice.hidden = false;
      mute.addEventListener("click", function () {
        var muted = mute.getAttribute("aria-pressed") !== "true";
        mute.setAttribute("aria-pressed", muted ? "true" : "false");
        if (muted) { speech.cancel(); }
      });
    }

    function speak(items) {
      if (!speech || (mute && mute.getAttribute("aria-pressed") === "true")) { return; }
      items.forEach(function (item) {
        if (!item.classList.contains("said")) { return; }
        var words = item.cloneNode(true);
        var who = words.querySelector(".who");
        if (who) { who.remove(); }
        var utterance = new window.SpeechSynthesisUtterance(words.textContent.trim());
        utterance.lang = item.getAttribute("lang") || lang;
        speech.speak(utterance);
      });
    }

    section.addEventListener("submit", function (event) {
      var form = event.target;
      var used = event.submitter;
      // Starting loads the page as usual; every later step stays on it.
      if (!window.fetch || !window.FormData || !window.DOMParser || form.querySelector("input[name=action][value=start]")) { return; }
      event.preventDefault();
      var body = new FormData(form);
      if (used && used.name) { body.append(used.name, used.value); }
      var list = section.querySelector(".transcript");
      var before = list.children.length;
      window.fetch(form.getAttribute("action") || window.location.pathname, { method: "POST", body: body, credentials: "same-origin" })
        .then(function (response) { return response.text(); })
        .then(function (html) {
          var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("[data-preview]");
          if (!fresh) { window.location.reload(); return; }
          var items = Array.prototype.slice.call(fresh.querySelectorAll(".transcript > li"), before);
          items = items.map(function (item) { return list.appendChild(document.importNode(item, true)); });
          var controls = document.importNode(fresh.querySelector("#controls"), true);
          section.querySelector("#controls").replaceWith(controls);
          var same = used ? Array.prototype.filter.call(controls.querySelectorAll("button"), function (button) {
            return button.value === used.value && button.textContent === used.textContent;
          })[0] : null;
          var next = same || controls.querySelector("button, a");
          if (next) { next.focus(); }
          speak(items);
        })
        .catch(function () { form.submit(); });
    });
  }

  /* Outside the offices' hours: once a number is typed, the times offered are shown in its time zone. */
  function followOfficeTimes(form) {
    var phone = form.querySelector("input[name=phone]");
    var url = form.getAttribute("data-times-url");
    if (!phone || !url || !window.fetch || !window.FormData || !window.DOMParser) { return; }
    phone.addEventListener("change", function () {
      if (!form.querySelector("[data-offices-closed]")) { return; }
      // The number travels in the body, like the form's own submission, never in a URL.
      window.fetch(url, { method: "POST", body: new FormData(form), credentials: "same-origin" })
        .then(function (response) { return response.status === 200 ? response.text() : ""; })
        .then(function (html) {
          var fresh = html && new DOMParser().parseFromString(html, "text/html").querySelector("[data-offices-closed]");
          var current = form.querySelector("[data-offices-closed]");
          if (fresh && current) { current.replaceWith(document.importNode(fresh, true)); }
        })
        .catch(function () { /* the times stay in the offices' zone: still right, only less handy */ });
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-countdown]"), startCountdown);
    Array.prototype.forEach.call(document.querySelectorAll("[data-call-form]"), enhanceForm);
    Array.prototype.forEach.call(document.querySelectorAll("[data-times-url]"), followOfficeTimes);
    Array.prototype.forEach.call(document.querySelectorAll("[data-call-status]"), followCall);
    Array.prototype.forEach.call(document.querySelectorAll("[data-preview]"), enhancePreview);
    enhanceSharing();
    focusOnLoad();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
