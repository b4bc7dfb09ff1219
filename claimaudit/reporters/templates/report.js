(function () {
  "use strict";
  var doc = document;
  function byId(id) { return doc.getElementById(id); }
  function checked(name) {
    var values = {};
    doc.querySelectorAll('input[name="' + name + '"]').forEach(function (box) {
      if (box.checked) { values[box.value] = true; }
    });
    return values;
  }
  function applyFilters() {
    var families = checked("family"), severities = checked("severity"), shown = 0, total = 0;
    doc.querySelectorAll("li.finding").forEach(function (item) {
      var visible = !!families[item.dataset.family] && !!severities[item.dataset.severity];
      item.hidden = !visible;
      total += 1;
      if (visible) { shown += 1; }
    });
    doc.querySelectorAll("[data-findings]").forEach(function (mark) {
      var active = mark.dataset.findings.split(" ").some(function (id) {
        var item = byId("f-" + id);
        return item && !item.hidden;
      });
      mark.classList.toggle("muted", !active);
    });
    var counter = byId("shown-count");
    if (counter) { counter.textContent = "showing " + shown + " of " + total; }
  }
  function select(ids) {
    doc.querySelectorAll(".selected").forEach(function (el) { el.classList.remove("selected"); });
    var first = null;
    ids.forEach(function (id) {
      var item = byId("f-" + id);
      if (!item || item.hidden) { return; }
      item.classList.add("selected");
      item.querySelector(".details").hidden = false;
      item.querySelector("button.head").setAttribute("aria-expanded", "true");
      doc.querySelectorAll('[data-findings~="' + id + '"]').forEach(function (m) { m.classList.add("selected"); });
      if (!first) { first = item; }
    });
    if (first) { first.scrollIntoView({ block: "nearest" }); }
  }
  function copy(button) {
    var source = byId(button.dataset.copy);
    var text = source ? source.textContent : "";
    function done() { button.textContent = "Copied"; setTimeout(function () { button.textContent = "Copy"; }, 1500); }
    function fallback() {
      var area = doc.createElement("textarea");
      area.value = text; doc.body.appendChild(area); area.select();
      try { doc.execCommand("copy"); } catch (e) { /* nothing more to try */ }
      doc.body.removeChild(area); done();
    }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(done, fallback);
    } else { fallback(); }
  }
  doc.addEventListener("click", function (event) {
    var target = event.target.closest("[data-findings], button.head, button.copy");
    if (!target) { return; }
    if (target.matches("button.copy")) { copy(target); return; }
    if (target.matches("button.head")) {
      var details = target.parentElement.querySelector(".details");
      details.hidden = !details.hidden;
      target.setAttribute("aria-expanded", String(!details.hidden));
      return;
    }
    if (!target.classList.contains("muted")) { select(target.dataset.findings.split(" ")); }
  });
  doc.addEventListener("keydown", function (event) {
    var target = event.target;
    if ((event.key === "Enter" || event.key === " ") && target.dataset && target.dataset.findings) {
      event.preventDefault(); select(target.dataset.findings.split(" "));
    }
  });
  doc.querySelectorAll(".filters input").forEach(function (box) { box.addEventListener("change", applyFilters); });
  applyFilters();
})();
