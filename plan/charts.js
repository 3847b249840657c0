// Turn each static chart into an interactive one. Without JavaScript the static SVG stays.
document$.subscribe(function () {
  document.querySelectorAll("figure.chart-figure").forEach(function (figure) {
    var target = figure.querySelector("div.chart");
    var spec = figure.querySelector("script.chart-spec");
    if (!target || !spec || target.dataset.embedded) return;
    target.dataset.embedded = "yes";
    window.vegaEmbed(target, JSON.parse(spec.textContent), { actions: false, renderer: "svg" })
      .then(function () {
        target.hidden = false;
        figure.querySelector("img.chart-static").style.display = "none";
      })
      .catch(function () { target.dataset.embedded = "failed"; });
  });
});
