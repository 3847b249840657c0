// Turn each static chart into an interactive one. Without JavaScript the static SVG stays.
document$.subscribe(function () {
  document.querySelectorAll("figure.chart-figure").forEach(function (figure) {
    var target = figure.querySelector("div.chart");
    var source = figure.querySelector("script.chart-spec");
    var image = figure.querySelector("img.chart-static");
    if (!target || !source || target.dataset.embedded) return;
    target.dataset.embedded = "yes";
    var spec = JSON.parse(source.textContent);
    // As wide as the column, not scaled down: the text stays readable on a phone.
    spec.width = "container";
    spec.autosize = { type: "fit-x", contains: "padding" };
    // The chart measures its box when drawn, so the box is shown (and the picture hidden) first.
    target.hidden = false;
    image.style.display = "none";
    // ast: Vega evaluates its expressions with its interpreter, not new Function(), so the site's
    // Content-Security-Policy needs no 'unsafe-eval'.
    window.vegaEmbed(target, spec, { actions: false, renderer: "svg", ast: true })
      .catch(function () {
        target.dataset.embedded = "failed";
        target.hidden = true;
        image.style.display = "";
      });
  });
});
