// ContentPortal's only script besides htmx. No inline script anywhere: the CSP forbids it.
(function () {
  "use strict";

  // Times are sent as UTC ISO 8601; people read them in their own time zone.
  var formatter = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
  function localizeTimes(root) {
    if (!root || !root.querySelectorAll) { return; }
    root.querySelectorAll("time[data-local]").forEach(function (el) {
      var when = new Date(el.getAttribute("datetime"));
      if (!isNaN(when)) {
        el.textContent = formatter.format(when);
        el.title = el.getAttribute("datetime");
      }
    });
  }

  // ---- Plain forms: ask before leaving one with unsaved changes. ----
  var dirtyForms = new WeakSet();

  // ---- The draft editor: autosave, status line, a copy kept in this browser until the server has it. ----
  var AUTOSAVE_DELAY_MS = 1500;
  var RETRY_DELAY_MS = 10000;
  var editor = { dirty: false, seq: 0, timer: null, storeTimer: null, leaving: false, redirecting: false };

  function draftForm() { return document.getElementById("draft-form"); }
  function storageKey(form) { return "contentportal:draft:" + form.getAttribute("data-draft-key"); }

  function setStatus(state, text) {
    var status = document.getElementById("save-status");
    if (status) { status.setAttribute("data-state", state); status.textContent = text; }
  }

  function formFields(form) {
    var fields = {};
    new FormData(form).forEach(function (value, name) {
      if (name !== "__RequestVerificationToken" && typeof value === "string") { fields[name] = value; }
    });
    return fields;
  }

  function storeLocalCopy() {
    var form = draftForm();
    if (!form) { return; }
    try {
      localStorage.setItem(storageKey(form), JSON.stringify({ at: new Date().toISOString(), fields: formFields(form) }));
    } catch (e) { /* storage full or disabled: the server copy and the leave warning still protect the text */ }
  }

  function dropLocalCopy(form) {
    try { localStorage.removeItem(storageKey(form)); } catch (e) { /* nothing to drop */ }
  }

  function scheduleAutosave(delay) {
    clearTimeout(editor.timer);
    editor.timer = setTimeout(function () {
      var form = draftForm();
      var trigger = document.getElementById("autosave");
      if (!form || !trigger || !window.htmx || form.getAttribute("data-conflict") === "true" || !editor.dirty) { return; }
      window.htmx.trigger(trigger, "autosave");
    }, delay);
  }

  function markDirty() {
    editor.dirty = true;
    editor.seq++;
    clearTimeout(editor.storeTimer);
    editor.storeTimer = setTimeout(storeLocalCopy, 250);
    var form = draftForm();
    if (form && form.getAttribute("data-conflict") !== "true") {
      setStatus("unsaved", "Unsaved changes");
      scheduleAutosave(AUTOSAVE_DELAY_MS);
    }
  }

  // After an answer from the server: a form it marked unsaved (rows added, text recovered) is dirty;
  // after a save, the status line says whether the text is stored, and only then is the local copy dropped.
  function afterServerAnswer(sentSeq, wasSave) {
    var form = draftForm();
    var status = document.getElementById("save-status");
    if (!form || !status) { return; }
    if (form.getAttribute("data-unsaved") === "true") {
      form.setAttribute("data-unsaved", "false");
      markDirty();
    } else if (wasSave && status.getAttribute("data-state") === "saved") {
      if (sentSeq === editor.seq) {
        editor.dirty = false;
        clearTimeout(editor.storeTimer);
        dropLocalCopy(form);
      } else {
        setStatus("unsaved", "Unsaved changes");
        scheduleAutosave(AUTOSAVE_DELAY_MS);
      }
    }
  }

  document.addEventListener("input", function (event) {
    var target = event.target;
    if (!target.closest) { return; }
    if (target.closest("#draft-form")) { markDirty(); }
    var plain = target.closest("form[data-warn-unsaved]");
    if (plain && plain.id !== "draft-form") { dirtyForms.add(plain); }
    if (target.matches("select[data-urgency-select]")) { showUrgency(target); }
  });
  document.addEventListener("submit", function (event) { dirtyForms.delete(event.target); });

  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail.elt;
    // The page is going (submitted, signed out, discarded): a queued autosave or preview sent now would
    // find no draft and answer with its own redirect and message, racing the one the person asked for.
    if (editor.leaving) { event.preventDefault(); return; }
    event.detail.xhr.contentPortalSeq = editor.seq;
    if (elt.id === "autosave") {
      setStatus("saving", "Saving…");
    } else if (elt.closest && elt.closest("#draft-form") && /handler=(Save|Submit)/.test(event.detail.requestConfig.path)) {
      clearTimeout(editor.timer); // this request carries the text; an autosave queued behind it would be late
      setStatus("saving", "Saving…");
    }
    var plain = elt.closest && elt.closest("form[data-warn-unsaved]");
    if (plain && plain.id !== "draft-form") { dirtyForms.delete(plain); }
  });

  // Before htmx acts on an answer: a redirect (submitted, or a session that expired) must not be held up
  // by the leave warning, and the typed text must be in this browser's storage before the page goes.
  document.addEventListener("htmx:beforeOnLoad", function (event) {
    var xhr = event.detail.xhr;
    if (!xhr.getResponseHeader("HX-Redirect")) { return; }
    // One redirect only. When the session ends, the autosave and the preview both answer 401 with a redirect
    // to the login; following the second too loads the login page again under the person's typing, and its
    // antiforgery cookie can end up paired with the other page's form (a 400 on "Log in").
    if (editor.redirecting) { event.preventDefault(); return; }
    editor.redirecting = true;
    if (xhr.status === 401) {
      if (draftForm() && editor.dirty) { storeLocalCopy(); }
    } else if (draftForm()) {
      dropLocalCopy(draftForm());
    }
    editor.leaving = true;
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    if (!draftForm()) { return; }
    var xhr = event.detail.xhr;
    if (!event.detail.successful && event.detail.elt.id === "autosave") {
      setStatus("error", xhr.status === 0
        ? "Not saved: the server cannot be reached. Your text is kept in this browser and will be tried again."
        : "Not saved (error " + xhr.status + "). Your text is kept in this browser and will be tried again.");
      scheduleAutosave(RETRY_DELAY_MS);
      return;
    }
    var path = (event.detail.requestConfig && event.detail.requestConfig.path) || "";
    afterServerAnswer(xhr.contentPortalSeq, /[?&]handler=(Save|Autosave)(&|$)/.test(path));
  });
  document.addEventListener("htmx:sendError", function () {
    if (draftForm() && editor.dirty) {
      setStatus("error", "Not saved: the server cannot be reached. Your text is kept in this browser and will be tried again.");
      scheduleAutosave(RETRY_DELAY_MS);
    }
  });

  window.addEventListener("beforeunload", function (event) {
    if (editor.leaving) { return; }
    var unsaved = draftForm() && editor.dirty;
    document.querySelectorAll("form[data-warn-unsaved]").forEach(function (form) {
      if (dirtyForms.has(form)) { unsaved = true; }
    });
    if (unsaved) {
      storeLocalCopy();
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // ---- The navigation on a phone: the Menu button shows and hides the links. ----
  document.documentElement.classList.add("js");
  document.addEventListener("click", function (event) {
    var menu = event.target.closest && event.target.closest(".menu-button");
    if (menu) { menu.setAttribute("aria-expanded", menu.getAttribute("aria-expanded") === "true" ? "false" : "true"); }
  });

  // ---- Copy buttons (ids, the webhook secret): the text in data-copy, or the value of the field data-copy-from names. ----
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-copy], [data-copy-from]");
    if (!button) { return; }
    var from = button.getAttribute("data-copy-from");
    var field = from ? document.getElementById(from) : null;
    var text = field ? field.value : button.getAttribute("data-copy");
    var done = function () { button.setAttribute("data-copied", "true"); setTimeout(function () { button.removeAttribute("data-copied"); }, 2000); };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { if (field) { field.select(); } });
    } else if (field) {
      field.select();
      try { document.execCommand("copy"); done(); } catch (e) { /* the text stays selected to copy by hand */ }
    }
  });

  document.addEventListener("click", function (event) {
    var discard = event.target.closest && event.target.closest("a[data-discard]");
    if (discard && draftForm()) {
      editor.leaving = true;
      dropLocalCopy(draftForm());
    }
    var choice = event.target.closest && event.target.closest("[data-local-copy]");
    if (choice) { answerLocalCopy(choice.getAttribute("data-local-copy")); }
  });

  // ---- Text kept in this browser (e.g. the session expired mid-edit): offer it back after the login. ----
  function offerLocalCopy() {
    var form = draftForm();
    var banner = document.getElementById("local-copy");
    if (!form || !banner) { return; }
    var stored;
    try { stored = JSON.parse(localStorage.getItem(storageKey(form)) || "null"); } catch (e) { stored = null; }
    if (!stored || !stored.fields) { return; }
    var now = formFields(form);
    var differs = Object.keys(stored.fields).some(function (name) {
      return name !== "Input.Revision" && stored.fields[name] !== now[name];
    }) || Object.keys(now).some(function (name) { return !(name in stored.fields); });
    if (!differs) { dropLocalCopy(form); return; }
    var when = banner.querySelector("[data-local-copy-time]");
    if (when) { when.textContent = "typed " + formatter.format(new Date(stored.at)); }
    banner.hidden = false;
  }

  function answerLocalCopy(answer) {
    var form = draftForm();
    var banner = document.getElementById("local-copy");
    if (!form || !banner) { return; }
    var stored;
    try { stored = JSON.parse(localStorage.getItem(storageKey(form)) || "null"); } catch (e) { stored = null; }
    banner.hidden = true;
    if (answer === "restore" && stored && window.htmx) {
      // The server re-renders the form from the kept text (any number of red-flag rows); a save from
      // an older revision then shows the conflict screen instead of overwriting.
      window.htmx.ajax("POST", banner.getAttribute("data-recover-url"), {
        source: banner, values: stored.fields, target: "#draft-form", swap: "outerHTML",
      });
    } else if (answer === "discard") {
      dropLocalCopy(form);
    }
  }

  // ---- Red flags: the urgency label follows the select (text and colour). ----
  function showUrgency(select) {
    var label = select.parentElement.querySelector("[data-urgency-label]");
    if (!label) { return; }
    var value = select.value;
    label.textContent = value ? value.charAt(0).toUpperCase() + value.slice(1) : "No urgency";
    label.className = "urgency urgency-" + (/^(emergency|urgent|routine)$/.test(value) ? value : "unknown");
  }

  // After a fragment swap, put focus where the editor's action left off (the moved or added row).
  function focusAfterSwap() {
    var form = draftForm();
    var id = form && form.getAttribute("data-focus");
    if (!id) { return; }
    form.removeAttribute("data-focus");
    var target = document.getElementById(id);
    if (target) { target.focus(); }
  }

  // ---- New document: suggest the slug from the title until the editor types one. ----
  document.addEventListener("input", function (event) {
    if (event.target.id === "Input_Slug") {
      var touched = document.getElementById("Input_SlugTouched");
      if (touched) { touched.value = event.target.value.trim() === "" ? "false" : "true"; }
    }
  });

  // A table that scrolls inside its own box on a narrow screen must be reachable by keyboard to scroll.
  function markScrollers() {
    document.querySelectorAll("table.list, .evidence table, .record table, .table-scroll").forEach(function (el) {
      if (el.scrollWidth > el.clientWidth + 1) { el.setAttribute("tabindex", "0"); } else if (el.getAttribute("tabindex") === "0") { el.removeAttribute("tabindex"); }
    });
  }
  window.addEventListener("resize", markScrollers);

  document.addEventListener("DOMContentLoaded", function () {
    markScrollers();
    localizeTimes(document);
    offerLocalCopy();
    var form = draftForm();
    if (form && form.getAttribute("data-unsaved") === "true") { afterServerAnswer(editor.seq, false); }
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

  document.addEventListener("htmx:afterSwap", function (event) { localizeTimes(event.target); });
  document.addEventListener("htmx:oobAfterSwap", function (event) { localizeTimes(event.target); });
  document.addEventListener("htmx:afterSettle", function (event) { localizeTimes(event.target); focusAfterSwap(); markScrollers(); });
})();
