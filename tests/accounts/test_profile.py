"""Everyone edits their own name, e-mail, language and time zone; stale forms do not overwrite."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from cop.accounts import profile
from cop.accounts import service as accounts
from cop.core.db import read_session, write_session
from cop.core.errors import ConflictError, ValidationError
from tests import factories


def test_a_member_updates_their_own_profile(engine: Engine) -> None:
    me = factories.actor(engine)
    with read_session(engine) as s:
        mine = profile.my_profile(s, me)
    with write_session(engine) as s:
        saved = profile.update_own_profile(
            s,
            me,
            name="  Søren Ærø 🚲 ",
            email="soren@example.dk",
            language="de",
            time_zone="Europe/Copenhagen",
            person_version=mine.person_version,
            user_version=mine.user_version,
        )
    assert (saved.name, saved.email, saved.language, saved.time_zone) == (
        "Søren Ærø 🚲",
        "soren@example.dk",
        "de",
        "Europe/Copenhagen",
    )
    with read_session(engine) as s:
        reloaded = accounts.load_actor(s, me.user_id)
    assert reloaded is not None and reloaded.name == "Søren Ærø 🚲" and reloaded.language == "de"


def test_bad_profile_input_is_refused_field_by_field(engine: Engine) -> None:
    me = factories.actor(engine)
    with read_session(engine) as s:
        mine = profile.my_profile(s, me)
    with write_session(engine) as s, pytest.raises(ValidationError) as refused:
        profile.update_own_profile(
            s,
            me,
            name=" ",
            email="me@",
            language="xx",
            time_zone="Mars/Olympus",
            person_version=mine.person_version,
            user_version=mine.user_version,
        )
    assert set(refused.value.fields) == {"name", "email", "language", "time_zone"}


def test_a_stale_profile_form_is_a_conflict(engine: Engine) -> None:
    me = factories.actor(engine)
    with read_session(engine) as s:
        mine = profile.my_profile(s, me)
    kwargs = dict(
        email="",
        language="en",
        time_zone="Europe/Brussels",
        person_version=mine.person_version,
        user_version=mine.user_version,
    )
    with write_session(engine) as s:
        profile.update_own_profile(s, me, name="First tab", **kwargs)  # type: ignore[arg-type]
    with write_session(engine) as s, pytest.raises(ConflictError):
        profile.update_own_profile(s, me, name="Second tab", **kwargs)  # type: ignore[arg-type]
