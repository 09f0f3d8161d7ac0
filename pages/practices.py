"""Practices, standards and city self-assessment: the knowledge a community's toolkit is made of.

``?id=<practice>`` opens one practice; otherwise three tabs: the practices
list, the community's standards, and the self-assessment heatmap and trend.
"""

from cop.shell.gate import require_actor
from cop.ui.practices_page import draw_practices_page

draw_practices_page(require_actor("practices"))
