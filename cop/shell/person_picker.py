"""Picking a person from the directory by name or e-mail (admin forms for invitations, memberships, personal data)."""

from __future__ import annotations

import streamlit as st

from cop.accounts import admin
from cop.core.i18n import translator
from cop.core.permissions import Actor
from cop.core.settings import LIMITS
from cop.shell.forms import read


def person_picker(actor: Actor, key: str, *, without_account: bool = False) -> int | None:
    picked = pick_person(actor, key, without_account=without_account)
    return picked.person_id if picked else None


def pick_person(
    actor: Actor, key: str, *, without_account: bool = False
) -> admin.PersonFound | None:
    """The picked person's row from the directory (id, name, e-mail, organisation), or None."""
    _ = translator(actor.language)
    search = st.text_input(
        _("Find a person by name or e-mail"), key=f"{key}_search", max_chars=LIMITS.search_max
    )
    if not search.strip():
        return None
    found = read(admin.find_people, actor, search, reader_language=actor.language) or []
    found = [p for p in found if not (without_account and p.username) and not p.anonymised]
    if not found:
        st.caption(_("Nobody found."))
        return None
    labels = {p.person_id: f"{p.name} <{p.email or '-'}> {p.organisation}" for p in found}
    chosen = st.selectbox(_("Person"), list(labels), format_func=labels.get, key=f"{key}_pick")
    return next((p for p in found if p.person_id == chosen), None)
