"""The sign-in gate and the guard every page starts with.

streamlit-authenticator 0.4.2 draws the sign-in form and keeps the cookie; all
decisions are ours and live in the database (cop.accounts.service):

* The credentials dict is built from the database each run, leaving out
  locked and inactive users, and the widget's password check is routed
  through ``accounts.sign_in`` so failures are counted (and lock the username)
  in the database, not in this browser tab's session state.
* Every run re-reads the user. A session whose sign-in (this tab's form, or
  the cookie's issue time, i.e. its ``exp_date`` minus the configured expiry)
  predates ``User.sessions_valid_after`` is signed out: that is how sign-out,
  password changes and deactivation end sessions everywhere.

Test seam (documented for AppTest and benchmarks): a session is signed in when
``st.session_state`` holds ``authentication_status=True``, ``username`` and
``cop_signed_in_at`` (an aware ISO datetime), exactly what a form sign-in
leaves behind; ``cop.shell.testing.sign_in_state(username)`` builds that dict.
"""

from __future__ import annotations

import weakref

import streamlit as st
from streamlit.errors import StreamlitAPIException
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from cop.core.i18n import best_language, translator
from cop.core.permissions import Actor
from cop.shell.cache import refresh_data_version
from cop.shell.invitation import draw_invitation_signup
from cop.shell.markdown_editor.editor import sync_editors
from cop.shell.navigation import PAGES, hide_page_list, public_spec
from cop.shell.oidc import open_asked_page, sign_in_from_identity
from cop.shell.page_language import mark_page_language
from cop.shell.session import current_actor, new_cookie, write_cookie
from cop.shell.session_keys import COOKIE_PENDING, DELETE_COOKIE
from cop.shell.sidebar import draw_sidebar, force_password_change
from cop.shell.sign_in import draw_sign_in, sign_in_from_cookie
from cop.shell.startup import prepare_workspace

GATE_PASSED = "cop_gate_passed"


def _this_run() -> object | None:
    """An object Streamlit makes afresh for each script run (None outside one).

    app.py and the page it runs are one script run; knowing the run lets the
    page's guard reuse what app.py's gate just checked instead of preparing the
    workspace and reading the user a second time.
    """
    ctx = get_script_run_ctx(suppress_warning=True)
    return getattr(ctx, "parallel_coordinator", None) if ctx is not None else None


def gate() -> Actor:
    """Return the signed-in actor, or draw the sign-in (or invitation) form and stop the run.

    Runs once per script run: a second call in the same run (the page after app.py)
    returns the actor the first one checked.
    """
    run = _this_run()
    passed = st.session_state.get(GATE_PASSED)
    if run is not None and passed is not None and passed[0]() is run:
        return passed[1]
    actor = _check()
    if run is not None:
        st.session_state[GATE_PASSED] = (weakref.ref(run), actor)
    return actor


def _check() -> Actor:
    sync_editors()  # before the page runs, as Streamlit updates widget values
    prepare_workspace()
    refresh_data_version()
    invite = st.query_params.get("invite")
    actor = current_actor()
    if actor is None and sign_in_from_identity():  # back from the organisation's provider
        actor = current_actor()
    if actor is None and not invite and not st.session_state.get(DELETE_COOKIE):
        # A returning person's new tab: their cookie signs them in before anything is drawn.
        # Through the form, the same cookie cost a drawn sign-in page and a second run.
        if sign_in_from_cookie():
            actor = current_actor()
    if actor is None:
        asked = hide_page_list()
        if asked is not None and public_spec(asked.url_path) is not None:
            asked.run()  # the accessibility statement: anyone may read it
            st.stop()
    if actor is None and invite:
        draw_invitation_signup(invite)
        _link_statement()
        st.stop()
    if actor is None:
        draw_sign_in()
        _link_statement()
        if st.session_state.get("authentication_status"):
            if "cop_signed_in_at" in st.session_state:  # through the form, not from a cookie
                st.session_state[COOKIE_PENDING] = new_cookie(st.session_state["username"])
            st.rerun()
        st.stop()
    return actor


def _browser_language() -> str:
    return best_language(getattr(st.context, "locale", None))


def _link_statement() -> None:
    """Under the sign-in (or an invitation's sign-up) form, pages without navigation: the
    accessibility statement, and the page's language."""
    _ = translator(_browser_language())
    try:
        st.page_link(
            PAGES["accessibility"].file,
            label=_("Accessibility statement"),
            icon=PAGES["accessibility"].icon,
        )
    except StreamlitAPIException:
        pass  # AppTest runs a page file alone, where no page is registered
    mark_page_language(_browser_language(), in_sidebar=False)


def allow_anyone(page: str) -> tuple[Actor | None, str]:
    """The first line of a public page (the accessibility statement): no sign-in is asked.

    Signed in, it is ``require_actor`` (the actor, the sidebar) and the person's language;
    otherwise None and the browser's language.
    """
    run = _this_run()
    passed = st.session_state.get(GATE_PASSED)
    if run is not None and passed is not None and passed[0]() is run:
        actor: Actor | None = passed[1]
    else:
        sync_editors()
        prepare_workspace()
        refresh_data_version()
        actor = current_actor()
    if actor is None:
        mark_page_language(_browser_language(), in_sidebar=False)
        return None, _browser_language()
    actor = require_actor(page)
    return actor, actor.language


def require_actor(page: str) -> Actor:
    """The first line of every page: signed in, still valid, and allowed on ``page``.

    Pages are also reachable by their own URL without passing app.py, so the
    guard does everything the gate does, then draws the shared sidebar.
    """
    actor = gate()
    write_cookie()  # here, not in gate(): app.py and the page both pass the gate in one run
    open_asked_page()  # the deep link asked for before the provider's sign-in
    _ = translator(actor.language)
    spec = PAGES.get(page)
    if spec is None or (spec.admin_only and not actor.is_admin):
        draw_sidebar(actor)
        st.warning(
            _(
                "This page is for workspace administrators. Ask an admin if you need something done here."
            )
        )
        st.stop()
    if force_password_change(actor):
        st.stop()
    draw_sidebar(actor)
    return actor
