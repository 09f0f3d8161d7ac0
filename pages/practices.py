"""Practices, standards and city self-assessment: the knowledge a community's toolkit is made of.

``?id=<practice>`` opens one practice; otherwise three tabs: the practices
list, the community's standards, and the self-assessment heatmap and trend.
"""

from cop.practices.ui.page import draw_practices_page
from cop.shell.gate import require_actor

draw_practices_page(require_actor("practices"))
