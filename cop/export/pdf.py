"""The document as an A4 PDF, printed by WeasyPrint from the same HTML as the HTML export.

The PDF adds only a stylesheet: page numbers in the footer and page numbers
in the table of contents (``target-counter``). WeasyPrint would fetch any URL
the HTML names (images, stylesheets, fonts), so it gets a fetcher that
refuses everything but the ``data:`` URIs the document carries itself: a
link that slipped into the HTML could not make the server request a URL or
read a local file.
"""

from __future__ import annotations

from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from cop.export import html
from cop.export.document import Document

PRINT_CSS = """
@page {
  @bottom-center { content: counter(page) " / " counter(pages); font-size: 8.5pt; color: #4a5568; }
}
@page :first { @bottom-center { content: none; } }
nav.toc a::after { content: leader('.') target-counter(attr(href), page); }
h1.chapter { break-before: page; }
"""


class DataOnlyFetcher(URLFetcher):
    """Hands WeasyPrint ``data:`` URIs and refuses every other URL (recorded in ``refused``)."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=["data"], allow_redirects=False, timeout=1)
        self.refused: list[str] = []

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        if not url.strip().lower().startswith("data:"):
            self.refused.append(url)
            raise ValueError(
                f"The PDF renderer fetches nothing outside the document (refused {url[:80]!r})."
            )
        return super().fetch(url, headers)


def render_html(source: str, fetcher: DataOnlyFetcher | None = None) -> bytes:
    """Print an HTML text to PDF with the print stylesheet and the data-only fetcher."""
    fetcher = fetcher or DataOnlyFetcher()
    document = HTML(string=source, url_fetcher=fetcher, base_url=None)
    return document.write_pdf(stylesheets=[CSS(string=PRINT_CSS, url_fetcher=fetcher)])


def render(document: Document, fetcher: DataOnlyFetcher | None = None) -> bytes:
    return render_html(html.render(document, cover=True), fetcher)
