"""Narrative pictures in WebP or GIF go into the Word plan as PNG (Word may not show WebP), each
with its text alternative; PNG and JPEG go in as they are."""
from __future__ import annotations

import datetime as dt
import io

import docx
from docx.oxml.ns import qn
from PIL import Image

from plan.word import html_to_docx

ALTS = {"webp": "Children at the boxing club", "gif": "The referral order pathway, step by step",
        "png": "The team at the awards", "jpg": "The new youth centre"}


def picture(path, kind: str) -> None:
    image = Image.new("RGB", (40, 30), (0, 90, 112))
    if kind == "gif":      # two frames: an animated GIF, of which Word gets the first
        image.save(path, format="GIF", save_all=True, append_images=[Image.new("RGB", (40, 30), "white")])
    else:
        image.save(path, format={"jpg": "JPEG"}.get(kind, kind.upper()))


def test_webp_and_gif_pictures_become_png_with_their_alt_text(tmp_path):
    body = ""
    for kind, alt in ALTS.items():
        path = tmp_path / f"picture.{kind}"
        picture(path, kind)
        body += f'<h1>{kind}</h1><p><img src="{path.as_uri()}" alt="{alt}"></p>'
    target = tmp_path / "plan.docx"
    html_to_docx(f"<!DOCTYPE html><html><body>{body}</body></html>", target, title="Plan", author="Council",
                 date=dt.datetime(2025, 6, 1, tzinfo=dt.timezone.utc), primary="#005a70")

    document = docx.Document(str(target))
    pictures = document.element.body.findall(".//" + qn("pic:pic"))
    assert len(pictures) == len(ALTS)
    descriptions = [d.get("descr") for d in document.element.body.findall(".//" + qn("wp:docPr"))]
    assert descriptions == list(ALTS.values())
    kinds = []
    for pic in pictures:
        blip = pic.find(".//" + qn("a:blip"))
        part = document.part.related_parts[blip.get(qn("r:embed"))]
        kinds.append(part.content_type)
        with Image.open(io.BytesIO(part.blob)) as image:
            assert image.size == (40, 30)
    assert kinds == ["image/png", "image/png", "image/png", "image/jpeg"]
    parts = [p.partname for p in document.part.package.iter_parts()]
    assert not any(str(name).endswith((".webp", ".gif")) for name in parts)
