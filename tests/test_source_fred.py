"""FRED source: every real file in the shared data folder, downloads through a mock transport, bad input."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import httpx
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geostress.data.sources import base, fred
from geostress.errors import DataError, ParseError, SourceUnavailableError

from geostress.testing import assert_where

#: shared-data path → (FRED id, unit, (first period, first value), (last period, last value))
REAL_FILES: dict[str, tuple[str, str, tuple[str, float], tuple[str, float]]] = {
    "us_treasury_yields_fred_daily/DGS3MO.csv": ("DGS3MO", "percent", ("1981-09-01", 17.01), ("2025-11-24", 3.91)),
    "us_treasury_yields_fred_daily/DGS2.csv": ("DGS2", "percent", ("1976-06-01", 7.26), ("2025-11-24", 3.46)),
    "us_treasury_yields_fred_daily/DGS5.csv": ("DGS5", "percent", ("1962-01-02", 3.88), ("2025-11-24", 3.61)),
    "us_treasury_yields_fred_daily/DGS10.csv": ("DGS10", "percent", ("1962-01-02", 4.06), ("2025-11-24", 4.04)),
    "us_treasury_yields_fred_daily/DGS30.csv": ("DGS30", "percent", ("1977-02-15", 7.7), ("2025-11-24", 4.68)),
    "us_treasury_yields_fred_monthly/GS10.csv": ("GS10", "percent", ("1959-01-31", 4.02), ("2026-05-31", 4.48)),
    "us_treasury_yields_fred_monthly/GS2.csv": ("GS2", "percent", ("1976-06-30", 7.06), ("2026-05-31", 4.0)),
    "us_treasury_yields_fred_monthly/TB3MS.csv": ("TB3MS", "percent", ("1959-01-31", 2.82), ("2026-05-31", 3.6)),
    "us_fiscal_fred/GFDEBTN.csv": ("GFDEBTN", "USD bn", ("1966-03-31", 320.999), ("2026-03-31", 39065.421)),
    "us_fiscal_fred/FYGFDPUN.csv": (
        "FYGFDPUN", "USD bn", ("1970-03-31", 280.814), ("2026-03-31", 31454.810955549758)
    ),
    "us_fiscal_fred/GDP.csv": ("GDP", "USD bn", ("1959-03-31", 510.33), ("2026-03-31", 31865.721)),
    "us_fiscal_fred/A091RC1Q027SBEA.csv": (
        "A091RC1Q027SBEA", "USD bn", ("1959-03-31", 11.328), ("2026-03-31", 1218.938)
    ),
    "us_fiscal_fred/TREAST.csv": ("TREAST", "USD bn", ("2002-12-18", 629.397), ("2026-06-17", 4487.319)),
    "mortgage_corporate_rates_fred/MORTGAGE30US.csv": (
        "MORTGAGE30US", "percent", ("1971-04-02", 7.33), ("2026-06-25", 6.49)
    ),
    "mortgage_corporate_rates_fred/AAA.csv": ("AAA", "percent", ("1959-01-31", 4.12), ("2026-05-31", 5.56)),
    "mortgage_corporate_rates_fred/BAA.csv": ("BAA", "percent", ("1959-01-31", 4.87), ("2026-05-31", 6.1)),
    "mortgage_corporate_rates_fred/BAA10Y.csv": ("BAA10Y", "percent", ("2010-05-03", 2.37), ("2025-05-01", 1.95)),
    "us_debt_holders_fred/FDHBFIN.csv": ("FDHBFIN", "USD bn", ("1970-03-31", 12.4), ("2025-09-30", 9248.4)),
    "china_fx_reserves_fred/TRESEGCNM052N.csv": (
        "TRESEGCNM052N", "USD bn", ("1977-12-31", 2.345), ("2024-11-30", 3328.99442805694)
    ),
}

#: (FRED id, period stored, value) read from the files by hand; monthly/quarterly periods are period ends.
PINNED = [
    ("DGS10", "2008-09-15", 3.47),
    ("DGS10", "2020-03-09", 0.54),
    ("DGS10", "2025-07-03", 4.35),
    ("GS10", "1959-01-31", 4.02),
    ("GS10", "1959-02-28", 3.96),
    ("GDP", "1959-03-31", 510.33),
    ("GDP", "2025-03-31", 30042.113),
    ("GFDEBTN", "2025-03-31", 36214.309520796455),  # 36,214,309.520796455 mn as published
    ("FYGFDPUN", "2025-03-31", 28932.973238149263),
    ("A091RC1Q027SBEA", "2025-03-31", 1144.212),
    ("TREAST", "2025-01-01", 4291.106),  # weekly: the Wednesday date is kept
    ("FDHBFIN", "2024-03-31", 8107.9),
    ("FDHBFIN", "2024-12-31", 8528.0),
    ("MORTGAGE30US", "1981-10-09", 18.63),
    ("MORTGAGE30US", "2023-10-26", 7.79),
    ("AAA", "1981-09-30", 15.49),
    ("BAA10Y", "2020-03-23", 4.31),
    ("BAA10Y", "2025-04-08", 2.00),
]

FREDGRAPH_DGS10 = (
    b"observation_date,DGS10\n"
    b"2025-07-02,4.30\n"
    b"2025-07-03,4.35\n"
    b"2025-07-04,\n"
    b"2025-07-07,4.40\n"
)

API_JSON_DGS10 = {
    "realtime_start": "2025-11-25",
    "realtime_end": "2025-11-25",
    "observation_start": "1600-01-01",
    "observation_end": "9999-12-31",
    "units": "lin",
    "output_type": 1,
    "file_type": "json",
    "order_by": "observation_date",
    "sort_order": "asc",
    "count": 4,
    "offset": 0,
    "limit": 100000,
    "observations": [
        {"realtime_start": "2025-11-25", "realtime_end": "2025-11-25", "date": "2025-11-20", "value": "4.10"},
        {"realtime_start": "2025-11-25", "realtime_end": "2025-11-25", "date": "2025-11-21", "value": "4.06"},
        {"realtime_start": "2025-11-25", "realtime_end": "2025-11-25", "date": "2025-11-24", "value": "4.04"},
        {"realtime_start": "2025-11-25", "realtime_end": "2025-11-25", "date": "2025-11-27", "value": "."},
    ],
}


def _read(shared: Path, rel: str) -> bytes:
    return (shared / rel).read_bytes()


def _non_missing_rows(raw: bytes) -> int:
    rows = list(csv.reader(raw.decode("utf-8").splitlines()))[1:]
    return sum(1 for r in rows if r and r[1].strip() not in ("", "."))


# ------------------------------------------------------------------------------------------- real files


@pytest.mark.parametrize("rel", sorted(REAL_FILES))
def test_every_real_fred_file_parses(shared_data: Path, rel: str) -> None:
    fid, unit, (p0, v0), (p1, v1) = REAL_FILES[rel]
    raw = _read(shared_data, rel)
    release = fred.parse(raw, origin=str(shared_data / rel))
    obs = release.observations
    assert release.source == "fred"
    assert release.vintage is None  # CSV files print no release date
    assert list(obs.columns) == base.PARSED_COLUMNS
    assert set(obs["series_id"]) == {f"fred.{fid.lower()}"}
    assert set(obs["unit"]) == {unit}
    assert set(obs["label"]) == {fred.SERIES[fid].title}
    assert len(obs) == _non_missing_rows(raw)  # every non-missing value, nothing else
    assert obs["period"].is_monotonic_increasing and obs["period"].is_unique
    assert obs["period"].iloc[0] == pd.Timestamp(p0)
    assert obs["value"].iloc[0] == pytest.approx(v0, rel=1e-12)
    assert obs["period"].iloc[-1] == pd.Timestamp(p1)
    assert obs["value"].iloc[-1] == pytest.approx(v1, rel=1e-12)
    freq = fred.SERIES[fid].frequency
    if freq == fred.MONTHLY:
        assert obs["period"].dt.is_month_end.all()
    if freq == fred.QUARTERLY:
        assert obs["period"].dt.is_quarter_end.all()


#: Series of issue 16, whose real files are tested in test_source_fred_vintages.py.
ISSUE16_SERIES = {"CPIAUCSL", "CPILFESL", "PCEPI", "PCEPILFE", "GDPDEF", "GDPC1", "GDPPOT", "FEDFUNDS", "UNRATE",
                  "DFII10", "T10YIE", "DTWEXBGS"}


def test_real_files_cover_every_known_series() -> None:
    assert {v[0] for v in REAL_FILES.values()} | ISSUE16_SERIES == set(fred.SERIES)


@pytest.mark.parametrize(("fid", "period", "value"), PINNED)
def test_pinned_values(shared_data: Path, fid: str, period: str, value: float) -> None:
    rel = next(k for k, v in REAL_FILES.items() if v[0] == fid)
    obs = fred.parse(_read(shared_data, rel), origin=rel).observations.set_index("period")["value"]
    assert obs.loc[pd.Timestamp(period)] == pytest.approx(value, rel=1e-12)


def test_missing_values_are_skipped(shared_data: Path) -> None:
    rel = "us_treasury_yields_fred_daily/DGS10.csv"
    obs = fred.parse(_read(shared_data, rel), origin=rel).observations
    assert pd.Timestamp("2025-07-04") not in set(obs["period"])  # Independence Day, empty in the file
    rel = "china_fx_reserves_fred/TRESEGCNM052N.csv"
    obs = fred.parse(_read(shared_data, rel), origin=rel).observations
    assert pd.Timestamp("1978-01-31") not in set(obs["period"])


def test_pandas_export_header_and_generic_layout_are_read(shared_data: Path) -> None:
    # ",FDHBFIN" (unnamed date column) and "date,value" with the id from the file name
    assert _read(shared_data, "us_debt_holders_fred/FDHBFIN.csv").startswith(b",FDHBFIN\n")
    assert _read(shared_data, "us_fiscal_fred/GDP.csv").startswith(b"date,value\n")
    obs = fred.parse(b"date,value\n1959-01-01,510.33\n", origin="/tmp/fred_GDP_2026.csv").observations
    assert obs["series_id"].tolist() == ["fred.gdp"]


def test_legacy_layout_with_dots() -> None:
    raw = b"DATE,DGS10\r\n1962-01-02,4.06\r\n1962-01-03,4.03\r\n1962-02-22,.\r\n"
    obs = fred.parse(raw, origin="legacy.csv").observations
    assert obs["series_id"].tolist() == ["fred.dgs10", "fred.dgs10"]
    assert obs["value"].tolist() == [4.06, 4.03]


def test_fredgraph_with_two_series() -> None:
    raw = b"observation_date,GS10,GS2\n2026-05-01,4.48,4.0\n2026-04-01,4.32,\n"
    obs = fred.parse(raw, origin="fredgraph.csv").observations
    got = {(r.series_id, r.period.date()): r.value for r in obs.itertuples()}
    assert got == {
        ("fred.gs10", date(2026, 5, 31)): 4.48,
        ("fred.gs2", date(2026, 5, 31)): 4.0,
        ("fred.gs10", date(2026, 4, 30)): 4.32,
    }


# ------------------------------------------------------------------------------------------- queries


def test_build_queries_keyless_and_with_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FRED_API_KEY", raising=False)
    queries = fred.build_queries()
    assert len(queries) == len(fred.SERIES) == 19 + len(ISSUE16_SERIES)
    q = fred.build_queries(series="dgs10")[0]
    assert q.url == "https://fred.stlouisfed.org/graph/fredgraph.csv?id=DGS10" and q.params == {}
    q = fred.build_queries(series=["fred.gs10"], api_key="SECRET")[0]
    assert q.url.startswith("https://api.stlouisfed.org/fred/series/observations?series_id=GS10")
    assert q.params == {"series_id": "GS10", "api_key": "SECRET", "file_type": "json"}
    assert "SECRET" not in q.url and "SECRET" not in q.filename
    monkeypatch.setenv("FRED_API_KEY", "ENVKEY")
    assert fred.build_queries(series="GS10,GDP")[1].params["api_key"] == "ENVKEY"
    assert fred.build_queries(series="GS10", api_key="")[0].params == {}  # an explicit empty key: keyless
    with pytest.raises(DataError, match="DGS10"):
        fred.build_queries(series="DGS11")


# ------------------------------------------------------------------------------------------- downloads


def _client(handler: object) -> httpx.Client:
    return httpx.Client(transport=httpx.MockTransport(handler))  # type: ignore[arg-type]


def test_download_csv_200(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FRED_API_KEY", raising=False)
    (query,) = fred.build_queries(series="DGS10")
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(200, content=FREDGRAPH_DGS10, headers={"content-type": "text/csv"})

    with _client(handler) as client:
        raw = base.download(query, client=client)
    assert seen == ["https://fred.stlouisfed.org/graph/fredgraph.csv?id=DGS10"]
    release = fred.parse(raw, origin=query.url)
    assert release.vintage is None
    assert release.observations["value"].tolist() == [4.30, 4.35, 4.40]


def test_download_retries_after_429(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FRED_API_KEY", raising=False)
    (query,) = fred.build_queries(series="DGS10")
    calls = {"n": 0}
    slept: list[float] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls["n"] += 1
        if calls["n"] == 1:
            return httpx.Response(429, headers={"retry-after": "1"})
        return httpx.Response(200, content=FREDGRAPH_DGS10)

    with _client(handler) as client:
        raw = base.download(query, client=client, sleep=slept.append)
    assert calls["n"] == 2 and len(slept) == 1
    assert len(fred.parse(raw, origin=query.url).observations) == 3


def test_download_404_is_source_unavailable() -> None:
    (query,) = fred.build_queries(series="DGS10", api_key="")
    with _client(lambda request: httpx.Response(404, text="Not Found")) as client:
        with pytest.raises(SourceUnavailableError, match="404"):
            base.download(query, client=client, sleep=lambda s: None)


def test_download_connect_error_is_source_unavailable() -> None:
    (query,) = fred.build_queries(series="DGS10", api_key="")

    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("Name or service not known", request=request)

    with _client(handler) as client:
        with pytest.raises(SourceUnavailableError, match="fredgraph"):
            base.download(query, client=client, sleep=lambda s: None)


def test_api_json_with_key_gives_vintage_realtime_start() -> None:
    (query,) = fred.build_queries(series="DGS10", api_key="TESTKEY")
    seen: list[httpx.URL] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url)
        return httpx.Response(200, json=API_JSON_DGS10)

    with _client(handler) as client:
        raw = base.download(query, client=client)
    params = dict(seen[0].params)
    assert params == {"series_id": "DGS10", "api_key": "TESTKEY", "file_type": "json"}
    for origin in (query.url, query.filename):
        release = fred.parse(raw, origin=origin)
        assert release.vintage == date(2025, 11, 25)
        obs = release.observations
        assert obs["series_id"].unique().tolist() == ["fred.dgs10"]
        assert obs["value"].tolist() == [4.10, 4.06, 4.04]  # "." skipped
        assert obs["period"].iloc[-1] == pd.Timestamp("2025-11-24")


def test_api_json_monthly_is_moved_to_month_end() -> None:
    doc = {"realtime_start": "2026-06-25", "observations": [{"date": "1959-01-01", "value": "4.02"}]}
    release = fred.parse(json.dumps(doc).encode(), origin="GS10.json")
    assert release.observations["period"].tolist() == [pd.Timestamp("1959-01-31")]
    assert release.vintage == date(2026, 6, 25)


# ------------------------------------------------------------------------------------------- bad input


def _error(raw: bytes, origin: str = "bad/DGS10.csv") -> ParseError:
    with pytest.raises(ParseError) as info:
        fred.parse(raw, origin=origin)
    return info.value


def test_wrong_header() -> None:
    err = _error(b"when,what\n2020-01-01,1\n")
    assert_where(err, "bad/DGS10.csv", 1, "when")


def test_unknown_series_in_header() -> None:
    err = _error(b"observation_date,NOTASERIES\n2020-01-01,1\n")
    assert_where(err, "bad/DGS10.csv", 1, "NOTASERIES")


def test_non_numeric_cell_in_real_file(shared_data: Path) -> None:
    rel = "us_treasury_yields_fred_daily/DGS10.csv"
    lines = _read(shared_data, rel).decode().splitlines(keepends=True)
    assert lines[12185].startswith("2008-09-15,")
    lines[12185] = "2008-09-15,3.4x7\n"
    err = _error("".join(lines).encode(), origin=rel)
    assert_where(err, rel, 12186, "dgs10")
    assert "3.4x7" in str(err)


def test_duplicated_date() -> None:
    raw = b"observation_date,DGS10\n2025-07-02,4.30\n2025-07-03,4.35\n2025-07-03,4.36\n"
    err = _error(raw)
    assert_where(err, "bad/DGS10.csv", 4, "observation_date")
    assert "line 3" in err.reason  # where it was first seen


def test_duplicated_month_in_generic_layout(shared_data: Path) -> None:
    rel = "us_treasury_yields_fred_monthly/GS10.csv"
    lines = _read(shared_data, rel).decode().splitlines(keepends=True)
    lines.insert(3, lines[1])  # 1959-01-01 again as line 4
    err = _error("".join(lines).encode(), origin=rel)
    assert_where(err, rel, 4, "date")


def test_missing_column() -> None:
    err = _error(b"observation_date,DGS10\n2025-07-02,4.30\n2025-07-03\n")
    assert_where(err, "bad/DGS10.csv", 3, "DGS10")
    err = _error(b"observation_date\n2025-07-02\n")
    assert_where(err, "bad/DGS10.csv", 1, "observation_date")


def test_extra_column() -> None:
    err = _error(b"observation_date,DGS10\n2025-07-02,4.30,9\n")
    assert_where(err, "bad/DGS10.csv", 2, "column 3 (no header)")


def test_bad_date() -> None:
    err = _error(b"observation_date,DGS10\n2025-07-02,4.30\n2025-13-03,4.35\n")
    assert_where(err, "bad/DGS10.csv", 3, "observation_date")


def test_monthly_date_not_first_of_month() -> None:
    err = _error(b"date,value\n1959-01-01,4.02\n1959-02-15,3.96\n", origin="GS10.csv")
    assert_where(err, "GS10.csv", 3, "date")
    err = _error(b"date,value\n1959-02-01,510\n", origin="GDP.csv")
    assert_where(err, "GDP.csv", 2, "date")


def test_generic_layout_without_series_name() -> None:
    err = _error(b"date,value\n1959-01-01,4.02\n", origin="/data/download.csv")
    assert_where(err, "/data/download.csv", 1, "value")


def test_utf16_file(shared_data: Path) -> None:
    rel = "us_treasury_yields_fred_monthly/GS10.csv"
    raw = _read(shared_data, rel).decode().encode("utf-16")
    err = _error(raw, origin=rel)
    assert_where(err, rel, 1, "encoding")
    assert "UTF-16" in str(err)
    err = _error(_read(shared_data, rel).decode().encode("utf-16-le"), origin=rel)  # no BOM
    assert_where(err, rel, 1, "encoding")


def test_invalid_utf8_names_the_line() -> None:
    err = _error(b"observation_date,DGS10\n2025-07-02,4.30\n2025-07-03,4\xe9\n")
    assert err.line == 3 and "bad/DGS10.csv" in str(err)


@pytest.mark.parametrize("raw", [b"", b"   \n\n", b"\xef\xbb\xbf"])
def test_empty_file(raw: bytes) -> None:
    assert_where(_error(raw), "bad/DGS10.csv", 1, None)


def test_header_only_file() -> None:
    err = _error(b"observation_date,DGS10\n")
    assert "no observations" in str(err) and err.line == 1


def test_truncated_json() -> None:
    text = json.dumps(API_JSON_DGS10, indent=2)
    cut = text[: text.index('"2025-11-24"')]
    err = _error(cut.encode(), origin="DGS10.json")
    assert err.file == "DGS10.json" and err.line == cut.count("\n") + 1
    assert f"line {err.line}" in str(err) and "truncated" in str(err)


def test_json_bad_value_names_record_line_and_field() -> None:
    doc = json.loads(json.dumps(API_JSON_DGS10))
    doc["observations"][2]["value"] = "4.O4"
    text = json.dumps(doc, indent=2)
    starts = [i + 1 for i, ln in enumerate(text.splitlines()) if ln.strip() == "{"]  # the document, then records
    err = _error(text.encode(), origin="DGS10.json")
    assert_where(err, "DGS10.json", starts[1 + 2], "observations[2].value")
    err = _error(json.dumps(doc).encode(), origin="DGS10.json")  # one line: line 1
    assert_where(err, "DGS10.json", 1, "observations[2].value")


def test_json_duplicated_date() -> None:
    doc = json.loads(json.dumps(API_JSON_DGS10))
    doc["observations"][1]["date"] = "2025-11-20"
    err = _error(json.dumps(doc).encode(), origin="DGS10.json")
    assert_where(err, "DGS10.json", 1, "observations[1].date")


def test_json_error_answer_and_unnamed_series() -> None:
    doc = {"error_code": 400, "error_message": "Bad Request.  The value for variable api_key is not registered."}
    err = _error(json.dumps(doc).encode(), origin="DGS10.json")
    assert "api_key is not registered" in str(err) and err.field == "error_message"
    err = _error(json.dumps(API_JSON_DGS10).encode(), origin="https://api.stlouisfed.org/fred/series/observations")
    assert_where(err, "https://api.stlouisfed.org/fred/series/observations", 1, "series_id")
    err = _error(b"[1, 2, 3]", origin="DGS10.json")
    assert err.line == 1


# ------------------------------------------------------------------------------------------- properties


@settings(max_examples=50, deadline=None)
@given(raw=st.binary(max_size=2000))
def test_random_bytes_parse_or_raise_parse_error(raw: bytes) -> None:
    for origin in ("GS10.csv", "fredgraph.csv"):
        try:
            fred.parse(raw, origin=origin)
        except ParseError:
            pass


def _mutate(raw: bytes, data: st.DataObject) -> bytes:
    lines = raw.split(b"\n")
    kind = data.draw(st.sampled_from(["delete", "truncate", "junk", "duplicate", "swap"]))
    if kind == "delete":
        del lines[data.draw(st.integers(0, len(lines) - 1))]
        return b"\n".join(lines)
    if kind == "truncate":
        return raw[: data.draw(st.integers(0, len(raw)))]
    if kind == "duplicate":
        i = data.draw(st.integers(0, len(lines) - 1))
        lines.insert(i, lines[i])
        return b"\n".join(lines)
    if kind == "swap":
        i, j = data.draw(st.integers(0, len(lines) - 1)), data.draw(st.integers(0, len(lines) - 1))
        lines[i], lines[j] = lines[j], lines[i]
        return b"\n".join(lines)
    i = data.draw(st.integers(0, len(lines) - 1))
    junk = data.draw(st.text(max_size=12)).encode("utf-8", "surrogatepass")
    cells = lines[i].split(b",")
    cells[data.draw(st.integers(0, len(cells) - 1))] = junk
    lines[i] = b",".join(cells)
    return b"\n".join(lines)


@pytest.mark.parametrize(
    "rel",
    [
        "us_treasury_yields_fred_monthly/GS10.csv",
        "us_fiscal_fred/GDP.csv",
        "mortgage_corporate_rates_fred/BAA10Y.csv",
        "us_debt_holders_fred/FDHBFIN.csv",
    ],
)
@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_mutated_real_file_parses_or_raises_parse_error(shared_data: Path, rel: str, data: st.DataObject) -> None:
    raw = _mutate(_read(shared_data, rel), data)
    try:
        release = fred.parse(raw, origin=rel)
    except ParseError as exc:
        assert exc.file == rel
    else:
        assert release.observations["period"].is_unique


@settings(max_examples=50, deadline=None)
@given(data=st.data())
def test_mutated_api_json_parses_or_raises_parse_error(data: st.DataObject) -> None:
    raw = _mutate(json.dumps(API_JSON_DGS10, indent=1).encode(), data)
    try:
        fred.parse(raw, origin="DGS10.json")
    except ParseError:
        pass


# ------------------------------------------------------------------------------------------- network


@pytest.mark.network
def test_real_download_dgs10() -> None:
    (query,) = fred.build_queries(series="DGS10", api_key="")
    raw = base.download(query)
    obs = fred.parse(raw, origin=query.url).observations
    assert obs["series_id"].unique().tolist() == ["fred.dgs10"]
    assert obs["period"].iloc[0] == pd.Timestamp("1962-01-02")
    assert obs["period"].iloc[-1] >= pd.Timestamp("2025-11-24")
    assert obs["value"].between(0, 20).all()
