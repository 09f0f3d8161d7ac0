"""The admin console, the profile page and the invitation sign-up, driven through AppTest."""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlsplit

from sqlmodel import select

from cop.accounts import admin
from cop.accounts import service as accounts
from cop.accounts.models import Invitation, User
from cop.core.audit import AuditEvent
from cop.core.db import read_session, write_session
from cop.core.permissions import SYSTEM
from tests.download_client import page_download
from tests.page_fixtures import as_shown, texts


def _by_key(elements, key: str):  # noqa: ANN001, ANN202
    return next(e for e in elements if e.key == key)


def _account_id(username: str) -> int:
    with read_session() as s:
        user = accounts.find_user(s, username)
        assert user is not None
        return user.id  # type: ignore[return-value]


def test_admin_resets_a_password_and_sees_it_once(run_page, demo_db) -> None:
    at = run_page("admin", "admin")
    _by_key(at.text_input, "adm_users_search").input("member").run()
    _by_key(at.selectbox, "adm_user_pick").select(_account_id("member")).run()
    _by_key(at.button, "adm_reset").click().run()
    assert not at.exception
    temporary = at.code[0].value
    with write_session() as s:
        user = accounts.sign_in(s, "member", temporary)
        assert user is not None and user.must_change_password
    at.run()
    assert temporary not in [code.value for code in at.code]  # shown only once


def test_admin_deactivates_and_unlocks_accounts(run_page, demo_db) -> None:
    for _ in range(5):
        with write_session() as s:
            accounts.sign_in(s, "observer", "wrong wrong wrong")
    at = run_page("admin", "admin")
    _by_key(at.segmented_control, "adm_users_state").set_value("locked").run()
    _by_key(at.selectbox, "adm_user_pick").select(_account_id("observer")).run()
    _by_key(at.button, "adm_unlock").click().run()
    assert not any(b.key == "adm_unlock" for b in at.button)  # nobody is locked any more
    _by_key(at.segmented_control, "adm_users_state").set_value("all").run()
    _by_key(at.selectbox, "adm_user_pick").select(_account_id("observer")).run()
    _by_key(at.button, "adm_deactivate").click().run()
    assert not at.exception
    with read_session() as s:
        user = s.get(User, _account_id("observer"))
        assert user is not None and user.locked_until is None and not user.active
        actions = set(
            s.exec(
                select(AuditEvent.action).where(
                    AuditEvent.record_id == user.id, AuditEvent.record_type == "user"
                )
            )
        )
    assert {"user.unlock", "user.deactivate"} <= actions


def _invite_link(run_page) -> str:  # noqa: ANN001
    at = run_page("admin", "admin", tab="Invitations")
    _by_key(at.text_input, "adm-invite-0-name").input("Amira Haddad")
    _by_key(at.text_input, "adm-invite-0-email").input("amira@example.org")
    next(b for b in at.button if b.label == "Create invitation link").click().run()
    assert not at.exception, at.exception
    link = at.code[0].value
    assert "?invite=" in link
    return parse_qs(urlsplit(link).query)["invite"][0]


def test_invitation_sign_up_end_to_end(run_page, demo_db) -> None:
    token = _invite_link(run_page)
    at = run_page("app", username=None, query={"invite": token})
    assert "You are invited to" in texts(at)
    _by_key(at.text_input, "invite_username").input("\u0430mira")  # Cyrillic look-alike
    _by_key(at.text_input, "invite_password").input("short")
    _by_key(at.text_input, "invite_password_again").input("short")
    next(b for b in at.button if b.label == "Create my account").click().run()
    assert "Use 3-32 characters" in texts(at) and "at least 12" in texts(at).lower()
    _by_key(at.text_input, "invite_username").input("amira")
    _by_key(at.text_input, "invite_password").input("tea at the town hall 🫖")
    _by_key(at.text_input, "invite_password_again").input("tea at the town hall 🫖")
    next(b for b in at.button if b.label == "Create my account").click().run()
    assert not at.exception, at.exception
    assert at.session_state["username"] == "amira"
    again = run_page("app", username=None, query={"invite": token})
    assert "already been used" in texts(again)


def test_admin_invites_a_person_already_in_the_workspace(run_page, demo_db) -> None:
    """The picker finds people without an account; the invitation takes the picked person's own details."""
    with read_session() as s:
        everyone = admin.find_people(s, SYSTEM, limit=200)
    person = next(p for p in everyone if not p.username and not p.anonymised and p.email)
    with_account = next(p for p in everyone if p.username)
    at = run_page("admin", "admin", tab="Invitations")
    _by_key(at.radio, "adm_inv_mode").set_value("existing").run()
    _by_key(at.text_input, "adm-invite-0-person_search").input(with_account.name).run()
    assert with_account.person_id not in (
        next((e.options for e in at.selectbox if e.key == "adm-invite-0-person_pick"), [])
    )  # someone with an account is not offered
    _by_key(at.text_input, "adm-invite-0-person_search").input(person.name).run()
    assert not at.exception, at.exception
    _by_key(at.selectbox, "adm-invite-0-person_pick").select(person.person_id).run()
    shown = {t.label: t.value for t in at.text_input if t.disabled}
    assert shown == {"Name": person.name, "E-mail": person.email}
    next(b for b in at.button if b.label == "Create invitation link").click().run()
    assert not at.exception, at.exception
    assert "?invite=" in at.code[0].value
    with read_session() as s:
        made = s.exec(select(Invitation).order_by(Invitation.id.desc())).first()  # type: ignore[union-attr]  # Invitation.id is a column
    assert made is not None
    assert (made.person_id, made.name, made.email) == (person.person_id, person.name, person.email)


def test_profile_saves_name_language_and_time_zone(run_page, demo_db) -> None:
    at = run_page("profile", "member")
    assert not at.exception
    _by_key(at.text_input, "profile_name").input("Mia Müller-Øst 🌍")
    _by_key(at.selectbox, "profile_language").select("de")
    _by_key(at.selectbox, "profile_time_zone").select("Europe/Oslo")
    next(b for b in at.button if b.label == "Save").click().run()
    assert not at.exception, at.exception
    with read_session() as s:
        actor = accounts.load_actor(s, _account_id("member"))
    assert actor is not None and (actor.name, actor.language, actor.time_zone) == (
        "Mia Müller-Øst 🌍",
        "de",
        "Europe/Oslo",
    )


def test_profile_shows_field_messages_for_bad_input(run_page, demo_db) -> None:
    at = run_page("profile", "member")
    _by_key(at.text_input, "profile_name").input("   ")
    _by_key(at.text_input, "profile_email").input("not-an-address")
    next(b for b in at.button if b.label == "Save").click().run()
    assert "must not be empty" in texts(at) and "e-mail address" in texts(at)


def test_changing_the_password_keeps_this_session_and_refuses_the_old_password(
    run_page, demo_db
) -> None:
    at = run_page("profile", "member")
    _by_key(at.text_input, "pw_current").input("demo passphrase 2026")
    _by_key(at.text_input, "pw_new").input("a brand new passphrase")
    _by_key(at.text_input, "pw_again").input("a brand new passphrase")
    next(b for b in at.button if b.label == "Change password").click().run()
    assert not at.exception, at.exception
    assert "Your password was changed" in at.success[0].value
    with write_session() as s:
        assert accounts.sign_in(s, "member", "demo passphrase 2026") is None
        assert accounts.sign_in(s, "member", "a brand new passphrase") is not None


def test_profile_offers_my_data_as_json_on_one_click(run_page, demo_db) -> None:
    at = run_page("profile", "member")
    assert not at.exception, at.exception
    assert "Prepare my data" not in [b.label for b in at.button]
    answer = page_download(at, "Download my data (JSON)")
    assert answer.status == 200 and answer.headers["content-type"] == "application/json"
    assert re.search(
        r"filename=\"my-data-\d{4}-\d{2}-\d{2}\.json\"", answer.headers["content-disposition"]
    )
    data = json.loads(answer.body)
    assert data["account"]["username"] == "member"
    with read_session() as session:  # the copy handed out is in the audit log, as before
        assert session.exec(
            select(AuditEvent).where(AuditEvent.action == "person.export_own")
        ).first()


def test_the_offer_to_pick_someone_comes_only_when_the_email_is_theirs(run_page, demo_db) -> None:
    """A malformed e-mail is not someone already there: no button offering to pick them."""
    at = run_page("admin", "admin", tab="Invitations")
    _by_key(at.text_input, "adm-invite-0-name").input("Amira Haddad")
    _by_key(at.text_input, "adm-invite-0-email").input("not-an-address")
    next(b for b in at.button if b.label == "Create invitation link").click().run()
    assert "This does not look like an e-mail address." in [as_shown(e.value) for e in at.error]
    assert "Choose the person with this e-mail instead" not in [b.label for b in at.button]


def test_audit_log_reads_as_sentences_with_dates_in_the_readers_format(run_page) -> None:
    at = run_page("admin", "admin", tab="Audit log")
    assert not at.exception, at.exception
    log = next(df.value for df in at.dataframe if "Changes" in df.value.columns)
    what = " ".join(log["What"])
    with read_session() as s:
        codes = {e.action for e in s.exec(select(AuditEvent))}
    assert "section.create" in codes
    assert not [code for code in codes if code in what]
    assert "created the section “" in what or "created the workshop “" in what, what
    assert not [w for w in log["When"] if re.match(r"\d{4}-\d{2}-\d{2}", w)]


def test_the_administration_page_draws_only_the_tab_that_is_open(run_page) -> None:
    """Eight tabs drawn together read the database eight times on every click: the Users tab
    opens first, alone, and another tab is drawn when it is opened (issue 24)."""
    at = run_page("admin", "admin")
    assert not at.exception, at.exception
    assert [t.label for t in at.tabs][:2] == ["Users", "Invitations"]
    assert "Search by username, name or e-mail" in [t.label for t in at.text_input]
    assert not [df for df in at.dataframe if "Changes" in df.value.columns]  # the audit log
    assert "Create invitation link" not in [b.label for b in at.button]
    at.session_state["admin_tab"] = "Audit log"
    at.run()
    assert not at.exception, at.exception
    assert [df for df in at.dataframe if "Changes" in df.value.columns]
    assert "Search by username, name or e-mail" not in [t.label for t in at.text_input]
