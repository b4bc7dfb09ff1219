/* claimaudit editor page. Vanilla JS, no dependencies.
 *
 * Safety: every piece of user or server text is inserted with textContent or as an attribute
 * value via setAttribute on elements we create; markup is never parsed from strings. Links
 * are only emitted for http(s) URLs.
 */
(function () {
  "use strict";

  var DEBOUNCE_MS = 400;
  var SEVERITIES = ["error", "warning", "info"];
  var SEVERITY_RANK = { info: 1, warning: 2, error: 3 };
  // Severity is never shown by colour alone: each has a shape and a word.
  var SEVERITY_LABEL = { error: "Error", warning: "Warning", info: "Info" };
  var FAMILY_NAMES = {
    REG: "Regulatory status",
    EVI: "Evidence strength",
    STAT: "Statistics",
    CITE: "Citation",
    SAFE: "Safety",
    MECH: "Mechanism",
    DUR: "Onset and duration",
    SCOPE: "Scope",
    DISC: "Disclosure"
  };

  var el = {};
  var state = {
    controller: null,   // AbortController of the audit in flight
    timer: null,        // debounce timer
    sequence: 0,        // increases with every audit request
    filename: null,     // name of the uploaded file the draft came from
    last: null,         // {payload, text, report, findings}
    selected: [],       // indices of findings shown in the detail panel
    ruleNames: {},
    review: { enabled: false, decisions: {}, saveTimer: null }  // review store (drafts, decisions)
  };

  document.addEventListener("DOMContentLoaded", init);

  function init() {
    [
      "draft", "file-input", "format-select", "live-toggle", "audit-button", "error",
      "check-status", "summary", "page-findings", "result-text", "detail-body", "finding-list",
      "finding-count", "family-filter", "download-html", "download-json", "download-docx", "server-status",
      "source-name", "document-name", "document-row", "reviewer-name", "reviewer-row"
    ].forEach(function (id) { el[id] = document.getElementById(id); });
    el.severityBoxes = Array.prototype.slice.call(document.querySelectorAll(".severity-filter input"));

    el.draft.addEventListener("input", onDraftInput);
    el["audit-button"].addEventListener("click", function () { runAudit(); });
    el["file-input"].addEventListener("change", function () {
      var file = el["file-input"].files && el["file-input"].files[0];
      if (file) { uploadFile(file); }
      el["file-input"].value = "";
    });
    el["format-select"].addEventListener("change", function () { if (el.draft.value.trim()) { runAudit(); } });
    el["family-filter"].addEventListener("change", renderLast);
    el.severityBoxes.forEach(function (box) { box.addEventListener("change", renderLast); });
    el["download-json"].addEventListener("click", downloadJson);
    el["download-html"].addEventListener("click", downloadHtml);
    el["download-docx"].addEventListener("click", downloadDocx);
    el["result-text"].addEventListener("click", onHighlightActivate);
    el["result-text"].addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") { onHighlightActivate(event); }
    });
    el.draft.addEventListener("dragover", function (event) {
      event.preventDefault();
      el.draft.classList.add("dragging");
    });
    el.draft.addEventListener("dragleave", function () { el.draft.classList.remove("dragging"); });
    el.draft.addEventListener("drop", function (event) {
      el.draft.classList.remove("dragging");
      var files = event.dataTransfer && event.dataTransfer.files;
      if (files && files.length) {
        event.preventDefault();
        uploadFile(files[0]);
      }
    });
    el["document-name"].addEventListener("change", onDocumentChange);
    el["reviewer-name"].addEventListener("change", function () {
      try { window.localStorage.setItem("claimaudit.reviewer", el["reviewer-name"].value.trim()); } catch (ignored) { /* private mode */ }
    });
    checkHealth(0);
    initReview();
  }

  /* ---- review store: drafts kept per document, decisions -------------------------------- */

  function initReview() {
    fetch("/api/review/drafts", { cache: "no-store" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data || !data.enabled) { return; }
        state.review.enabled = true;
        el["document-row"].hidden = false;
        el["reviewer-row"].hidden = false;
        var remembered = null;
        try { remembered = window.localStorage.getItem("claimaudit.reviewer"); } catch (ignored) { remembered = null; }
        el["reviewer-name"].value = remembered || data.reviewer || "";
        var latest = (data.drafts || [])[0];
        if (latest && !el.draft.value.trim()) { loadDraft(latest.document); }
      })
      .catch(function () { /* the page works without a review store */ });
  }

  function documentName() {
    return (el["document-name"].value || "").trim() || "untitled";
  }

  function loadDraft(document) {
    return fetch("/api/review/draft?document=" + encodeURIComponent(document), { cache: "no-store" })
      .then(readJson)
      .then(function (saved) {
        if (!saved.found) { return; }
        el["document-name"].value = saved.document;
        el.draft.value = saved.text;
        if (saved.format) { el["format-select"].value = saved.format; }
        setText(el["source-name"], "restored " + saved.updated_at);
        runAudit();
      })
      .catch(function () { /* nothing saved under that name */ });
  }

  function onDocumentChange() {
    if (!state.review.enabled) { return; }
    state.filename = null;
    if (el.draft.value.trim()) { saveDraft(); runAudit(); } else { loadDraft(documentName()); }
  }

  function saveDraft() {
    if (!state.review.enabled) { return; }
    fetch("/api/review/draft", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ document: documentName(), text: el.draft.value, format: el["format-select"].value })
    }).catch(function () { /* saving is best effort; the audit still runs */ });
  }

  function loadDecisions(document) {
    if (!state.review.enabled) { return; }
    fetch("/api/review/decisions?document=" + encodeURIComponent(document), { cache: "no-store" })
      .then(readJson)
      .then(function (data) {
        if (!state.last || state.last.payload.filename !== document) { return; }
        state.review.decisions = data.decisions || {};
        applyDecisions();
      })
      .catch(function () { /* decisions are shown when the store answers */ });
  }

  function applyDecisions() {
    if (!state.last) { return; }
    state.last.findings.forEach(function (finding) {
      finding.decision = state.review.decisions[finding.fingerprint] || null;
    });
    var keep = state.selected.slice();
    renderLast();
    if (keep.length) { select(keep, false); }
  }

  function decide(finding, status, reason, message) {
    var reviewer = (el["reviewer-name"].value || "").trim();
    if (!reviewer) { setText(message, "Enter your name as reviewer first."); el["reviewer-name"].focus(); return; }
    if (status === "dismissed" && !reason.trim()) { setText(message, "A dismissal needs a reason."); return; }
    var original = {};
    Object.keys(finding).forEach(function (key) {
      if (key !== "__index" && key !== "decision") { original[key] = finding[key]; }
    });
    fetch("/api/review/decisions", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        document: state.last.payload.filename, fingerprint: finding.fingerprint, status: status,
        reason: reason, reviewer: reviewer, finding: original
      })
    })
      .then(readJson)
      .then(function (data) {
        state.review.decisions[data.fingerprint] = data.decision;
        applyDecisions();
      })
      .catch(function (error) { setText(message, (error.code ? error.code + " " : "") + error.message); });
  }

  /* ---- server status ------------------------------------------------------------------ */

  function checkHealth(attempt) {
    fetch("/api/health", { cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (health) {
        var text = "claimaudit " + health.version;
        if (health.status === "error") {
          setText(el["server-status"], text + " · the auditor could not start: " + (health.error || "unknown error"));
          return;
        }
        if (!health.ready) {
          setText(el["server-status"], text + " · loading the knowledge base…");
          if (attempt < 240) { window.setTimeout(function () { checkHealth(attempt + 1); }, 1000); }
          return;
        }
        var kb = health.kb_version ? " · knowledge base " + health.kb_version : "";
        var hash = health.kb_hash ? " (" + String(health.kb_hash).slice(0, 12) + ")" : "";
        setText(el["server-status"], text + kb + hash + " · ready");
        loadRules();
      })
      .catch(function () {
        setText(el["server-status"], "the server is not answering");
      });
  }

  function loadRules() {
    fetch("/api/rules", { cache: "no-store" })
      .then(function (response) { return response.ok ? response.json() : { rules: [] }; })
      .then(function (data) {
        (data.rules || []).forEach(function (rule) { state.ruleNames[rule.code] = rule.name; });
      })
      .catch(function () { /* names are a nicety */ });
  }

  /* ---- auditing ----------------------------------------------------------------------- */

  function onDraftInput() {
    if (!el.draft.value.trim()) { state.filename = null; setText(el["source-name"], ""); }
    if (!el["live-toggle"].checked) { markStale(); return; }
    window.clearTimeout(state.timer);
    abortInFlight();  // whatever is in flight describes text that no longer exists
    markStale();
    state.timer = window.setTimeout(function () { runAudit(); }, DEBOUNCE_MS);
  }

  function markStale() {
    if (state.last && state.last.text !== el.draft.value) {
      el["result-text"].classList.add("stale");
      setStatus("edited", false);
    }
  }

  function abortInFlight() {
    if (state.controller) {
      state.controller.abort();
      state.controller = null;
    }
  }

  function currentPayload() {
    var payload = { text: el.draft.value };
    var format = el["format-select"].value;
    if (format && format !== "auto") { payload.format = format; }
    if (state.review.enabled) { payload.filename = documentName(); } else if (state.filename) { payload.filename = state.filename; }
    return payload;
  }

  function runAudit() {
    window.clearTimeout(state.timer);
    var payload = currentPayload();
    if (!payload.text.trim()) {
      abortInFlight();
      clearResult();
      setStatus("", false);
      return;
    }
    abortInFlight();
    saveDraft();
    var controller = new AbortController();
    var sequence = ++state.sequence;
    state.controller = controller;
    setStatus("checking…", true);
    fetch("/api/audit", {
      method: "POST",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify(payload),
      signal: controller.signal
    })
      .then(readJson)
      .then(function (report) {
        if (sequence !== state.sequence) { return; }
        hideError();
        showResult(payload, report);
        setStatus("checked " + new Date().toLocaleTimeString(), false);
      })
      .catch(function (error) {
        if (error && error.name === "AbortError") { return; }
        if (sequence !== state.sequence) { return; }
        showError(error);
        setStatus("not checked", false);
      })
      .then(function () {
        if (state.controller === controller) { state.controller = null; }
      });
  }

  // Resolves with the parsed JSON of a 2xx response; rejects with {code, message} otherwise.
  function readJson(response) {
    return response.text().then(function (body) {
      var data = null;
      try { data = body ? JSON.parse(body) : null; } catch (ignored) { data = null; }
      if (response.ok && data !== null) { return data; }
      if (data && data.error) {
        throw { code: data.error.code, message: data.error.message };
      }
      throw { code: "HTTP " + response.status, message: body.slice(0, 300) || response.statusText };
    });
  }

  function uploadFile(file) {
    var form = new FormData();
    form.append("file", file, file.name);
    abortInFlight();
    window.clearTimeout(state.timer);
    setStatus("reading " + file.name + "…", true);
    fetch("/api/extract", { method: "POST", body: form })
      .then(readJson)
      .then(function (draft) {
        hideError();
        state.docx = /\.docx$/i.test(file.name) ? { file: file, text: draft.text } : null;
        state.filename = draft.path;
        setText(el["source-name"], draft.path);
        if (state.review.enabled) { el["document-name"].value = draft.path; }
        el.draft.value = draft.text;
        el["format-select"].value = draft.format;
        runAudit();
      })
      .catch(function (error) {
        showError(error);
        setStatus("upload refused", false);
      });
  }

  /* ---- result view ------------------------------------------------------------------- */

  function showResult(payload, report) {
    var findings = [];
    documentsOf(report).forEach(function (doc) {
      // copies: the report itself stays exactly as the server sent it (for the JSON download)
      (doc.findings || []).forEach(function (finding) { findings.push(Object.assign({}, finding)); });
    });
    findings.forEach(function (finding, index) { finding.__index = index; });
    state.last = { payload: payload, text: payload.text, report: report, findings: findings };
    state.selected = [];
    el["download-html"].disabled = false;
    el["download-json"].disabled = false;
    el["download-docx"].disabled = false;
    fillFamilyFilter(findings);
    renderLast();
    renderDetail([]);
    if (state.review.enabled && payload.filename) { loadDecisions(payload.filename); }
  }

  function documentsOf(report) {
    if (report && Array.isArray(report.documents)) { return report.documents; }
    if (report && Array.isArray(report.findings)) { return [{ findings: report.findings }]; }
    return [];
  }

  function clearResult() {
    state.last = null;
    state.selected = [];
    clearChildren(el["result-text"]);
    clearChildren(el.summary);
    clearChildren(el["finding-list"]);
    el["page-findings"].hidden = true;
    setText(el["finding-count"], "");
    el["download-html"].disabled = true;
    el["download-json"].disabled = true;
    el["download-docx"].disabled = true;
    renderDetail([]);
  }

  function visibleFindings() {
    if (!state.last) { return []; }
    var family = el["family-filter"].value;
    var severities = el.severityBoxes.filter(function (box) { return box.checked; })
      .map(function (box) { return box.value; });
    return state.last.findings.filter(function (finding) {
      return (!family || finding.family === family) && severities.indexOf(finding.severity) >= 0;
    });
  }

  function renderLast() {
    if (!state.last) { return; }
    var shown = visibleFindings();
    el["result-text"].classList.remove("stale");
    renderSummary(state.last.findings);
    renderText(state.last.text, shown.filter(isSpanFinding));
    renderPageFindings(shown.filter(function (f) { return !isSpanFinding(f); }));
    renderList(shown);
    markActive();
  }

  function isSpanFinding(finding) {
    return !finding.omits && typeof finding.start === "number" && finding.end > finding.start;
  }

  // Python counts code points, JS strings count UTF-16 units: map one to the other.
  function codePointMap(text) {
    var map = [];
    var unit = 0;
    for (var i = 0; i < text.length; i++) {
      map.push(unit);
      var code = text.charCodeAt(i);
      if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
        var next = text.charCodeAt(i + 1);
        if (next >= 0xdc00 && next <= 0xdfff) { i++; unit++; }
      }
      unit++;
    }
    map.push(unit);
    return map;
  }

  function renderText(text, findings) {
    var target = el["result-text"];
    clearChildren(target);
    var map = text.length ? codePointMap(text) : [0];
    var astral = map.length - 1 !== text.length;
    function unitIndex(offset) {
      var clamped = Math.max(0, Math.min(offset, map.length - 1));
      return astral ? map[clamped] : clamped;
    }
    var spans = findings.map(function (finding) {
      var trigger = finding.trigger || {};
      var span = { finding: finding, start: unitIndex(finding.start), end: unitIndex(finding.end),
                   triggerStart: 0, triggerEnd: 0 };
      // the words that triggered the finding, underlined inside its highlighted sentence
      if (typeof trigger.start === "number" && trigger.end > trigger.start &&
          (trigger.start !== finding.start || trigger.end !== finding.end)) {
        span.triggerStart = unitIndex(trigger.start);
        span.triggerEnd = unitIndex(trigger.end);
      }
      return span;
    }).filter(function (span) { return span.end > span.start; });

    var cuts = [0, text.length];
    spans.forEach(function (span) {
      cuts.push(span.start, span.end);
      if (span.triggerEnd > span.triggerStart) { cuts.push(span.triggerStart, span.triggerEnd); }
    });
    cuts = cuts.filter(function (value, index, all) { return all.indexOf(value) === index; })
      .sort(function (a, b) { return a - b; });

    var fragment = document.createDocumentFragment();
    for (var i = 0; i + 1 < cuts.length; i++) {
      var from = cuts[i];
      var to = cuts[i + 1];
      var piece = text.slice(from, to);
      var covering = spans.filter(function (span) { return span.start <= from && span.end >= to; });
      if (!covering.length) {
        fragment.appendChild(document.createTextNode(piece));
        continue;
      }
      var worst = covering.reduce(function (top, span) {
        return SEVERITY_RANK[span.finding.severity] > SEVERITY_RANK[top] ? span.finding.severity : top;
      }, "info");
      var mark = document.createElement("mark");
      var starts = covering.some(function (span) { return span.start === from; });
      mark.className = "hl sev-" + worst + " depth-" + Math.min(covering.length, 3) + (starts ? " starts" : "");
      mark.setAttribute("data-findings", covering.map(function (span) { return span.finding.__index; }).join(" "));
      mark.setAttribute("tabindex", "0");
      mark.setAttribute("role", "button");
      mark.setAttribute("title", covering.map(function (span) {
        return SEVERITY_LABEL[span.finding.severity] + " " + span.finding.code + ": " + span.finding.message;
      }).join("\n"));
      mark.setAttribute("aria-label", highlightName(piece, covering.map(function (span) { return span.finding; })));
      var triggered = covering.filter(function (span) {
        return span.triggerEnd > span.triggerStart && span.triggerStart <= from && span.triggerEnd >= to;
      });
      if (triggered.length) {
        var underline = document.createElement("u");
        underline.className = "trigger";
        underline.setAttribute("data-findings", triggered.map(function (span) { return span.finding.__index; }).join(" "));
        underline.textContent = piece;
        mark.appendChild(underline);
      } else {
        mark.textContent = piece;
      }
      fragment.appendChild(mark);
    }
    target.appendChild(fragment);
  }

  // What a screen reader announces for a highlight: the words, then each finding's severity and code.
  function highlightName(piece, findings) {
    var words = piece.replace(/\s+/g, " ").trim();
    if (words.length > 80) { words = words.slice(0, 77) + "…"; }
    var parts = findings.map(function (finding) {
      var decided = finding.decision ? ", " + finding.decision.status : "";
      return SEVERITY_LABEL[finding.severity] + " " + finding.code + " " +
        (FAMILY_NAMES[finding.family] || finding.family) + decided;
    });
    return "“" + words + "”: " + parts.join("; ") + ". Press Enter for details.";
  }

  function renderSummary(findings) {
    var box = el.summary;
    clearChildren(box);
    var counts = { error: 0, warning: 0, info: 0 };
    findings.forEach(function (finding) { counts[finding.severity] = (counts[finding.severity] || 0) + 1; });
    if (!findings.length) {
      box.appendChild(make("span", "clean", "No findings: nothing in this draft contradicts the knowledge base."));
      return;
    }
    box.appendChild(make("span", "pill total", findings.length + (findings.length === 1 ? " finding" : " findings")));
    SEVERITIES.forEach(function (severity) {
      if (counts[severity]) {
        box.appendChild(make("span", "pill sev-" + severity, counts[severity] + " " + severity));
      }
    });
    var families = {};
    findings.forEach(function (finding) { families[finding.family] = (families[finding.family] || 0) + 1; });
    Object.keys(families).sort().forEach(function (family) {
      var pill = make("span", "pill family-pill", family + " " + families[family]);
      pill.setAttribute("title", FAMILY_NAMES[family] || family);
      box.appendChild(pill);
    });
  }

  function renderPageFindings(findings) {
    var box = el["page-findings"];
    clearChildren(box);
    box.hidden = !findings.length;
    if (!findings.length) { return; }
    box.appendChild(make("h3", "", "About the page as a whole"));
    var list = document.createElement("ul");
    findings.forEach(function (finding) {
      var item = document.createElement("li");
      var button = make("button", "", finding.code + ": " + finding.message);
      button.type = "button";
      button.addEventListener("click", function () { select([finding.__index], false); });
      item.appendChild(button);
      list.appendChild(item);
    });
    box.appendChild(list);
  }

  function fillFamilyFilter(findings) {
    var select = el["family-filter"];
    var keep = select.value;
    while (select.options.length > 1) { select.remove(1); }
    var families = {};
    findings.forEach(function (finding) { families[finding.family] = (families[finding.family] || 0) + 1; });
    Object.keys(families).sort().forEach(function (family) {
      var option = document.createElement("option");
      option.value = family;
      option.textContent = family + " · " + (FAMILY_NAMES[family] || family) + " (" + families[family] + ")";
      select.appendChild(option);
    });
    select.value = families[keep] ? keep : "";
  }

  function renderList(findings) {
    var list = el["finding-list"];
    clearChildren(list);
    var total = state.last ? state.last.findings.length : 0;
    setText(el["finding-count"], findings.length === total ? String(total) : findings.length + " of " + total);
    if (!findings.length) {
      list.appendChild(make("li", "empty", total ? "No finding matches the filters." : "No findings."));
      return;
    }
    findings.forEach(function (finding) {
      var item = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.setAttribute("data-finding", String(finding.__index));
      button.appendChild(make("span", "badge sev-" + finding.severity, finding.severity));
      button.appendChild(make("span", "code", finding.code + " · " + (FAMILY_NAMES[finding.family] || finding.family)));
      if (finding.decision) {
        var tag = make("span", "decision-tag decision-" + finding.decision.status, decisionLabel(finding.decision));
        button.appendChild(tag);
      }
      var snippet = finding.omits ? "whole page: " + finding.message : "“" + (finding.text || "") + "” " + finding.message;
      var line = make("span", "snippet", snippet);
      line.setAttribute("title", snippet);
      button.appendChild(line);
      button.addEventListener("click", function () { select([finding.__index], true); });
      item.appendChild(button);
      list.appendChild(item);
    });
  }

  /* ---- selection and detail panel ---------------------------------------------------- */

  function onHighlightActivate(event) {
    var mark = event.target.closest ? event.target.closest("mark.hl") : null;
    if (!mark || !el["result-text"].contains(mark)) { return; }
    event.preventDefault();
    var indices = mark.getAttribute("data-findings").split(" ").map(Number);
    // innermost (shortest) span first, then the most severe
    indices.sort(function (a, b) {
      var fa = state.last.findings[a];
      var fb = state.last.findings[b];
      return (fa.end - fa.start) - (fb.end - fb.start) ||
        SEVERITY_RANK[fb.severity] - SEVERITY_RANK[fa.severity];
    });
    select(indices, false);
  }

  function select(indices, scroll) {
    state.selected = indices;
    renderDetail(indices.map(function (index) { return state.last.findings[index]; }));
    markActive();
    if (scroll) {
      var mark = el["result-text"].querySelector("mark.active");
      if (mark && mark.scrollIntoView) { mark.scrollIntoView({ block: "center", behavior: "smooth" }); }
    }
  }

  function markActive() {
    var chosen = {};
    state.selected.forEach(function (index) { chosen[index] = true; });
    Array.prototype.forEach.call(el["result-text"].querySelectorAll("mark.hl"), function (mark) {
      var hit = mark.getAttribute("data-findings").split(" ").some(function (index) { return chosen[index]; });
      mark.classList.toggle("active", hit);
    });
    Array.prototype.forEach.call(el["finding-list"].querySelectorAll("button[data-finding]"), function (button) {
      button.classList.toggle("active", !!chosen[button.getAttribute("data-finding")]);
    });
  }

  function renderDetail(findings) {
    var body = el["detail-body"];
    clearChildren(body);
    if (!findings.length) {
      body.appendChild(make("p", "placeholder",
        "Click a highlighted claim (or a finding below) to see the reason, the evidence and a better wording."));
      return;
    }
    findings.forEach(function (finding) { body.appendChild(findingCard(finding)); });
  }

  function findingCard(finding) {
    var card = make("article", "finding-card sev-" + finding.severity, null);
    var meta = make("div", "meta", null);
    meta.appendChild(make("span", "badge sev-" + finding.severity, finding.severity));
    meta.appendChild(make("span", "family", FAMILY_NAMES[finding.family] || finding.family));
    meta.appendChild(make("span", "code", finding.code));
    if (state.ruleNames[finding.code]) { meta.appendChild(make("span", "rule-name", state.ruleNames[finding.code])); }
    card.appendChild(meta);
    if (finding.text && !finding.omits) { card.appendChild(make("blockquote", "quoted", finding.text)); }
    var trigger = finding.trigger || {};
    if (!finding.omits && trigger.text && trigger.text !== finding.text) {
      card.appendChild(make("p", "trigger-text", "Triggered by: \u201c" + trigger.text + "\u201d"));
    }
    card.appendChild(make("p", "message", finding.message));
    if (finding.omits) { card.appendChild(make("p", "where", "The page leaves out: " + finding.omits)); }

    var evidence = finding.evidence || [];
    if (evidence.length) {
      card.appendChild(make("h4", "", "Evidence"));
      var list = make("ul", "evidence", null);
      evidence.forEach(function (ref) { list.appendChild(evidenceItem(ref)); });
      card.appendChild(list);
    }
    if (finding.suggestion) {
      card.appendChild(make("h4", "", "Suggested rewrite"));
      card.appendChild(make("p", "suggestion", finding.suggestion));
      var row = make("div", "copy-row", null);
      var button = make("button", "copy", "Copy");
      button.type = "button";
      var status = make("span", "copy-status", "");
      status.setAttribute("aria-live", "polite");
      button.addEventListener("click", function () {
        copyText(finding.suggestion).then(function (how) {
          setText(status, how === "clipboard" ? "Copied." : "Copied (fallback).");
        }, function () {
          setText(status, "Could not copy: select the text and copy it by hand.");
        });
      });
      row.appendChild(button);
      row.appendChild(status);
      card.appendChild(row);
    }
    if (finding.advice) {
      card.appendChild(make("h4", "", "What to do"));
      card.appendChild(make("p", "advice", finding.advice));
    }
    if (finding.note) {
      card.appendChild(make("h4", "", "Note"));
      card.appendChild(make("p", "note", finding.note));
    }
    if (state.review.enabled && finding.fingerprint) { card.appendChild(decisionBox(finding)); }
    if (finding.line) {
      var at = typeof trigger.line === "number" ? trigger : finding;
      card.appendChild(make("p", "where", "line " + at.line + ", column " + at.column +
        (finding.path && finding.path !== "<text>" ? " · " + finding.path : "")));
    }
    return card;
  }

  var DECISIONS = [
    { status: "accepted", label: "Accept", help: "the finding is right: the text will change" },
    { status: "dismissed", label: "Dismiss", help: "the finding does not apply (reason required)" },
    { status: "escalated", label: "Escalate", help: "needs a medical, legal or regulatory reviewer" }
  ];

  function decisionBox(finding) {
    var box = make("section", "decision-box", null);
    var id = "reason-" + finding.__index;
    box.setAttribute("aria-label", "Review decision on " + finding.code);
    box.appendChild(make("h4", "", "Review decision"));
    var current = finding.decision;
    var status = make("p", "decision-current", current
      ? decisionLabel(current) + " by " + current.reviewer + " · " + current.decided_at + (current.reason ? " · " + current.reason : "")
      : "Not decided yet.");
    status.setAttribute("data-status", current ? current.status : "");
    box.appendChild(status);
    var label = make("label", "reason-label", "Reason (required to dismiss)");
    label.setAttribute("for", id);
    box.appendChild(label);
    var reason = make("textarea", "decision-reason", null);
    reason.id = id;
    reason.rows = 2;
    reason.value = current && current.reason ? current.reason : "";
    box.appendChild(reason);
    var message = make("p", "decision-message", "");
    message.setAttribute("role", "status");
    var row = make("div", "decision-buttons", null);
    DECISIONS.forEach(function (choice) {
      var button = make("button", "decide decide-" + choice.status, choice.label);
      button.type = "button";
      button.setAttribute("data-status", choice.status);
      button.setAttribute("title", choice.help);
      if (current && current.status === choice.status) { button.setAttribute("aria-pressed", "true"); }
      button.addEventListener("click", function () { decide(finding, choice.status, reason.value, message); });
      row.appendChild(button);
    });
    box.appendChild(row);
    box.appendChild(message);
    return box;
  }

  function decisionLabel(decision) {
    return { accepted: "Accepted", dismissed: "Dismissed", escalated: "Escalated" }[decision.status] || decision.status;
  }

  function evidenceItem(ref) {
    var item = document.createElement("li");
    var url = evidenceUrl(ref);
    var label = ref.label || ref.id || "source";
    if (url) {
      var link = make("a", "", label);
      link.setAttribute("href", url);
      link.setAttribute("target", "_blank");
      link.setAttribute("rel", "noopener noreferrer");
      item.appendChild(link);
      item.appendChild(make("span", "host", hostOf(url)));
    } else {
      item.appendChild(make("span", "", label));
    }
    if (ref.id && ref.id !== label) { item.appendChild(make("span", "note", " [" + ref.id + "]")); }
    if (ref.note) { item.appendChild(make("div", "note", ref.note)); }
    return item;
  }

  // The reference's own http(s) URL, else a PubMed or DOI link built from its id or label.
  function evidenceUrl(ref) {
    if (ref.url && /^https?:\/\//i.test(ref.url)) { return ref.url; }
    var haystack = [ref.id, ref.label, ref.url].join(" ");
    var pmid = /\bPMID:?\s*(\d{4,9})\b/i.exec(haystack);
    if (pmid) { return "https://pubmed.ncbi.nlm.nih.gov/" + pmid[1] + "/"; }
    var doi = /\b(10\.\d{4,9}\/[^\s"<>]+)/.exec(haystack);
    if (doi) { return "https://doi.org/" + encodeURI(doi[1]); }
    return null;
  }

  function hostOf(url) {
    try { return new URL(url).hostname; } catch (ignored) { return ""; }
  }

  /* ---- copy and downloads ----------------------------------------------------------- */

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).then(
        function () { return "clipboard"; },
        function () { return copyWithTextarea(text); }
      );
    }
    return Promise.resolve().then(function () { return copyWithTextarea(text); });
  }

  function copyWithTextarea(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "copy-fallback";
    area.id = "copy-fallback";
    document.body.appendChild(area);
    area.select();
    var copied = false;
    try { copied = document.execCommand("copy"); } catch (ignored) { copied = false; }
    area.remove();
    if (!copied) { throw new Error("copy refused"); }
    return "fallback";
  }

  function baseName() {
    var name = (state.last && state.last.payload.filename) || "draft";
    return name.replace(/\.[^.]+$/, "").replace(/[^A-Za-z0-9._-]+/g, "-") || "draft";
  }

  // The report as the server sent it, each decided finding carrying its decision (never removed).
  function reportWithDecisions() {
    var report = state.last.report;
    if (!state.review.enabled) { return report; }
    var copy = JSON.parse(JSON.stringify(report));
    documentsOf(copy).forEach(function (doc) {
      (doc.findings || []).forEach(function (finding) {
        var decision = state.review.decisions[finding.fingerprint];
        if (decision) { finding.decision = decision; }
      });
    });
    return copy;
  }

  function downloadJson() {
    if (!state.last) { return; }
    var blob = new Blob([JSON.stringify(reportWithDecisions(), null, 2) + "\n"], { type: "application/json" });
    saveBlob(blob, baseName() + ".claimaudit.json");
  }

  function downloadHtml() {
    if (!state.last) { return; }
    setStatus("building the report…", true);
    fetch("/api/report.html", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(state.last.payload)
    })
      .then(function (response) {
        if (response.ok) { return response.blob(); }
        return readJson(response);
      })
      .then(function (blob) {
        saveBlob(blob, baseName() + ".claimaudit.html");
        setStatus("report downloaded", false);
      })
      .catch(function (error) {
        showError(error);
        setStatus("report failed", false);
      });
  }

  // The uploaded Word file itself when the draft is still its text (comments land in the writer's
  // own document), else a new Word document of the draft.
  function downloadDocx() {
    if (!state.last) { return; }
    var options = { method: "POST" };
    if (state.docx && state.docx.text === el.draft.value) {
      var form = new FormData();
      form.append("file", state.docx.file, state.docx.file.name);
      options.body = form;
    } else {
      options.headers = { "Content-Type": "application/json" };
      options.body = JSON.stringify(state.last.payload);
    }
    setStatus("building the Word document…", true);
    fetch("/api/report.docx", options)
      .then(function (response) {
        if (response.ok) { return response.blob(); }
        return readJson(response);
      })
      .then(function (blob) {
        saveBlob(blob, baseName() + ".reviewed.docx");
        setStatus("Word document downloaded", false);
      })
      .catch(function (error) {
        showError(error);
        setStatus("Word document failed", false);
      });
  }

  function saveBlob(blob, name) {
    var url = URL.createObjectURL(blob);
    var link = document.createElement("a");
    link.href = url;
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    window.setTimeout(function () { URL.revokeObjectURL(url); }, 30000);
  }

  /* ---- small helpers ------------------------------------------------------------------ */

  function showError(error) {
    var box = el.error;
    clearChildren(box);
    var code = (error && error.code) || "";
    var message = (error && error.message) || String(error);
    if (code) { box.appendChild(make("span", "code", code)); }
    box.appendChild(document.createTextNode(message));
    box.hidden = false;
  }

  function hideError() {
    el.error.hidden = true;
    clearChildren(el.error);
  }

  function setStatus(text, busy) {
    setText(el["check-status"], text);
    el["check-status"].classList.toggle("busy", !!busy);
  }

  function make(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== null && text !== undefined) { node.textContent = text; }
    return node;
  }

  function setText(node, text) { node.textContent = text; }

  function clearChildren(node) {
    while (node.firstChild) { node.removeChild(node.firstChild); }
  }
})();
