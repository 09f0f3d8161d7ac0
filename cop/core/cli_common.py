"""What every command group shares: the parser class, messages, the database, exit codes."""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn

from sqlalchemy.engine import Engine

from cop.core import db, schema
from cop.core.errors import CopError

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


class Refused(CopError):
    """The command cannot run as asked; the message says what to do instead."""


class Parser(argparse.ArgumentParser):
    """argparse with one-line usage errors (sub-commands inherit this class)."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: {message} (see `{self.prog} --help`)\n")


def error(message: str) -> None:
    print(f"cop: {message}", file=sys.stderr)


def say(message: str) -> None:
    print(message)


def engine(args: argparse.Namespace) -> Engine:
    """The engine for ``--database`` or the configured database."""
    return db.get_engine(args.database)


def current_engine(args: argparse.Namespace) -> Engine:
    """The engine, once the schema is known to match this code (data commands need it)."""
    eng = engine(args)
    current = schema.current_revision(eng)
    head = schema.head_revision()
    if current != head:
        raise Refused(
            f"The database schema is at {current or 'nothing (empty database)'}, this code "
            f"expects {head}: run `cop db upgrade` first."
        )
    return eng
