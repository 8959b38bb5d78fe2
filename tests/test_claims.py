"""Claims check: number parsing, extraction and linking, verdicts against the snapshot, input handling, output."""

from __future__ import annotations

import json
import time
from decimal import Decimal
from pathlib import Path

import pytest
import typer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from geostress.analytics.claims import check_claims, decode_bytes, extract_claims, format_chinese, parse_decimal, parse_number
from geostress.analytics.claims.extract import InputError, iter_sentences
from geostress.analytics.claims.html import render_html
from geostress.analytics.claims.numbers import find_dates
from geostress.commands.claims import register

FIXTURES = Path(__file__).parent / "fixtures" / "claims"


def checked(text: str, lang: str = "auto"):
    return check_claims(extract_claims(text, lang=lang))


def by_quote(claims, quote: str):
    return next(c for c in claims if c.quote == quote)


# -- numbers -----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1.3167萬億", 1.3167e12), ("1萬3167億", 1.3167e12), ("6835億", 6.835e11), ("六千八百三十五亿", 6.835e11),
        ("7415万", 7.415e7), ("一萬億零一", 1e12 + 1), ("三千五", 3500), ("一千零五", 1005), ("十八", 18),
        ("1,316.7", 1316.7), ("2萬億", 2e12), ("3億5千萬", 3.5e8), ("兩百", 200), ("１２３", 123),
    ],
)  # fmt: skip
def test_parse_number(text: str, value: float) -> None:
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize(
    ("text", "iso"),
    [("2023年11月", "2023-11"), ("2013年中期", "2013-06"), ("截至2025年底", "2025-12"), ("2025年十二月", "2025-12"),
     ("mid-2013", "2013-06"), ("end of 2025", "2025-12"), ("Nov. 2013", "2013-11"), ("December 2025", "2025-12"),
     ("in 2013", "2013"), ("2025年第四季", "2025-12")],
)  # fmt: skip
def test_dates(text: str, iso: str) -> None:
    assert [d.iso for d in find_dates(text)] == [iso]


@given(st.integers(min_value=0, max_value=10**16 - 1), st.booleans(), st.booleans())
@settings(max_examples=500)
def test_chinese_units_round_trip(n: int, traditional: bool, numerals: bool) -> None:
    written = format_chinese(n, traditional=traditional, numerals=numerals)
    assert parse_decimal(written) == Decimal(n)
    if n < 2**53:
        assert parse_number(written) == n


@given(st.text(max_size=300))
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_no_text_crashes_the_extractor(text: str) -> None:
    for claim in extract_claims(text):
        assert 0 <= claim.start <= claim.end <= len(text)


@given(st.lists(st.sampled_from(["中國", "持有", "美債", "1.3萬億", "6835億", "美元", "2025年", "12月", "約", "%", "，",
                                 "。", "$", "800", " billion", " in ", "December 2025", "連續", "個月", "盎司", "黃金",
                                 "十八", "百分之", "多", ".", "\n"]), max_size=40))
@settings(max_examples=300, deadline=None)
def test_no_word_salad_crashes_extraction_or_checking(parts: list[str]) -> None:
    text = "".join(parts)
    for claim in checked(text):
        assert claim.verdict in {"supported", "contradicted", "wrong_date", "not_checkable"}


# -- extraction and linking ----------------------------------------------------------------------------------------
def test_traditional_sentence_links_peak_level_and_decline() -> None:
    claims = checked("中國持有的美國國債從2013年11月的1.3167萬億美元高峰，降至2025年12月的6835億美元，減幅約48%。")
    peak, level, pct = claims
    assert (peak.measure, peak.value, peak.unit, peak.period, peak.subject) == (
        "ust_holdings_peak", 1316.7, "USD bn", "2013-11", "China")
    assert (level.measure, level.value, level.period) == ("ust_holdings", 683.5, "2025-12")
    assert (pct.measure, pct.value, pct.unit, pct.qualifier) == ("decline_from_peak_pct", 48.0, "percent", "approx")
    assert [c.verdict for c in claims] == ["supported"] * 3
    assert pct.data_value == pytest.approx(48.09, abs=0.01)  # recomputed from the stored peak and latest
    assert peak.series == "tic.mfh.china_mainland" and peak.vintage and peak.source.startswith("tic-mfh")


def test_simplified_fixture() -> None:
    claims = checked((FIXTURES / "zh_hans.txt").read_text(encoding="utf-8"))
    assert by_quote(claims, "六千八百三十五亿美元").verdict == "supported"  # Chinese numerals, 2025年底
    gold = by_quote(claims, "2306吨")
    assert (gold.measure, gold.unit, gold.verdict, gold.series) == ("gold_reserves", "tonnes", "supported",
                                                                    "gold.wgc.china")
    streak = by_quote(claims, "20个月")
    assert (streak.measure, streak.unit, streak.verdict) == ("duration", "months", "contradicted")
    assert streak.data_value == 4
    mid = by_quote(claims, "1.3万亿美元")  # peak stated for mid-2013 (±3 months): the peak was November
    assert (mid.measure, mid.verdict, mid.data_period) == ("ust_holdings_peak", "wrong_date", "2013-11")


def test_traditional_fixture_covers_every_verdict() -> None:
    claims = checked((FIXTURES / "zh_hant.txt").read_text(encoding="utf-8"))
    gold = by_quote(claims, "7415萬盎司")
    assert (gold.measure, gold.value, gold.unit, gold.period, gold.verdict) == (
        "gold_reserves", 74.15, "million troy oz", "2025-12", "supported")
    streak = by_quote(claims, "14個月")  # data begin 2025-01: 11 additions to Dec-2025, a run that may be longer
    assert (streak.measure, streak.verdict) == ("duration", "supported") and "may be longer" in streak.note
    assert by_quote(claims, "1.1855萬億美元").subject == "Japan"
    assert by_quote(claims, "1.1855萬億美元").verdict == "supported"
    wrong = by_quote(claims, "7000億美元")
    assert (wrong.verdict, wrong.data_period) == ("wrong_date", "2025-09")
    bad = by_quote(claims, "2萬億美元")
    assert (bad.verdict, bad.data_value, bad.data_period) == ("contradicted", 683.5, "2025-12")
    fx = by_quote(claims, "3.3萬億美元")
    assert fx.verdict == "not_checkable" and fx.measure is None and "foreign-exchange" in fx.reason
    deadline = by_quote(claims, "2026年6月")
    assert (deadline.measure, deadline.verdict, deadline.period) == ("deadline", "not_checkable", "2026-06")


def test_english_fixture() -> None:
    claims = checked((FIXTURES / "en.txt").read_text(encoding="utf-8"))
    assert by_quote(claims, "$1.3167 trillion").verdict == "supported"
    assert by_quote(claims, "$683.5 billion").period == "2025-12"
    nearly = by_quote(claims, "48%")
    assert (nearly.qualifier, nearly.verdict) == ("nearly", "supported")
    wrong = by_quote(claims, "$800 billion")
    assert (wrong.verdict, wrong.data_period) == ("wrong_date", "2024-01")
    more = by_quote(claims, "$1.1 trillion")
    assert (more.subject, more.qualifier, more.verdict) == ("Japan", "more_than", "supported")
    gold = by_quote(claims, "74.15 million ounces")
    assert (gold.measure, gold.period, gold.verdict) == ("gold_reserves", "2025-12", "supported")
    eleven = by_quote(claims, "eleven consecutive months")
    assert (eleven.measure, eleven.value, eleven.verdict) == ("duration", 11, "supported")
    days = by_quote(claims, "90 days")
    assert (days.unit, days.verdict) == ("days", "not_checkable")


def test_units_and_qualifiers() -> None:
    cases = {
        "中國持有美債逾7000億美元（2025年12月）。": ("USD bn", 700.0, "more_than"),
        "中国黄金储备接近7500万盎司。": ("million troy oz", 75.0, "nearly"),
        "China holds about 2,300 tonnes of gold.": ("tonnes", 2300.0, "approx"),
        "中國已連續18個月增持黃金。": ("months", 18.0, None),
        "期限為30天。": ("days", 30.0, None),
        "減幅約百分之四十八。": ("percent", 48.0, "approx"),
        "Japan held US$1.19tn of Treasuries in Dec 2025.": ("USD bn", 1190.0, None),
    }
    for text, (unit, value, qual) in cases.items():
        c = next(iter(extract_claims(text)))
        assert (c.unit, c.value, c.qualifier) == (unit, pytest.approx(value), qual), text


def test_subject_carries_to_the_next_sentence_and_unmapped_claims_are_kept() -> None:
    claims = checked("中國持有美國國債。2025年12月的規模為6835億美元。美國GDP增長2.1%。")
    assert claims[0].subject == "China" and claims[0].verdict == "supported"
    assert claims[1].verdict == "not_checkable" and claims[1].unit == "percent"


def test_sentences_stream_across_chunk_boundaries() -> None:
    text = "第一句。Second one. Nov. 2013 stays whole! 最後一句"
    chunks = [text[i : i + 3] for i in range(0, len(text), 3)]
    assert [s for _, s in iter_sentences(chunks)] == [s for _, s in iter_sentences([text])]
    assert [s for _, s in iter_sentences([text])][2] == " Nov. 2013 stays whole!"


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


def test_one_megabyte_in_under_five_seconds() -> None:
    unit = "\n".join(p.read_text(encoding="utf-8") for p in sorted(FIXTURES.glob("*.txt")))
    text = (unit * (1_000_000 // len(unit.encode("utf-8")) + 1))
    checked(unit)  # the store's series are read once (DuckDB start-up is not part of the figure)
    start = time.process_time()  # CPU time: stable when the suite runs in parallel workers
    claims = checked(text)
    assert time.process_time() - start < 5.0
    assert len(claims) > 1000


# -- output ---------------------------------------------------------------------------------------------------------
def test_html_escapes_and_highlights() -> None:
    text = '<script>alert("x")</script> 中國持有美債6835億美元（2025年12月）。<img src=x onerror=1>'
    page = render_html(text, checked(text))
    assert "<script>" not in page and "<img" not in page and "&lt;script&gt;" in page
    assert '<mark class="supported"' in page and "http" not in page  # self-contained


def _app() -> typer.Typer:
    app = typer.Typer()
    register(app)

    @app.callback()
    def _root() -> None: ...

    return app


def test_cli_json_html_and_errors(tmp_path: Path, geostress_home: Path) -> None:
    runner = CliRunner()
    src = FIXTURES / "zh_hant.txt"
    out = runner.invoke(_app(), ["claims", "check", str(src), "--json"])
    assert out.exit_code == 0, out.output
    records = json.loads(out.stdout)
    keys = {"text", "value", "unit", "period", "measure", "subject", "verdict", "data_value", "data_period", "source"}
    assert all(keys <= set(r) for r in records)
    assert {r["verdict"] for r in records} == {"supported", "contradicted", "wrong_date", "not_checkable"}
    page = tmp_path / "out.html"
    assert runner.invoke(_app(), ["claims", "check", str(src), "--html", str(page)]).exit_code == 0
    assert "<mark" in page.read_text(encoding="utf-8")
    table = runner.invoke(_app(), ["claims", "check", "-", "--lang", "en"], input="China held $800 billion of "
                          "Treasuries in December 2025.")
    assert table.exit_code == 0 and "wrong_d" in table.stdout and "2024-01" in table.stdout
    big5 = tmp_path / "big5.txt"
    big5.write_bytes(src.read_text(encoding="utf-8").encode("big5"))
    res = runner.invoke(_app(), ["claims", "check", str(big5), "--json"])
    assert res.exit_code == 0 and json.loads(res.stdout) == records
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    bad = runner.invoke(_app(), ["claims", "check", str(empty)])
    assert bad.exit_code == 1 and "empty" in bad.output and "Traceback" not in bad.output
    missing = runner.invoke(_app(), ["claims", "check", str(tmp_path / "nope.txt")])
    assert missing.exit_code == 1 and "no such file" in missing.output
