"""Signing in with the organisation's account: linking by verified e-mail, refusing, the domain rule.

Each test runs on SQLite and PostgreSQL (the ``engine`` fixture).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from cop.accounts import admin, invitations, oidc
from cop.accounts.models import Invitation, User
from cop.communities.models import Membership
from cop.core import clock
from cop.core.audit import AuditEvent
from cop.core.db import read_session, write_session
from cop.core.errors import PermissionDenied, ValidationError
from cop.core.messages import Message
from cop.core.permissions import SYSTEM
from tests import factories

ISSUER = "https://login.city.example"


def claims(sub: str, email: str, *, verified: bool = True, **more: Any) -> dict[str, Any]:
    now = int(clock.now().timestamp())
    return {
        "iss": ISSUER,
        "sub": sub,
        "email": email,
        "email_verified": verified,
        "name": more.pop("name", "Amira Haddad"),
        "auth_time": more.pop("auth_time", now),
        "iat": now,
        **more,
    }


def sign_in(engine: Engine, **kwargs: Any) -> User:
    identity = oidc.identity_from_claims(claims(**kwargs))
    assert identity is not None
    with write_session(engine) as s:
        return oidc.sign_in_with_identity(s, identity).user


def refusal(engine: Engine, **kwargs: Any) -> oidc.SignInRefused:
    with pytest.raises(oidc.SignInRefused) as refused:
        sign_in(engine, **kwargs)
    return refused.value


def set_email(engine: Engine, user_id: int, email: str) -> None:
    with write_session(engine) as s:
        user = s.get(User, user_id)
        from cop.communities.models import Person

        person = s.get(Person, user.person_id)
        person.email = email
        s.add(person)


def test_oidc_first_sign_in_links_the_active_account_with_that_verified_email(
    engine: Engine,
) -> None:
    member = factories.actor(engine)
    set_email(engine, member.user_id, "Amira@City.example")
    user = sign_in(engine, sub="abc-1", email="amira@city.example")
    assert user.id == member.user_id
    with read_session(engine) as s:
        stored = s.get(User, member.user_id)
        assert (stored.oidc_issuer, stored.oidc_subject) == (ISSUER, "abc-1")
        actions = [
            e.action
            for e in s.exec(select(AuditEvent).where(AuditEvent.record_id == member.user_id))
            if e.record_type == "user"
        ]
    assert "user.link_identity" in actions and "user.sign_in_oidc" in actions


def test_oidc_later_sign_ins_match_the_subject_not_the_email(engine: Engine) -> None:
    member = factories.actor(engine)
    set_email(engine, member.user_id, "amira@city.example")
    sign_in(engine, sub="abc-2", email="amira@city.example")
    # The provider now sends another address, even an unverified one: the subject decides.
    again = sign_in(engine, sub="abc-2", email="new@elsewhere.example", verified=False)
    assert again.id == member.user_id


def test_oidc_the_same_provider_sign_in_again_is_one_sign_in_in_the_audit_log(
    engine: Engine,
) -> None:
    """A reload or a second tab brings Streamlit's identity cookie back: not a new sign-in."""
    member = factories.actor(engine)
    set_email(engine, member.user_id, "amira@city.example")
    first = int(clock.now().timestamp())
    identity = oidc.identity_from_claims(
        claims(sub="abc-5", email="amira@city.example", auth_time=first)
    )
    with write_session(engine) as s:
        assert oidc.sign_in_with_identity(s, identity).fresh
    with write_session(engine) as s:
        assert not oidc.sign_in_with_identity(s, identity).fresh
    # A new round trip to the provider: a new token, even on the same provider session.
    later = int((clock.now() + timedelta(seconds=5)).timestamp())
    again = oidc.identity_from_claims(
        {**claims(sub="abc-5", email="amira@city.example", auth_time=first), "iat": later}
    )
    with write_session(engine) as s:
        assert oidc.sign_in_with_identity(s, again).fresh
    with read_session(engine) as s:
        events = s.exec(
            select(AuditEvent).where(
                AuditEvent.action == "user.sign_in_oidc", AuditEvent.record_id == member.user_id
            )
        ).all()
    assert len(events) == 2


def test_oidc_an_unverified_email_is_never_linked(engine: Engine) -> None:
    member = factories.actor(engine)
    set_email(engine, member.user_id, "amira@city.example")
    refused = refusal(engine, sub="abc-3", email="amira@city.example", verified=False)
    assert refused.message == oidc.NOT_VERIFIED
    with read_session(engine) as s:
        assert s.get(User, member.user_id).oidc_subject is None


def test_oidc_an_unknown_email_is_refused_saying_what_to_do(engine: Engine) -> None:
    factories.actor(engine)
    refused = refusal(engine, sub="stranger", email="stranger@city.example")
    assert isinstance(refused.message, Message)
    assert "stranger@city.example" in str(refused.message)
    with read_session(engine) as s:
        assert s.exec(select(User).where(User.oidc_subject == "stranger")).first() is None


def test_oidc_an_open_invitation_becomes_the_account_with_its_membership(engine: Engine) -> None:
    world = factories.world(engine)
    with write_session(engine) as s:
        invitations.invite(
            s,
            world.facilitator,
            community_id=world.community.id,
            name="Jonas Weber",
            email="jonas.weber@city.example",
            role="member",
        )
    user = sign_in(engine, sub="jw", email="Jonas.Weber@city.example", name="Jonas Weber")
    assert user.username == "jonas.weber"
    with read_session(engine) as s:
        member = s.exec(
            select(Membership).where(
                Membership.person_id == user.person_id,
                Membership.community_id == world.community.id,
            )
        ).one()
        assert member.role == "member"
        invitation = s.exec(select(Invitation)).one()
        assert invitation.used_at is not None and invitation.user_id == user.id


def test_oidc_a_deactivated_account_is_refused(engine: Engine) -> None:
    world = factories.world(engine)
    set_email(engine, world.member.user_id, "member@city.example")
    sign_in(engine, sub="m-1", email="member@city.example")
    with write_session(engine) as s:
        admin.deactivate_user(s, world.admin, world.member.user_id)
    later = int((clock.now() + timedelta(seconds=5)).timestamp())
    refused = refusal(engine, sub="m-1", email="member@city.example", auth_time=later)
    assert refused.message == oidc.DEACTIVATED


def test_oidc_a_provider_sign_in_before_the_sign_out_is_refused_as_signed_out(
    engine: Engine,
) -> None:
    member = factories.actor(engine)
    set_email(engine, member.user_id, "amira@city.example")
    before = int((clock.now() - timedelta(minutes=1)).timestamp())
    sign_in(engine, sub="abc-4", email="amira@city.example")
    with write_session(engine) as s:
        from cop.accounts import service as accounts

        accounts.end_sessions(s, member.user_id)
    refused = refusal(engine, sub="abc-4", email="amira@city.example", auth_time=before)
    assert refused.signed_out
    after = int((clock.now() + timedelta(seconds=5)).timestamp())
    assert sign_in(engine, sub="abc-4", email="amira@city.example", auth_time=after).id == (
        member.user_id
    )


def test_oidc_an_allowed_domain_gets_an_account_without_membership(engine: Engine) -> None:
    world = factories.world(engine)
    with write_session(engine) as s:
        oidc.update_policy(
            s, world.admin, 0, password_form=True, domains="@City.Example", provider_configured=True
        )
    user = sign_in(engine, sub="new-1", email="lea@city.example", name="Lea Braun")
    assert user.username == "lea"
    with read_session(engine) as s:
        assert s.exec(select(Membership).where(Membership.person_id == user.person_id)).all() == []
    # Another domain stays refused.
    refusal(engine, sub="new-2", email="lea@elsewhere.example")


def test_oidc_sign_in_settings_are_audited_and_admin_only(engine: Engine) -> None:
    world = factories.world(engine)
    with write_session(engine) as s, pytest.raises(PermissionDenied):
        oidc.update_policy(
            s, world.facilitator, 0, password_form=True, domains="", provider_configured=True
        )
    with write_session(engine) as s, pytest.raises(ValidationError) as bad:
        oidc.update_policy(
            s, world.admin, 0, password_form=True, domains="not a domain", provider_configured=True
        )
    assert "domains" in bad.value.fields
    with write_session(engine) as s:
        oidc.update_policy(
            s, world.admin, 0, password_form=True, domains="city.example", provider_configured=True
        )
    with read_session(engine) as s:
        event = s.exec(select(AuditEvent).where(AuditEvent.action == "sign_in_policy.update")).one()
        assert event.changes["oidc_domains"] == ["", "city.example"]
        assert oidc.allowed_domains(oidc.policy(s)) == ["city.example"]


def test_oidc_the_password_form_goes_off_only_for_an_admin_who_can_still_sign_in(
    engine: Engine,
) -> None:
    world = factories.world(engine)
    with write_session(engine) as s, pytest.raises(ValidationError) as unlinked:
        oidc.update_policy(
            s, world.admin, 0, password_form=False, domains="", provider_configured=True
        )
    assert "password_form" in unlinked.value.fields
    set_email(engine, world.admin.user_id, "admin@city.example")
    sign_in(engine, sub="adm", email="admin@city.example")
    with write_session(engine) as s, pytest.raises(ValidationError):
        oidc.update_policy(
            s, world.admin, 0, password_form=False, domains="", provider_configured=False
        )
    with write_session(engine) as s:
        oidc.update_policy(
            s, world.admin, 0, password_form=False, domains="", provider_configured=True
        )
    with read_session(engine) as s:
        assert not oidc.password_form_offered(s, provider_configured=True)
        # Without a provider configured the form is always offered.
        assert oidc.password_form_offered(s, provider_configured=False)


def test_oidc_claims_without_issuer_subject_or_time_are_no_identity() -> None:
    good = claims(sub="x", email="x@city.example")
    assert oidc.identity_from_claims(good) is not None
    for missing in ("iss", "sub"):
        assert oidc.identity_from_claims({k: v for k, v in good.items() if k != missing}) is None
    assert (
        oidc.identity_from_claims({k: v for k, v in good.items() if k not in {"auth_time", "iat"}})
        is None
    )
    assert oidc.identity_from_claims({**good, "email_verified": "true"}).email_verified
    assert not oidc.identity_from_claims({**good, "email_verified": 1}).email_verified
    assert SYSTEM.is_admin  # the service's own actor for accounts it makes
