"""The actions page's city plan: every action one organisation leads, printable, with a PDF download.

The page's own print layout hides the app's chrome with a small static
stylesheet (no user text goes into it); the plan itself is drawn as a plain
table of text cells. The PDF is printed by the action-plan service.
"""

from __future__ import annotations

import streamlit as st

from cop.actions import plan as action_plan
from cop.actions import queries as action_views
from cop.communities import people
from cop.communities.models import OrganisationKind
from cop.core.db import read_session
from cop.core.i18n import translator
from cop.core.permissions import Actor
from cop.shell.downloads import download_link
from cop.shell.forms import read
from cop.shell.text import plain

# Static CSS only (no user text): hide the app's chrome when the city plan is printed.
PRINT_CSS = """<style>
@media print {
  [data-testid="stSidebar"], [data-testid="stHeader"], [data-testid="stToolbar"], .stButton, .stDownloadButton,
  [data-testid="stTabs"] [role="tablist"], [data-testid="stSelectbox"] { display: none !important; }
  .block-container { padding: 0 !important; max-width: 100% !important; }
  table { font-size: 9pt; }
}
</style>"""


def city_plan_view(actor: Actor) -> None:
    """Every action one organisation leads, printable, with a PDF download."""
    _ = translator(actor.language)
    with read_session() as session:
        cities = {o.id: o.name for o in people.organisations(session, kind=OrganisationKind.CITY)}
        others = {o.id: o.name for o in people.organisations(session) if o.id not in cities}
    choices = {**cities, **others}
    if not choices:
        st.info(_("There are no cities or organisations yet."))
        return
    start = list(choices).index(actor.organisation_id) if actor.organisation_id in choices else 0
    organisation_id = st.selectbox(
        _("City or organisation"),
        list(choices),
        index=start,
        format_func=choices.get,
        key="act_plan_org",
    )
    plan = read(action_views.city_plan, actor, organisation_id, reader_language=actor.language)
    st.markdown(PRINT_CSS, unsafe_allow_html=True)
    st.subheader(_("Action plan: {name}").format(name=plain(plan.organisation.name)))
    st.caption(plain(action_plan.plan_summary(plan, actor.language)))
    if plan.rows:
        # st.table reads each cell as Markdown; st.dataframe would not, but prints badly.
        rows = [
            [plain(cell) if isinstance(cell, str) else cell for cell in row]
            for row in action_plan.plan_rows(plan, actor.language)
        ]
        import pandas as pd  # loaded when a city plan is shown, not with every page

        st.table(pd.DataFrame(rows, columns=[_(c) for c in action_plan.COLUMNS]))
    else:
        st.info(_("This organisation leads no action you can see."))
    download_link(
        actor,
        _("Download PDF"),
        "city-plan.pdf",
        {"organisation_id": organisation_id},
        icon=":material/picture_as_pdf:",
    )
