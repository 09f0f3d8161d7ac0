"""Typed errors raised by services; pages and the CLI turn them into messages."""

from __future__ import annotations

from typing import Any


class CopError(Exception):
    """Base of every error a service raises on purpose."""


class NotFound(CopError):
    """The record does not exist, was deleted, or the actor may not know it exists."""


class PermissionDenied(CopError):
    """The actor is signed in but may not do this here."""


class ValidationError(CopError):
    """Bad input; ``fields`` maps each field name to a message a user can act on."""

    def __init__(self, fields: dict[str, str]):
        self.fields = dict(fields)
        super().__init__("; ".join(f"{k}: {v}" for k, v in self.fields.items()))


class ConflictError(CopError):
    """A stale save: someone else changed the record since it was read.

    ``current`` holds the stored values now, ``changed`` the fields that differ
    from what the user started from, so the form can show the other change
    while keeping the user's own input; ``record_type`` (the table) lets the
    form name those fields by their labels (cop.core.history).
    """

    def __init__(
        self,
        message: str,
        current: dict[str, Any],
        changed: dict[str, Any] | None = None,
        record_type: str = "",
    ):
        self.current = current
        self.changed = changed or {}
        self.record_type = record_type
        super().__init__(message)


class DatabaseUnavailable(CopError):
    """The database cannot be reached or written; shown as a calm message, never a traceback."""
