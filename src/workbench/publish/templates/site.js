// Navigation and search of the report site: no server, no network.
(function () {
  var index = JSON.parse(document.getElementById("wb-index").textContent);
  var root = WB.root;
  function byId(id) { return document.getElementById(id); }
  function norm(s) {
    return (s || "").toLowerCase().normalize("NFKD").replace(/[\u064B-\u065F\u0640]/g, "")
      .replace(/[أإآ]/g, "ا").replace(/ى/g, "ي").replace(/ة/g, "ه");
  }
  // Navigation: report type, year and governorate pick a page.
  var cur = WB.current || {};
  ["wb-report", "wb-year", "wb-place"].forEach(function (id, i) {
    var key = ["r", "y", "p"][i], el = byId(id);
    if (el && cur[key] !== undefined) { el.value = String(cur[key]); }
  });
  function go() {
    var r = byId("wb-report").value, y = byId("wb-year").value, p = byId("wb-place").value;
    var best = null, bestScore = -1;
    index.forEach(function (e) {
      var s = (e.r === r ? 4 : 0) + (String(e.y) === y ? 2 : 0) + (e.p === p ? 3 : 0);
      if (s > bestScore) { best = e; bestScore = s; }
    });
    if (best) { window.location.href = root + best.u; }
  }
  var goButton = byId("wb-go");
  if (goButton) { goButton.addEventListener("click", go); }
  // Search: every word must occur in the title, names, year or headings of a page.
  var q = byId("wb-q"), list = byId("wb-results");
  index.forEach(function (e) { e.hay = norm([e.t, e.n, e.y, e.k].join(" ")); });
  function search() {
    var words = norm(q.value).split(/\s+/).filter(Boolean);
    list.innerHTML = "";
    if (!words.length) { list.hidden = true; return; }
    var hits = index.filter(function (e) {
      return words.every(function (w) { return e.hay.indexOf(w) >= 0; });
    }).slice(0, 30);
    if (!hits.length) {
      var li = document.createElement("li"), span = document.createElement("span");
      span.textContent = WB.noResults; li.appendChild(span); list.appendChild(li);
    }
    hits.forEach(function (e) {
      var li = document.createElement("li"), a = document.createElement("a");
      a.href = root + e.u; a.textContent = e.t; li.appendChild(a); list.appendChild(li);
    });
    list.hidden = false;
  }
  if (q) {
    q.addEventListener("input", search);
    q.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter") { var a = list.querySelector("a"); if (a) { window.location.href = a.href; } }
      if (ev.key === "Escape") { list.hidden = true; }
    });
  }
})();
