"""Claims check: numbers, dates, the measure rules, verdicts against the snapshot, input handling, output.

Fixtures in tests/fixtures/claims are written for these tests (our own words; the figures are the official ones
where a test expects `supported`). The development set of real news is read from ../shared/claims-dev when it is
there (never copied into the repository).
"""

from __future__ import annotations

import importlib.util
import json
import re
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from claims_support import claims_app
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from geostress.analytics.claims import (
    MEASURE_RULES,
    InputError,
    article_text,
    check_text,
    decode_bytes,
    extract_claims,
    find_article_date,
    find_dates,
    format_chinese,
    iter_sentences,
    parse_decimal,
    parse_number,
    render_html,
    resolve_month,
)
from geostress.analytics.claims.check import TIC_BLOCK_REVISED, Checker
from geostress.testing import missing_real_file

FIXTURES = Path(__file__).parent / "fixtures" / "claims"
DEV = Path(__file__).resolve().parents[1] / ".." / "shared" / "claims-dev"
BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_claims_accuracy.py"


_SHARED: list[Checker] = []


def shared() -> Checker:
    """One checker for the module: the store's series are read once."""
    if not _SHARED:
        _SHARED.append(Checker())
    return _SHARED[0]


@pytest.fixture(scope="module")
def checker() -> Checker:
    return shared()


def checked(text: str, when: date | None = None, checker: Checker | None = None):
    claims, _ = check_text(text, article_date=when, checker=checker)
    return claims


def by_quote(claims, quote: str):
    return next(c for c in claims if c.quote == quote)


# -- numbers -----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1.3167萬億", 1.3167e12), ("1萬3167億", 1.3167e12), ("6835億", 6.835e11), ("六千八百三十五亿", 6.835e11),
        ("7415万", 7.415e7), ("一萬億零一", 1e12 + 1), ("三千五", 3500), ("一千零五", 1005), ("十八", 18),
        ("1,316.7", 1316.7), ("2萬億", 2e12), ("3億5千萬", 3.5e8), ("兩百", 200), ("１２３", 123),
        ("9兆2490億", 9.249e12), ("37兆48億1762萬5842.56", 37_004_817_625_842.56), ("二三○七點五七", 2307.57),
        ("三兆三九九一億", 3.3991e12), ("9.248 兆", 9.248e12), ("二○一五", 2015), ("四百一十二億", 4.12e10),
    ],
)  # fmt: skip
def test_parse_number(text: str, value: float) -> None:
    assert parse_number(text) == pytest.approx(value)


@given(st.integers(min_value=0, max_value=10**16 - 1), st.booleans(), st.booleans())
@settings(max_examples=400)
def test_chinese_units_round_trip(n: int, traditional: bool, numerals: bool) -> None:
    written = format_chinese(n, traditional=traditional, numerals=numerals)
    assert parse_decimal(written) == Decimal(n)


@pytest.mark.parametrize(
    ("text", "iso"),
    [("2023年11月", "2023-11"), ("2013年中期", "2013-06"), ("截至2025年底", "2025-12"), ("2025年十二月", "2025-12"),
     ("mid-2013", "2013-06"), ("end of 2025", "2025-12"), ("Nov. 2013", "2013-11"),
     ("In the 2019 fiscal year", "FY2019"),
     ("by FY 2025", "FY2025"), ("二○一五年十二月", "2015-12"), ("peak Nov-2013", "2013-11")],
)  # fmt: skip
def test_dates(text: str, iso: str) -> None:
    assert [d.iso for d in find_dates(text)] == [iso]


def test_relative_months_resolve_to_the_latest_published() -> None:
    # TIC data appear about six weeks after the month: in mid-April, "September" is last year's, "February" this
    assert resolve_month(9, date(2025, 4, 16), "tic") == 2024
    assert resolve_month(2, date(2025, 4, 16), "tic") == 2025
    assert resolve_month(11, date(2025, 12, 21), "tic") == 2024  # November's TIC data are not out yet
    assert resolve_month(11, date(2025, 12, 21), "gold") == 2025  # SAFE publishes within a week
    rel = [d for d in find_dates("今年3月下滑，去年11月下旬") if d.kind == "month"]
    assert [(d.month, d.rel_year) for d in rel] == [(3, 0), (11, -1)]


def test_article_date_from_a_dateline() -> None:
    assert find_article_date("Headline\n\n2025/12/19 09:51\n\nBody") == date(2025, 12, 19)
    assert find_article_date("WASHINGTON, March 20, 2024 -- text") == date(2024, 3, 20)
    assert find_article_date("(Wire) Dec. 20 -- no year here") is None


# -- the rule table and linking --------------------------------------------------------------------------------------
def test_rules_are_a_table_with_reasons() -> None:
    assert len(MEASURE_RULES) > 20
    assert all(r.measure or r.reason for r in MEASURE_RULES)  # a rule names a measure or why it is not checkable


def test_changes_are_not_levels_and_enumerations_keep_holder_and_year(checker: Checker) -> None:
    claims = checked((FIXTURES / "news_zh_hans.txt").read_text(encoding="utf-8"), checker=checker)
    jan, feb = by_quote(claims, "18亿美元"), by_quote(claims, "235亿美元")
    assert (jan.measure, jan.holder, jan.period, jan.value) == ("monthly_change", "China, Mainland", "2025-01", 1.8)
    assert (feb.measure, feb.holder, feb.period, feb.value) == ("monthly_change", "China, Mainland", "2025-02", 23.5)
    assert {c.verdict for c in claims} == {"supported"}
    cut = list(extract_claims("2024年1月中國減持美債 5 億美元，2月增持235億美元。"))
    assert [(c.measure, c.value, c.period) for c in cut] == [("monthly_change", -0.5, "2024-01"),
                                                              ("monthly_change", 23.5, "2024-02")]


def test_news_in_traditional_chinese(checker: Checker) -> None:
    claims = checked((FIXTURES / "news_zh_hant.txt").read_text(encoding="utf-8"), checker=checker)
    change = by_quote(claims, "38 億美元")  # a space before the unit; "11月" read against the dateline
    assert (change.value, change.period, change.verdict, change.official_value) == (-3.8, "2025-11", "supported",
                                                                                    -3.8)
    assert by_quote(claims, "1兆2027億美元").verdict == "supported"
    rank = next(c for c in claims if c.measure == "rank" and c.value == 2)  # "位居第2名"
    assert (rank.holder, rank.measure, rank.verdict) == ("United Kingdom", "rank", "supported")
    total = by_quote(claims, "9兆3593億美元")
    assert (total.holder, total.series, total.verdict) == ("Grand Total", "tic.mfh.grand_total", "supported")
    streak = next(c for c in claims if c.measure == "streak_months_decline")
    assert (streak.value, streak.verdict) == (3, "supported")
    wrong = [c for c in claims if c.quote == "6839億美元" and c.measure == "monthly_change"]
    assert wrong[0].verdict == "contradicted" and wrong[0].reason == "level_as_change"
    fund = by_quote(claims, "1億美元")  # the fund's sale is not China's holdings
    assert fund.holder == "丹麥退休基金" and fund.verdict == "not_checkable" and "single institution" in fund.reason
    twd = by_quote(claims, "新台幣31億元")
    assert twd.verdict == "not_checkable" and "currency" in twd.reason


def test_revised_and_contradicted_reasons_in_english(checker: Checker) -> None:
    claims = checked((FIXTURES / "news_en.txt").read_text(encoding="utf-8"), checker=checker)
    first = by_quote(claims, "$1.146 trillion")  # 0.47% above today's figure; the 2024 block was revised in 2026
    assert (first.verdict, first.period, first.official_value) == ("revised", "2024-01", 1140.6)
    assert str(TIC_BLOCK_REVISED[2024]) in first.reason
    assert by_quote(claims, "$1.116 trillion").period == "2023-12"  # "in December", said in March 2024
    assert by_quote(claims, "$18.6 billion").value == -18.6
    assert by_quote(claims, "$3.799 trillion").holder == "Foreign official"
    unit = by_quote(claims, "$293.1 trillion")
    assert (unit.verdict, unit.reason) == ("contradicted", "wrong_unit")
    copied = by_quote(claims, "$133.5 billion")  # Saudi Arabia's figure given for the Cayman Islands
    assert (copied.verdict, copied.reason) == ("contradicted", "wrong_holder")
    # the same figure in an article written after the revision is plainly wrong
    late = checked("Japan held $1.146 trillion of Treasuries in January 2024.", date(2026, 6, 1), checker)
    assert late[0].verdict == "contradicted"


def test_seed_commentary_is_judged_right(checker: Checker) -> None:
    claims = checked((FIXTURES / "seed_commentary.txt").read_text(encoding="utf-8"), checker=checker)
    date_error = by_quote(claims, "$683bn")
    assert (date_error.verdict, date_error.reason) == ("contradicted", "wrong_period")
    assert "2025-12" in date_error.note  # 683.5 is December 2025's figure, the latest release
    peak = by_quote(claims, "$1.3 trillion")
    assert (peak.measure, peak.verdict, peak.official_period) == ("holdings_peak", "supported", "2013-11")
    fall = by_quote(claims, "47%")
    assert (fall.measure, fall.qualifier, fall.verdict) == ("decline_from_peak_pct", "more_than", "supported")
    gold = by_quote(claims, "74.15 million ounces")
    assert (gold.measure, gold.period, gold.verdict, gold.series) == ("gold_reserves_moz", "2025-12", "supported",
                                                                      "gold.safe.china")
    fund = by_quote(claims, "$100 million")
    assert fund.holder == "Danish pension fund" and fund.verdict == "not_checkable"
    # the same figures in shorthand: USTs, "bn" without "$", Mon-YYYY dates, Moz
    short = checked("PBoC: USTs fell from a 1,316.7bn peak (Nov-2013) to 683.5bn (Dec-2025); gold 74.15 Moz "
                    "(Dec-2025). A Danish pension fund sold $0.1bn.", checker=checker)
    assert [(c.measure, c.period, c.verdict) for c in short[:3]] == [
        ("holdings_peak", "2013-11", "supported"), ("holdings_level", "2025-12", "supported"),
        ("gold_reserves_moz", "2025-12", "supported")]
    assert short[3].holder == "Danish pension fund" and short[3].verdict == "not_checkable"


def test_a_streak_reads_a_tic_series_break_within_the_older_series(checker: Checker) -> None:
    """June 2010 is a benchmark-survey month: the new series lifts China's level by $244bn over May, while on the
    older series China cut by $24bn, its second cut in a row (as reported at the time). The streak reads the older
    series there; across the revision it found no cut."""
    claims = checked("China cut its holdings of US Treasuries for the second consecutive month in June 2010.",
                     date(2010, 8, 20), checker)
    streak = next(c for c in claims if c.measure == "streak_months_decline")
    assert (streak.value, streak.period, streak.verdict) == (2, "2010-06", "supported")
    # the month's change too: the older series' −$24bn, not the revision's +$244bn
    cut = checked("China cut its holdings of US Treasuries by $24 billion in June 2010.", date(2010, 8, 20), checker)
    change = next(c for c in cut if c.measure.endswith("change") or "change" in c.measure)
    assert change.verdict == "supported", (change.measure, change.verdict, change.note, change.reason)


def test_since_ranks_streaks_and_thresholds(checker: Checker) -> None:
    text = ("China, the second-largest creditor, cut its holdings for the fourth consecutive month in October 2024 "
            "to the lowest since February 2009. It has held less than $1 trillion of Treasuries since April 2022. "
            "日本9月持有美債1兆1893億美元，為自2022年8月以來的最高。")
    claims = checked(text, date(2024, 12, 20), checker)
    got = {c.measure: c for c in claims}
    assert got["rank"].value == 2 and got["rank"].verdict == "supported"
    assert (got["streak_months_decline"].value, got["streak_months_decline"].verdict) == (4, "supported")
    assert got["lowest_since"].verdict == "supported" and got["lowest_since"].value == "2009-02"
    assert got["below_threshold_since"].verdict == "supported"
    high = got["highest_since"]  # 9月 said in December 2024: September 2024, when Japan was not at a high
    assert high.period == "2024-09" and high.verdict == "contradicted"


def test_fiscal_years_projections_and_dated_yields(checker: Checker) -> None:
    text = ("In fiscal year 2019 net interest was $375 billion. By FY 2025 it reached $952 billion. "
            "Net interest was $970 billion in FY2025, or 18.5% of revenue. "
            "The 10-year Treasury yield closed at 4.04% on November 24, 2025.")
    claims = checked(text, date(2026, 1, 15), checker)
    assert by_quote(claims, "$375 billion").verdict == "supported"
    projected = by_quote(claims, "$952 billion")  # CBO's January 2025 projection, not the outcome (969.9)
    assert (projected.verdict, projected.reason) == ("contradicted", "projection_as_actual")
    assert by_quote(claims, "$970 billion").verdict == "supported"
    share = by_quote(claims, "18.5%")
    assert (share.measure, share.verdict) == ("net_interest_pct_revenue", "supported")
    daily = by_quote(claims, "4.04%")
    assert (daily.series, daily.official_period, daily.verdict) == ("fred.dgs10", "2025-11-24", "supported")
    false = checked("The 10-year yield is now 5.5%.", date(2025, 12, 1), checker)[0]
    assert false.verdict == "contradicted" and false.reason == "wrong_value"  # never "right number, wrong date"


def test_linking_apposition_respectively_and_units_carried(checker: Checker) -> None:
    claims = checked("China, now the third-largest holder of Treasuries behind Japan and Britain, held $757.2 billion "
                     "in April. Japan and Britain held $1.135 trillion and $807.7 billion of Treasuries "
                     "respectively in "
                     "April. 比利時4月持有美債3977億美元，居第4位。", date(2025, 6, 20), checker)
    assert by_quote(claims, "$757.2 billion").holder == "China, Mainland"  # not Britain, named as a comparison
    assert [by_quote(claims, q).holder for q in ("$1.135 trillion", "$807.7 billion")] == ["Japan", "United Kingdom"]
    assert any(c.holder == "Belgium" and c.measure == "rank" and c.value == 4 for c in claims)  # "居第4位"
    ranks = checked("日本9月持有美債1兆1893億美元，居首位；英國以8621億美元排名第2。", date(2025, 11, 19), checker)
    assert [(c.holder, c.value, c.verdict) for c in ranks if c.measure == "rank"] == [
        ("Japan", 1, "supported"), ("United Kingdom", 2, "supported")]
    gold = checked("China's gold reserves rose to 74.19 million troy ounces at the end of January from 74.15 million "
                   "at the end of December.", date(2026, 2, 8), checker)
    assert [(c.unit, c.period, c.verdict) for c in gold] == [("million troy oz", "2026-01", "supported"),
                                                             ("million troy oz", "2025-12", "supported")]
    record = checked("Foreign holdings rose to a record $9.36 trillion in November; China's fell to $767.4 billion in "
                     "March 2024, the lowest since 2009.", date(2026, 1, 20), checker)
    assert by_quote(record, "$9.36 trillion").measure == "holdings_level"
    assert by_quote(record, "lowest since 2009").verdict == "supported"


def test_the_vintage_known_at_the_article_date_is_used_when_the_store_has_it(geostress_home: Path) -> None:
    import pandas as pd

    from geostress.data.sources.base import ParsedRelease, make_frame
    from geostress.data.store import Store

    store = Store()
    first = ParsedRelease(make_frame([("tic.mfh.japan", "Japan", pd.Timestamp("2024-01-31"), 1153.0, "USD bn")]),
                          source="tic-mfh", vintage=date(2024, 3, 18))  # a first release, as printed then
    assert store.ingest(first, b"first release of January 2024 (test)").added
    text = "Japan held $1.153 trillion of Treasuries in January 2024."
    then = checked(text, date(2024, 3, 26), Checker(store))[0]
    assert then.verdict == "supported" and "known at the article's date" in then.note
    later = checked(text, date(2026, 6, 1), Checker(store))[0]  # after the revision: plainly wrong today
    assert later.verdict == "contradicted" and later.official_value == 1140.6


def test_an_inferred_unit_keeps_the_figure_precision(checker: Checker) -> None:
    # 億 with the currency left out, and a dollar figure with no scale word: read in billions, rounded as written
    claims = checked("中國2025年12月持有美債9兆2490億。Japan held $1,185.5 of Treasuries in December 2025.",
                     checker=checker)
    assert [(c.value, c.precision, c.verdict) for c in claims] == [(9249.0, pytest.approx(0.05), "contradicted"),
                                                                   (1185.5, pytest.approx(0.05), "supported")]
    assert not list(extract_claims("以萬億或億為單位。"))  # unit words alone are not figures


def test_unknown_article_date_is_flagged(checker: Checker) -> None:
    claims, when = check_text("中國10月持有美債6877億美元。", checker=checker)
    assert when is None and "unknown" in claims[0].note and "no year" in claims[0].period_note
    assert (claims[0].period, claims[0].verdict) == ("2025-10", "supported")  # the latest October in the data


def test_sentences_stream_across_chunk_boundaries() -> None:
    text = "第一句。Second one. Nov. 2013 stays whole! 最後一句 10.2%.In September it rose."
    chunks = [text[i : i + 3] for i in range(0, len(text), 3)]
    assert [s for _, s in iter_sentences(chunks)] == [s for _, s in iter_sentences([text])]
    assert any(s.startswith("In September") for _, s in iter_sentences([text]))


@given(st.text(max_size=300))
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_no_text_crashes_the_extractor(text: str) -> None:
    for claim in extract_claims(text, article_date=date(2025, 6, 1)):
        assert 0 <= claim.start <= claim.end <= len(text)


@given(st.lists(st.sampled_from(["中國", "持有", "美債", "1.3萬億", "6835億", "美元", "2025年", "12月", "約", "%", "，",
                                 "。", "$", "800", " billion", " in ", "September", "連續", "第3", "個月", "盎司",
                                 "以來最低", "since", "largest", "減持", "當時", "FY2025", "net interest", "\n"]),
                max_size=40))
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_no_word_salad_crashes_extraction_or_checking(parts: list[str]) -> None:
    for claim in checked("".join(parts), date(2025, 12, 20), shared()):
        assert claim.verdict in {"supported", "revised", "contradicted", "not_checkable"}


# -- the development set (real news; read from ../shared, never copied here) ---------------------------------------
def test_development_set_targets() -> None:
    if not DEV.is_dir():
        missing_real_file(DEV, "the development set of real news not found", "../shared beside the repository")
    spec = importlib.util.spec_from_file_location("bench_claims_accuracy", BENCH)
    assert spec and spec.loader
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    result = bench.score(DEV)
    assert result["scored"] >= 100
    assert result["found"] >= 0.95 and result["accuracy"] >= 0.90, result


# -- input handling ------------------------------------------------------------------------------------------------
def test_encodings_are_detected_and_named() -> None:
    text = "中國持有的美國國債降至2025年12月的6835億美元。"
    assert decode_bytes(text.encode("utf-8")) == (text, "UTF-8")
    assert decode_bytes(text.encode("big5")) == (text, "Big5")
    simplified = "中国持有的美国国债降至2025年12月的6835亿美元。"
    assert decode_bytes(simplified.encode("gb18030")) == (simplified, "GB18030")


@pytest.mark.parametrize(("raw", "words"), [(b"", "empty"), (b"  \n ", "empty"), (b"\x00\x01\x02ELF\x00", "binary"),
                                            (bytes(range(256)) * 4, "binary")])
def test_bad_input_raises_clear_errors(raw: bytes, words: str) -> None:
    with pytest.raises(InputError, match=words):
        decode_bytes(raw)


def test_html_pages_are_reduced_to_their_text() -> None:
    page = "<html><head><script>var x = '999億美元';</script></head><body><p>中國持有美債</p><p>6835億美元</p></body></html>"
    text = article_text(page, "a.html")
    assert "999" not in text and "6835億美元" in text


def test_speed_a_quarter_megabyte(checker: Checker) -> None:
    # a regression guard with slack for a loaded machine; the 1 MB ≤ 5 s target is benchmarks/bench_claims.py's
    unit = "\n".join(p.read_text(encoding="utf-8") for p in sorted(FIXTURES.glob("*.txt")))
    text = unit * (250_000 // len(unit.encode("utf-8")) + 1)
    checked(unit, checker=checker)  # the store's series are read once (DuckDB start-up is not part of the figure)
    start = time.process_time()  # CPU time: steadier when the suite runs in parallel workers
    claims = checked(text, checker=checker)
    assert time.process_time() - start < 5.0
    assert len(claims) > 1000


# -- output ---------------------------------------------------------------------------------------------------------
def test_html_escapes_highlights_and_shows_the_official_figure() -> None:
    text = '<script>alert("x")</script> 中國2025年12月持有美債6835億美元。日本2025年12月持有美債9999億美元。<img src=x>'
    page = render_html(text, checked(text, checker=shared()))
    assert "<script>" not in page and "<img" not in page and "&lt;script&gt;" in page
    assert '<mark class="supported"' in page and '<mark class="contradicted"' in page and "http" not in page
    assert "official: 1,185.5 (2025-12)" in page  # the hover on Japan's wrong figure


def test_cli_json_html_date_and_errors(tmp_path: Path, geostress_home: Path) -> None:
    runner = CliRunner()
    src = FIXTURES / "news_en.txt"
    out = runner.invoke(claims_app(), ["claims", "check", str(src), "--json"])
    assert out.exit_code == 0, out.output
    records = json.loads(out.stdout)
    keys = {"quote", "start", "end", "value", "unit", "holder", "measure", "period", "verdict", "reason",
            "official_value", "series", "vintage", "source"}
    assert all(keys <= set(r) for r in records)
    text = src.read_text(encoding="utf-8")
    assert all(text[r["start"]:r["end"]] == r["quote"] for r in records)
    assert {r["verdict"] for r in records} >= {"supported", "revised", "contradicted"}
    page = tmp_path / "out.html"
    assert runner.invoke(claims_app(), ["claims", "check", str(src), "--html", str(page)]).exit_code == 0
    assert "<mark" in page.read_text(encoding="utf-8")
    later = runner.invoke(claims_app(), ["claims", "check", "-", "--date", "2025-04-16", "--json"],
                          input="In September, foreign holdings of Treasuries were $8.766 trillion.")
    assert later.exit_code == 0 and json.loads(later.stdout)[0]["period"] == "2024-09"
    bad_date = runner.invoke(claims_app(), ["claims", "check", str(src), "--date", "16/04/2025"])
    assert bad_date.exit_code != 0 and "YYYY-MM-DD" in bad_date.output
    big5 = tmp_path / "big5.txt"
    big5.write_bytes((FIXTURES / "news_zh_hant.txt").read_text(encoding="utf-8").encode("big5"))
    res = runner.invoke(claims_app(), ["claims", "check", str(big5), "--json"])
    assert res.exit_code == 0 and json.loads(res.stdout)[0]["verdict"] == "supported"
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    bad = runner.invoke(claims_app(), ["claims", "check", str(empty)])
    assert bad.exit_code == 1 and "empty" in bad.output and "Traceback" not in bad.output
    missing = runner.invoke(claims_app(), ["claims", "check", str(tmp_path / "nope.txt")])
    assert missing.exit_code == 1 and "no such file" in missing.output


def _guarded_patterns() -> list[re.Pattern[str]]:
    """Every compiled pattern of the claims modules that carries a first-character guard."""
    from geostress.analytics.claims import (
        clauses,
        dates,
        extract,
        holders,
        numbers,
        patterns,
        periods,
        quantities,
        rules,
    )

    found: list[re.Pattern[str]] = []

    def collect(value: object) -> None:
        if isinstance(value, re.Pattern) and value.pattern.startswith("(?=["):
            if any(value is seen for seen in found):  # a pattern re-exported by another module
                return
            found.append(value)
        elif isinstance(value, (list, tuple)):
            for item in value:
                collect(item)
        elif isinstance(value, dict):
            for item in value.values():
                collect(item)

    for module in (dates, extract, numbers, patterns, holders, quantities, clauses, rules, periods):
        for value in vars(module).values():
            collect(value)
    return found


def _unguarded(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """The pattern as written, without the guard :func:`regexes.guarded` put in front of it."""
    source = pattern.pattern
    cut = re.match(r"(?s)\(\?=\[(?:\\.|[^\]\\])*\]\)\(\?:", source)
    assert cut is not None and source.endswith(")")
    return re.compile(source[cut.end():-1], pattern.flags)


def test_first_character_guards_never_change_a_match() -> None:
    """Each guarded pattern finds exactly the matches, spans and groups of the pattern without its guard, on every
    fixture text and on mangled windows of them (odd cases, full-width and look-alike characters)."""
    patterns = _guarded_patterns()
    assert len(patterns) >= 10  # the extractor's cue words, dates and numbers are guarded
    texts = [p.read_text(encoding="utf-8") for p in sorted(FIXTURES.glob("*.txt"))]
    odd = "Kſİı１２３４年月ＦＹfy Rose ROSE 兆億万億 Sept. 9月 九月 2025-10 "
    rng = __import__("random").Random(11)
    windows = list(texts)
    for _ in range(300):
        text = rng.choice(texts)
        start = rng.randrange(len(text))
        piece = list(text[start:start + 120])
        for _ in range(6):
            piece.insert(rng.randrange(len(piece) + 1), rng.choice(odd))
        windows.append("".join(piece).swapcase() if rng.random() < 0.3 else "".join(piece))
    for pattern in patterns:
        plain = _unguarded(pattern)
        for text in windows:
            got = [(m.span(), m.groups()) for m in pattern.finditer(text)]
            assert got == [(m.span(), m.groups()) for m in plain.finditer(text)], pattern.pattern[:80]
