"""Search: one box across everything the user may see, ranked, grouped by kind."""

from cop.ui import require_actor
from cop.ui.search_page import draw_search_page

draw_search_page(require_actor("search"))
