"""Organisations: the cities, networks, NGOs and volunteer centres; facilitators and admins add and correct them."""

from cop.communities.ui.organisations import draw_organisations_page
from cop.shell.gate import require_actor

draw_organisations_page(require_actor("organisations"))
