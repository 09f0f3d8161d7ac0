"""The accessibility statement: open to anyone, signed in or not (its guard asks no sign-in)."""

from cop.accessibility.ui.page import draw_accessibility_page
from cop.shell.gate import allow_anyone

draw_accessibility_page(*allow_anyone("accessibility"))
