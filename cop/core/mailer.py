"""Sending e-mail, only when an operator configured ``COP_SMTP_URL``.

Nothing calls ``send`` during a page run: every e-mail is a row of the outbox
(cop.outbox), sent by ``cop notify send`` or the server's background sender.
Without the setting nothing ever leaves the server: invitation links are shown
to the admin and notifications stay in the in-app inbox. The URL names the
server and its login, e.g. ``smtp://user:pass@mail.example.org:587?from=cop@example.org``;
``smtp://`` upgrades with STARTTLS when the server offers it, ``smtps://``
speaks TLS from the start.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import parse_qs, unquote, urlsplit

from cop.core import settings

TIMEOUT_SECONDS = 20


@dataclass(frozen=True)
class SmtpServer:
    host: str
    port: int
    use_tls: bool
    username: str
    password: str
    sender: str


def server_from_url(url: str) -> SmtpServer:
    """Read the SMTP server, login and sender address from ``COP_SMTP_URL``."""
    parts = urlsplit(url)
    if parts.scheme not in {"smtp", "smtps"} or not parts.hostname:
        raise ValueError("COP_SMTP_URL must look like smtp://user:pass@host:port or smtps://...")
    username = unquote(parts.username or "")
    query = parse_qs(parts.query)
    sender = query.get("from", [""])[0] or (
        username if "@" in username else f"cop-workspace@{parts.hostname}"
    )
    use_tls = parts.scheme == "smtps"
    return SmtpServer(
        host=parts.hostname,
        port=parts.port or (465 if use_tls else 587),
        use_tls=use_tls,
        username=username,
        password=unquote(parts.password or ""),
        sender=sender,
    )


def is_configured() -> bool:
    return bool(settings.smtp_url())


def build_message(
    sender: str,
    to: str,
    subject: str,
    body: str,
    *,
    html: str | None = None,
    parts: Iterable[Mapping[str, str]] = (),
) -> EmailMessage:
    """A plain-text message, with an HTML alternative and further text parts when given.

    A part with a ``filename`` is attached; one without is another alternative
    (a ``text/calendar; method=REQUEST`` invitation, say).
    """
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    if html:
        message.add_alternative(html, subtype="html")
    for part in parts:
        content_type, *raw_params = part["content_type"].split(";")
        subtype = content_type.strip().split("/", 1)[1]
        params = dict(p.strip().split("=", 1) for p in raw_params if "=" in p)
        if part.get("filename"):
            message.add_attachment(
                part["content"], subtype=subtype, filename=part["filename"], params=params
            )
        else:
            message.add_alternative(part["content"], subtype=subtype, params=params)
    return message


def send(
    to: str,
    subject: str,
    body: str,
    *,
    html: str | None = None,
    parts: Iterable[Mapping[str, str]] = (),
) -> bool:
    """Send one message; False (and nothing sent) when no SMTP server is configured.

    Raises ``OSError`` / ``smtplib.SMTPException`` when the server refuses, so
    the outbox can try again later.
    """
    url = settings.smtp_url()
    if not url:
        return False
    server = server_from_url(url)
    message = build_message(server.sender, to, subject, body, html=html, parts=parts)
    context = ssl.create_default_context()
    if server.use_tls:
        client: smtplib.SMTP = smtplib.SMTP_SSL(
            server.host, server.port, timeout=TIMEOUT_SECONDS, context=context
        )
    else:
        client = smtplib.SMTP(server.host, server.port, timeout=TIMEOUT_SECONDS)
    with client:
        if not server.use_tls:
            client.ehlo()
            if client.has_extn("starttls"):
                client.starttls(context=context)
                client.ehlo()
        if server.username:
            client.login(server.username, server.password)
        client.send_message(message)
    return True


DELIVERY_ERRORS = (OSError, ValueError)
"""What ``send`` may raise when the configured server cannot take the message (SMTPException is an OSError)."""
