"""Issue 23: the PDF is tagged (PDF/UA-1) for screen readers and says its language, read back
with pypdf: the catalogue's /MarkInfo, /Lang and a structure tree holding the headings."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from cop.export import pdf
from cop.export.document import Document, Heading, Paragraph, Table


def _structure_types(node: object, found: set[str]) -> set[str]:
    node = node.get_object() if hasattr(node, "get_object") else node
    if isinstance(node, DictionaryObject):
        if "/S" in node:
            found.add(str(node["/S"]))
        _structure_types(node.get("/K"), found)
    elif isinstance(node, list):
        for child in node:
            _structure_types(child, found)
    return found


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_pdf_is_tagged_with_its_language_and_headings(language: str) -> None:
    document = Document(
        title="Toolkit",
        language=language,
        blocks=[
            Heading(1, "Willkommenskultur"),
            Paragraph("Freiwillige begrüßen Neuankömmlinge in der Bibliothek."),
            Table(["Aktion", "Stadt"], [["Sprachcafé", "Gent"]]),
        ],
    )
    root = PdfReader(io.BytesIO(pdf.render(document))).trailer["/Root"]
    assert root.get("/Lang") == language
    assert bool(root["/MarkInfo"]["/Marked"])
    types = _structure_types(root["/StructTreeRoot"], set())
    assert {"/H1", "/P", "/Table", "/TH"} <= types, types
