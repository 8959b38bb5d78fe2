"""``geostress report``: one self-contained HTML page, PNG figures and the data behind every chart.

Reports are built on the embedded snapshot (an empty GEOSTRESS_HOME, offline) with few paths; the tipping-point
bisection, the slowest section, runs in one test only.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from geostress.spec.presets import PRESETS_DIR
from geostress.cli import app

REPO = Path(__file__).resolve().parents[1]
BASELINE = PRESETS_DIR / "baseline.toml"
CONTAGION = PRESETS_DIR / "contagion.toml"
SECTIONS = ("Data as of", "Monitor", "Scenario and assumptions", "Fan charts", "Holders and the cascade",
            "Tipping point", "Rare-earth verdict", "Reserves")  # fmt: skip
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
ARTICLE = ("中国持有美债6835亿美元（2025年12月）。\n"
           "China held $683.5bn of Treasuries in December 2025, according to Treasury data.\n")  # fmt: skip


class _Page(HTMLParser):
    """Headings, every URL-bearing attribute and the script count of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.h2: list[str] = []
        self.urls: list[tuple[str, str, str]] = []  # (tag, attribute, value)
        self.links: list[str] = []  # <a href>
        self.scripts = 0
        self._in_h2 = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("src", "href", "srcset", "data", "action", "poster") and value is not None:
                self.urls.append((tag, name, value))
                if tag == "a" and name == "href":
                    self.links.append(value)
        if tag == "script":
            self.scripts += 1
        if tag == "h2":
            self._in_h2 = True
            self.h2.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "h2":
            self._in_h2 = False

    def handle_data(self, data: str) -> None:
        if self._in_h2:
            self.h2[-1] += data


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


def _run(args: list[str]) -> object:
    return CliRunner().invoke(app, args, catch_exceptions=False)


@pytest.fixture(scope="module")
def offline_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Like the ``geostress_home`` fixture (a fresh, empty store: the embedded snapshot), for a whole module."""
    home = tmp_path_factory.mktemp("geostress-home")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GEOSTRESS_HOME", str(home))
        mp.setenv("GEOSTRESS_OFFLINE", "1")
        yield home


@pytest.fixture(scope="module")
def baseline_report(offline_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "baseline"
    result = _run(["report", str(BASELINE), "--out", str(out), "--paths", "200", "--no-tipping"])
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert f"report written to {out / 'report.html'}" in result.stdout  # type: ignore[attr-defined]
    return out


@pytest.fixture(scope="module")
def coupled_report(offline_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("coupled")
    article = folder / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    out = folder / "report"
    result = _run(["report", str(CONTAGION), "--out", str(out), "--paths", "100", "--no-tipping",
                   "--claims", str(article)])  # fmt: skip
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    return out


def test_every_section_is_there(baseline_report: Path) -> None:
    page = _parse(baseline_report / "report.html")
    titles = [" ".join(t.split()) for t in page.h2]
    for title in SECTIONS:
        assert any(t.endswith(title) for t in titles), (title, titles)
    assert not any(t.endswith("Claims") for t in titles)  # only with --claims
    html = (baseline_report / "report.html").read_text(encoding="utf-8")
    assert "Skipped (--no-tipping)" in html


def test_plotly_inline_once_and_nothing_external(baseline_report: Path) -> None:
    from plotly.offline import get_plotlyjs

    html = (baseline_report / "report.html").read_text(encoding="utf-8")
    assert html.count(get_plotlyjs()[:400]) == 1
    assert "Plotly.newPlot" in html and '"displaylogo": false' in html
    page = _parse(baseline_report / "report.html")
    for tag, attr, value in page.urls:
        assert not value.lower().startswith(("http:", "https:", "//", "ftp:")), (tag, attr, value)
        if tag in ("script", "link", "img", "iframe"):
            pytest.fail(f"unexpected external resource <{tag} {attr}={value!r}>")
    # relative links point at files that exist
    relative = [u for u in page.links if not u.startswith("#")]
    assert relative
    for link in relative:
        assert (baseline_report / link).is_file(), link


def test_report_renders_offline_in_chromium(baseline_report: Path, browser: object, artifacts: Path) -> None:
    """Opened from disk in Debian's chromium: every chart is drawn, nothing is fetched but the file itself, no
    script error; a screenshot is kept as a test artifact."""
    html = (baseline_report / "report.html").read_text(encoding="utf-8")
    charts = html.count('class="plotly-graph-div"')
    assert charts >= 8
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        page.goto((baseline_report / "report.html").as_uri(), wait_until="load")
        page.wait_for_function(f"() => document.querySelectorAll('.js-plotly-plot').length === {charts}",
                               timeout=30_000)
        traces = page.evaluate("() => Array.from(document.querySelectorAll('.js-plotly-plot'), d => d.data.length)")
        assert len(traces) == charts and min(traces) >= 1
        assert page.locator(".js-plotly-plot .main-svg").count() >= charts  # drawn, not just created
        page.screenshot(path=str(artifacts / "report.png"), full_page=False)
    finally:
        context.close()
    outside = [u for u in requests if not u.startswith(("file://", "data:", "blob:", "about:"))]
    assert not outside, f"the report fetched {outside}"
    assert not errors, errors
    assert (artifacts / "report.png").read_bytes()[:8] == PNG_MAGIC


def test_pngs_and_csvs(baseline_report: Path) -> None:
    page = _parse(baseline_report / "report.html")
    pngs = [baseline_report / u for u in page.links if u.endswith(".png")]
    csvs = [baseline_report / u for u in page.links if u.endswith(".csv")]
    assert len(pngs) >= 7 and len(csvs) >= len(pngs)
    for png in pngs:
        data = png.read_bytes()
        assert data[:8] == PNG_MAGIC and len(data) > 2000, png
    for csv in csvs:
        assert len(pd.read_csv(csv)) > 0, csv
    for chart in pngs:  # every chart has its data
        assert (baseline_report / "data" / f"{chart.stem}.csv").is_file()
    assert (baseline_report / "scenario" / "fan.parquet").is_file()


def test_fan_csv_agrees_with_the_run(baseline_report: Path) -> None:
    summary = json.loads((baseline_report / "scenario" / "summary.json").read_text(encoding="utf-8"))
    fan = pd.read_csv(baseline_report / "data" / "fan_debt_to_gdp.csv")
    last = fan[fan["fiscal_year"] == summary["fiscal_years"][1]].set_index("quantile")["value"]
    assert last["p50"] == pytest.approx(summary["ensemble"]["debt_to_gdp_last"]["p50"], rel=1e-12)
    assert last["p95"] == pytest.approx(summary["ensemble"]["debt_to_gdp_last"]["p95"], rel=1e-12)
    assert last["deterministic"] == pytest.approx(summary["deterministic"]["debt_to_gdp_last"], rel=1e-12)
    assert summary["ensemble"]["paths"] == 200
    # the headline tile shows the same median, in percent
    html = (baseline_report / "report.html").read_text(encoding="utf-8")
    assert f"{100 * summary['debt_gdp_30y_p50']:.1f}%" in html
    # TIC: China's latest holdings in the history CSV match the monitor table
    history = pd.read_csv(baseline_report / "data" / "holders_history.csv")
    china = history[history["series_id"] == "tic.mfh.china_mainland"].sort_values("period")
    monitor = pd.read_csv(baseline_report / "data" / "monitor_holders.csv").set_index("series_id")
    assert china["value_bn"].iloc[-1] == pytest.approx(monitor.at["tic.mfh.china_mainland", "latest"])


def test_coupled_report_shows_the_cascade(coupled_report: Path) -> None:
    summary = json.loads((coupled_report / "scenario" / "summary.json").read_text(encoding="utf-8"))
    html = (coupled_report / "report.html").read_text(encoding="utf-8")
    assert "The cascade in this scenario" in html
    assert "known gaps in <code>geostress validate</code>" in html and "market_beltran_2007_5y_long_run_bp" in html
    assert f"${summary['sold_bn_median']:,.0f}bn" in html
    tp = pd.read_csv(coupled_report / "data" / "term_premium.csv")
    median = tp[tp["quantile"] == "p50"]["value_bp"]
    assert median.max() == pytest.approx(summary["peak_term_premium_bp"], rel=1e-5)
    assert (coupled_report / "figures" / "term_premium.png").read_bytes()[:8] == PNG_MAGIC


def test_the_published_range_stands_beside_the_stock_effect_it_is_for(coupled_report: Path) -> None:
    """The published persistent range is for the stock effect alone; the run's month-24 figure also carries flow.
    The report gives the stock effect in the range's note and in the backstop table, and the tile says what the
    rest is."""
    import html as markup
    import re

    from geostress.report.blocks import fmt

    summary = json.loads((coupled_report / "scenario" / "summary.json").read_text(encoding="utf-8"))
    raw = (coupled_report / "report.html").read_text(encoding="utf-8")
    page = " ".join(markup.unescape(re.sub(r"<[^>]+>", " ", raw)).split())
    stock = fmt(summary["stock_effect_10y_bp"], "+,.2f")
    assert f"The model's stock effect alone that month, the figure this range is for: {stock} bp (5–95%:" in page
    assert f"stock effect alone (month {summary['persistent_month']}), bp {stock} " in page
    assert f"the stock effect alone {stock} bp, the rest mostly flow" in page


def test_claims_section_shows_verdicts(coupled_report: Path) -> None:
    page = _parse(coupled_report / "report.html")
    assert any(t.endswith("Claims") for t in page.h2)
    claims = pd.read_csv(coupled_report / "data" / "claims.csv")
    assert len(claims) >= 2 and (claims["verdict"] == "supported").sum() >= 2
    assert set(claims["holder"].dropna()) >= {"China, Mainland"}
    html = (coupled_report / "report.html").read_text(encoding="utf-8")
    assert "6835亿美元" in html and 'class="v-supported"' in html


@pytest.mark.parametrize("case", ["missing", "bad_toml", "bad_field"])
def test_bad_scenario_is_a_clear_error(case: str, tmp_path: Path, geostress_home: Path) -> None:
    path = tmp_path / f"{case}.toml"
    if case == "bad_toml":
        path.write_text("[scenario\nname = 'x'\n", encoding="utf-8")
    elif case == "bad_field":
        path.write_text("[simulation]\npaths = -5\n", encoding="utf-8")
    result = _run(["report", str(path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1  # type: ignore[attr-defined]
    message = " ".join(result.stderr.split())  # type: ignore[attr-defined]
    assert str(path) in message and "Traceback" not in message
    assert {"missing": "not found", "bad_toml": "not valid TOML", "bad_field": "simulation.paths"}[case] in message
    assert not (tmp_path / "out" / "report.html").exists()


def test_unreadable_claims_and_minerals_files(tmp_path: Path, geostress_home: Path) -> None:
    missing = tmp_path / "nope.txt"
    result = _run(["report", str(BASELINE), "--out", str(tmp_path / "o"), "--claims", str(missing)])
    assert result.exit_code == 1 and str(missing) in result.stderr  # type: ignore[attr-defined]
    result = _run(["report", str(BASELINE), "--out", str(tmp_path / "o"), "--minerals", str(missing)])
    assert result.exit_code == 1 and str(missing) in result.stderr  # type: ignore[attr-defined]


def test_interrupted_write_keeps_the_previous_report(baseline_report: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    import geostress.report as report

    out = tmp_path / "again"
    shutil.copytree(baseline_report, out)
    before = (out / "report.html").read_bytes()

    def half_then_fail(path: Path, text: str) -> None:
        path.write_text(text[: len(text) // 2], encoding="utf-8")
        raise RuntimeError("killed while writing the page")

    monkeypatch.setattr(report, "_write_text", half_then_fail)
    with pytest.raises(RuntimeError, match="killed"):
        report.build_report(BASELINE, out, paths=0, tipping=False)
    assert (out / "report.html").read_bytes() == before
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def test_python_api_with_tipping(geostress_home: Path, tmp_path: Path) -> None:
    from geostress.report import build_report
    from geostress.spec.scenario import load_scenario

    steps: list[str] = []
    spec = load_scenario(BASELINE).with_overrides(**{"simulation.paths": 0})
    page = build_report(spec, tmp_path / "api", minerals_path=PRESETS_DIR / "minerals-us-mandate.toml",
                        progress=steps.append)  # fmt: skip
    assert page == tmp_path / "api" / "report.html" and page.is_file()
    assert any("tipping" in s for s in steps)
    tipping = pd.read_csv(tmp_path / "api" / "data" / "tipping.csv").iloc[0]
    assert bool(tipping["what_if"]) and tipping["holder"] == "china_mainland_official"
    html = page.read_text(encoding="utf-8")
    if pd.isna(tipping["edge_bn"]):  # issue 14: a China sale alone moves the premium a few bp and tips nothing
        assert "none in range" in html and pd.isna(tipping["distance_bn"])
    else:
        assert tipping["low_bn"] < tipping["edge_bn"] <= tipping["high_bn"]
        assert tipping["distance_bn"] == pytest.approx(tipping["edge_bn"])  # the baseline sells nothing
        assert f"${tipping['edge_bn']:,.0f}bn" in html
    assert "what-if" in html


def test_text_from_files_and_data_is_escaped() -> None:
    import plotly.graph_objects as go

    from geostress.report.blocks import Chart, Section, note, para, table
    from geostress.report.page import PageInfo, render_page

    evil = "</script><script>alert(1)</script><img src=http://x.invalid/a.png>"
    frame = pd.DataFrame({"x": [1, 2], "series": [evil, evil], "value": [1.0, 2.0]})
    chart = Chart("evil", evil, evil, frame, go.Figure(go.Scatter(x=[1, 2], y=[1, 2], name=evil)), lambda p: None)
    section = Section("s", evil, (para(evil), note(evil), table([evil], [[evil]]), chart))
    html = render_page([section], PageInfo(evil, evil, evil, evil))
    page = _Page()
    page.feed(html)
    assert page.scripts == 2  # plotly.js once, the chart's newPlot once
    assert not [u for u in page.urls if u[0] in ("img", "script", "link")]
    assert "alert(1)" in html and "<script>alert(1)" not in html


def test_session_store_caches_reads_without_sharing_frames(geostress_home: Path) -> None:
    from geostress.data.store import Store
    from geostress.report.session import SessionStore, session_store

    plain = Store()
    cached = session_store(plain)
    assert isinstance(cached, SessionStore)
    first = cached.get(["tic.mfh.china_mainland", "tic.mfh.japan"], end="2020-12-31")
    pd.testing.assert_frame_equal(first, plain.get(["tic.mfh.china_mainland", "tic.mfh.japan"], end="2020-12-31"))
    first.loc[:, "value"] = -1.0  # a caller's change stays with the caller
    again = cached.get(["tic.mfh.china_mainland", "tic.mfh.japan"], end="2020-12-31")
    assert (again["value"] > 0).all() and len(cached._answers) >= 1
    assert session_store(cached) is cached  # never wrapped twice
