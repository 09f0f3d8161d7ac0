"""The document as one self-contained HTML file (and the HTML the PDF is printed from).

Images travel inside the file as ``data:`` URIs; the stylesheet is inline and
has a print layout. Authors' Markdown is rendered by ``cop.core.markdown.to_html``
(raw HTML off, unsafe links dropped, sanitised), every other string is
escaped, and the assembled body passes an nh3 allow-list once more: only the
tags and attributes below survive, links keep http(s)/mailto/fragment
targets, and only images with a PNG or SVG ``data:`` source are kept.
"""

from __future__ import annotations

import base64
import html
import re

import nh3

from cop.core import clock
from cop.core.i18n import format_day, translator
from cop.core.markdown import to_html
from cop.export.document import (
    TOC,
    Block,
    Document,
    Figure,
    Heading,
    Paragraph,
    PracticeBox,
    Table,
    xml_safe,
)

TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "table",
    "caption",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "s",
    "del",
    "nav",
    "section",
    "header",
    "footer",
    "figure",
    "figcaption",
    "img",
    "div",
    "dl",
    "dt",
    "dd",
    "span",
}
ATTRIBUTES = {
    "*": {"class"},
    "a": {"href", "title"},
    "img": {"src", "alt"},
    "h1": {"id"},
    "h2": {"id"},
    "h3": {"id"},
    "section": {"id"},
    "th": {"align"},
    "td": {"align"},
}
IMAGE_SOURCES = ("data:image/png;base64,", "data:image/svg+xml;base64,")
LINK_SCHEMES = ("http:", "https:", "mailto:", "#")
# Headings in authors' text sit below the section (2) and item (3) headings.
USER_HEADING_SHIFT = 3

CSS = """
@page { size: A4; margin: 22mm 20mm 24mm 20mm; }
:root { color: #1d2433; }
body { font-family: "DejaVu Sans", "Noto Sans", Arial, sans-serif; font-size: 10.5pt;
       line-height: 1.45; max-width: 48rem; margin: 2rem auto; padding: 0 1rem; }
h1, h2, h3, h4, h5, h6 { line-height: 1.2; color: #123a63; }
h1 { font-size: 1.9em; border-bottom: 2px solid #123a63; padding-bottom: .2em; }
h2 { font-size: 1.4em; margin-top: 1.6em; }
h3 { font-size: 1.15em; }
.cover .doc-title { font-size: 2.4em; font-weight: bold; color: #123a63; margin: 0 0 .2em; }
.cover .doc-subtitle { font-size: 1.2em; color: #4a5568; }
nav.toc ul { list-style: none; padding-left: 0; }
nav.toc li.toc-2 { padding-left: 1.5em; }
nav.toc a { color: inherit; text-decoration: none; }
.toc-title { font-weight: bold; font-size: 1.2em; }
table { border-collapse: collapse; width: 100%; margin: .8em 0; font-size: .92em; }
th, td { border: 1px solid #c5cdd8; padding: .3em .5em; text-align: left; vertical-align: top; }
th { background: #e8eef5; }
caption { caption-side: top; text-align: left; font-style: italic; padding-bottom: .3em; }
section.practice { border: 1px solid #9fb3c8; border-left: 6px solid #2f6f9f; background: #f5f8fb;
                   padding: .6em 1em; margin: 1em 0; }
section.practice dl { display: grid; grid-template-columns: max-content 1fr; gap: .1em 1em; }
section.practice dt { font-weight: bold; }
section.practice dd { margin: 0; }
.field-label { font-weight: bold; margin-bottom: 0; }
figure { margin: 1em 0; text-align: center; }
figure img { max-width: 100%; }
figcaption { font-style: italic; color: #4a5568; }
figure.infographic img { width: 100%; }
.pdf-cover { position: relative; height: 245mm; break-after: page; }
.cover-stripes { display: flex; height: 16mm; margin-bottom: 28mm; }
.cover-stripes span { flex: 1; }
.pdf-cover .doc-title { font-size: 2.6em; font-weight: bold; color: #123a63; margin: 0 0 .2em; }
.pdf-cover .doc-subtitle { font-size: 1.4em; color: #4a5568; margin: 0 0 2em; }
.cover-clusters { list-style: none; padding: 0; font-size: 1.1em; }
.cover-clusters li { margin: .5em 0; }
.cover-clusters .swatch { display: inline-block; width: 1.1em; height: 1.1em; margin-right: .6em;
                          vertical-align: -.15em; border-radius: 2px; }
.cover-foot { position: absolute; bottom: 0; left: 0; right: 0; color: #4a5568; border-top: 1px solid #c5cdd8; padding-top: .6em; }
footer.licence { margin-top: 2em; font-size: .85em; color: #4a5568; }
@media print {
  body { max-width: none; margin: 0; padding: 0; }
  h1.chapter { break-before: page; }
  h1, h2, h3, caption, .field-label { break-after: avoid; }
  /* A practice box may run across pages (kept whole, one taller than what was left of a page
     left that page nearly blank); each of its fields stays whole, and a table stays with
     the heading or text that introduces it. */
  .field, dl, figure, tr { break-inside: avoid; }
  table { break-before: avoid; }
  a { color: inherit; }
}
"""


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    """Only our own data: images, and links to the web, e-mail or inside the document."""
    plain = "".join(value.split()).lower()
    if tag == "img" and attribute == "src":
        return value if plain.startswith(IMAGE_SOURCES) else None
    if tag == "a" and attribute == "href":
        return (
            value if plain.startswith(LINK_SCHEMES) or ":" not in plain.split("/", 1)[0] else None
        )
    return value


def sanitise(body: str) -> str:
    return nh3.clean(
        body,
        tags=TAGS,
        attributes=ATTRIBUTES,
        attribute_filter=_keep_attribute,
        url_schemes={"http", "https", "mailto", "data"},
        link_rel="noopener noreferrer nofollow",
    )


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _markdown(text: str) -> str:
    rendered = to_html(text)
    return re.sub(
        r"<(/?)h([1-6])>",
        lambda m: f"<{m.group(1)}h{min(int(m.group(2)) + USER_HEADING_SHIFT, 6)}>",
        rendered,
    )


def _heading(block: Heading, opens_document: bool) -> str:
    """A chapter heading starts a new printed page unless the document opens with it."""
    level = max(1, min(block.level, 6))
    css = ' class="chapter"' if level == 1 and not opens_document else ""
    anchor = f' id="{_e(block.anchor)}"' if block.anchor else ""
    return f"<h{level}{anchor}{css}>{_e(block.text)}</h{level}>"


def _practice(box: PracticeBox) -> str:
    anchor = f' id="{_e(box.anchor)}"' if box.anchor else ""
    parts = [f'<section class="practice"{anchor}>']
    if box.title:  # on the published site's practice page the page's own h1 names it
        parts.append(f"<h3>{_e(box.title)}</h3>")
    if box.facts:
        parts.append(
            "<dl>" + "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in box.facts) + "</dl>"
        )
    for label, markdown in box.fields:
        parts.append(
            f'<div class="field"><p class="field-label">{_e(label)}</p>{_markdown(markdown)}</div>'
        )
    parts.append("</section>")
    return "".join(parts)


def _table(table: Table) -> str:
    head = "".join(f"<th>{_e(c)}</th>" for c in table.columns)
    rows = "".join(
        "<tr>" + "".join(f"<td>{_e(c)}</td>" for c in row) + "</tr>" for row in table.rows
    )
    caption = f"<caption>{_e(table.caption)}</caption>" if table.caption else ""
    return f"<table>{caption}<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _figure(figure: Figure) -> str:
    """The SVG where the figure has one (sharp at any size, its text selectable in the PDF)."""
    kind, data = ("svg+xml", figure.svg) if figure.svg else ("png", figure.png)
    source = base64.b64encode(data).decode("ascii")
    return (
        f'<figure class="infographic"><img src="data:image/{kind};base64,{source}" alt="{_e(figure.alt)}">'
        f"<figcaption>{_e(figure.caption)}</figcaption></figure>"
    )


_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


def cover_css(document: Document) -> str:
    """A class per cluster colour (``cluster-0``...): the sanitiser keeps no style attribute."""
    return "".join(
        f".cluster-{index} {{ background: {colour}; }}"
        for index, (_name, colour) in enumerate(document.clusters)
        if _COLOUR.fullmatch(colour)
    )


def _cover(document: Document) -> str:
    """The printed file's first page: title, the clusters' colours, the day it was made, licence."""
    _ = translator(document.language)
    stripes = "".join(
        f'<span class="cluster-{index}"></span>' for index in range(len(document.clusters))
    )
    parts = ['<section class="pdf-cover">', f'<div class="cover-stripes">{stripes}</div>']
    parts.append(f'<p class="doc-title">{_e(document.title)}</p>')
    if document.subtitle:
        parts.append(f'<p class="doc-subtitle">{_e(document.subtitle)}</p>')
    if document.clusters:
        parts.append('<ul class="cover-clusters">')
        parts += [
            f'<li><span class="swatch cluster-{index}"></span>{_e(name)}</li>'
            for index, (name, _colour) in enumerate(document.clusters)
        ]
        parts.append("</ul>")
    made = format_day(clock.today(), document.language)
    parts.append('<div class="cover-foot">')
    parts.append(f'<p class="cover-date">{_e(_("Made on {day}").format(day=made))}</p>')
    if document.licence:
        parts.append(f'<p class="cover-licence">{_e(document.licence)}</p>')
    parts.append("</div></section>")
    return "".join(parts)


def _toc(document: Document, block: TOC) -> str:
    items = "".join(
        f'<li class="toc-{h.level}"><a href="#{_e(h.anchor)}">{_e(h.text)}</a></li>'
        for h in document.headings(max_level=2)
    )
    return f'<nav class="toc"><p class="toc-title">{_e(block.title)}</p><ul>{items}</ul></nav>'


def block_html(block: Block) -> str:
    """One block other than a heading or contents, sanitised: the published site's content.

    Figures are left to the caller, which links them as files instead of inlining them.
    """
    if isinstance(block, Paragraph):
        return sanitise(xml_safe(f'<div class="md">{_markdown(block.markdown)}</div>'))
    if isinstance(block, PracticeBox):
        return sanitise(xml_safe(_practice(block)))
    if isinstance(block, Table):
        return sanitise(xml_safe(_table(block)))
    return ""


def body(document: Document, *, cover: bool = False) -> str:
    """The sanitised ``<body>`` content; ``cover`` opens it with a page of its own (the PDF)."""
    if cover:
        parts = [_cover(document)]
    else:
        parts = ['<header class="cover">', f'<p class="doc-title">{_e(document.title)}</p>']
        if document.subtitle:
            parts.append(f'<p class="doc-subtitle">{_e(document.subtitle)}</p>')
        parts.append("</header>")
    for index, block in enumerate(document.blocks):
        if isinstance(block, Heading):
            parts.append(_heading(block, index == 0))
        elif isinstance(block, Paragraph):
            parts.append(f'<div class="md">{_markdown(block.markdown)}</div>')
        elif isinstance(block, PracticeBox):
            parts.append(_practice(block))
        elif isinstance(block, Table):
            parts.append(_table(block))
        elif isinstance(block, Figure):
            parts.append(_figure(block))
        elif isinstance(block, TOC):
            parts.append(_toc(document, block))
    if document.licence:
        parts.append(f'<footer class="licence">{_e(document.licence)}</footer>')
    return sanitise(xml_safe("\n".join(parts)))


def render(document: Document, extra_css: str = "", *, cover: bool = False) -> str:
    """The complete HTML file (``cover``: with the printed file's cover page)."""
    language = re.sub(r"[^A-Za-z-]", "", document.language) or "en"
    return (
        f'<!DOCTYPE html>\n<html lang="{language}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(xml_safe(document.title))}</title>\n"
        f"<style>{CSS}{cover_css(document)}{extra_css}</style>\n</head>\n"
        f"<body>\n{body(document, cover=cover)}\n</body>\n</html>\n"
    )
