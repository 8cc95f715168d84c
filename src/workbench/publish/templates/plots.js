// Draw every chart of the page from its figure JSON (plotly.js is loaded once, above).
(function () {
  document.querySelectorAll("figure.wb-figure").forEach(function (fig) {
    var data = fig.querySelector("script.wb-plot-data"), el = fig.querySelector(".wb-plot");
    if (!data || !el || !window.Plotly) { return; }
    var spec = JSON.parse(data.textContent);
    var layout = spec.layout || {};
    delete layout.width;
    Plotly.newPlot(el, spec.data || [], layout, {responsive: true, displaylogo: false, displayModeBar: false});
  });
})();
