"""Profile: everyone's own name, e-mail, language and time zone, password, and a copy of their data."""

from cop.accounts.ui.profile_page import draw_profile_page
from cop.shell.gate import require_actor

draw_profile_page(require_actor("profile"))
