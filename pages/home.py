"""Home: my communities and their key figures, my due actions, upcoming workshops, activity, inbox."""

import streamlit as st

from cop import clock
from cop.db import write_session
from cop.i18n import translator
from cop.services import dashboard, notifications
from cop.services.toolkit import STATUS_LABELS as CHAPTER_LABELS
from cop.ui import require_actor, selected_community_id
from cop.ui.cache import cached_read
from cop.ui.charts import show_bars
from cop.ui.formatting import format_date, format_number, local_time, record_link

actor = require_actor("home")
_ = translator(actor.language)
STATUS_LABELS = {"idea": _("idea"), "planned": _("planned"), "in_progress": _("in progress"), "done": _("done"), "dropped": _("dropped")}

st.title(_("Welcome, {name}").format(name=actor.name))

chosen = selected_community_id(actor)
# Reused until anything is written anywhere (data_version) or the hour turns (what is due and upcoming).
overview = cached_read(("home", actor.user_id, chosen, clock.now().strftime("%Y-%m-%d %H")),
                       dashboard.home_overview, actor, chosen)
mine, figures, due, upcoming = overview["mine"], overview["figures"], overview["due"], overview["upcoming"]
activity, inbox, unread_total = overview["activity"], overview["inbox"], overview["unread_total"]

mine_col, side_col = st.columns([3, 2], gap="large")

with mine_col:
    st.subheader(_("My communities"))
    if not mine:
        st.info(_("You are not a member of any community yet. An administrator or facilitator can invite you."))
    for community in mine:
        numbers = figures.get(community.id, {})  # type: ignore[arg-type]
        with st.container(border=True):
            role = actor.role_in(community.id)
            st.markdown(f"#### {community.name}")
            st.caption(" · ".join(p for p in (
                community.theme,
                _("your role: {role}").format(role=_(role.value)) if role else _("administrator"),
                _("private") if community.visibility == "private" else _("visible to the workspace"),
            ) if p))
            cols = st.columns(4)
            cols[0].metric(_("Workshops held"), format_number(numbers.get("workshops_held", 0), actor.language))
            cols[1].metric(_("People"), format_number(numbers.get("people", 0), actor.language))
            cols[2].metric(_("Cities and organisations"), format_number(numbers.get("organisations", 0), actor.language))
            cols[3].metric(_("Practices"), format_number(numbers.get("practices", 0), actor.language))
            statuses = numbers.get("actions_by_status", {})
            if statuses:
                show_bars(
                    [{"status": STATUS_LABELS.get(k, k), "actions": v} for k, v in statuses.items()],
                    category="status", value="actions", value_title=_("Actions"),
                    sort=list(STATUS_LABELS.values()), alt_text=_("Actions by status"),
                )
            if numbers.get("chapter_status"):
                st.caption(_("Toolkit chapter: {status}").format(status=_(CHAPTER_LABELS.get(numbers["chapter_status"], numbers["chapter_status"]))))

    if actor.is_admin:
        st.subheader(_("Across the workspace"))
        per_month = overview["per_month"]
        if per_month:
            show_bars(
                per_month, category="month", value="workshops", color="community", horizontal=False,
                category_title=_("Month"), value_title=_("Workshops"), height=260,
                alt_text=_("Workshops per month and community"),
            )
        else:
            st.caption(_("No workshops in the past twelve months."))

with side_col:
    st.subheader(_("My actions due"))
    if not due:
        st.caption(_("Nothing overdue or due in the next 14 days."))
    for row in due:
        flag = "🔴 " + _("overdue") if row["overdue"] else "🟡 " + _("due soon")
        record_link("actions", row["title"], row["id"])
        st.caption(f"{flag} · {format_date(row['due_date'], actor.language)} · {row['community']} · {row['progress']}%")

    st.subheader(_("Upcoming workshops"))
    if not upcoming:
        st.caption(_("No upcoming workshops."))
    for row in upcoming:
        record_link("workshops", row["title"], row["id"])
        st.caption(f"{local_time(row['starts_at'], actor.time_zone, language=actor.language)} · {row['community']}")

    st.subheader(_("Inbox ({n} unread)").format(n=unread_total))
    if not inbox:
        st.caption(_("No unread notifications."))
    for note in inbox:
        left, right = st.columns([5, 1])
        left.markdown(f"**{_(notifications.KINDS.get(note.kind, note.kind))}**")
        left.caption(note.message)
        if right.button(_("Read"), key=f"read-{note.id}"):
            with write_session() as session:
                notifications.mark_read(session, actor, note.id)
            st.rerun()
    if inbox and st.button(_("Mark all read")):
        with write_session() as session:
            notifications.mark_read(session, actor)
        st.rerun()

    st.subheader(_("Recent activity"))
    names = overview["names"]
    for event in activity:
        st.caption(
            f"{local_time(event['at'], actor.time_zone, language=actor.language)} · {event['actor_name']} · "
            f"{event['action']} · {names.get(event['community_id'], '')}"
        )
