"""Validation messages: English text for tests, logs and the CLI; the reader's language on the page."""

from __future__ import annotations

import pickle

import pytest

from cop.core import i18n
from cop.core.errors import ValidationError
from cop.core.i18n import N_
from cop.core.i18n_catalog import compile_all
from cop.core.messages import Message
from cop.core.validation import Checker
from cop.shell.forms import localize


@pytest.fixture(scope="module", autouse=True)
def compiled_catalogs() -> None:
    """localize reads the compiled .mo files, which make writes; a fresh checkout may lack them."""
    compile_all()
    i18n._translations.cache_clear()


def test_a_checker_message_is_the_english_text_and_localizes_with_its_label() -> None:
    chk = Checker()
    chk.title("title", "   ", label=N_("The title"))
    message = chk.errors["title"]
    assert isinstance(message, str)
    assert message == "The title must not be empty."
    assert str(ValidationError(chk.errors)) == "title: The title must not be empty."
    assert localize(message, "de") == "Der Titel darf nicht leer sein."
    assert localize(message, "en") == "The title must not be empty."
    assert localize(message, "xx") == "The title must not be empty."


def test_user_data_in_a_message_is_never_translated() -> None:
    # A name that happens to be an interface string stays as the user typed it.
    message = Message(N_("{name} is already on the attendance list."), name="The title")
    assert message == "The title is already on the attendance list."
    assert localize(message, "de") == "The title steht bereits auf der Teilnahmeliste."


def test_numbers_keep_their_english_format_and_take_the_readers_marks() -> None:
    chk = Checker()
    chk.long_text("minutes", "x" * 100_001, label=N_("The minutes"))
    message = chk.errors["minutes"]
    assert message == "The minutes is 100,001 characters long; at most 100,000 are allowed."
    assert (
        localize(message, "de")
        == "Das Protokoll ist 100.001 Zeichen lang; höchstens 100.000 sind erlaubt."
    )
    assert localize(message, "en") == message


def test_fixed_words_inside_a_message_are_translated_too() -> None:
    message = Message(
        N_("The progress of this action follows its {what}."), what=Message("milestones")
    )
    assert message == "The progress of this action follows its milestones."
    assert (
        localize(message, "de")
        == "Der Fortschritt dieser Aktion richtet sich nach ihren Meilensteinen."
    )


def test_plain_messages_are_translated_and_unknown_text_is_left_alone() -> None:
    chk = Checker()
    chk.email("email", "", required=True)
    assert localize(chk.errors["email"], "de") == "Die E-Mail-Adresse ist erforderlich."
    assert localize("Something no catalog knows.", "de") == "Something no catalog knows."


def test_a_message_survives_pickling_with_its_template() -> None:
    message = Message(N_("{label} must not be empty."), label=N_("The title"))
    copy = pickle.loads(pickle.dumps(message))
    assert copy == message and copy.template == message.template and copy.params == message.params
    user_braces = Message(N_("{name} already has an account."), name="{weird}")
    assert pickle.loads(pickle.dumps(user_braces)) == "{weird} already has an account."
