"""Invitations: a one-time, seven-day link; the invited person picks a login under our rules."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from cop.accounts import invitations
from cop.accounts import service as accounts
from cop.accounts.invitations import InvitationUnusable
from cop.accounts.models import Invitation, Notification, User
from cop.communities.models import Membership
from cop.core import clock, mailer, passwords
from cop.core.audit import AuditEvent
from cop.core.db import read_session, write_session
from cop.core.errors import PermissionDenied, ValidationError
from cop.core.permissions import SYSTEM
from cop.outbox import sender
from tests import factories

T0 = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)
GOOD_PASSWORD = "tea at the town hall at five"


def _token(link: str) -> str:
    assert link.startswith("/?invite=")
    return parse_qs(urlsplit(link).query)["invite"][0]


def _invite(engine: Engine, inviter=None, community_id: int | None = None, **kwargs) -> str:  # noqa: ANN001
    world = None
    if inviter is None or community_id is None:
        world = factories.world(engine)
        inviter, community_id = world.facilitator, world.community.id
    with write_session(engine) as s:
        issued = invitations.invite(
            s,
            inviter,
            community_id=community_id,
            name=kwargs.pop("name", "Amira Haddad"),
            email=kwargs.pop("email", "amira@example.org"),
            role=kwargs.pop("role", "member"),
            **kwargs,
        )
    return _token(issued.link)


def _accept(
    engine: Engine,
    token: str,
    username: str = "amira",
    password: str = GOOD_PASSWORD,
    name: str = "Amira Haddad",
) -> User:
    with write_session(engine) as s:
        return invitations.accept_invitation(s, token, username, password, name)


def test_accepting_creates_the_account_and_membership_and_tells_the_inviter(engine: Engine) -> None:
    world = factories.world(engine)
    token = _invite(engine, world.facilitator, world.community.id, role="observer")
    user = _accept(engine, token)
    with read_session(engine) as s:
        actor = accounts.load_actor(s, user.id)
        assert actor is not None and actor.roles == {world.community.id: "observer"}
        assert accounts.sign_in(s, "amira", GOOD_PASSWORD) is not None
        note = s.exec(
            select(Notification).where(Notification.user_id == world.facilitator.user_id)
        ).one()
        assert "Amira Haddad" in note.message and note.kind == "invitation.accepted"
        invitation = s.exec(select(Invitation)).one()
        assert invitation.used_at is not None and invitation.user_id == user.id


def test_only_the_hash_of_the_token_is_stored_and_audited(engine: Engine) -> None:
    token = _invite(engine)
    with read_session(engine) as s:
        invitation = s.exec(select(Invitation)).one()
        assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
        for event in s.exec(select(AuditEvent)):
            assert token not in str(event.changes)
            assert invitation.token_hash not in str(event.changes)


def test_a_used_link_is_refused_with_a_clear_message(engine: Engine) -> None:
    token = _invite(engine)
    _accept(engine, token)
    with pytest.raises(InvitationUnusable, match="already been used"):
        _accept(engine, token, username="someone.else")


def test_a_link_expires_after_seven_days(engine: Engine) -> None:
    clock.freeze(T0)
    token = _invite(engine)
    clock.freeze(T0 + timedelta(days=7, minutes=1))
    with pytest.raises(InvitationUnusable, match="expired on 2026-05-11"):
        _accept(engine, token)
    with read_session(engine) as s:
        assert s.exec(select(User).where(User.username == "amira")).first() is None


def test_a_link_still_works_just_before_seven_days(engine: Engine) -> None:
    clock.freeze(T0)
    token = _invite(engine)
    clock.freeze(T0 + timedelta(days=7) - timedelta(minutes=1))
    assert _accept(engine, token).username == "amira"


def test_an_unknown_or_truncated_link_is_refused(engine: Engine) -> None:
    token = _invite(engine)
    for bad in (token[:-1], "", "x" * 43, "' OR 1=1 --"):
        with pytest.raises(InvitationUnusable, match="not valid"):
            _accept(engine, bad)


def test_a_revoked_link_is_refused(engine: Engine) -> None:
    world = factories.world(engine)
    token = _invite(engine, world.facilitator, world.community.id)
    with read_session(engine) as s:
        invitation_id = s.exec(select(Invitation.id)).one()
    with write_session(engine) as s:
        invitations.revoke_invitation(s, world.facilitator, invitation_id)
    with pytest.raises(InvitationUnusable, match="withdrawn"):
        _accept(engine, token)


@pytest.mark.parametrize(
    "username",
    [
        "\u0430dmin",  # Cyrillic a, looks like "admin"
        "adm\u200bin",  # zero-width space
        "admin\u200d",  # zero-width joiner at the end
        "\ufeffadmin",  # byte order mark
        "\uff41dmin",  # full-width a
        "ad",  # too short
        "a" * 33,  # too long
        "maria rossi",
        "maria@rossi",
        "",
        "../etc",
        "<script>",
    ],
)
def test_usernames_outside_the_pattern_are_refused(engine: Engine, username: str) -> None:
    token = _invite(engine)
    with pytest.raises(ValidationError) as refused:
        _accept(engine, token, username=username)
    assert "username" in refused.value.fields
    with read_session(engine) as s:
        assert s.exec(select(Invitation.used_at)).one() is None  # the link stays usable


def test_usernames_are_stored_lower_case_and_trimmed(engine: Engine) -> None:
    token = _invite(engine)
    assert _accept(engine, token, username="  Amira.H-2 ").username == "amira.h-2"


def test_a_taken_username_is_refused(engine: Engine) -> None:
    factories.actor(engine)  # some user exists
    token = _invite(engine)
    with write_session(engine) as s:
        taken = s.exec(select(User.username)).first()
    with pytest.raises(ValidationError) as refused:
        _accept(engine, token, username=taken)  # type: ignore[arg-type]
    assert "taken" in refused.value.fields["username"]


def _bytes_long(n: int) -> str:
    """A passphrase with accents of exactly ``n`` UTF-8 bytes (fewer characters than bytes)."""
    base = "Grüße aus Köln für Düsseldorf und viele weitere Städte "
    phrase = base + "x" * (n - len(base.encode("utf-8")))
    assert len(phrase.encode("utf-8")) == n and len(phrase) < n
    return phrase


@pytest.mark.parametrize(
    "password", ["elevenchars", _bytes_long(73)], ids=["11 characters", "73 bytes"]
)
def test_short_and_overlong_passwords_are_refused(engine: Engine, password: str) -> None:
    token = _invite(engine)
    with pytest.raises(ValidationError) as refused:
        _accept(engine, token, password=password)
    assert "password" in refused.value.fields


def test_an_emoji_passphrase_within_72_bytes_is_accepted(engine: Engine) -> None:
    phrase = "🌍 welcome café ☕ in Düsseldorf 🎉"
    assert len(phrase.encode("utf-8")) <= passwords.MAX_BYTES
    token = _invite(engine)
    _accept(engine, token, password=phrase)
    with write_session(engine) as s:
        assert accounts.sign_in(s, "amira", phrase) is not None


def test_a_password_of_exactly_72_bytes_is_accepted(engine: Engine) -> None:
    phrase = _bytes_long(72)
    token = _invite(engine)
    _accept(engine, token, password=phrase)
    with write_session(engine) as s:
        assert accounts.sign_in(s, "amira", phrase) is not None


def test_members_and_observers_cannot_invite_and_facilitators_only_into_their_community(
    engine: Engine,
) -> None:
    world = factories.world(engine)
    other = factories.community(engine)
    for who, community_id in (
        (world.member, world.community.id),
        (world.observer, world.community.id),
        (world.facilitator, other.id),
        (world.outsider, world.community.id),
    ):
        with write_session(engine) as s, pytest.raises(PermissionDenied):
            invitations.invite(s, who, community_id=community_id, name="Someone")
    with write_session(engine) as s:
        invitations.invite(s, world.admin, community_id=other.id, name="Someone")


def test_invitation_form_is_checked_field_by_field(engine: Engine) -> None:
    world = factories.world(engine)
    with write_session(engine) as s, pytest.raises(ValidationError) as refused:
        invitations.invite(
            s,
            world.admin,
            community_id=world.community.id,
            name="  ",
            email="not-an-address",
            role="owner",
        )
    assert set(refused.value.fields) == {"name", "email", "role"}


def test_inviting_an_existing_person_gives_that_person_the_account(engine: Engine) -> None:
    world = factories.world(engine)
    from cop.communities import people

    with write_session(engine) as s:
        person = people.create_person(s, SYSTEM, name="Jonas Berg", email="jonas@example.org")
    token = _invite(engine, world.admin, world.community.id, name="", email="", person_id=person.id)
    user = _accept(engine, token, username="jonas", name="Jonas Berg")
    assert user.person_id == person.id
    with read_session(engine) as s:
        membership = s.exec(select(Membership).where(Membership.person_id == person.id)).one()
        assert membership.community_id == world.community.id


def test_no_mail_is_sent_without_an_smtp_url(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("COP_SMTP_URL", raising=False)
    monkeypatch.setattr(mailer.settings, "_secrets", lambda: {})
    sent: list = []
    monkeypatch.setattr(mailer.smtplib, "SMTP", lambda *a, **k: sent.append(a))
    world = factories.world(engine)
    with write_session(engine) as s:
        issued = invitations.invite(
            s,
            world.admin,
            community_id=world.community.id,
            name="Amira",
            email="amira@example.org",
            base_url="https://cop.example.org",
        )
    assert not issued.emailed and not sent


class _FakeSmtp:
    sent: list = []

    def __init__(self, host: str, port: int, timeout: float) -> None:
        self.host, self.port = host, port

    def __enter__(self) -> _FakeSmtp:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def ehlo(self) -> None:
        return None

    def has_extn(self, name: str) -> bool:
        return False

    def login(self, user: str, password: str) -> None:
        self.login_as = (user, password)

    def send_message(self, message) -> None:  # noqa: ANN001
        _FakeSmtp.sent.append((self.host, self.port, self.login_as, message))


def test_the_link_is_mailed_when_an_smtp_url_is_set(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COP_SMTP_URL", "smtp://cop%40example.org:s3cret@mail.example.org:2525")
    monkeypatch.setattr(mailer.smtplib, "SMTP", _FakeSmtp)
    _FakeSmtp.sent = []
    world = factories.world(engine)
    with write_session(engine) as s:
        issued = invitations.invite(
            s,
            world.admin,
            community_id=world.community.id,
            name="Amira",
            email="amira@example.org",
            base_url="https://cop.example.org/",
        )
    assert issued.emailed and _FakeSmtp.sent == []  # queued: the page run sends nothing
    assert sender.send_due(engine).sent == 1
    host, port, login, message = _FakeSmtp.sent[0]
    assert (host, port, login) == ("mail.example.org", 2525, ("cop@example.org", "s3cret"))
    assert message["To"] == "amira@example.org" and message["From"] == "cop@example.org"
    assert f"https://cop.example.org{issued.link}" in message.get_content()


def test_a_refusing_mail_server_keeps_the_email_for_a_retry_and_the_link_works(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COP_SMTP_URL", "smtp://mail.invalid:25")

    def refuse(*args: object, **kwargs: object) -> None:
        raise ConnectionRefusedError("no")

    monkeypatch.setattr(mailer.smtplib, "SMTP", refuse)
    world = factories.world(engine)
    with write_session(engine) as s:
        issued = invitations.invite(
            s,
            world.admin,
            community_id=world.community.id,
            name="Amira",
            email="amira@example.org",
            base_url="https://cop.example.org",
        )
    assert issued.emailed  # queued; the sender meets the refusal, not the admin's page run
    report = sender.send_due(engine)
    assert report.sent == 0 and report.retrying == 1
    assert _accept(engine, _token(issued.link)).username == "amira"


def test_facilitators_list_their_communitys_invitations_with_their_state(engine: Engine) -> None:
    clock.freeze(T0)
    world = factories.world(engine)
    used = _invite(
        engine, world.facilitator, world.community.id, name="A One", email="a1@example.org"
    )
    _invite(engine, world.facilitator, world.community.id, name="B Two", email="b2@example.org")
    _accept(engine, used, username="aone", name="A One")
    with read_session(engine) as s:
        rows, total = invitations.list_invitations(s, world.facilitator, world.community.id)
        with pytest.raises(PermissionDenied):
            invitations.list_invitations(s, world.member, world.community.id)
        with pytest.raises(PermissionDenied):
            invitations.list_invitations(s, world.facilitator)
    assert total == 2
    assert {r.name: r.status for r in rows} == {"A One": "used", "B Two": "pending"}


def _jonas(engine: Engine):  # noqa: ANN202
    from cop.communities import people

    with write_session(engine) as s:
        return people.create_person(s, SYSTEM, name="Jonas Berg", email="jonas@example.org")


def test_inviting_a_picked_person_takes_their_name_and_email(engine: Engine) -> None:
    """Issue 17 item 3: picking a person left name and e-mail empty and the save failed."""
    world = factories.world(engine)
    person = _jonas(engine)
    with write_session(engine) as s:
        issued = invitations.invite(
            s, world.admin, community_id=world.community.id, name="", person_id=person.id
        )
        assert (issued.invitation.name, issued.invitation.email) == (
            "Jonas Berg",
            "jonas@example.org",
        )


def test_picking_one_person_and_typing_another_name_is_refused(engine: Engine) -> None:
    """It used to invite the picked person silently under the typed name."""
    world = factories.world(engine)
    person = _jonas(engine)
    with write_session(engine) as s, pytest.raises(ValidationError) as refused:
        invitations.invite(
            s,
            world.admin,
            community_id=world.community.id,
            name="Amira Haddad",
            email="amira@example.org",
            person_id=person.id,
        )
    assert set(refused.value.fields) == {"person"}
    assert "Jonas Berg" in str(refused.value.fields["person"])
    with read_session(engine) as s:
        assert s.exec(select(Invitation)).first() is None


def test_typing_the_email_of_someone_in_the_workspace_is_refused_naming_them(
    engine: Engine,
) -> None:
    """A typed e-mail that belongs to a person already there never makes a second person."""
    world = factories.world(engine)
    _jonas(engine)
    with write_session(engine) as s, pytest.raises(ValidationError) as refused:
        invitations.invite(
            s,
            world.admin,
            community_id=world.community.id,
            name="J. Berg",
            email=" JONAS@Example.org ",
        )
    assert set(refused.value.fields) == {"email"}
    assert "Jonas Berg" in str(refused.value.fields["email"])
    with read_session(engine) as s:
        assert s.exec(select(Invitation)).first() is None


def test_a_second_pending_invitation_for_the_same_person_and_community_is_refused(
    engine: Engine,
) -> None:
    world = factories.world(engine)
    person = _jonas(engine)
    _invite(engine, world.admin, world.community.id, name="", email="", person_id=person.id)
    with write_session(engine) as s, pytest.raises(ValidationError) as refused:
        invitations.invite(
            s, world.admin, community_id=world.community.id, name="", person_id=person.id
        )
    assert set(refused.value.fields) == {"person"}
    _invite(engine, world.admin, world.community.id, name="Amira Haddad", email="amira@example.org")
    with write_session(engine) as s, pytest.raises(ValidationError) as refused:
        invitations.invite(
            s,
            world.admin,
            community_id=world.community.id,
            name="Amira H.",
            email="Amira@example.org",
        )
    assert set(refused.value.fields) == {"email"}
    with read_session(engine) as s:
        assert len(s.exec(select(Invitation)).all()) == 2


def test_accepting_links_to_a_person_with_the_same_email_made_since_and_adds_no_second_membership(
    engine: Engine,
) -> None:
    """Between the invitation and its acceptance the person may have been added by hand."""
    from cop.communities import people
    from cop.communities import service as communities
    from cop.communities.models import Person

    world = factories.world(engine)
    token = _invite(engine, world.admin, world.community.id, name="Amira Haddad")
    with write_session(engine) as s:
        person = people.create_person(s, SYSTEM, name="Amira Haddad", email="Amira@example.org")
        communities.add_member(s, SYSTEM, world.community.id, person.id, "member")
    user = _accept(engine, token)
    assert user.person_id == person.id
    with read_session(engine) as s:
        assert len(s.exec(select(Person).where(Person.name == "Amira Haddad")).all()) == 1
        memberships = s.exec(select(Membership).where(Membership.person_id == person.id)).all()
        assert len(memberships) == 1
