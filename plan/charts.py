"""Indicator charts as static vector graphics (Altair, drawn offline by vl-convert).

The chart is an SVG with a <title> holding its text alternative, so WeasyPrint tags it as a
Figure with /Alt and a screen reader on the site reads the same words. The words themselves
(alt text, caption) are written in templates/blocks/_indicator_chart.md; this module only draws.
"""
from __future__ import annotations

import re
from functools import lru_cache

from markupsafe import Markup, escape

# Colour-blind-safe (Okabe-Ito), with a different point shape per line, so the lines can be
# told apart in black and white too.
COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7"]
SHAPES = ["circle", "square", "triangle-up", "diamond"]


def indicator_chart(indicator, alt_text: str) -> Markup:
    """One line per area (service, family, region, national) over the periods shown."""
    rows = tuple((s.name, f.period, round(f.value, 4)) for s in indicator.series for f in s.figures)
    names = tuple(s.name for s in indicator.series if s.figures)
    unit = indicator.definition.unit
    title = f"{indicator.definition.short} ({unit})"
    return Markup(_titled(_draw(rows, names, tuple(indicator.periods), title), alt_text))


@lru_cache(maxsize=64)
def _draw(rows: tuple, names: tuple, periods: tuple, y_title: str) -> str:
    import altair as alt
    import pandas as pd
    import vl_convert

    data = pd.DataFrame(rows, columns=["Area", "Period", "Value"])
    legend = alt.Legend(title=None, orient="bottom", columns=2, labelFontSize=11, symbolSize=80)
    chart = alt.Chart(data).mark_line(point={"size": 60, "filled": True}, strokeWidth=2).encode(
        x=alt.X("Period:N", sort=list(periods), title=None, axis=alt.Axis(labelAngle=0, labelFontSize=11)),
        y=alt.Y("Value:Q", title=y_title, scale=alt.Scale(zero=True),
                axis=alt.Axis(labelFontSize=11, titleFontSize=11, titleFontWeight="normal")),
        color=alt.Color("Area:N", sort=list(names), legend=legend,
                        scale=alt.Scale(domain=list(names), range=COLOURS[:len(names)])),
        shape=alt.Shape("Area:N", sort=list(names), legend=legend,
                        scale=alt.Scale(domain=list(names), range=SHAPES[:len(names)])),
    ).properties(width=460, height=190).configure(font="Liberation Sans").configure_view(stroke=None)
    return vl_convert.vegalite_to_svg(chart.to_dict())


def _titled(svg: str, alt_text: str) -> str:
    """Give the SVG its text alternative: role="img" and a <title> as its first child."""
    text = str(escape(Markup(" ").join(escape(alt_text).split())))
    svg = re.sub(r'\sclass="marks"', ' class="marks" role="img" focusable="false"', svg, count=1)
    return re.sub(r"(<svg\b[^>]*>)", lambda m: f"{m.group(1)}<title>{text}</title>", svg, count=1)
