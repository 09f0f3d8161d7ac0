"""Search: one box across everything the user may see, ranked, grouped by kind."""

from cop.search.ui.page import draw_search_page
from cop.shell.gate import require_actor

draw_search_page(require_actor("search"))
