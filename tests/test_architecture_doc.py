"""docs/ARCHITECTURE.md stays the map of the code (as Datasette's test_docs keeps its docs honest)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = (ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")


def _named_rooms() -> set[str]:
    return set(re.findall(r"^\| `([a-z_]+)/` \|", DOC, flags=re.M))


def _package_folders() -> set[str]:
    return {p.name for p in (ROOT / "cop").iterdir() if p.is_dir() and (p / "__init__.py").exists()}


def test_every_folder_of_the_package_is_named_in_the_map() -> None:
    missing = _package_folders() - _named_rooms()
    assert not missing, f"docs/ARCHITECTURE.md does not name: {sorted(missing)}"


def test_every_room_the_map_names_exists() -> None:
    gone = _named_rooms() - _package_folders()
    assert not gone, f"docs/ARCHITECTURE.md names folders that do not exist: {sorted(gone)}"


def test_every_module_the_map_names_in_backticks_exists() -> None:
    for room, modules in re.findall(r"^\| `([a-z_]+)/` \| (.+) \|$", DOC, flags=re.M):
        for name in re.findall(r"`([a-z_]+)`", modules):
            folder = ROOT / "cop" / room
            assert (folder / f"{name}.py").exists() or (folder / name).is_dir(), (
                f"cop/{room}/{name} is named but missing"
            )


def test_a_capability_with_screens_keeps_them_in_its_ui_folder() -> None:
    for folder in (ROOT / "cop").iterdir():
        if folder.is_dir() and (folder / "ui").is_dir():
            assert "ui/" in DOC and (folder / "ui" / "__init__.py").exists()
