"""The map: member cities, partners, workshops and visits, and practices on an outline of Europe."""

from cop.map.ui.page import draw_map_page
from cop.shell.gate import require_actor

draw_map_page(require_actor("map"))
