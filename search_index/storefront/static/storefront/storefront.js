/* Storefront search page: live results without a full reload, state kept in the URL.
 * The server renders every state (same view, same search); this script only fetches the
 * changing parts (facets, results) and swaps them in. Without it the page still works. */
(function () {
  "use strict";
  var doc = document;
  doc.documentElement.classList.add("js");
  var form = doc.getElementById("search-form");
  var input = doc.getElementById("q");
  var statusBox = doc.getElementById("status");
  var list = doc.getElementById("suggestions");
  if (!form || !input) return;
  var FRAGMENT = { "X-Storefront-Fragment": "1" };
  var typing = false;

  function stateUrl() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, key) {
      if (value !== "") params.append(key, value);
    });
    var query = params.toString();
    return form.action.split("?")[0] + (query ? "?" + query : "");
  }

  function swap(html) {
    var active = doc.activeElement;
    var focusId = active && active !== doc.body ? active.id : "";
    var open = Array.prototype.map.call(doc.querySelectorAll("details.more[open]"), function (d) { return d.id; });
    var template = doc.createElement("template");
    template.innerHTML = html;
    open.forEach(function (id) {
      var fold = template.content.getElementById(id);
      if (fold) fold.open = true;
    });
    ["facets", "results"].forEach(function (id) {
      var fresh = template.content.getElementById(id);
      var current = doc.getElementById(id);
      if (fresh && current) current.replaceWith(fresh);
    });
    var results = doc.getElementById("results");
    statusBox.textContent = results.dataset.status || "";
    doc.title = results.dataset.title || doc.title;
    if (focusId && !doc.getElementById(focusId)) focusId = "";
    if (focusId && doc.activeElement !== doc.getElementById(focusId)) {
      doc.getElementById(focusId).focus();
    }
    return focusId;
  }

  function showFailure() {
    var results = doc.getElementById("results");
    results.setAttribute("aria-busy", "false");
    results.innerHTML =
      '<div class="notice notice-error" data-state="error"><h2>Search is unavailable right now</h2>' +
      "<p>The search could not be reached. Please try again in a moment.</p></div>";
    statusBox.textContent = "Search is unavailable right now.";
  }

  function afterPaint() {
    return new Promise(function (resolve) {
      requestAnimationFrame(function () { setTimeout(resolve, 0); });
    });
  }

  /* Show the state at url. history: "push", "replace" or "none". Each new state is
   * fetched at once and the one still in flight is aborted: waiting for it would add most
   * of a round trip to every keystroke, and its answer is already out of date. */
  var inFlight = null;

  function load(url, history, started, focusHeading) {
    if (history === "push") window.history.pushState(null, "", url);
    else if (history === "replace") window.history.replaceState(null, "", url);
    var results = doc.getElementById("results");
    if (results) results.setAttribute("aria-busy", "true");
    if (inFlight) inFlight.abort();
    var controller = (inFlight = new AbortController());
    var t0 = started || performance.now();
    var answer = fetch(url, { headers: FRAGMENT, signal: controller.signal });
    answer
      .then(function (response) { return response.text(); })
      .then(function (html) {
        if (controller !== inFlight) return; /* a later state is on its way */
        inFlight = null;
        var answered = performance.now();
        var kept = swap(html);
        if (focusHeading && !kept) doc.getElementById("results-heading").focus();
        var swapped = performance.now();
        return afterPaint().then(function () {
          var shown = new URL(url, location.href).href;
          /* detail: where the time went (answered: the whole fragment received). */
          var detail = { url: shown, answered: answered - t0, swapped: swapped - t0 };
          performance.measure("storefront:update", { start: t0, end: performance.now(), detail: detail });
          doc.documentElement.dataset.updated = String((+doc.documentElement.dataset.updated || 0) + 1);
        });
      })
      .catch(function () {
        if (controller !== inFlight) return; /* aborted for a later state */
        inFlight = null;
        showFailure();
      });
    return answer.then(function () {}, function () {});
  }

  function navigate(url, started) {
    typing = false;
    input.value = new URL(url, location.href).searchParams.get("q") || "";
    closeSuggestions();
    load(url, "push", started, true);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    typing = false;
    closeSuggestions();
    load(stateUrl(), "push");
  });

  /* The search ignores a query shorter than this (MIN_QUERY_LENGTH): typing its first
   * letter changes nothing shown, so it is not worth a fetch. */
  var MIN_QUERY = 2;
  var SUGGEST_AFTER_MS = 120; /* a pause longer than a quick typist's gap between keys */

  /* An update is timed from the input's own time stamp (when the key was pressed), not
   * from when its handler ran: a busy page delays the handler, and that counts too. */
  input.addEventListener("input", function (event) {
    var t0 = event.timeStamp;
    var text = input.value.trim();
    var shown = doc.getElementById("results").dataset.query || "";
    var answered = Promise.resolve();
    if (text.length && text.length < MIN_QUERY && shown.length < MIN_QUERY) {
      window.history[typing ? "replaceState" : "pushState"](null, "", stateUrl());
    } else {
      answered = load(stateUrl(), typing ? "replace" : "push", t0);
    }
    typing = true;
    /* Suggestions once the results have answered and typing has paused: sent beside
     * them, or while the next key's results are on their way, they compete for the same
     * server, and the results are what the shopper is waiting for. */
    var pause = new Promise(function (resolve) { setTimeout(resolve, SUGGEST_AFTER_MS); });
    Promise.all([answered, pause]).then(function () {
      if (input.value.trim() === text) suggest(text);
    });
  });

  doc.addEventListener("change", function (event) {
    var control = event.target;
    if (control === input || control.form !== form) return;
    typing = false;
    load(stateUrl(), "push", event.timeStamp);
  });

  doc.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-nav]");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button) return;
    event.preventDefault();
    navigate(link.href, event.timeStamp);
  });

  window.addEventListener("popstate", function () {
    typing = false;
    input.value = new URLSearchParams(location.search).get("q") || "";
    closeSuggestions();
    load(location.href, "none");
  });

  var toggle = doc.querySelector(".filters-toggle");
  var panel = doc.getElementById("facet-panel");
  if (toggle && panel) {
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", String(open));
      panel.classList.toggle("open", open);
    });
  }

  /* Suggestions as you type: the search box endpoint, shown as an ARIA combobox. */
  var suggestUrl = input.dataset.suggestUrl;
  var suggestPending = null;
  var options = [];
  var activeIndex = -1;

  function closeSuggestions() {
    list.hidden = true;
    list.innerHTML = "";
    options = [];
    activeIndex = -1;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function withParam(key, value, query) {
    var params = new URLSearchParams();
    if (query !== undefined) params.set("q", query);
    else {
      new FormData(form).forEach(function (v, k) { if (v !== "" && k !== "sort") params.append(k, v); });
      params.delete("q");
    }
    if (key && params.getAll(key).indexOf(value) < 0) params.append(key, value);
    return form.action.split("?")[0] + "?" + params.toString();
  }

  function suggestionsFrom(data, query) {
    var found = [];
    var seen = {};
    function add(label, hint, url) {
      if (seen[url] || found.length >= 8) return;
      seen[url] = true;
      found.push({ label: label, hint: hint, url: url });
    }
    var subjectKey = input.dataset.subjectKey;
    var locationKey = input.dataset.locationKey;
    var filters = data.suggested_filters || {};
    var needle = query.toLowerCase().replace(/[^a-z0-9]/g, "");
    (filters.subjects || []).forEach(function (s) {
      var code = s.code || s.name;
      if (subjectKey && code) add(code + (s.description ? " – " + s.description : ""), "Subject", withParam(subjectKey, code));
    });
    (data.suggested_products || []).forEach(function (row) {
      (row.variations || []).forEach(function (v) {
        (v.events || []).forEach(function (e) {
          var code = (e.code || "").toLowerCase().replace(/[^a-z0-9]/g, "");
          if (needle.length >= 3 && code.indexOf(needle) === 0) add(e.code, "Event", withParam(null, null, e.code));
        });
      });
      if (locationKey && row.tutorial_location_code) {
        add(row.tutorial_location_name || row.tutorial_location_code, "Location", withParam(locationKey, row.tutorial_location_code));
      }
      var name = row.kind === "tutorial" ? row.format_display || row.product_name
        : row.kind === "marking" ? row.marking_template_name || row.product_name
        : row.product_short_name || row.product_name;
      var where = row.tutorial_location_name ? " – " + row.tutorial_location_name : "";
      add((row.subject_code ? row.subject_code + " " : "") + name + where, "Product", withParam(null, null, row.product_code));
    });
    return found;
  }

  function renderSuggestions(items) {
    closeSuggestions();
    if (!items.length || doc.activeElement !== input) return;
    options = items;
    items.forEach(function (item, i) {
      var li = doc.createElement("li");
      li.id = "suggestion-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.dataset.url = item.url;
      li.textContent = item.label + " ";
      var hint = doc.createElement("span");
      hint.className = "hint";
      hint.textContent = item.hint;
      li.appendChild(hint);
      list.appendChild(li);
    });
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
  }

  function suggest(query) {
    if (suggestPending) suggestPending.abort();
    if (!suggestUrl || query.length < 2) return closeSuggestions();
    var controller = (suggestPending = new AbortController());
    var url = suggestUrl + "?" + new URLSearchParams({ q: query, limit: "5" });
    fetch(url, { signal: controller.signal, headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data) renderSuggestions(suggestionsFrom(data, query)); })
      .catch(function () {});
  }

  function setActive(index) {
    var items = list.querySelectorAll("[role=option]");
    if (!items.length) return;
    activeIndex = (index + items.length) % items.length;
    items.forEach(function (li, i) { li.setAttribute("aria-selected", String(i === activeIndex)); });
    input.setAttribute("aria-activedescendant", items[activeIndex].id);
  }

  input.addEventListener("keydown", function (event) {
    if (list.hidden) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      setActive(activeIndex + (event.key === "ArrowDown" ? 1 : -1));
    } else if (event.key === "Enter" && activeIndex >= 0) {
      event.preventDefault();
      navigate(options[activeIndex].url, event.timeStamp);
    } else if (event.key === "Escape") {
      event.preventDefault();
      closeSuggestions();
    }
  });
  list.addEventListener("mousedown", function (event) { event.preventDefault(); });
  list.addEventListener("click", function (event) {
    var li = event.target.closest("[role=option]");
    if (li) navigate(li.dataset.url, event.timeStamp);
  });
  input.addEventListener("blur", closeSuggestions);
})();
