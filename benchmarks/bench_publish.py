"""Publishing the toolkit website: the demo edition and the export benchmark's large chapter,
each next to MkDocs' own ``mkdocs build`` of the same generated project in the same run.

Method: the demo workspace is loaded into a throwaway SQLite file (``cop demo load``:
its English and German editions, every chapter approved); the large chapter is the
one of bench_exports.py (20 cities, 200 workshops, 100 practices, 300 actions, 6
standards), approved once. For each, ``RUNS`` times after a warm-up, taking turns:

- publish: ``cop.publishing.service.publish`` end to end, as ``cop publish`` and the
  Toolkit page run it (read the approved revisions in one snapshot, write the MkDocs
  Material project, ``mkdocs build`` in a subprocess under the export limit, zip the
  site, store it as a new version);
- MkDocs alone: the very project that publish writes (``generator.write_project`` from
  the same content, written once before the runs), built by the same
  ``python -m mkdocs build`` subprocess.

The median of each is kept; the ratio says what publishing adds to the generator.
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlmodel import select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_exports import build_workspace  # noqa: E402
from cop import registry  # noqa: E402, F401
from cop.backup.demo import load_demo  # noqa: E402
from cop.core import clock, db, schema  # noqa: E402
from cop.core.permissions import SYSTEM  # noqa: E402
from cop.publishing import generator  # noqa: E402
from cop.publishing import service as publishing  # noqa: E402
from cop.toolkit import service as toolkit  # noqa: E402
from cop.toolkit.export import snapshot_session  # noqa: E402
from cop.toolkit.models import Chapter, Toolkit  # noqa: E402

RUNS = 3
RESULTS = ROOT / "benchmarks" / "results"


def _turns(runs: int, **work: Callable[[], object]) -> dict[str, float]:
    """Each piece of work once as a warm-up, then ``runs`` rounds taking turns; medians."""
    samples: dict[str, list[float]] = {name: [] for name in work}
    for job in work.values():
        job()
    for _ in range(runs):
        for name, job in work.items():
            started = time.perf_counter()
            job()
            samples[name].append(time.perf_counter() - started)
    return {f"{name}_s": statistics.median(values) for name, values in samples.items()}


def measure(url: str, toolkit_id: int, project: Path) -> dict[str, float]:
    """Publish ``toolkit_id`` next to ``mkdocs build`` of the same project."""
    engine = db.get_engine(url)
    with snapshot_session(engine) as session:
        plan = publishing.plan_publication(session, SYSTEM, toolkit_id)
    pages = generator.write_project(plan.content, project, clock.now().date().isoformat())
    markdown_chars = sum(
        len(p.read_text("utf-8")) for p in (project / "docs").rglob("*.md") if p.is_file()
    )
    built = project / "site"
    figures = _turns(
        RUNS,
        publish=lambda: publishing.publish(SYSTEM, toolkit_id, engine=engine),
        mkdocs=lambda: generator.run_mkdocs(project, built),
    )
    figures["ratio"] = figures["publish_s"] / figures["mkdocs_s"]
    figures["pages"] = pages
    figures["markdown_chars"] = markdown_chars
    figures["site_files"] = sum(1 for p in built.rglob("*") if p.is_file())
    return figures


def demo_edition(workdir: Path) -> dict[str, float]:
    url = f"sqlite:///{workdir / 'demo.db'}"
    engine = db.get_engine(url)
    schema.upgrade(engine)
    started = time.perf_counter()
    load_demo(engine)
    loaded = time.perf_counter() - started
    with db.read_session(engine) as session:
        english = session.exec(select(Toolkit.id).where(Toolkit.language == "en")).one()
    figures = measure(url, english or 0, workdir / "demo-project")
    figures["demo_load_s"] = loaded
    db.dispose_engines()
    return figures


def large_chapter(workdir: Path) -> dict[str, float]:
    url = f"sqlite:///{workdir / 'large.db'}"
    toolkit_id, chapter_id = build_workspace(url, random.Random(1))
    engine = db.get_engine(url)
    started = time.perf_counter()
    with db.write_session(engine) as s:
        chapter = s.get(Chapter, chapter_id)
        assert chapter is not None
        toolkit.submit_chapter(s, SYSTEM, chapter_id, chapter.version)
    with db.write_session(engine) as s:
        chapter = s.get(Chapter, chapter_id)
        assert chapter is not None
        toolkit.approve_chapter(s, SYSTEM, chapter_id, chapter.version)
    approve = time.perf_counter() - started
    figures = measure(url, toolkit_id, workdir / "large-project")
    figures["approve_s"] = approve
    db.dispose_engines()
    return figures


def main() -> dict:
    with tempfile.TemporaryDirectory(prefix="cop-bench-publish-") as tmp:
        demo = demo_edition(Path(tmp))
        print("demo edition:", json.dumps(demo), flush=True)
        large = large_chapter(Path(tmp))
    result = {"runs": RUNS, "demo_edition": demo, "large_chapter": large}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "publish.json").write_text(json.dumps(result, indent=2))
    print(f"Publishing the website (median of {RUNS} runs after a warm-up, taking turns)")
    print(f"{'site':<16}{'pages':>7}{'Markdown':>11}{'publish s':>11}{'mkdocs s':>10}{'ratio':>7}")
    for name, f in (("demo edition", demo), ("large chapter", large)):
        print(
            f"{name:<16}{f['pages']:>7.0f}{f['markdown_chars']:>11,.0f}"
            f"{f['publish_s']:>11.2f}{f['mkdocs_s']:>10.2f}{f['ratio']:>7.2f}"
        )
    print(f"cop demo load (both editions approved and published): {demo['demo_load_s']:.1f} s")
    return result


if __name__ == "__main__":
    main()
