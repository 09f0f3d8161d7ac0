"""The README's pictures are in the repository: a clean clone shows every one it links."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
PICTURES = sorted(set(re.findall(r"\]\((docs/[^)\s]+\.png)\)", README)))


def test_the_readme_shows_about_twenty_pictures_of_make_screens() -> None:
    assert 15 <= len(PICTURES) <= 25, PICTURES
    assert all(p.startswith("docs/screens/") for p in PICTURES), PICTURES


def test_every_picture_the_readme_links_is_committed_not_ignored() -> None:
    tracked = subprocess.run(
        ["git", "ls-files", "--", *PICTURES], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    assert sorted(tracked) == PICTURES
    for picture in PICTURES:
        assert (ROOT / picture).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", picture
