"""Every NotFound, PermissionDenied and ConflictError a service raises reaches the catalog.

An f-string message is frozen in English the moment it is raised; a page can
only translate a message whose template the catalog knows. So each of these
errors is raised with ``N_("...")``, ``Message(N_("..."), ...)`` or a module
constant bound to one of those, and every such template has a German
translation; the page shows it through ``cop.shell.forms.localize``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from cop.core import i18n
from cop.core.errors import NotFound, PermissionDenied
from cop.core.i18n_catalog import compile_all
from cop.core.messages import Message
from cop.core.settings import PROJECT_ROOT
from cop.shell.forms import error_text
from tests.core.test_translations import german_catalog

ERRORS = {
    "NotFound",
    "PermissionDenied",
    "ConflictError",
    "DatabaseUnavailable",
    "ExportBusy",
    "InvitationUnusable",
}


def _marked(node: ast.expr) -> str | None:
    """The template of ``N_("...")``, or None when ``node`` is not one."""
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "N_"
        and node.args
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    ):
        return node.args[0].value
    return None


def _template(node: ast.expr, constants: dict[str, ast.expr]) -> str | None:
    if isinstance(node, ast.Name) and node.id in constants:
        node = constants[node.id]
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "Message"
        and node.args
    ):
        return _marked(node.args[0])
    return _marked(node)


def _raised_messages() -> list[tuple[str, str | None]]:
    """(where, template or None) of every error of ``ERRORS`` raised in cop/."""
    found = []
    for path in sorted((PROJECT_ROOT / "cop").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants = {
            target.id: stmt.value
            for stmt in tree.body
            if isinstance(stmt, ast.Assign)
            for target in stmt.targets
            if isinstance(target, ast.Name)
        }
        for node in ast.walk(tree):  # raised or built to be raised later
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name not in ERRORS or not node.args:
                continue
            where = f"{Path(path).relative_to(PROJECT_ROOT)}:{node.lineno}"
            found.append((where, _template(node.args[0], constants)))
    return found


def test_every_error_message_is_a_marked_template() -> None:
    raised = _raised_messages()
    assert len(raised) > 30  # the walk found the services' raises
    frozen = [where for where, template in raised if template is None]
    assert not frozen, f"raised with text the catalog cannot know (an f-string?): {frozen}"


def test_every_error_template_has_a_german_translation() -> None:
    german = german_catalog()
    missing = sorted(
        {
            template
            for _where, template in _raised_messages()
            if template is not None
            and (german.get(template) is None or not german.get(template).string)
        }
    )
    assert not missing, missing


@pytest.fixture
def compiled_catalogs() -> None:
    compile_all()
    i18n._translations.cache_clear()


def test_a_not_found_message_is_shown_in_the_readers_language(compiled_catalogs: None) -> None:
    from cop.core.i18n import N_

    error = NotFound(Message(N_("There is no {label} with id {id}."), label=N_("action"), id=7))
    assert str(error) == "There is no action with id 7."
    german = error_text(error, "de")
    assert "7" in german and "action" not in german and "There is" not in german
    denied = PermissionDenied(N_("Members may change only the actions they own or co-own."))
    assert "Members" not in error_text(denied, "de")
