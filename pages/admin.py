"""Admin: accounts, invitations, sign-in, communities and memberships, spreadsheet import, the audit log, backups, e-mail."""

import streamlit as st

from cop.accounts.ui.admin import invitations_tab, users_tab
from cop.accounts.ui.sign_in_settings import sign_in_tab
from cop.backup.ui.admin import backups_tab
from cop.communities.ui.admin import audit_tab, import_tab, memberships_tab
from cop.core.i18n import translator
from cop.outbox.ui.admin import outbox_tab
from cop.shell.gate import require_actor

actor = require_actor("admin")
_ = translator(actor.language)
st.title(_("Administration"))

users, invites, signing_in, members, imports, audit, backups, mail = st.tabs(
    [
        _("Users"),
        _("Invitations"),
        _("Sign-in"),
        _("Communities & memberships"),
        _("Import"),
        _("Audit log"),
        _("Backups"),
        _("E-mail"),
    ]
)
with users:
    users_tab(actor)
with invites:
    invitations_tab(actor)
with signing_in:
    sign_in_tab(actor)
with members:
    memberships_tab(actor)
with imports:
    import_tab(actor)
with audit:
    audit_tab(actor)
with backups:
    backups_tab(actor)
with mail:
    outbox_tab(actor)
