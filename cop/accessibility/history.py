"""How the history names a feedback message on accessibility. Registered through cop/registry.py."""

from __future__ import annotations

from cop.core.history import Kind, register
from cop.core.i18n import N_

register("accessibility_feedback", Kind(noun=N_("feedback on accessibility"), title="where"))
