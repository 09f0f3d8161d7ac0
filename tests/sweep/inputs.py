"""The kinds of bad input of RELIABILITY.md, and a few of our own, grouped by the field they fit.

Each entry is a ``Bad`` value; the sweep feeds every entry of a kind into
every field of that kind. A value that names something in the test world
(a person who is not a member, a deactivated owner) is a function of the
world, resolved when the case runs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any

MEGABYTE = 1_048_576
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
PWNED = "<img src=x onerror=window.__pwned=1>"


@dataclass(frozen=True)
class Bad:
    """One bad input: a label for the test id and the value (or how to find it in the world).

    ``refuse`` marks input that breaks a limit (too long, out of range, not
    storable, not a member): storing it, even verbatim, breaks the rule.
    """

    label: str
    value: Any
    of_world: Callable[[Any], Any] | None = None
    refuse: bool = False

    def resolve(self, world: Any) -> Any:
        return self.of_world(world) if self.of_world is not None else self.value


def _texts(*pairs: tuple[str, Any]) -> list[Bad]:
    return [Bad(label, value) for label, value in pairs]


def refusing(inputs: list[Bad], *labels: str) -> list[Bad]:
    """The inputs with those of ``labels`` marked as ones every field must refuse."""
    unknown = set(labels) - {b.label for b in inputs}
    assert not unknown, unknown
    return [replace(b, refuse=b.refuse or b.label in labels) for b in inputs]


def accepting(inputs: list[Bad], *labels: str) -> list[Bad]:
    """The inputs with all but ``labels`` marked as ones every field must refuse."""
    return refusing(inputs, *({b.label for b in inputs} - set(labels)))


# Text that every text field gets, single-line or long.
TEXT = _texts(
    ("empty", ""),
    ("whitespace", " \t  "),
    ("one-megabyte", "x" * MEGABYTE),
    ("rtl-arabic", "مرحبا بالعالم"),
    ("mixed-direction", "Welcome שלום 123 مرحبا!"),
    ("rtl-override", "invoice\u202efdp.exe"),
    ("emoji-zwj-family", "👨\u200d👩\u200d👧\u200d👦 family"),
    ("emoji-flags", "🇩🇪🇺🇦🇪🇺"),
    ("emoji-skin-tone", "👍🏽 ok"),
    ("combining-marks", "Zoe\u0308 Z̷̢̛a̴l̶g̷o̵"),
    ("zero-width", "Ann\u200ba\u200c\u200d\u2060"),
    ("bom-inside", "x\ufeffy"),
    ("look-alike-cyrillic", "Аdmin Рaypal"),
    ("nul", "before\x00after"),
    ("bell-and-escape", "ding\x07 \x1b[31mred"),
    ("lone-surrogate", "broken \ud800 text"),
    ("script-tag", SCRIPT),
    ("img-onerror", IMG),
    ("javascript-text", "javascript:alert(1)"),
    ("template-braces", "{{7*7}} {% debug %}"),
    ("template-dollar", "${7*7} #{7*7}"),
    ("formula-hyperlink", '=HYPERLINK("http://evil.example/","open")'),
    ("formula-plus-cmd", "+cmd|' /C calc'!A0"),
    ("formula-minus", "-2+3"),
    ("formula-at", "@SUM(1+1)"),
    ("formula-full-width", "＝1+1"),
    ("formula-leading-tab", "\t=1+1"),
    ("sql-drop", "Robert'); DROP TABLE person;--"),
    ("sql-or", "' OR '1'='1"),
    ("like-wildcards", "100% _done_ \\o/"),
)
# Single-line fields: the length limit at its boundary and line breaks.
LINE = TEXT + _texts(
    ("200-chars", "é" * 200),
    ("201-chars", "é" * 201),
    ("200-chars-padded", "  " + "a" * 200 + "  "),
    ("newline", "first line\nsecond line"),
    ("carriage-return", "first\rsecond"),
    ("formula-leading-cr", "\r=1+1"),
)
# Long texts (notes, minutes, sections): the 100,000 limit at its boundary and Markdown links.
LONG = TEXT + _texts(
    ("100000-chars", "ü" * 100_000),
    ("100001-chars", "ü" * 100_001),
    ("multi-line", "first line\r\nsecond line\n\n- item"),
    ("markdown-javascript-link", "[click me](javascript:alert(1)) and [x](data:text/html,hi)"),
    ("markdown-html-block", "<div onclick=alert(1)>\n\n" + SCRIPT + "\n\n</div>"),
)
EMAIL = _texts(
    ("empty", ""),
    ("no-at", "not-an-address"),
    ("no-domain-dot", "someone@localhost"),
    ("two-ats", "a@b@example.org"),
    ("space-inside", "some one@example.org"),
    ("nul", "someone\x00@example.org"),
    ("newline-header", "someone@example.org\nBcc: all@example.org"),
    ("too-long", "a" * 250 + "@example.org"),
    ("script", "<script>@example.org"),
    ("formula", "=cmd@example.org"),
    ("idn", "jürgen@exämple.org"),
    ("rtl-override", "\u202egro.elpmaxe@eno"),
    ("lone-surrogate", "a\ud800@example.org"),
    ("padded", "  someone@example.org  "),
)
USERNAME = _texts(
    ("empty", ""),
    ("too-short", "ab"),
    ("too-long", "a" * 33),
    ("upper-case", "  NewUser  "),
    ("nul", "new\x00user"),
    ("accented", "jürgen"),
    ("full-width", "ｕｓｅｒ"),
    ("path", "../etc/passwd"),
    ("script", SCRIPT),
    ("sql", "x' OR '1'='1"),
    ("cyrillic-look-alike", "аdmin"),
)
PASSWORD = _texts(
    ("empty", ""),
    ("whitespace", " " * 20),
    ("too-short", "short"),
    ("73-bytes", "Grüße aus Köln 🌧 und Düsseldorf, sagt der Kölner Dom 🏰 ok!!!!!"),
    ("72-bytes-emoji", "Grüße aus Köln 🌧 und Düsseldorf, sagt der Kölner Dom 🏰 ok!!!!"),
    ("common", "password1234"),
    ("nul", "a long passphrase\x00 with nul"),
    ("lone-surrogate", "a long passphrase \ud800 here"),
)
TIME_ZONE = _texts(
    ("empty", ""),
    ("unknown", "Mars/Olympus_Mons"),
    ("path", "../../etc/passwd"),
    ("nul", "Europe/Berlin\x00"),
    ("padded", "  Europe/Berlin  "),
    ("lower-case", "europe/berlin"),
    ("script", SCRIPT),
    ("region-folder", "Europe"),
    ("etc-folder", "Etc"),
    ("over-255-bytes", "Europe/" + "B" * 300),
    ("posix-rule", "CET-1CEST,M3.5.0,M10.5.0/3"),
)
LINK = _texts(
    ("javascript", "javascript:alert(1)"),
    ("javascript-mixed-case", "JaVaScRiPt:alert(1)"),
    ("javascript-padded", "  javascript:alert(1)"),
    ("javascript-tab", "java\tscript:alert(1)"),
    ("data-url", "data:text/html,<script>alert(1)</script>"),
    ("vbscript", "vbscript:msgbox(1)"),
    ("file", "file:///etc/passwd"),
    ("no-host", "https://"),
    ("space-inside", "https://exa mple.org/"),
    ("newline", "https://example.org/\nhttps://evil.example/"),
    ("nul", "https://example.org/\x00"),
    ("lone-surrogate", "https://example.org/\ud800"),
    ("zero-width", "https://exa\u200bmple.org/"),
    ("script-in-path", "https://example.org/<script>alert(1)</script>"),
    ("quote-break-out", 'https://example.org/" onmouseover="alert(1)'),
    ("too-long", "https://example.org/" + "a" * 2100),
    ("ok-idn", "https://münchen.example/ä?q=1"),
)
DAY = [
    *_texts(
        ("empty", ""),
        ("1900-01-01", "1900-01-01"),
        ("9999-12-31", "9999-12-31"),
        ("leap-day-2024", "2024-02-29"),
        ("not-a-leap-day-2023", "2023-02-29"),
        ("month-13", "2026-13-01"),
        ("day-first", "31/12/2026"),
        ("words", "tomorrow"),
        ("with-time", "2026-03-31T10:00"),
        ("full-width-digits", "２０２６-０３-３１"),
        ("nul", "2026-03-31\x00"),
        ("sql", "2026-03-31' OR '1'='1"),
    ),
    Bad("date-1900", date(1900, 1, 1)),
    Bad("date-9999", date(9999, 12, 31)),
    Bad("number", 20260331),
    Bad("list", ["2026-03-31"]),
]
INSTANT = [
    *_texts(
        ("empty", ""),
        ("1900-01-01", "1900-01-01T10:00"),
        ("9999-12-31", "9999-12-31T23:59"),
        ("year-one-far-east", "0001-01-01T00:00+14:00"),
        ("year-9999-far-west", "9999-12-31T23:59-12:00"),
        ("leap-day-2024", "2024-02-29T10:00"),
        ("not-a-leap-day-2023", "2023-02-29T10:00"),
        ("words", "next tuesday"),
        ("nul", "2026-03-31T10:00\x00"),
    ),
    Bad("aware-9999-utc", datetime(9999, 12, 31, 23, 59, tzinfo=UTC)),
    Bad("aware-1-utc", datetime(1, 1, 1, 0, 1, tzinfo=UTC)),
    Bad("date-only", date(2026, 3, 31)),
    Bad("number", 1_700_000_000),
]
COUNT = [
    *_texts(
        ("empty", ""),
        ("whitespace", "  "),
        ("words", "twelve"),
        ("digits-and-words", "12abc"),
        ("fraction-text", "2.5"),
        ("exponent", "1e3"),
        ("hex", "0x10"),
        ("superscript", "²"),
        ("circled", "③"),
        ("arabic-indic", "٣"),
        ("nan-text", "NaN"),
        ("sql", "1; DROP TABLE action"),
    ),
    Bad("negative", -1),
    Bad("huge", 10**30),
    Bad("nan", float("nan")),
    Bad("inf", float("inf")),
    Bad("minus-inf", float("-inf")),
    Bad("fraction", 2.5),
    Bad("bool", True),
    Bad("list", [3]),
]
NUMBER = [
    *_texts(
        ("words", "ten"),
        ("nan-text", "NaN"),
        ("inf-text", "inf"),
        ("overflow-text", "1e309"),
        ("comma-decimal", "1,5"),
        ("sql", "1; DROP TABLE action"),
        ("nul", "1\x00"),
    ),
    Bad("negative", -1),
    Bad("huge", 10**30),
    Bad("nan", float("nan")),
    Bad("inf", float("inf")),
    Bad("bool", True),
    Bad("list", [1.5]),
]
# References to records (ids from forms, URLs and files).
REFERENCE = [
    *_texts(
        ("empty-text", ""),
        ("words", "abc"),
        ("sql", "1 OR 1=1"),
        ("superscript", "²"),
        ("circled", "①"),
        ("negative-text", "-1"),
    ),
    Bad("zero", 0),
    Bad("negative", -1),
    Bad("beyond-int32", 2**31),
    Bad("beyond-int64", 2**63),
    Bad("huge", 10**30),
    Bad("nan", float("nan")),
    Bad("inf", float("inf")),
    Bad("fraction", 1.5),
    Bad("bool", True),
    Bad("unknown", 987_654),
    Bad("a-list", ["x"]),
    Bad("a-dict", {"id": 1}),
    Bad("bytes", b"1"),
]
PERSON = REFERENCE + [
    Bad("not-a-member", None, lambda w: w.outsider_person),
    Bad("member-elsewhere", None, lambda w: w.elsewhere_person),
    Bad("removed-member", None, lambda w: w.removed_person),
    Bad("deleted-person", None, lambda w: w.deleted_person),
    Bad("deactivated-member", None, lambda w: w.deactivated_person),
]
ORGANISATION = REFERENCE + [Bad("deleted-organisation", None, lambda w: w.deleted_organisation)]
WORKSHOP = REFERENCE + [
    Bad("other-community", None, lambda w: w.elsewhere_workshop),
    Bad("deleted-workshop", None, lambda w: w.deleted_workshop),
]
ACTION = REFERENCE + [Bad("other-community", None, lambda w: w.elsewhere_action)]


def as_lists(bad: list[Bad]) -> list[Bad]:
    """Each reference inside a list (multi-selects), plus junk a list field may get."""
    wrapped = [Bad(b.label, None, (lambda w, b=b: [b.resolve(w)]), b.refuse) for b in bad]
    return wrapped + refusing(
        _texts(("text-with-junk", "1, abc; 2"), ("dict", {"id": 1})), "text-with-junk", "dict"
    )


FLAG = [
    Bad("text-yes", "yes"),
    Bad("text-false", "false"),
    Bad("one", 1),
    Bad("zero", 0),
    Bad("none", None),
    Bad("list", [True]),
]
# A closed list of choices (kinds, roles, statuses): every text kind plus near misses.
CHOICE = TEXT + _texts(("upper-case", "MEMBER"), ("padded", " member "), ("none", None))
FILENAME = _texts(
    ("empty", ""),
    ("parent-path", "../../etc/passwd"),
    ("windows-path", "..\\..\\Windows\\system32\\evil.png"),
    ("absolute", "/etc/passwd"),
    ("drive", "C:\\boot.ini"),
    ("overlong", "a" * 300 + ".png"),
    ("dot-file", ".htaccess"),
    ("nul", "photo\x00.png"),
    ("double-extension", "photo.png.exe"),
    ("script", SCRIPT + ".png"),
    ("device-name", "CON"),
    ("newline", "photo\r\n.png"),
    ("emoji", "😀 party.png"),
    ("rtl-override", "evil\u202egnp.exe"),
    ("lone-surrogate", "a\ud800.png"),
)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
UPLOAD = [
    Bad("empty", b""),
    Bad("html-page", b"<!doctype html><script>alert(1)</script>"),
    Bad("svg-with-script", b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"),
    Bad("windows-exe", b"MZ\x90\x00\x03" + b"\x00" * 64),
    Bad("elf-binary", b"\x7fELF\x02\x01\x01" + b"\x00" * 64),
    Bad("nul-text", b"plain\x00text"),
    Bad("latin-1-text", "café".encode("latin-1")),
    Bad("broken-zip", b"PK\x03\x04" + b"\x00" * 40),
    Bad("over-10-mb", PNG + b"\x00" * (10 * MEGABYTE)),
    Bad("gif-script-polyglot", b"GIF89a/*<script>alert(1)</script>*/"),
]
SEARCH = _texts(
    ("percent", "%"),
    ("underscore", "_"),
    ("backslash", "\\"),
    ("all-wildcards", "% _ \\"),
    ("sql-or", "' OR 1=1 --"),
    ("sql-union", 'x\' UNION SELECT password_hash FROM "user" --'),
    ("quote", '"'),
    ("unterminated-phrase", '"welcome'),
    ("fts-operators", "NEAR(a b) OR title:x AND NOT -y*"),
    ("tsquery-operators", "a & !b | c <-> d:*"),
    ("brackets", "( ) [ ] { }"),
    ("nul", "wel\x00come"),
    ("empty", ""),
    ("emoji", "👨\u200d👩\u200d👧"),
    ("lone-surrogate", "wel\ud800come"),
    ("long", "word " * 5000),
    ("200-chars", "é" * 200),
    ("201-chars", "é" * 201),
    ("million-chars", "x" * 1_000_000),
)
# What a CLI, an import or a future API may pass where text belongs: refused, never stringified.
WRONG_TYPES = [
    Bad("a-number", 42),
    Bad("a-list", ["x"]),
    Bad("a-dict", {"x": "y"}),
    Bad("bytes", b"x"),
]
# A version from a form, a file or a command line: a whole number the record had; anything else is refused.
VERSION = [
    Bad("words", "abc"),
    Bad("empty-text", ""),
    Bad("none", None),
    Bad("fraction", 1.5),
    Bad("bool", True),
    Bad("huge", 10**30),
    Bad("negative", -1),
    Bad("list", [1]),
    Bad("stale-text", "1"),
]
# What every field must refuse; a field that may rightly keep one says so (``Target.allow``).
UNSTORABLE = ("one-megabyte", "nul", "lone-surrogate")
LINE = LINE + WRONG_TYPES
LONG = LONG + WRONG_TYPES
CHOICE = CHOICE + WRONG_TYPES
EMAIL = EMAIL + WRONG_TYPES
USERNAME = USERNAME + WRONG_TYPES
PASSWORD = PASSWORD + WRONG_TYPES
TIME_ZONE = TIME_ZONE + WRONG_TYPES
LINK = LINK + WRONG_TYPES
FILENAME = FILENAME + WRONG_TYPES
SEARCH = SEARCH + WRONG_TYPES
WRONG = tuple(b.label for b in WRONG_TYPES)
LINE = refusing(
    LINE, *UNSTORABLE, *WRONG, "bell-and-escape", "201-chars", "newline", "carriage-return"
)
LONG = refusing(LONG, *UNSTORABLE, *WRONG, "100001-chars")
CHOICE = accepting(CHOICE, "empty", "whitespace", "none", "upper-case", "padded")
EMAIL = refusing(
    EMAIL,
    "no-at",
    "no-domain-dot",
    "two-ats",
    "space-inside",
    "nul",
    "newline-header",
    "too-long",
    "lone-surrogate",
    *WRONG,
)
USERNAME = accepting(USERNAME, "upper-case")
PASSWORD = accepting(PASSWORD, "72-bytes-emoji")
TIME_ZONE = accepting(TIME_ZONE, "padded")
LINK = accepting(LINK, "script-in-path", "ok-idn", "newline")
DAY = accepting(DAY, "empty", "leap-day-2024", "with-time", "full-width-digits")
INSTANT = accepting(INSTANT, "empty", "leap-day-2024", "date-only")
COUNT = accepting(COUNT, "empty", "whitespace", "arabic-indic")
NUMBER = accepting(NUMBER, "comma-decimal", "negative")
REFERENCE = accepting(REFERENCE, "empty-text", "zero")
PERSON = accepting(PERSON, "empty-text", "zero", "deactivated-member")
ORGANISATION = accepting(ORGANISATION, "empty-text", "zero")
WORKSHOP = accepting(WORKSHOP, "empty-text", "zero")
ACTION = accepting(ACTION, "empty-text", "zero")
FLAG = accepting(FLAG, "none")
FILENAME = refusing(FILENAME, "nul", "lone-surrogate", *WRONG)
# Searches and filters: at most 200 characters (a whole title), text only.
SEARCH = refusing(SEARCH, "long", "201-chars", "million-chars", *WRONG)
VERSION = refusing(VERSION, *(b.label for b in VERSION))
UPLOAD = accepting(UPLOAD, "gif-script-polyglot")

# A start and an end date: the end may not come before the start.
DAY_SPAN = refusing(
    [
        Bad("end-before-start", ("2024-03-01", "2024-02-29")),
        Bad("same-day", ("2024-02-29", "2024-02-29")),
        Bad("leap-day-to-leap-day", ("2024-02-29", "2028-02-29")),
        Bad("first-to-last-day-allowed", ("1990-01-01", "2100-12-31")),
    ],
    "end-before-start",
)

# One input of each kind, for edits: they run the same checks as the creations that get every input.
REPRESENTATIVE = {
    "empty",
    "whitespace",
    "one-megabyte",
    "200-chars",
    "201-chars",
    "100000-chars",
    "100001-chars",
    "newline",
    "mixed-direction",
    "emoji-zwj-family",
    "combining-marks",
    "zero-width",
    "nul",
    "bell-and-escape",
    "lone-surrogate",
    "script-tag",
    "img-onerror",
    "template-braces",
    "formula-hyperlink",
    "formula-full-width",
    "sql-drop",
    "like-wildcards",
    "markdown-javascript-link",
    *WRONG,
}


def in_a_file(inputs: list[Bad]) -> list[Bad]:
    """The inputs a CSV or spreadsheet cell can hold: text, so no wrong types."""
    return [b for b in inputs if b.label not in WRONG]


def sample(inputs: list[Bad]) -> list[Bad]:
    """The representative inputs of a list (see ``REPRESENTATIVE``)."""
    return [b for b in inputs if b.label in REPRESENTATIVE]
