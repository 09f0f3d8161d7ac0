"""Locust's simulated people for the capacity benchmark (benchmarks/bench_capacity.py).

Each Locust user is one person with about ten seconds of think time between
clicks, walking the journey of ``journey.py`` over the protocol client:
sign in (a new tab with the cookie), the workshop list, open a workshop, post
an update on their own action, export the chapter. Every step is reported to
Locust as a request named after the step, its time from sending the rerun to
the script-finished message; a failed check is a failed request.

People start at different points of the journey (the ``n``-th person to arrive at
step ``n`` modulo its length; one arriving mid-journey opens a tab with the cookie,
unreported, and thinks before that step), as people at work do: at any moment every step is being walked,
so a level measured for less than a whole journey still sees each step's share of the
server's CPU (all starting with "sign in" would measure mostly the first two steps).

Settings come from the environment (bench_capacity.py sets them):
``COP_LOAD_PEOPLE`` (a JSON file: url, run id, and each person's username, name
and cookies) and ``COP_LOAD_KIND`` (``workspace`` or ``trivial``).
"""

from __future__ import annotations

import itertools
import json
import os
import time
from collections.abc import Callable
from typing import Any

from locust import User, between, task
from locust.exception import RescheduleTask

from benchmarks.protocol import journey
from benchmarks.protocol.client import ProtocolError, Run, Session, press

SETTINGS = json.loads(open(os.environ["COP_LOAD_PEOPLE"], encoding="utf-8").read())
_next_person = itertools.count()
THINK = between(8, 12)  # seconds between two clicks, about ten


def _report(user: User, name: str, action: Callable[[], Any]) -> None:
    """Run one step and report it to Locust as a request named after the step."""
    started = time.perf_counter()
    exception: Exception | None = None
    result: Any = None
    try:
        result = action()
    except Exception as error:  # noqa: BLE001 (reported as a failed step, never swallowed)
        exception = error
    seconds = journey.seconds_of(result) if result is not None else time.perf_counter() - started
    user.environment.events.request.fire(
        request_type="streamlit",
        name=name,
        response_time=seconds * 1000,
        response_length=journey.describe(result) if result is not None else 0,
        exception=exception,
        context={},
    )
    if exception is not None:
        raise RescheduleTask()  # the next task starts the journey again in a new tab


def _workspace_steps(person: journey.Person) -> list[tuple[str, Callable[[], Any]]]:
    marker = f"cap-{SETTINGS['run_id']}-{person.username}-{len(person.posted) + 1}"
    return [
        ("sign_in", lambda: journey.sign_in(person)),
        ("workshop_list", lambda: journey.workshop_list(person)),
        ("open_workshop", lambda: journey.open_workshop(person)),
        ("post_update", lambda: journey.post_update(person, marker)),
        ("export_chapter", lambda: journey.export_chapter(person)),
    ]


def _trivial() -> bool:
    return os.environ.get("COP_LOAD_KIND") == "trivial"


class Trivial:
    """The floor: the one-button page opened in a new tab, then its button pressed."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.session: Session | None = None
        self.page: Run | None = None

    def open_page(self) -> Run:
        self.close()
        self.session = Session(self.url)
        self.page = self.session.rerun()
        return self.page

    def click(self) -> Run:
        assert self.session is not None and self.page is not None
        result = self.session.rerun(widgets=[press(self.page.widget("button", "Click"))])
        if not result.contains("Clicked 1 times"):
            raise ProtocolError("click: the counter did not move")
        return result

    def close(self) -> None:
        if self.session is not None:
            self.session.close()
            self.session = None


class Person(User):
    """One person: each task is one click of their journey, think time between clicks."""

    wait_time = THINK

    def on_start(self) -> None:
        people = SETTINGS["people"]
        arrival = next(_next_person)
        me = people[arrival % len(people)] if people else {"username": "", "name": ""}
        self.person = journey.Person(
            SETTINGS["url"], me["username"], me["name"], me.get("cookies", {})
        )
        self.trivial = Trivial(SETTINGS["url"])
        self.next_step = arrival % len(self._steps())
        self.tab_open = self.next_step == 0  # mid-journey people open their tab first

    def _steps(self) -> list[tuple[str, Callable[[], Any]]]:
        if _trivial():
            return [("open_page", self.trivial.open_page), ("click", self.trivial.click)]
        return _workspace_steps(self.person)

    @task
    def click(self) -> None:
        if not self.tab_open:
            # The tab a person arriving mid-journey already has open: opened, not reported, then
            # a think time before their first step, so arrivals cost one run each as at step 0.
            self.tab_open = True
            try:
                if _trivial():
                    self.trivial.open_page()
                else:
                    journey.sign_in(self.person)
            except Exception:  # noqa: BLE001 (the journey then starts at its first step)
                self.next_step = 0
                self.person.close()
                self.trivial.close()
            return
        steps = self._steps()
        name, action = steps[self.next_step % len(steps)]
        self.next_step += 1
        try:
            _report(self, name, action)
        except RescheduleTask:
            self.next_step = 0
            self.person.close()
            self.trivial.close()
            raise

    def on_stop(self) -> None:
        self.person.close()
        self.trivial.close()
