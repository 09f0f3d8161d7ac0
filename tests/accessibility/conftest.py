"""The outbox's local SMTP server (aiosmtpd), for feedback that is e-mailed to the admins."""

from tests.outbox.conftest import smtp, smtp_down  # noqa: F401
