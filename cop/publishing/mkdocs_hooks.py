"""A MkDocs hook (loaded by file path, so it imports nothing of ours): accent-free search.

The theme's search matches words as written, so "dusseldorf" would not find
"Düsseldorf". After the build, each entry of the search index gets the accent-free
spelling of its words that have accents; the offline plugin, which runs last, then
inlines the amended index for ``file://`` use.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from typing import Any

_WORD = re.compile(r"\w+", re.UNICODE)
_TAG = re.compile(r"<[^>]+>")
# Letters that do not decompose into a base letter and a mark.
_SPELLED = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "Æ": "Ae",
        "ø": "o",
        "Ø": "O",
        "œ": "oe",
        "Œ": "Oe",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ı": "i",
    }
)


def fold(word: str) -> str:
    """The word without accents: Düsseldorf -> Dusseldorf, Øresund -> Oresund."""
    decomposed = unicodedata.normalize("NFKD", word.translate(_SPELLED))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def folded_words(text: str) -> list[str]:
    """The accent-free spellings of the words of ``text`` that differ from how they are written."""
    seen: dict[str, None] = {}
    for word in _WORD.findall(_TAG.sub(" ", text)):
        plain = fold(word)
        if plain != word:
            seen.setdefault(plain, None)
    return list(seen)


def on_post_build(config: Any, **_: Any) -> None:
    index_file = Path(config["site_dir"]) / "search" / "search_index.json"
    if not index_file.is_file():
        return
    index = json.loads(index_file.read_text(encoding="utf-8"))
    for doc in index.get("docs", []):
        extra = folded_words(doc.get("title", "") + " " + doc.get("text", ""))
        if extra:
            doc["text"] = (
                doc.get("text", "") + ' <span class="cop-folded">' + " ".join(extra) + "</span>"
            )
    index_file.write_text(json.dumps(index, ensure_ascii=False), encoding="utf-8")
