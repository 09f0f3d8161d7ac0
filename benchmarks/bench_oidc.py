"""Sign-in through the organisation's identity provider in Chromium, next to the password form (issue 22).

Method: a local OpenID Connect provider (oidc-provider-mock, in this process) and a real
``streamlit run serve.py`` on a copy of the demo workspace, told about the provider through
``COP_OIDC_*``. Each round opens the sign-in page in a fresh browser context (no cookies),
then times from the click on "Sign in with ..." through the provider's page (one click on
the person, as a provider that already knows them would need) and the redirects back,
until the signed-in home shows "Sign out" and the script run has finished. The first
round links the account by its e-mail; later rounds match the stored subject. In turns
with it, the password form's sign-in of a demo account is timed from the click on
"Sign in" to the same signed-in home, so both share the machine's drift. Written to
benchmarks/results/oidc.json.

Run alone: ``.venv/bin/python benchmarks/bench_oidc.py [rounds]``.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

import cop.registry  # noqa: E402, F401  (every table)
from benchmarks.clicks import TIMEOUT_S, idle  # noqa: E402
from cop.accounts import service as accounts  # noqa: E402
from cop.core import db  # noqa: E402
from cop.core.permissions import SYSTEM  # noqa: E402
from tests.browser.conftest import CHROMIUM, DEMO_PASSWORD, LAUNCH_ARGS, stop_server  # noqa: E402
from tests.browser.journeys import copy_demo, demo_server  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
LABEL = "Stadt Benchhausen"
SUBJECT = "bench-person"


def _stats(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {
        "p50_s": round(statistics.median(ordered), 3),
        "p95_s": round(p95, 3),
        "min_s": round(ordered[0], 3),
        "max_s": round(ordered[-1], 3),
    }


def measure(rounds: int) -> dict:
    from oidc_provider_mock import User, run_server_in_thread

    person = {"email": "bench@city.example", "email_verified": True, "name": "Bench Person"}
    times: dict[str, list[float]] = {"oidc_first": [], "oidc": [], "password": []}
    with (
        run_server_in_thread(user_claims=[User(sub=SUBJECT, claims=person)]) as provider,
        tempfile.TemporaryDirectory(prefix="cop-bench-oidc-") as folder,
    ):
        provider_url = f"http://localhost:{provider.server_port}"
        data_dir = Path(folder)
        database = copy_demo(data_dir)
        with db.write_session(db.get_engine(f"sqlite:///{database}")) as session:
            accounts.create_user(
                session,
                SYSTEM,
                username="bench.person",
                password="a long enough passphrase",
                name="Bench Person",
                email=person["email"],
            )
        db.dispose_engines()
        server = demo_server(
            data_dir,
            extra_env={
                "COP_OIDC_METADATA_URL": f"{provider_url}/.well-known/openid-configuration",
                "COP_OIDC_CLIENT_ID": "cop-workspace",
                "COP_OIDC_CLIENT_SECRET": "a client secret of the benchmark",
                "COP_OIDC_REDIRECT_URI": "http://127.0.0.1:{port}/oauth2callback",
                "COP_OIDC_LABEL": LABEL,
            },
            fresh=False,
        )
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM, args=LAUNCH_ARGS, headless=True
                )
                for number in range(rounds + 1):  # round 0 warms the server up, not counted
                    for way in ("oidc", "password"):
                        context = browser.new_context(locale="en-GB")
                        context.route("https://**/*", lambda route: route.abort())
                        page = context.new_page()
                        page.goto(server.url)
                        idle(page)
                        started = time.perf_counter()
                        if way == "oidc":
                            page.get_by_role("button", name=f"Sign in with {LABEL}").click()
                            page.get_by_role("button", name=SUBJECT, exact=True).click(
                                timeout=TIMEOUT_S * 1000
                            )
                        else:
                            page.get_by_label("Username").fill("member")
                            page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
                            started = time.perf_counter()
                            page.get_by_role("button", name="Sign in", exact=True).click()
                        page.get_by_role("button", name="Sign out").wait_for(
                            state="visible", timeout=TIMEOUT_S * 1000
                        )
                        idle(page)
                        seconds = time.perf_counter() - started
                        context.close()
                        if number == 0 and way == "oidc":
                            times["oidc_first"].append(seconds)
                        elif number > 0:
                            times[way].append(seconds)
                browser.close()
        finally:
            stop_server(server)
    figures: dict = {name: _stats(values) for name, values in times.items() if values}
    figures["oidc"]["p50_vs_password"] = round(
        figures["oidc"]["p50_s"] / figures["password"]["p50_s"], 2
    )
    return {"rounds": rounds, **figures}


def main(rounds: int = 10) -> int:
    figures = {"command": f".venv/bin/python benchmarks/bench_oidc.py {rounds}", **measure(rounds)}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "oidc.json").write_text(json.dumps(figures, indent=2), encoding="utf-8")
    print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(*(int(a) for a in sys.argv[1:])))
