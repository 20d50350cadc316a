// ContentPortal's only script besides htmx. No inline script anywhere: the CSP forbids it.
(function () {
  "use strict";

  // Times are sent as UTC ISO 8601; people read them in their own time zone.
  var formatter = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
  function localizeTimes(root) {
    root.querySelectorAll("time[data-local]").forEach(function (el) {
      var when = new Date(el.getAttribute("datetime"));
      if (!isNaN(when)) {
        el.textContent = formatter.format(when);
        el.title = el.getAttribute("datetime");
      }
    });
  }

  // Ask before leaving a form with unsaved changes.
  var dirty = new WeakSet();
  document.addEventListener("input", function (event) {
    var form = event.target.closest && event.target.closest("form[data-warn-unsaved]");
    if (form) { dirty.add(form); }
  });
  document.addEventListener("submit", function (event) { dirty.delete(event.target); });
  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.target.closest && event.target.closest("form[data-warn-unsaved]");
    if (form) { dirty.delete(form); }
  });
  window.addEventListener("beforeunload", function (event) {
    var forms = document.querySelectorAll("form[data-warn-unsaved]");
    for (var i = 0; i < forms.length; i++) {
      if (dirty.has(forms[i])) { event.preventDefault(); event.returnValue = ""; return; }
    }
  });

  // Scheduling: the browser knows the person's time zone; send its offset for the chosen local time
  // (that date's offset, so summer time is right). Without JavaScript the server takes the time as UTC.
  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("form[data-local-schedule] input[type=datetime-local]")) { return; }
    var offset = input.form.querySelector("input[name=TimezoneOffset]");
    var when = new Date(input.value);
    if (offset) { offset.value = isNaN(when) ? "" : String(when.getTimezoneOffset()); }
  });

  document.addEventListener("DOMContentLoaded", function () { localizeTimes(document); });
  document.addEventListener("htmx:afterSwap", function (event) { localizeTimes(event.target); });
})();
