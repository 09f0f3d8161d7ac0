"""Admin: accounts, invitations, sign-in, communities and memberships, spreadsheet import, the audit log, backups, e-mail.

Only the open tab is drawn (``st.tabs`` with a key and ``on_change="rerun"``, as the
chapter page does): drawn together, the eight tabs read the database eight times and sent
a hundred elements on every click, twice the server time of any other page (issue 24).
"""

from collections.abc import Callable

import streamlit as st

from cop.accounts.ui.admin import invitations_tab, users_tab
from cop.accounts.ui.sign_in_settings import sign_in_tab
from cop.backup.ui.admin import backups_tab
from cop.communities.ui.admin import audit_tab, import_tab, memberships_tab
from cop.core.i18n import N_, translator
from cop.core.permissions import Actor
from cop.outbox.ui.admin import outbox_tab
from cop.shell.gate import require_actor

TAB_KEY = "admin_tab"
TABS: list[tuple[str, Callable[[Actor], None]]] = [
    (N_("Users"), users_tab),
    (N_("Invitations"), invitations_tab),
    (N_("Sign-in"), sign_in_tab),
    (N_("Communities & memberships"), memberships_tab),
    (N_("Import"), import_tab),
    (N_("Audit log"), audit_tab),
    (N_("Backups"), backups_tab),
    (N_("E-mail"), outbox_tab),
]

actor = require_actor("admin")
_ = translator(actor.language)
st.title(_("Administration"))

tabs = st.tabs([_(label) for label, _draw in TABS], key=TAB_KEY, on_change="rerun")
for tab, (_label, draw) in zip(tabs, TABS, strict=True):
    if tab.open:
        with tab:
            draw(actor)
