"""Profile: own name, e-mail, language and time zone, password, a copy of one's data, calendar address."""

from cop.accounts.ui.profile_page import draw_profile_page
from cop.calendars.ui.panel import calendar_panel
from cop.shell.gate import require_actor

actor = require_actor("profile")
draw_profile_page(actor)
calendar_panel(actor)
