"""Joint actions: a filtered table, a board by status, a timeline and a city's action plan; ``?id=`` opens one action."""

from cop.actions.ui.page import draw_actions_page
from cop.shell.gate import require_actor

draw_actions_page(require_actor("actions"))
