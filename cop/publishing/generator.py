"""The toolkit website built by MkDocs with the Material theme, from the approved documents.

Why MkDocs: a well-kept static site generator whose Material theme brings navigation,
a search that works offline, both interface languages and a layout that reads on a
phone. We give it a project written from the document model (not the HTML export):

- headings as Markdown headings, so the site's contents and search know them;
- every other block as the HTML our sanitiser made (``cop.export.html.block_html``),
  so user text is exactly as safe as in every other export;
- practice examples on pages of their own, figures as files beside the pages.

Nothing on a page asks another host for anything: ``theme.font`` is off, the offline
plugin's iframe shim is the copy shipped here (it would fetch it from unpkg.com), and
the search index is inlined so the site also works from ``file://``. ``assets/overrides``
replaces theme templates where accessibility asks (the language switcher names each
language in that language, marked with ``lang``); ``assets/site.js`` lets the keyboard
reach and scroll a table wider than a phone's screen. A hook adds the
accent-free spelling of each word to the search index: "dusseldorf" finds "Düsseldorf".
The generator runs as a subprocess under the process's limit of concurrent exports.
"""

from __future__ import annotations

import html
import io
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from cop.core.i18n import translator
from cop.export.document import Figure, Heading, Paragraph, PracticeBox, slug
from cop.export.html import block_html
from cop.export.limiter import export_slot
from cop.publishing.content import PublishedChapter, SiteContent

ASSETS = Path(__file__).resolve().parent / "assets"
HOOKS = Path(__file__).resolve().parent / "mkdocs_hooks.py"
SHIM = "assets/iframe-worker-shim.js"
BUILD_TIMEOUT_SECONDS = 300
# Characters Python-Markdown treats as syntax after a backslash (its ESCAPED_CHARS) and '|'.
_MARKDOWN_SYNTAX = re.compile(r"([\\`*_{}\[\]()>#+\-.!|])")


class BuildFailed(RuntimeError):
    """MkDocs could not build the site; the message holds the end of its output."""


@dataclass(frozen=True)
class BuiltSite:
    """The site as a zip (what the database keeps and ``/published/`` serves) and its size."""

    archive: bytes
    pages: int


def heading_text(text: str) -> str:
    """A title for a Markdown heading: shown literally, whatever characters it holds."""
    one_line = " ".join(text.split())
    return _MARKDOWN_SYNTAX.sub(r"\\\1", html.escape(one_line, quote=False))


def _label(text: str) -> str:
    """A title for navigation and the header, which the theme prints without escaping."""
    return html.escape(" ".join(text.split()), quote=True)


@dataclass
class _Page:
    path: str  # relative to docs/, e.g. "chapters/welcome.md"
    title: str
    text: str


def _unique(base: str, taken: set[str]) -> str:
    name, n = base, 2
    while name in taken:
        name, n = f"{base}-{n}", n + 1
    taken.add(name)
    return name


def _chapter_pages(
    chapter: PublishedChapter, slug_name: str, figures: dict[str, bytes], _: Callable[[str], str]
) -> list[_Page]:
    """The chapter's page and one page per practice example it shows."""
    lines: list[str] = []
    practices: list[_Page] = []
    taken: set[str] = set()
    pending_links: list[str] = []

    def flush_links() -> None:
        if pending_links:
            lines.append('<ul class="cop-practices">' + "".join(pending_links) + "</ul>")
            lines.append("")
            pending_links.clear()

    blocks = chapter.document.blocks
    if not (blocks and isinstance(blocks[0], Heading) and blocks[0].level == 1):
        lines += [f"# {heading_text(chapter.title)}", ""]
    for block in blocks:
        if isinstance(block, PracticeBox):
            name = _unique(slug(block.title), taken)
            href = f"{slug_name}/{name}.html"
            pending_links.append(
                f'<li><a href="{html.escape(href)}">{_label(block.title)}</a></li>'
            )
            practice_text = "\n".join(
                [
                    f"# {heading_text(block.title)}",
                    "",
                    block_html(PracticeBox("", block.facts, block.fields)),
                    "",
                    f'<p><a href="../{html.escape(slug_name)}.html">'
                    f"{html.escape(_('Back to the chapter {chapter}').format(chapter=chapter.title))}"
                    "</a></p>",
                    "",
                ]
            )
            practices.append(_Page(f"chapters/{slug_name}/{name}.md", block.title, practice_text))
            continue
        flush_links()
        if isinstance(block, Heading):
            level = max(1, min(block.level, 6))
            lines += [f"{'#' * level} {heading_text(block.text)}", ""]
        elif isinstance(block, Figure):
            name = f"{slug_name}-{len(figures) + 1}"
            if block.svg:
                figures[f"{name}.svg"] = block.svg
                src = f"../figures/{name}.svg"
            else:
                figures[f"{name}.png"] = block.png
                src = f"../figures/{name}.png"
            lines += [
                f'<figure class="cop-figure"><img src="{html.escape(src)}" alt="{html.escape(block.alt)}">'
                f"<figcaption>{html.escape(block.caption)}</figcaption></figure>",
                "",
            ]
        else:
            fragment = block_html(block)
            if fragment:
                lines += [fragment, ""]
    flush_links()
    page = _Page(f"chapters/{slug_name}.md", chapter.title, "\n".join(lines))
    return [page, *practices]


def _home_page(
    content: SiteContent, chapter_links: list[tuple[str, str]], _: Callable[[str], str]
) -> str:
    lines = [f"# {heading_text(content.title)} {content.year}", ""]
    if content.introduction.strip():
        lines += [block_html(Paragraph(content.introduction)), ""]
    lines += [f"## {heading_text(_('Chapters'))}", ""]
    if chapter_links:
        items = "".join(
            f'<li><a href="{html.escape(href)}">{_label(title)}</a></li>'
            for title, href in chapter_links
        )
        lines.append(f'<ul class="cop-chapters">{items}</ul>')
    else:
        lines.append(f"<p>{html.escape(_('No chapter is published yet.'))}</p>")
    return "\n".join(lines) + "\n"


def write_project(content: SiteContent, root: Path, published_on: str) -> int:
    """Write ``mkdocs.yml`` and ``docs/`` under ``root``; returns the number of pages."""
    _ = translator(content.language)
    docs = root / "docs"
    (docs / "chapters").mkdir(parents=True)
    (docs / "figures").mkdir()
    (docs / "assets").mkdir()
    shutil.copy(ASSETS / "iframe-worker-shim.js", docs / SHIM)
    shutil.copy(ASSETS / "site.css", docs / "assets" / "site.css")
    shutil.copy(ASSETS / "site.js", docs / "assets" / "site.js")
    shutil.copytree(ASSETS / "overrides", root / "overrides")
    figures: dict[str, bytes] = {}
    taken: set[str] = set()
    nav: list[dict[str, object]] = []
    chapter_links: list[tuple[str, str]] = []
    pages: list[_Page] = []
    for chapter in content.chapters:
        slug_name = _unique(slug(chapter.title), taken)
        chapter_pages = _chapter_pages(chapter, slug_name, figures, _)
        pages += chapter_pages
        chapter_links.append((chapter.title, f"chapters/{slug_name}.html"))
        entry: list[dict[str, str]] = [{_label(chapter.title): chapter_pages[0].path}]
        entry += [{_label(p.title): p.path} for p in chapter_pages[1:]]
        nav.append({_label(chapter.title): entry} if len(entry) > 1 else dict(entry[0]))
    (docs / "index.md").write_text(_home_page(content, chapter_links, _), encoding="utf-8")
    for page in pages:
        target = docs / page.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page.text, encoding="utf-8")
    for name, data in figures.items():
        (docs / "figures" / name).write_bytes(data)
    credits = _("Published on {day} with CoP Workspace.").format(day=published_on)
    licence = content.licence.strip()
    config: dict[str, object] = {
        "site_name": _label(f"{content.title} {content.year}"),
        "docs_dir": "docs",
        "use_directory_urls": False,
        "copyright": html.escape(f"{licence} · {credits}" if licence else credits),
        "theme": {
            "name": "material",
            # Our templates over the theme's: the language switcher marks each language's name.
            "custom_dir": "overrides",
            "language": content.language,
            "font": False,
            "features": ["navigation.top", "search.highlight", "toc.follow"],
        },
        "extra": {
            "generator": False,
            "polyfills": [SHIM],
            **(
                {
                    "alternate": [
                        {
                            "name": {"en": "English", "de": "Deutsch"}.get(lang, lang),
                            "link": f"../{toolkit_id}/index.html",
                            "lang": lang,
                        }
                        for lang, toolkit_id in [
                            (content.language, content.toolkit_id),
                            *content.alternates,
                        ]
                    ]
                }
                if content.alternates
                else {}
            ),
        },
        "extra_css": ["assets/site.css"],
        "extra_javascript": ["assets/site.js"],
        "plugins": [{"search": {"lang": content.language}}, "offline"],
        "hooks": [str(HOOKS)],
        "markdown_extensions": ["tables", {"toc": {"permalink": False}}],
        "nav": [{_label(_("Home")): "index.md"}, *nav],
    }
    (root / "mkdocs.yml").write_text(
        yaml.safe_dump(config, allow_unicode=True, sort_keys=False), "utf-8"
    )
    return 1 + len(pages)


def run_mkdocs(root: Path, site_dir: Path) -> None:
    """``mkdocs build`` in a subprocess: a crash or a hang there never takes the server with it."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--quiet",
            "-f",
            str(root / "mkdocs.yml"),
            "-d",
            str(site_dir),
        ],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT_SECONDS,
        check=False,
    )
    if done.returncode != 0:
        raise BuildFailed((done.stderr or done.stdout)[-2000:])


def zip_directory(site_dir: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(site_dir.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(site_dir).as_posix())
    return buffer.getvalue()


def build_site(
    content: SiteContent, published_on: str, on_wait: Callable[[str], None] | None = None
) -> BuiltSite:
    """Write the project, build it (one export slot), and return the site as a zip."""
    with export_slot(on_wait), tempfile.TemporaryDirectory(prefix="cop-site-") as tmp:
        root = Path(tmp)
        pages = write_project(content, root, published_on)
        run_mkdocs(root, root / "site")
        return BuiltSite(zip_directory(root / "site"), pages)
