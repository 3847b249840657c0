"""The print engine: WeasyPrint turns the print document into a tagged PDF/UA-1 file."""
from __future__ import annotations

import datetime as dt
import logging
import os
from pathlib import Path

from .render import RenderedYear, print_html


def pdf_date(rendered: RenderedYear) -> dt.datetime:
    """A fixed creation date, so the same inputs give the same PDF bytes."""
    if "SOURCE_DATE_EPOCH" in os.environ:
        return dt.datetime.fromtimestamp(int(os.environ["SOURCE_DATE_EPOCH"]), dt.timezone.utc)
    meta = rendered.plan.meta
    day = meta.sign_off.date or meta.figures_date
    return dt.datetime.combine(day, dt.time(12, 0), dt.timezone.utc)


def write_pdf(html: str, base: Path, target: Path, identifier: str) -> None:
    from weasyprint import HTML

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    target.parent.mkdir(parents=True, exist_ok=True)
    HTML(string=html, base_url=str(base)).write_pdf(
        target, pdf_variant="pdf/ua-1", pdf_identifier=identifier.encode(), custom_metadata=True)


def plan_pdf(project, rendered: RenderedYear, target: Path) -> None:
    """The whole plan of one year as a PDF."""
    date = pdf_date(rendered).strftime("%Y-%m-%dT%H:%M:%SZ")
    html = print_html(project, rendered, pdf_date=date)
    write_pdf(html, project.root / "templates" / "print", target,
              f"{rendered.plan.meta.service} {rendered.plan.year}")
