"""Issue 20, item 4 in Chromium: an invitation's e-mail goes out through the outbox of a real server.

The server is started with ``COP_SMTP_URL`` naming a local SMTP server
(aiosmtpd) started by the test. The admin's page says the link is queued
without waiting on the mail server; the server's own background sender
delivers it. A mailbox the mail server refuses shows up under Admin → E-mail
with its error, and "Retry now" sends it once the mailbox takes mail.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import DEMO_PASSWORD, Server, stop_server
from tests.browser.journeys import choose, click, demo_server, enter, eventually, go
from tests.outbox.conftest import SmtpServer, free_port

pytestmark = pytest.mark.e2e

COMMUNITY = "Community building and welcoming culture"


class RefusingSmtp(SmtpServer):
    """Refuses every address in ``refused`` at RCPT, as a full mailbox would."""

    def __init__(self, port: int) -> None:
        super().__init__(port)
        self.refused: set[str] = set()
        self.inbox.handle_RCPT = self._rcpt  # type: ignore[attr-defined]

    async def _rcpt(self, server, session, envelope, address, rcpt_options) -> str:  # noqa: ANN001
        if address in self.refused:
            return "550 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"


@pytest.fixture(scope="module")
def smtp() -> Iterator[RefusingSmtp]:
    server = RefusingSmtp(free_port())
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def mailing_server(
    tmp_path_factory: pytest.TempPathFactory, smtp: RefusingSmtp
) -> Iterator[Server]:
    running = demo_server(tmp_path_factory.mktemp("outbox"), extra_env={"COP_SMTP_URL": smtp.url})
    yield running
    stop_server(running)


def _invite(page: Page, email: str) -> None:
    go(page, "Admin")
    click(page.get_by_role("tab", name="Invitations"))
    panel = page.get_by_role("tabpanel", name="Invitations")
    form = panel.get_by_test_id("stForm")
    choose(form, "Community", COMMUNITY)
    form.get_by_label("Name").fill(f"Zeynep Çelik {uuid.uuid4().hex[:4]}")
    form.get_by_label("E-mail").fill(email)
    click(form.get_by_role("button", name="Create invitation link"))
    expect(panel.get_by_text("The link is also queued for e-mail")).to_be_visible()


def _mail_to(smtp: SmtpServer, address: str) -> list[str]:
    return [m.get_content() for m in list(smtp.inbox.messages) if m["To"] == address]


def test_an_invitation_is_mailed_by_the_server_and_a_refused_one_is_retried_from_the_admin_page(
    mailing_server: Server, smtp: RefusingSmtp, new_context
) -> None:
    page = new_context().new_page()
    enter(page, mailing_server.url, "admin", DEMO_PASSWORD)

    welcome = f"zeynep.{uuid.uuid4().hex[:6]}@example.org"
    _invite(page, welcome)
    link = page.get_by_role("tabpanel", name="Invitations").get_by_test_id("stCode").inner_text()
    link = link.strip()
    eventually(lambda: bool(_mail_to(smtp, welcome)), "the invitation e-mail", timeout=30)
    (body,) = _mail_to(smtp, welcome)
    assert link in body

    full = f"full.{uuid.uuid4().hex[:6]}@example.org"
    smtp.refused.add(full)
    _invite(page, full)

    def listed() -> bool:
        go(page, "Admin")
        click(page.get_by_role("tab", name="E-mail"))
        panel = page.get_by_role("tabpanel", name="E-mail")
        return panel.get_by_text("will be tried again").count() > 0

    eventually(listed, "the refused e-mail on the E-mail tab", timeout=30)
    panel = page.get_by_role("tabpanel", name="E-mail")
    expect(panel.get_by_test_id("stDataFrame")).to_be_visible()
    smtp.refused.clear()
    choose(panel, "E-mail to send again", f"{full} · Invitation to {COMMUNITY}")
    click(panel.get_by_role("button", name="Retry now"))
    eventually(lambda: bool(_mail_to(smtp, full)), "the retried invitation e-mail", timeout=30)
    assert len(_mail_to(smtp, welcome)) == 1  # the first one was sent once
