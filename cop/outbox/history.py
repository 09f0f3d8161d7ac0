"""How the history names an e-mail of the outbox (an admin's "Retry now" is audited).

Registered through cop/registry.py.
"""

from __future__ import annotations

from cop.core.history import Kind, register
from cop.core.i18n import N_

register("outbox_message", Kind(noun=N_("the e-mail “{title}”"), title="subject"))
