"""Messages for users that are English text now and can be translated when drawn.

A service cannot know who reads its message, so it builds a ``Message``: a
``str`` whose value is the English text (what tests, logs and the CLI see),
which also keeps the template and its parameters. A page translates it for the
reader with ``localize``: the template goes through ``_()`` and is then
formatted. Parameters are user data and stay as they are, except ``label`` (a
field's name such as "The title", marked with ``N_`` where it is passed) and
parameters that are themselves Messages (fixed words such as "milestones"),
which are translated too; numbers get the reader's digit grouping and decimal
mark.

Write templates as ``Message(N_("{label} must not be empty."), label=label)``
so the catalog extractor finds them; format specifications such as
``{count:,}`` stay in the template, so the English text does not change.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

ENGLISH_NUMBERS = (
    ",",
    ".",
)  # (group separator, decimal mark) that Python's format specifications write


class Message(str):
    """``template.format(**params)``, remembering ``template`` and ``params`` for translation."""

    template: str
    params: dict[str, Any]

    def __new__(cls, template: str, /, **params: Any) -> Message:
        self = super().__new__(cls, template.format(**params))
        self.template = template
        self.params = params
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        # The default would rebuild from the formatted text, which is not a template.
        return (_rebuild, (self.template, self.params))


def _rebuild(template: str, params: dict[str, Any]) -> Message:
    return Message(template, **params)


class _Number:
    """A number formatted as its spec says, then written with the reader's group and decimal marks."""

    def __init__(self, value: float, marks: tuple[str, str]):
        self.value, self.marks = value, marks

    def __format__(self, spec: str) -> str:
        group, decimal = self.marks
        return format(self.value, spec).translate({ord(","): group, ord("."): decimal})


def localize(
    message: str,
    gettext: Callable[[str], str],
    number_marks: tuple[str, str] = ENGLISH_NUMBERS,
    dates: Callable[[date], str] | None = None,
) -> str:
    """``message`` in the language of ``gettext`` (``cop.core.i18n.translator(language)``).

    A Message: its template translated, then formatted with ``label`` and any
    nested Message translated, numbers written with ``number_marks`` (group
    separator, decimal mark), calendar days written by ``dates`` (the reader's
    date format) and every other parameter untouched. Any other
    text: ``gettext(message)``, which returns it unchanged when it is unknown.
    """
    if not isinstance(message, Message):
        return gettext(str(message))
    params: dict[str, Any] = {}
    for key, value in message.params.items():
        if isinstance(value, Message) or (key == "label" and isinstance(value, str)):
            value = localize(value, gettext, number_marks, dates)
        elif dates is not None and isinstance(value, date):
            value = dates(value)
        elif (
            number_marks != ENGLISH_NUMBERS
            and isinstance(value, int | float)
            and not isinstance(value, bool)
        ):
            value = _Number(value, number_marks)
        params[key] = value
    try:
        return gettext(message.template).format(**params)
    except (
        KeyError,
        IndexError,
        ValueError,
    ):  # a broken translation: the English template rather than nothing
        return message.template.format(**params)
