"""The pages of the workspace (the one page list), and the navigation built from the actor's roles."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st
from streamlit.errors import StreamlitAPIException

from cop.core.i18n import N_, translator
from cop.core.permissions import Actor


@dataclass(frozen=True)
class PageSpec:
    key: str
    file: str
    title: str  # English source string, translated when drawn
    icon: str
    admin_only: bool = False
    public: bool = False  # readable without signing in (its guard: gate.allow_anyone)


PAGES: dict[str, PageSpec] = {
    spec.key: spec
    for spec in (
        PageSpec("home", "pages/home.py", N_("Home"), ":material/home:"),
        PageSpec("workshops", "pages/workshops.py", N_("Workshops"), ":material/groups:"),
        PageSpec("actions", "pages/actions.py", N_("Actions"), ":material/task_alt:"),
        PageSpec("practices", "pages/practices.py", N_("Practices"), ":material/lightbulb:"),
        PageSpec("map", "pages/map.py", N_("Map"), ":material/map:"),
        PageSpec("toolkit", "pages/toolkit.py", N_("Toolkit"), ":material/menu_book:"),
        PageSpec("search", "pages/search.py", N_("Search"), ":material/search:"),
        PageSpec(
            "organisations", "pages/organisations.py", N_("Organisations"), ":material/apartment:"
        ),
        PageSpec("profile", "pages/profile.py", N_("Profile"), ":material/person:"),
        PageSpec(
            "admin",
            "pages/admin.py",
            N_("Admin"),
            ":material/admin_panel_settings:",
            admin_only=True,
        ),
        PageSpec(
            "accessibility",
            "pages/accessibility.py",
            N_("Accessibility"),
            ":material/accessibility_new:",
            public=True,
        ),
    )
}


def visible_pages(actor: Actor) -> list[PageSpec]:
    """The pages this actor's role allows; the guard enforces the same rule on each page."""
    return [spec for spec in PAGES.values() if actor.is_admin or not spec.admin_only]


def navigation(actor: Actor) -> st.navigation:  # type: ignore[valid-type]
    _ = translator(actor.language)
    pages = [
        st.Page(
            spec.file,
            title=_(spec.title),
            icon=spec.icon,
            url_path=spec.key,
            default=spec.key == "home",
        )
        for spec in visible_pages(actor)
    ]
    return st.navigation(pages, position="sidebar")


def hide_page_list() -> st.Page | None:  # type: ignore[valid-type]
    """Register the pages, hidden, before anyone signed in.

    A run that never calls st.navigation makes Streamlit list the files of
    pages/ in the sidebar (raw file names, on the sign-in screen, and a click
    there lands on the sign-in again). Registering them hidden keeps the
    sidebar empty and the address as it is, so a deep link still opens its
    page once signed in. Returns the page the address asks for (None in AppTest).
    """
    try:
        return st.navigation(
            [
                st.Page(spec.file, title=spec.title, url_path=spec.key, default=spec.key == "home")
                for spec in PAGES.values()
            ],
            position="hidden",
        )
    except StreamlitAPIException:
        return None  # a page script run on its own (AppTest), where page paths do not resolve


def public_spec(url_path: str | None) -> PageSpec | None:
    """The public page at ``url_path`` (readable without signing in), if it is one."""
    spec = PAGES.get(url_path or "")
    return spec if spec is not None and spec.public else None
