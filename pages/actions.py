"""Joint actions: a filtered table, a board by status, a timeline and a city's action plan; ``?id=`` opens one action."""

from cop.shell.gate import require_actor
from cop.ui.actions_page import draw_actions_page

draw_actions_page(require_actor("actions"))
