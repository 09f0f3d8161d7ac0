"""Every benchmark is an entry point, and ARCHITECTURE says each entry point imports cop.registry first.

Two of them (exports, load) did not: `make bench` stopped in both with "Import
cop.registry before opening the database", since nothing else they imported brought it in.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

BENCHMARKS = sorted((Path(__file__).resolve().parents[1] / "benchmarks").glob("bench_*.py"))


def _imports_registry(path: Path) -> bool:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import) and any(a.name == "cop.registry" for a in node.names):
            return True
        if isinstance(node, ast.ImportFrom) and (
            node.module == "cop.registry"
            or (node.module == "cop" and any(a.name == "registry" for a in node.names))
        ):
            return True
    return False


@pytest.mark.parametrize("path", BENCHMARKS, ids=lambda p: p.stem)
def test_each_benchmark_imports_the_registry_itself(path: Path) -> None:
    assert _imports_registry(path), (
        f"{path.name}: add `import cop.registry` before opening a database"
    )
