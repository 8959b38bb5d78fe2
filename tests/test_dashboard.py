"""Browser tests of the dashboard: Playwright drives Debian's chromium against the real service on loopback.

The service (:func:`geostress.service.create_app`) runs in a uvicorn server in a background thread, on a port of
127.0.0.1 chosen by the OS, with a fresh ``GEOSTRESS_HOME`` (the embedded snapshot supplies the data) and the
repository's ``scenarios/``. The browser is ``/usr/bin/chromium`` (installed with apt by ``.ci/run``); Playwright
never downloads one. Without it the tests skip, unless ``CI`` is set, where they fail.

Every request the page makes is recorded and must stay on the server's origin (or be ``data:``/``blob:``/
``about:``). The run test saves a full-page screenshot to ``$GEOSTRESS_TEST_ARTIFACTS`` (default
``out/test-artifacts/``) as ``dashboard.png``.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from geostress.spec.presets import PRESETS_DIR

uvicorn = pytest.importorskip("uvicorn")

REPO = Path(__file__).resolve().parents[1]
MAX_HORIZON = 40  # the test server's limit: a longer horizon is refused with 422 (test_validation_error)
RUN_TIMEOUT_MS = 90_000


# ---------------------------------------------------------------------------------------------------- fixtures
def served(app: Any, name: str = "dashboard-uvicorn") -> Iterator[str]:
    """Serve ``app`` in a uvicorn thread on 127.0.0.1 (a free port); yields its URL once /api/health answers, and
    stops the server after (a fixture's body)."""
    from geostress.cli.serve import bind_socket

    sock = bind_socket("127.0.0.1", 0)  # the server's own socket set-up (TCP_NODELAY on accepted connections)
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name=name, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{url}/api/health", timeout=2).json().get("status") == "ok":
                break
        except (httpx.HTTPError, ValueError):
            pass
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the dashboard test server did not answer /api/health within 60 s")
        time.sleep(0.1)
    try:
        yield url
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real service in a uvicorn server thread on 127.0.0.1 (a free port), with an empty GEOSTRESS_HOME."""
    home = tmp_path_factory.mktemp("geostress-home")
    env = pytest.MonkeyPatch()
    env.setenv("GEOSTRESS_HOME", str(home))
    from geostress.service import ServiceLimits, create_app

    limits = ServiceLimits(max_paths=2_000, max_horizon_years=MAX_HORIZON, run_timeout_s=120, max_workers=1)
    app = create_app(service_dir=home / "service", scenarios_dir=PRESETS_DIR, limits=limits, store_home=home)
    try:
        yield from served(app)
    finally:
        env.undo()


@dataclass
class Session:
    """One browser page plus everything it asked for and every error it reported."""

    page: Any
    base: str
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def assert_loopback_only(self) -> None:
        """Every request went to the server's origin (or was data:, blob:, about:)."""
        assert self.requests, "the page made no request at all"
        local = (self.base + "/", "data:", "blob:", "about:")
        foreign = [u for u in self.requests if not (u == self.base or u.startswith(local))]
        assert not foreign, f"requests outside {self.base}: {foreign}"

    def assert_no_errors(self, allow: tuple[str, ...] = ()) -> None:
        """No script error and no console error (a CSP violation shows as one), except messages in ``allow``."""
        bad = [e for e in self.errors if not any(a in e for a in allow)]
        assert not bad, f"errors in the page: {bad}"


def browser_session(browser: Any, base_url: str) -> Iterator[Session]:
    """A fresh browser context on ``base_url`` that records requests and script or console errors (a fixture's
    body: yields the :class:`Session`, closes the context after)."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    s = Session(page, base_url)
    page.on("request", lambda r: s.requests.append(r.url))
    page.on("pageerror", lambda e: s.errors.append(f"pageerror: {e}"))
    page.on("console", lambda m: s.errors.append(f"console: {m.text}") if m.type == "error" else None)
    try:
        yield s
    finally:
        context.close()


@pytest.fixture()
def session(browser: Any, base_url: str) -> Iterator[Session]:
    yield from browser_session(browser, base_url)


# ---------------------------------------------------------------------------------------------------- helpers
# Arrow functions only: the page's Content-Security-Policy forbids eval, which string predicates would need.
def open_scenario(s: Session) -> None:
    s.page.goto(f"{s.base}/")
    s.page.wait_for_selector("#preset:not([disabled])")
    s.page.wait_for_selector("#run:not([disabled])")


def run_and_wait(s: Session, previous: str | None) -> str:
    """Press Run and wait until the debt chart shows a run other than ``previous``; its run id."""
    s.page.click("#run")
    s.page.wait_for_function(
        "prev => { const id = document.getElementById('chart-debt').dataset.runId; return !!id && id !== prev; }",
        arg=previous or "", timeout=RUN_TIMEOUT_MS,
    )
    return str(s.page.get_attribute("#chart-debt", "data-run-id"))


def cell(s: Session, testid: str, column: int) -> str:
    """The text of one cell of the headline row ``testid`` (0: the label, 1: this run, 2: previous, 3: change)."""
    return s.page.locator(f"#headline tr[data-testid={testid}] td").nth(column).inner_text().strip()


def apply_json(s: Session, change: Any) -> None:
    """Open the JSON editor, let ``change`` edit the spec it shows (a dict) and press Apply JSON."""
    page = s.page
    if not page.is_visible("#spec-json"):
        page.click(".spec-editor summary")
    spec = json.loads(page.input_value("#spec-json"))
    change(spec)
    page.fill("#spec-json", json.dumps(spec))
    page.click("#spec-apply")


def backstop_cells(s: Session, testid: str) -> list[str]:
    """The cells of one row of the backstop on/off table: label, this run on, off, previous run on, off."""
    return [c.strip() for c in s.page.locator(f"#backstop tr[data-testid={testid}] td").all_inner_texts()]


def bp(x: float, digits: int, plus: bool = True) -> str:
    """A term-premium figure as the dashboard writes it: real minus sign, a plus when ``plus``, no "−0.0"."""
    text = f"{abs(x):,.{digits}f}"
    sign = "" if float(text.replace(",", "")) == 0 else "−" if x < 0 else "+" if plus else ""
    return f"{sign}{text}"


def bp_range(lo: float, hi: float, digits: int) -> str:
    """A 5–95% range as the dashboard writes it ("−1.15 to 7.86 bp" when an end is negative, as the report)."""
    low, high = bp(lo, digits, plus=False), bp(hi, digits, plus=False)
    return f"{low}{' to ' if '−' in low + high else '–'}{high} bp"


def usd_bn(x: float) -> str:
    """USD bn as the dashboard writes an amount: a decimal below $10bn, whole above."""
    return f"{x:,.1f}" if abs(x) < 9.95 else f"{x:,.0f}"


def debt_traces(s: Session) -> dict[str, list[float]]:
    """The debt/GDP chart's traces by uid (median, deterministic, previous, p05...)."""
    traces = s.page.evaluate(
        "() => document.getElementById('chart-debt').data.map(t => [t.uid || t.name, Array.from(t.y)])")
    return {uid: y for uid, y in traces}


# ---------------------------------------------------------------------------------------------------- tests
def test_run_change_slider_and_rerun(session: Session, artifacts: Path) -> None:
    """Run a preset, raise China's sale with the slider, run again: the debt fan moves up; screenshot saved."""
    page = session.page
    open_scenario(session)
    page.select_option("#preset", "china-sells-300bn")
    page.select_option("#paths", "500")
    assert page.input_value("#slider-sale") == "300"

    first_id = run_and_wait(session, None)
    assert page.get_attribute("#status", "data-state") == "done"
    first = debt_traces(session)
    assert {"p05", "p95", "p25", "p75", "median", "deterministic"} <= set(first)
    assert "previous" not in first
    first_median = first["median"][-1]
    assert 0.5 < first_median < 5.0  # debt/GDP as a fraction
    assert "%" in page.inner_text("#headline")

    held = httpx.get(f"{session.base}/api/market/sectors").json()["sectors"]
    china = next(sec["holdings_bn"] for sec in held if sec["name"] == "china_mainland_official")
    assert f"the slider's last step is ${int(china):,}bn" in page.inner_text("#sale-limit")  # no larger sale
    assert page.inner_text("[data-testid=result-title]") == "· china-sells-300bn"
    assert page.inner_text("[data-testid=preset-cli-note]") == ""
    page.locator("#slider-sale").fill("600")
    assert page.inner_text("#value-sale") == "$600bn"
    # no longer the preset: named "custom" (as the service names an edited spec), saying what moved, and the CLI
    # hint says the preset's command runs the preset as filed (it kept the preset's name and command before)
    edited = json.loads(page.input_value("#spec-json"))["scenario"]
    assert edited["name"] == "custom"
    assert edited["description"] == "china-sells-300bn with China sale size $600bn (sliders moved in the dashboard)"
    assert "without the sliders moved here" in page.inner_text("[data-testid=preset-cli-note]")
    # applied as JSON, then edited again: what moved before stays in the description
    apply_json(session, lambda spec: None)
    assert "not the JSON applied below" in page.inner_text("[data-testid=preset-cli-note]")
    page.locator("#slider-pace").fill("6")
    again = json.loads(page.input_value("#spec-json"))["scenario"]
    assert again["description"] == ("china-sells-300bn with China sale size $600bn, then sale pace 6 months "
                                    "(sliders moved in the dashboard)")
    page.locator("#slider-pace").fill("12")  # back to the applied spec's pace: as applied
    assert json.loads(page.input_value("#spec-json"))["scenario"] == edited
    second_id = run_and_wait(session, first_id)
    assert second_id != first_id
    assert page.inner_text("[data-testid=result-title]") == "· custom"
    status = page.locator("#status")
    assert status.get_attribute("data-state") == "done"
    assert status.inner_text().startswith("Done")
    second = debt_traces(session)
    # the evidence-based market block (issue 14): $300bn more adds tenths of a pp of debt/GDP by the horizon
    assert second["median"][-1] > first_median, "a larger sale must raise final-year debt/GDP"
    assert second["previous"] == pytest.approx(first["median"]), "the previous run is kept for comparison"
    headline = page.inner_text("#headline")
    assert "$600bn" in headline and "$300bn" in headline  # Treasuries sold: this run and the previous one
    assert re.search(r"\+\d+\.\d pp", headline)
    # term-premium changes in bp with one decimal, the persistent effect with two (as the report: "+3.61")
    assert re.fullmatch(r"\+\d+\.\d bp", cell(session, "peak", 1)), cell(session, "peak", 1)
    assert "term premium" in cell(session, "peak", 0)
    caveat = page.inner_text("[data-testid=backstop-caveat]")  # which trigger, beside the backstop table
    assert "against orderly selling" in caveat and "market_backstop_idle_in_replay_bn" in caveat
    assert re.fullmatch(r"\+\d+\.\d\d bp", cell(session, "persistent", 1)), cell(session, "persistent", 1)
    assert re.fullmatch(r"[+−±]\d+\.\d\d bp", cell(session, "persistent", 3)), cell(session, "persistent", 3)
    assert re.fullmatch(r"−?\d+\.\d\d–\d+\.\d\d bp", cell(session, "persistent-range", 1))
    interest = cell(session, "interest-range", 1)
    assert re.fullmatch(r"\$\d+(\.\d)?–\d+(\.\d)?bn", interest), interest  # whole USD bn from $10bn
    # the market block's figures with the backstop on and off side by side, this run's and the previous run's
    assert backstop_cells(session, "backstop-peak")[:1] == ["Peak change"]
    for text in backstop_cells(session, "backstop-peak")[1:] + backstop_cells(session, "backstop-persistent")[1:]:
        assert re.fullmatch(r"\+\d+\.\d+ bp\n5–95%: −?\d+\.\d+–\d+\.\d+ bp", text), text
    # the literature's persistent range beside the model's, for this run and the previous one (issue 14)
    published = page.inner_text("[data-testid=published-persistent]")
    assert "published range" in published and len(re.findall(r"\d+\.\d–\d+\.\d bp", published)) == 2, published
    # P(cascade) once, as the share of paths; not again under its old name
    assert headline.count("P(cascade)") == 1 and "Cascade share" not in headline

    page.click("#annual-details summary")
    assert page.locator("#annual tbody tr").count() >= 30
    shot = artifacts / "dashboard.png"
    page.evaluate("() => window.scrollTo(0, 0)")
    page.mouse.move(1, 1)  # no hover label or mode bar in the picture
    page.wait_for_timeout(400)  # let the progress bar's transition finish
    page.screenshot(path=str(shot), full_page=True)
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
    session.assert_no_errors()
    session.assert_loopback_only()


def test_deterministic_runs_show_no_range_and_the_published_one(session: Session) -> None:
    """A run of one path has no 5–95% range to show; an official sale has a published persistent range, a private
    (announced) sale none, and P(cascade) is shown once."""
    page = session.page
    open_scenario(session)
    page.select_option("#preset", "china-sells-300bn")
    page.select_option("#paths", "0")
    first_id = run_and_wait(session, None)
    headline = page.inner_text("#headline")
    assert "one path: no range" in headline
    assert not re.search(r"(\d+\.\d)–\1 bp", headline), headline  # no "13.0–13.0 bp"
    official = page.inner_text("[data-testid=published-persistent]")
    assert re.search(r"\d+\.\d–\d+\.\d bp", official), official
    # one path: the cascade row once, not "0.0%" under P(cascade); contagion off: "n/a", as the CLI and the report
    assert headline.count("Cascade (one path)") == 1 and "P(cascade)" not in headline
    assert cell(session, "cascade", 1) == "n/a (contagion off)" and "Cascade share" not in headline

    page.select_option("#preset", "pension-announcement")  # a $0.1bn sale by a domestic private holder
    page.select_option("#paths", "0")
    second_id = run_and_wait(session, first_id)
    private = page.inner_text("[data-testid=published-persistent]")
    assert "none: private sales are flows only" in private, private
    assert re.search(r"\d+\.\d–\d+\.\d bp", private), "the previous run's range stays beside it"
    assert page.locator("#headline tr[data-testid=fima]").count() == 0  # no liquidity sale, no FIMA row

    # China's sale for liquidity: the FIMA repo finances part of it (as `run`'s table: $165bn, deterministic)
    page.select_option("#preset", "china-sells-300bn")
    page.select_option("#paths", "0")
    apply_json(session, lambda spec: spec["sales"][0].update(motive="liquidity"))
    run_and_wait(session, second_id)
    assert "FIMA repo" in cell(session, "fima", 0)
    assert cell(session, "fima", 1) == "$165bn" and cell(session, "fima", 2) == "—", cell(session, "fima", 1)
    session.assert_no_errors()
    session.assert_loopback_only()


def test_holders_view(session: Session) -> None:
    """The holders view draws the top foreign holders (China and Japan among them) and their table."""
    page = session.page
    page.goto(f"{session.base}/#holders")
    page.wait_for_function("() => (document.getElementById('chart-holders').data || []).length >= 5")
    names = page.evaluate("() => document.getElementById('chart-holders').data.map(t => t.name)")
    assert len(names) >= 5
    assert any("China" in n for n in names) and any("Japan" in n for n in names)
    assert page.locator("#holders-table tbody tr").count() == len(names)
    assert re.search(r"\$[\d,]+bn", page.inner_text("#holders-table"))
    page.wait_for_selector("[data-testid=breadth]")
    assert "%" in page.inner_text("[data-testid=breadth]")
    assert page.get_attribute("#tab-holders", "aria-current") == "page"
    assert page.is_hidden("#view-scenario")
    session.assert_no_errors()
    session.assert_loopback_only()


def test_minerals_view(session: Session) -> None:
    """The view opens on the US 180-day mandate with its verdict; choosing the G7 scenario replaces it."""
    page = session.page
    page.goto(f"{session.base}/")
    page.click("#tab-minerals")
    page.wait_for_selector("#minerals-scenario:not([disabled])")
    us = page.locator('#minerals-scenario option[data-file="minerals-us-mandate.toml"]').get_attribute("value")
    assert page.input_value("#minerals-scenario") == us
    page.wait_for_selector("#verdict:not([hidden])")
    verdict = page.inner_text("#verdict")
    assert re.search(r"\d+\.\d%", verdict)
    assert re.search(r"Mandate met at day 180: (yes|no)", verdict)
    assert page.locator("#minerals-table tbody tr").count() >= 5
    assert page.evaluate("() => document.getElementById('chart-ndpr').data.length") >= 1

    g7 = page.locator('#minerals-scenario option[data-file="minerals-g7-mandate.toml"]').get_attribute("value")
    page.select_option("#minerals-scenario", g7)
    page.wait_for_function("(before) => document.getElementById('verdict').innerText !== before", arg=verdict)
    assert re.search(r"\d+\.\d%", page.inner_text("#verdict"))
    session.assert_no_errors()
    session.assert_loopback_only()


def test_validation_error_names_the_field(session: Session) -> None:
    """A horizon beyond the server's limit is refused (422); the form shows the message at the horizon slider."""
    page = session.page
    open_scenario(session)
    page.select_option("#paths", "0")
    page.locator("#slider-horizon").fill(str(MAX_HORIZON + 5))
    page.click("#run")
    page.wait_for_selector("#form-errors:not([hidden])")
    assert "scenario.horizon_years" in page.inner_text("#form-errors")
    field_error = page.inner_text("[data-error-for=horizon]")
    assert "horizon_years" in field_error and str(MAX_HORIZON) in field_error
    assert page.get_attribute("#status", "data-state") == "error"
    assert page.is_enabled("#run")
    session.assert_no_errors(allow=("status of 422",))  # chromium logs the refused request itself
    session.assert_loopback_only()


def test_json_editor_sends_what_was_typed(session: Session) -> None:
    """Values the form's controls cannot show (paths not in the list, a horizon off the slider) are sent as typed:
    the server runs them or answers 422 beside the field; an invalid-JSON Apply clears the stale errors."""
    page = session.page
    sent: list[dict[str, Any]] = []
    page.on("request", lambda r: sent.append(json.loads(r.post_data or "{}")["spec"])
            if r.method == "POST" and r.url.endswith("/api/runs") else None)
    open_scenario(session)

    # 3 paths and 5 years: neither in the paths list nor on the slider (10-50), both valid for the server
    apply_json(session, lambda s: (s["simulation"].update(paths=3), s["scenario"].update(horizon_years=5)))
    assert page.evaluate("() => document.getElementById('paths').selectedOptions[0].textContent").startswith("3 ")
    assert page.inner_text("#value-horizon") == "5 years"
    assert "outside the slider's range" in page.inner_text("[data-note-for=horizon]")
    run_id = run_and_wait(session, None)
    assert sent[-1]["simulation"]["paths"] == 3 and sent[-1]["scenario"]["horizon_years"] == 5
    status = httpx.get(f"{session.base}/api/runs/{run_id}").json()
    assert (status["paths"], status["horizon_years"]) == (3, 5)
    assert page.inner_text("#status").startswith("Done · 3 paths")

    # over the server's max_paths (2,000 here): its 422 beside the paths list, naming the limit
    apply_json(session, lambda s: s["simulation"].update(paths=50_000))
    page.click("#run")
    page.wait_for_selector("#form-errors:not([hidden])")
    assert sent[-1]["simulation"]["paths"] == 50_000
    paths_error = page.inner_text("[data-error-for=paths]")
    assert "simulation.paths" in paths_error and "2,000" in paths_error, paths_error

    # a horizon beyond the slider's 50 years reaches the server as typed and comes back as its 422
    apply_json(session, lambda s: (s["simulation"].update(paths=0), s["scenario"].update(horizon_years=60)))
    assert page.is_hidden("#form-errors"), "Apply JSON clears the errors of the spec it replaces"
    assert page.inner_text("#value-horizon") == "60 years"
    page.click("#run")
    page.wait_for_selector("#form-errors:not([hidden])")
    assert sent[-1]["scenario"]["horizon_years"] == 60 and sent[-1]["simulation"]["paths"] == 0
    assert "horizon_years" in page.inner_text("[data-error-for=horizon]")

    # an Apply of invalid JSON says so and leaves no stale error of the last submission on the form
    page.fill("#spec-json", "{not json")
    page.click("#spec-apply")
    assert "Not valid JSON" in page.inner_text("#spec-json-error")
    assert page.is_hidden("#form-errors")
    assert page.inner_text("[data-error-for=horizon]") == ""
    assert page.locator(".field.invalid").count() == 0
    session.assert_no_errors(allow=("status of 422",))
    session.assert_loopback_only()


def test_market_rows_without_market_block_and_one_path_percentiles(session: Session) -> None:
    """A run without the market block after a coupled run says so in the market rows (not "one path: no range"),
    and a one-path run's 90th percentile is not compared with a stochastic run's."""
    page = session.page
    open_scenario(session)
    page.select_option("#preset", "china-sells-300bn")
    page.select_option("#paths", "0")
    first_id = run_and_wait(session, None)
    assert cell(session, "p90", 1) == "one path"

    page.select_option("#preset", "baseline")  # no sales, announcements, threats, liquidity shocks or contagion
    page.select_option("#paths", "500")
    run_and_wait(session, first_id)
    for testid in ("peak", "peak-range", "persistent", "persistent-range", "published-persistent"):
        assert cell(session, testid, 1) == "no market block", (testid, cell(session, testid, 1))
    # backstop on and off: this run has no market block, the previous (one path) run's pair has no range
    assert backstop_cells(session, "backstop-peak")[1:3] == ["no market block"] * 2
    assert [c.split("\n")[1] for c in backstop_cells(session, "backstop-peak")[3:]] == ["one path: no range"] * 2
    assert page.evaluate("() => document.getElementById('chart-term-premium').data.length") == 0
    assert "market block does not run" in page.inner_text("#term-premium-note")
    assert "no sales, announcements, threats, liquidity shocks or contagion" in cell(session, "market-block", 1)
    assert cell(session, "peak-range", 2) == "one path: no range"  # the previous run: market block, one path
    assert "one path: no range" not in page.inner_text("#headline").split("Previous run")[0]
    assert cell(session, "peak", 3) == "—"
    # the 90th percentile of the previous (deterministic) run is its one path: shown as such, not compared
    assert re.fullmatch(r"\d+\.\d%", cell(session, "p90", 1))
    assert cell(session, "p90", 2) == "one path" and cell(session, "p90", 3) == "—"
    session.assert_no_errors()
    session.assert_loopback_only()


def test_threat_rows_show_means_and_medians(session: Session) -> None:
    """A threat's rows show the payload's medians beside its means, with and without the threat."""
    page = session.page
    open_scenario(session)
    page.select_option("#preset", "davos-threat")
    page.select_option("#paths", "500")
    run_id = run_and_wait(session, None)
    summary = httpx.get(f"{session.base}/api/runs/{run_id}/result").json()["summary"]

    def bn(x: float) -> str:
        return f"${x:,.1f}bn" if abs(x) < 9.95 else f"${x:,.0f}bn"

    for key in ("foreign_sold_bn_6m", "official_sold_bn_36m"):
        for stat in ("mean", "median"):
            for suffix in ("", "_no_threat"):
                name = f"{key}_{stat}{suffix}"
                assert cell(session, name, 1).replace("−", "-") == bn(summary[name]), name
    assert "median" in cell(session, "foreign_sold_bn_6m_median", 0)
    session.assert_no_errors()
    session.assert_loopback_only()


def test_presets_listed_by_the_id_the_cli_takes(session: Session) -> None:
    """The preset list's values are the ids ``geostress run`` takes (file stems), the declared name beside them."""
    from geostress.spec.presets import resolve

    page = session.page
    open_scenario(session)
    options = page.evaluate(
        "() => [...document.querySelectorAll('#preset option')].map(o => [o.value, o.textContent])")
    ids = [value for value, _ in options]
    assert "china_sells" in ids and "china-sells" not in ids
    assert dict(options)["china_sells"] == "china_sells (china-sells)"
    for value in ids:
        assert resolve(value).stem == value  # what the CLI resolves
    page.select_option("#preset", "china_sells")
    assert page.inner_text("[data-testid=preset-cli]") == "geostress run china_sells"
    assert json.loads(page.input_value("#spec-json"))["scenario"]["name"] == "china-sells"
    session.assert_no_errors()
    session.assert_loopback_only()


def test_sale_slider_reaches_the_holdings(session: Session) -> None:
    """The sale slider (step 25) ends exactly at China's official holdings (whole $bn), the largest sale allowed."""
    page = session.page
    open_scenario(session)
    held = httpx.get(f"{session.base}/api/market/sectors").json()["sectors"]
    top = int(next(sec["holdings_bn"] for sec in held if sec["name"] == "china_mainland_official"))
    slider = page.locator("#slider-sale")
    slider.fill(page.get_attribute("#slider-sale", "max"))
    assert page.inner_text("#value-sale") == f"${top:,}bn"
    sale = json.loads(page.input_value("#spec-json"))["sales"]
    assert [x["amount_bn"] for x in sale if x["holder"] == "china_mainland_official"] == [top]
    slider.fill("0")
    slider.focus()
    page.keyboard.press("End")
    assert page.inner_text("#value-sale") == f"${top:,}bn"
    assert slider.get_attribute("aria-valuetext") == f"${top:,}bn"
    assert f"${top:,}bn" in page.inner_text("#sale-limit")
    session.assert_no_errors()
    session.assert_loopback_only()


def result_of(s: Session, run_id: str) -> dict[str, Any]:
    return httpx.get(f"{s.base}/api/runs/{run_id}/result").json()


def test_backstop_on_and_off_side_by_side(session: Session) -> None:
    """The backstop on and off side by side, each figure its median over its 5–95% range, the previous run's pair
    beside this run's; a negative persistent change with the backstop off (dash for cash: the sellers buy back) comes
    with the docs' caveat, which names the run it is about (issue 14)."""
    page = session.page
    open_scenario(session)
    page.select_option("#preset", "dash-for-cash")
    page.select_option("#paths", "500")
    first_id = run_and_wait(session, None)
    s = result_of(session, first_id)["summary"]
    page.wait_for_selector("#backstop-block:not([hidden])")
    heads = page.locator("#backstop thead tr").nth(1).locator("th").all_inner_texts()
    assert [h.strip() for h in heads] == ["Measure", "backstop on", "backstop off"]
    for testid, key, digits in (("backstop-peak", "peak_10y_change_bp", 1),
                                ("backstop-persistent", "persistent_10y_change_bp", 2),
                                ("backstop-stock", "stock_effect_10y_bp", 2)):  # (as the report's backstop table)
        cells = backstop_cells(session, testid)
        assert len(cells) == 3, cells
        for text, name in zip(cells[1:], (key, f"{key}_backstop_off"), strict=True):
            want = f"{bp(s[name], digits)} bp\n5–95%: {bp_range(s[f'{name}_p05'], s[f'{name}_p95'], digits)}"
            assert text == want, (name, text, want)
    assert s["persistent_10y_change_bp_backstop_off"] < 0  # docs/contagion.md: −12.1 bp at month 24
    assert backstop_cells(session, "backstop-purchases") == ["Fed backstop purchases (median)",
                                                            f"${usd_bn(s['backstop_bn_median'])}bn", "none"]
    caveat = page.inner_text("#backstop-note")
    assert caveat.startswith("This run: ") and "buy back" in caveat and "undershoots" in caveat, caveat
    assert "not as evidence" in caveat and "backstop off (its median) is below zero" in caveat  # (dash for cash)
    assert "backstop OFF" not in page.inner_text("#headline")  # no separate medians-only rows any more

    page.select_option("#preset", "china-sells-300bn")  # a solvency-type sale: backstop off persists higher
    second_id = run_and_wait(session, first_id)
    groups = page.locator("#backstop thead tr").first.locator("th").all_inner_texts()
    assert [g.strip() for g in groups] == ["", "This run", "Previous run"]
    cells = backstop_cells(session, "backstop-persistent")
    assert len(cells) == 5 and cells[4].startswith(f"{bp(s['persistent_10y_change_bp_backstop_off'], 2)} bp\n")
    assert cells[1].startswith("+") and cells[2].startswith("+"), cells
    assert page.inner_text("#backstop-note").startswith("Previous run: ")

    # a run with its own backstop off: its figures under "backstop off", none under "backstop on" (the audit found
    # them under "backstop on", the same numbers in both columns)
    apply_json(session, lambda x: (x["simulation"].update(paths=0), x.setdefault("market", {}).update(backstop=False)))
    third = result_of(session, run_and_wait(session, second_id))["summary"]
    assert "peak_10y_change_bp_backstop_off" not in third
    cells = backstop_cells(session, "backstop-peak")
    assert cells[1] == "not run: this run has the backstop off", cells
    assert cells[2].startswith(f"{bp(third['peak_10y_change_bp'], 1)} bp\n"), cells
    # two runs with the backstop off: the table still shows (it was hidden: neither had side-by-side figures)
    third_id = str(page.get_attribute("#chart-debt", "data-run-id"))
    apply_json(session, lambda x: x["sales"][0].update(amount_bn=150))
    run_and_wait(session, third_id)
    page.wait_for_selector("#backstop-block:not([hidden])")
    cells = backstop_cells(session, "backstop-peak")
    assert cells[1] == cells[3] == "not run: this run has the backstop off", cells
    session.assert_no_errors()
    session.assert_loopback_only()


def test_caveat_cascade_and_interest_rows_read_as_the_report(session: Session) -> None:
    """The backstop-off caveat follows the report's rule (its median or 5th percentile below zero and 0.5 bp below the
    backstop-on one: davos-threat's 5th percentile with the orderly trigger set as low as the dash-for-cash one, so
    that the backstop buys against its orderly selling, −11 against −1 bp, gets it; pension-announcement, the same
    range on and off, does not); a run of one path says whether it cascades ("yes"/"no", as the CLI and the report); the
    added interest names the years it is summed over when the horizon is shorter than ten."""
    page = session.page
    open_scenario(session)
    page.select_option("#preset", "davos-threat")
    apply_json(session, lambda s: (s["simulation"].update(paths=0), s["scenario"].update(horizon_years=5)))
    first_id = run_and_wait(session, None)
    one = result_of(session, first_id)["summary"]
    word = "yes" if one["cascade_probability"] >= 0.5 else "no"
    assert cell(session, "cascade", 0) == "Cascade (one path)" and cell(session, "cascade", 1) == word
    assert cell(session, "interest", 0) == "Added net interest, 5 years (the horizon)"
    assert page.is_hidden("#backstop-note")

    apply_json(session, lambda s: (s["simulation"].update(paths=500), s["scenario"].update(horizon_years=30),
                                   s.setdefault("market", {}).update(backstop_orderly_trigger_bp=20.0)))
    second_id = run_and_wait(session, first_id)
    s = result_of(session, second_id)["summary"]
    assert s["persistent_10y_change_bp_backstop_off"] > 0  # the median: no caveat from it
    assert s["persistent_10y_change_bp_p05"] - s["persistent_10y_change_bp_backstop_off_p05"] >= 0.5
    caveat = page.inner_text("#backstop-note")
    assert caveat.startswith("This run: ") and "5th percentile" in caveat and "buy back" in caveat, caveat
    assert "(its 5th percentile) is below zero" in caveat and "its median" not in caveat  # (its median is not)
    assert cell(session, "interest", 0) == "Added net interest, first 10 years; previous run: 5 years (the horizon)"
    assert cell(session, "interest", 3) == "—"  # summed over different years: not compared
    # the added interest's scale: its share of the same years' net interest without the events, as the API gives it
    assert cell(session, "interest-share", 0) == "Added interest as a share of net interest without the events"
    assert cell(session, "interest-share", 1) == f"{100 * s['added_net_interest_10y_share']:,.2f}%"
    assert cell(session, "interest-share", 2) == f"{100 * one['added_net_interest_10y_share']:,.2f}%"
    assert cell(session, "interest-share", 3) == "—"
    assert cell(session, "cascade", 0) == "P(cascade), share of paths"
    assert re.fullmatch(r"\d+\.\d%", cell(session, "cascade", 1))
    assert cell(session, "cascade", 2) == f"{word} (one path)"

    page.select_option("#preset", "pension-announcement")
    page.select_option("#paths", "500")
    pension_id = run_and_wait(session, second_id)
    assert page.inner_text("#backstop-note").startswith("Previous run: ")  # none for pension-announcement itself

    # a money range with a negative end reads as the report writes it: the sign before the dollar ("−$0.4 to $5.1bn")
    page.select_option("#preset", "announcement-wave")
    page.select_option("#paths", "500")
    third = result_of(session, run_and_wait(session, pension_id))["summary"]
    lo, hi = third["added_net_interest_10y_bn_p05"], third["added_net_interest_10y_bn_p95"]
    assert lo < 0 < hi
    assert cell(session, "interest-range", 1) == f"−${abs(lo):,.1f} to ${hi:,.1f}bn"
    session.assert_no_errors()
    session.assert_loopback_only()


def test_probabilities_round_as_the_report_does_at_a_tie(session: Session) -> None:
    """A share of 2,000 paths can end in a half (1,865 of 2,000: 93.25%): the report wrote 93.2% (Python rounds
    half to even) and the dashboard 93.3% (the browser rounded half up). Both now write what the report does."""
    from geostress.report.blocks import pct

    page = session.page
    open_scenario(session)
    page.select_option("#preset", "dash-for-cash")
    page.select_option("#paths", "2000")
    probabilities = result_of(session, run_and_wait(session, None))["summary"]["ensemble"]["probabilities"]
    assert any(round(1000 * p, 6) % 1 == 0.5 for p in probabilities.values()), probabilities  # a tie to round
    rows = page.locator("#headline tbody tr")
    texts = [rows.nth(i).locator("td").nth(1).inner_text().strip() for i in range(rows.count())]
    labels = [rows.nth(i).locator("td").nth(0).inner_text().strip() for i in range(rows.count())]
    start = labels.index("Probabilities") + 1
    assert texts[start:start + len(probabilities)] == [pct(p) for p in probabilities.values()]
    session.assert_no_errors()


def test_a_run_with_its_own_backstop_off_says_so_in_the_headline(session: Session) -> None:
    """dash-for-cash with ``market.backstop = false`` showed its peak (+178.8 bp) with no word that the backstop was
    off (the review of the reports); a row says so now, beside the previous run's setting."""
    page = session.page
    open_scenario(session)
    page.select_option("#preset", "china-sells-300bn")
    page.select_option("#paths", "0")
    first_id = run_and_wait(session, None)
    assert page.locator("[data-testid=backstop-setting]").count() == 0  # both backstops on: no row

    def backstop_off(spec: dict[str, Any]) -> None:
        spec.setdefault("market", {})["backstop"] = False

    apply_json(session, backstop_off)
    run_and_wait(session, first_id)
    assert cell(session, "backstop-setting", 1) == "off (market.backstop = false)"
    assert cell(session, "backstop-setting", 2) == "on"
    session.assert_no_errors()


def test_numbers_round_as_pythons_format_does(session: Session) -> None:
    """The dashboard writes a number as the report's ``f"{x:,.1f}"`` does: the binary value rounded, an exact half
    to even. Intl.NumberFormat rounded the shortest decimal: 100 × 0.9335 (1,867 of 2,000 paths, 93.3499…)
    printed 93.4% beside the report's 93.3% (the review of the reports)."""
    import random

    open_scenario(session)
    rng = random.Random(5)
    values = ([100 * k / 2000 for k in range(2001)] + [0.125, 2.5, -0.05, -2.5, 1_234_567.5, 99.95, 9.95, 1e21,
                                                       -1.5e21, 1.7976931348623157e308]
              + [rng.uniform(-5000, 5000) for _ in range(500)] + [round(rng.uniform(-100, 100), 3) for _ in range(500)])
    for digits in (0, 1, 2):
        shown = session.page.evaluate("([xs, d]) => xs.map((x) => window.geostressFixed(x, d))", [values, digits])
        expected = [f"{x:,.{digits}f}" for x in values]
        expected = [e[1:] if e.startswith("-") and not any(c in "123456789" for c in e) else e for e in expected]
        assert shown == expected
    assert session.page.evaluate("() => window.geostressFixed(100 * 0.9335, 1)") == "93.3"
    session.assert_no_errors()


def test_term_premium_fan(session: Session) -> None:
    """The market block's term premium by month as a fan: the payload's 5–95% band over parameter draws and its
    median, the previous run's median faintly, a note that the macro shocks do not reach it; one path: no band."""
    page = session.page
    open_scenario(session)
    page.select_option("#preset", "china-sells-300bn")
    page.select_option("#paths", "500")
    first_id = run_and_wait(session, None)
    market = result_of(session, first_id)["market"]
    title = page.evaluate("() => document.getElementById('chart-term-premium').layout.title.text")
    assert title == "Market term premium at 10 years, bp"
    traces = page.evaluate("() => document.getElementById('chart-term-premium').data"
                           ".map(t => [t.uid, Array.from(t.x), Array.from(t.y)])")
    by_uid = {uid: (x, y) for uid, x, y in traces}
    assert set(by_uid) == {"p05", "p95", "median"}
    for uid, key in (("p05", "term_premium_bp_p05"), ("p95", "term_premium_bp_p95"), ("median", "term_premium_bp_p50")):
        assert by_uid[uid][0] == market["months"]
        assert by_uid[uid][1] == pytest.approx(market[key]), uid
    note = page.inner_text("#term-premium-note")
    assert "parameter draws" in note and "does not read the macro shocks" in note, note

    page.select_option("#paths", "0")
    run_and_wait(session, first_id)
    traces = page.evaluate("() => document.getElementById('chart-term-premium').data.map(t => t.uid)")
    assert traces == ["median", "previous"], traces  # one path: no band; the previous run's median beside it
    assert page.inner_text("#term-premium-note").startswith("One path: no band")
    session.assert_no_errors()
    session.assert_loopback_only()


def test_published_range_says_what_it_is_for(session: Session) -> None:
    """The published range names what it prices: the scheduled official sales, or the contagion block's net
    official selling by the persistent month (davos-threat); then the model's month figure also carries the flow
    effect of selling still under way, which a note says with the run's own numbers (issue 14)."""
    page = session.page
    open_scenario(session)
    page.select_option("#preset", "china-sells-300bn")
    page.select_option("#paths", "0")
    first_id = run_and_wait(session, None)
    published = cell(session, "published-persistent", 1)
    assert published.endswith("\nfor $300bn of scheduled official sales"), published
    assert page.is_hidden("#headline-notes")

    page.select_option("#preset", "davos-threat")  # a threat: officials diversify, no scheduled official sale
    page.select_option("#paths", "500")
    run_id = run_and_wait(session, first_id)
    result = result_of(session, run_id)
    lit, summary = result["market"]["published_persistent"], result["summary"]
    lo, hi = lit["contagion_persistent_bn"]
    amount = f"${usd_bn(hi)}bn" if usd_bn(lo) == usd_bn(hi) else f"${usd_bn(lo)}–{usd_bn(hi)}bn"
    published = cell(session, "published-persistent", 1)
    assert f"{lit['low_bp']:.1f}–{lit['high_bp']:.1f} bp" in published
    assert published.endswith(f"for the {amount} the contagion block's officials sold on net by month "
                              f"{lit['persistent_month']} (median path)"), published
    assert "scheduled official sales" not in published  # its only scheduled sale is a private $0.1bn
    assert cell(session, "published-persistent", 2).endswith("for $300bn of scheduled official sales")
    note = page.inner_text("[data-testid=note-contagion-flow]")
    assert f"({bp(summary['persistent_10y_change_bp'], 2)} bp)" in note, note
    assert f"{lit['low_bp']:.1f}–{lit['high_bp']:.1f} bp" in note and "still under way" in note, note
    # the stock effect alone, the figure the published range is for, in the note and as rows of its own
    assert f"the figure the range is for, is {bp(summary['stock_effect_10y_bp'], 2)} bp." in note, note
    assert cell(session, "stock", 1) == f"{bp(summary['stock_effect_10y_bp'], 2)} bp"
    assert summary["stock_effect_10y_bp"] < summary["persistent_10y_change_bp"]
    session.assert_no_errors()
    session.assert_loopback_only()


# ---------------------------------------------------------------------------------------------------- price a sale
#: The form's controls by the query field they send (the order the page writes the query in).
IMPACT_INPUTS = {"holder": "#impact-holder", "amount_bn": "#impact-amount", "months": "#impact-months",
                 "at": "#impact-at", "motive": "#impact-motive", "fima": "#impact-fima",
                 "backstop": "#impact-backstop", "liquidity_stress": "#impact-stress", "draws": "#impact-draws"}


def open_impact(s: Session) -> None:
    """Open the "Price a sale" tab from the scenario view and wait for its first answer (the form's default)."""
    s.page.goto(f"{s.base}/")
    s.page.click("#tab-impact")
    s.page.wait_for_selector("#impact-result[data-query]")


def price(s: Session, **fields: str) -> dict[str, str]:
    """Fill the form (``at=""``: the latest market) and press Price; the query the page sends for it."""
    page = s.page
    for name, value in fields.items():
        if name in ("motive", "fima", "backstop"):
            page.select_option(IMPACT_INPUTS[name], value)
        else:
            page.fill(IMPACT_INPUTS[name], value)
    query = {name: page.input_value(sel).strip() for name, sel in IMPACT_INPUTS.items()}
    if not query["at"]:
        del query["at"]
    page.click("#impact-price")
    return query


def priced(s: Session, query: dict[str, str]) -> dict[str, Any]:
    """Wait until the answer to ``query`` is shown; the API's JSON for the same query."""
    s.page.wait_for_selector(f"#impact-result[data-query='{httpx.QueryParams(query)}']:not([hidden])")
    response = httpx.get(f"{s.base}/api/market/impact", params=query, timeout=60)
    assert response.status_code == 200, response.text
    return response.json()


def impact_rows(s: Session) -> dict[str, list[str]]:
    """The answer's table: row test id → its cells (label, median, 5–95%)."""
    rows = s.page.locator("#impact-table tbody tr")
    out = {}
    for i in range(rows.count()):
        row = rows.nth(i)
        out[str(row.get_attribute("data-testid"))] = [c.strip() for c in row.locator("td").all_inner_texts()]
    return out


def impact_sentence(d: dict[str, Any]) -> str:
    """The CLI's opening sentence for an answer (cli/market.py), "pp of GDP" in place of its GDP figure."""
    from datetime import date

    from geostress.cli.market import format_bn

    pp = d["amount_pp_gdp"]
    share = f"{pp:,.2f}" if pp == 0 or pp >= 0.01 else f"{pp:.2g}"
    draws = ("1 parameter draw (one draw: no range)" if d["draws"] == 1 else f"{d['draws']:,} parameter draws"
             if d["draws"] else "one path at the prior medians (no draws: no range)")
    seed = f", seed {d['seed']}" if d["draws"] else ""
    from geostress.cli.market import stress_words

    months = f"{d['months']} month{'' if d['months'] == 1 else 's'}"
    fima = ", FIMA repo off" if d["motive"] == "liquidity" and d["fima"] == "off" else ""  # (as the CLI)
    return (f"{d['holder']} sells ${format_bn(d['amount_bn'])}bn over {months} at the market of "
            f"{date.fromisoformat(d['at']):%b %Y} ({share} pp of GDP), motive {d['motive']}, backstop {d['backstop']}"
            f"{fima}{stress_words(d['liquidity_stress'])}, {draws}{seed}.")


def expected_rows(d: dict[str, Any]) -> dict[str, list[str]]:
    """The table as the page should write the API's JSON: signed medians (peak one decimal, the rest two) and the
    5–95% range, or "one path: no range" when the JSON has none."""
    month = d["persistent_month"]
    spec = [("impact-peak", "Peak", "peak_10y_change_bp", 1),
            ("impact-persistent", f"Persistent (month {month})", "persistent_10y_change_bp", 2),
            ("impact-stock", f"Stock effect alone (month {month})", "stock_effect_10y_bp", 2)]
    if "peak_10y_change_bp_backstop_off" in d:
        spec += [("impact-peak-off", "Peak, backstop off", "peak_10y_change_bp_backstop_off", 1),
                 ("impact-persistent-off", f"Persistent (month {month}), backstop off",
                  "persistent_10y_change_bp_backstop_off", 2),
                 ("impact-stock-off", f"Stock effect alone (month {month}), backstop off",
                  "stock_effect_10y_bp_backstop_off", 2)]
    out = {}
    for testid, label, key, digits in spec:
        lo, hi = d.get(f"{key}_p05"), d.get(f"{key}_p95")
        span = bp_range(lo, hi, digits) if lo is not None and hi is not None else "one path: no range"
        out[testid] = [label, f"{bp(d[key], digits)} bp", span]
    return out


def impact_traces(s: Session) -> dict[str, tuple[list[float], list[float]]]:
    traces = s.page.evaluate("() => document.getElementById('chart-impact').data"
                             ".map(t => [t.uid, Array.from(t.x), Array.from(t.y)])")
    return {uid: (x, y) for uid, x, y in traces}


def test_price_a_sale_shows_the_apis_figures(session: Session) -> None:
    """The "Price a sale" tab writes GET /api/market/impact's answer (geostress market impact --json) for the
    form's query: the CLI's sentence, every figure with its 5–95% range (the backstop-off rows beside them), what
    the backstop bought and the FIMA repo financed, the notes, and the path with its band."""
    page = session.page
    open_impact(session)
    assert page.get_attribute("#tab-impact", "aria-current") == "page"
    assert page.is_hidden("#view-scenario") and page.is_visible("#view-impact")
    first = priced(session, {"holder": "china", "amount_bn": "300", "months": "12", "motive": "diversification",
                             "fima": "on", "backstop": "on", "liquidity_stress": "0", "draws": "1000"})  # the default
    assert page.inner_text("#impact-sentence") == impact_sentence(first)
    assert page.inner_text("#impact-sentence").startswith("china_mainland sells $300bn over 12 months at the market of")
    assert impact_rows(session) == expected_rows(first)
    assert page.locator("#impact-table thead th").all_inner_texts() == ["Measure", "Median", "5–95%"]

    # at the 2007 market, a liquidity sale with few draws: backstop-off rows, FIMA financing, both notes
    query = price(session, amount_bn="100", months="1", at="2007-12", motive="liquidity", draws="10")
    d = priced(session, query)
    assert d["range_note"] and d["stabilisers_note"] and not d["outside_evidence"]
    assert page.inner_text("#impact-sentence") == impact_sentence(d)
    rows = impact_rows(session)
    assert rows == expected_rows(d)
    assert list(rows) == ["impact-peak", "impact-persistent", "impact-stock", "impact-peak-off",
                          "impact-persistent-off", "impact-stock-off"]
    assert page.inner_text("#impact-stabilisers") == (
        f"Median over the draws: the Fed backstop buys ${usd_bn(d['backstop_bn_median'])}bn; the FIMA repo finances "
        f"${usd_bn(d['fima_bn_median'])}bn of the sale (not sold).")
    assert page.inner_text("[data-testid=impact-range-note]") == f"Note: {d['range_note']}."
    assert page.inner_text("[data-testid=impact-stabilisers-note]") == f"Note: {d['stabilisers_note']}."
    assert "dash for cash" in page.inner_text("[data-testid=impact-backstop-caveat]")  # (a liquidity sale)
    assert page.locator("[data-testid=impact-outside-evidence]").count() == 0
    assert d["description"] in page.inner_text("#impact-description")
    traces = impact_traces(session)
    assert set(traces) == {"p05", "p95", "median"}
    months = [p["month"] for p in d["path"]]
    for uid, key in (("p05", "p05"), ("p95", "p95"), ("median", "median")):
        assert traces[uid][0] == months
        assert traces[uid][1] == pytest.approx([p[key] for p in d["path"]]), uid
    title = page.evaluate("() => document.getElementById('chart-impact').layout.title.text")
    assert title == "Change in the 10-year term premium by month, bp"

    # inside a dash for cash (liquidity stress 1): the sentence says so, the caveat names the March-2020 trigger
    query = price(session, amount_bn="300", months="1", at="", motive="diversification", liquidity_stress="1",
                  draws="200")
    d = priced(session, query)
    assert d["liquidity_stress"] == 1.0 and d["backstop_bn_median"] > 100.0
    assert page.inner_text("#impact-sentence") == impact_sentence(d)
    assert "liquidity stress 1 (a dash for cash) in the sale's months" in page.inner_text("#impact-sentence")
    assert page.inner_text("[data-testid=impact-backstop-caveat]").startswith(
        "At liquidity stress 1 the backstop meets all of the sale's pressure from its March-2020 trigger")
    assert impact_rows(session) == expected_rows(d)

    # all private holders, $3tn in a month, backstop off: outside the evidence, no backstop-off rows, no stale notes
    query = price(session, holder="private", amount_bn="3000", at="", motive="diversification", backstop="off",
                  liquidity_stress="0", draws="1000")
    d = priced(session, query)
    assert d["outside_evidence"] and not d["range_note"] and not d["stabilisers_note"]
    assert page.inner_text("#impact-sentence") == impact_sentence(d)
    assert impact_rows(session) == expected_rows(d)
    assert "impact-peak-off" not in impact_rows(session)
    warning = page.inner_text("[data-testid=impact-outside-evidence]")
    assert warning == f"Outside the evidence: {d['outside_evidence']}.", warning
    assert page.locator("[data-testid=impact-range-note], [data-testid=impact-stabilisers-note]").count() == 0
    assert page.inner_text("#impact-stabilisers") == (
        "Median over the draws: the Fed backstop is off; the FIMA repo finances none (only a liquidity sale draws "
        "on it).")
    session.assert_no_errors()
    session.assert_loopback_only()


def test_price_a_sale_refused_input_names_the_field(session: Session) -> None:
    """A refused sale (422) shows the server's message beside the field it names (loc[1]) and takes the previous
    answer off the screen; the next accepted one clears the message."""
    page = session.page
    open_impact(session)
    assert page.is_visible("#impact-table") and page.locator("#impact-table tbody tr").count() >= 3

    cases = [("holder", dict(holder="nobody")),  # not a holder at the date
             ("amount_bn", dict(holder="china", amount_bn="5000")),  # more than China's official holdings
             ("months", dict(amount_bn="300", months="300")),  # more than 240 months
             ("liquidity_stress", dict(months="12", liquidity_stress="2"))]  # more than 1
    for named, fields in cases:
        query = price(session, **fields)
        refused = httpx.get(f"{session.base}/api/market/impact", params=query, timeout=60)
        assert refused.status_code == 422, refused.text
        [detail] = refused.json()["detail"]
        field = detail["loc"][1]
        assert field == named, (fields, detail)
        slot = f"[data-impact-error-for={field}]"
        page.wait_for_function("sel => document.querySelector(sel).textContent !== ''", arg=slot)
        assert page.inner_text(slot) == detail["msg"], (fields, field)
        others = page.evaluate("() => [...document.querySelectorAll('[data-impact-error-for]')]"
                               ".filter(e => e.textContent).map(e => e.dataset.impactErrorFor)")
        assert others == [field], others  # the previous refusal's message is gone
        assert page.get_attribute(IMPACT_INPUTS[field], "aria-invalid") == "true"
        # nothing stale: no answer, no table, no path
        assert page.is_hidden("#impact-result")
        assert page.get_attribute("#impact-result", "data-query") is None
        assert page.locator("#impact-table tr").count() == 0 and page.inner_text("#impact-sentence") == ""
        assert page.evaluate("() => document.getElementById('chart-impact').data.length") == 0
        assert page.get_attribute("#impact-status", "data-state") == "error"
        assert page.is_enabled("#impact-price")
    assert "nobody" in httpx.get(f"{session.base}/api/market/impact",
                                 params={"holder": "nobody", "amount_bn": "1"}).json()["detail"][0]["msg"]

    query = price(session, liquidity_stress="0")
    d = priced(session, query)
    assert page.inner_text("#impact-sentence") == impact_sentence(d)
    assert page.locator("[data-impact-error-for]:not(:empty)").count() == 0
    assert page.locator("#impact-form [aria-invalid]").count() == 0
    session.assert_no_errors(allow=("status of 422",))  # chromium logs the refused requests themselves
    session.assert_loopback_only()


def test_price_a_sale_one_path_has_no_range(session: Session) -> None:
    """No draws (one path at the prior medians): the figures are the API's, each without a range, the sentence says
    so, the line is not "median over the draws" and the path has no band."""
    page = session.page
    open_impact(session)
    query = price(session, holder="japan", amount_bn="200", months="6", draws="0")
    d = priced(session, query)
    assert "peak_10y_change_bp_p05" not in d and d["seed"] is None
    assert page.inner_text("#impact-sentence") == impact_sentence(d)
    assert "one path at the prior medians (no draws: no range)." in page.inner_text("#impact-sentence")
    rows = impact_rows(session)
    assert rows == expected_rows(d)
    assert [r[2] for r in rows.values()] == ["one path: no range"] * 6
    assert page.locator("#impact-table thead th").all_inner_texts() == ["Measure", "Value", "5–95%"]
    bought = f"The Fed backstop buys ${usd_bn(d['backstop_bn_median'])}bn;"
    assert page.inner_text("#impact-stabilisers").startswith(bought)
    traces = impact_traces(session)
    assert list(traces) == ["median"]
    assert traces["median"][1] == pytest.approx([p["median"] for p in d["path"]])
    session.assert_no_errors()
    session.assert_loopback_only()
