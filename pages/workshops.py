"""Workshops: the list with filters, the month calendar and upcoming ones; ``?id=`` opens one workshop."""

from cop.shell.gate import require_actor
from cop.workshops.ui.page import draw_workshops_page

draw_workshops_page(require_actor("workshops"))
