"""``geostress data update`` for the sources of issue 16, through httpx's mock transport serving the real files.

Each source's queries are answered with the official file of ../shared/data; the update stores it with the vintage
the file prints (or the download date for a source that never prints one), and a second update changes nothing.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import httpx
import pytest

from geostress.data import ingest
from geostress.data.store import Store

#: source → (shared-data files served, in query order; the vintages expected in the store; series checked)
CASES: dict[str, tuple[list[str], set[date] | None, str]] = {
    "acm-term-premium": (["term_premium_acm_nyfed/ACMTP10_daily.csv"], None, "acm.tp10"),
    "gold-worldbank": (["gold_price_worldbank_monthly/CMO-Historical-Data-Monthly.xlsx"], {date(2026, 7, 2)},
                       "worldbank.gold"),
    "cbo-economic": (["cbo_economic_projections_2026-02/Annual_CY_February2026.csv",
                      "cbo_economic_projections_2025-01/CBO_Quarterly_January2025.csv"],
                     {date(2026, 2, 1), date(2025, 1, 1)}, "cbo.econ.gdp"),
    "usgs-mcs": (["usgs_mcs2026_rare_earths/usgs_mcs2026_commodities_data.csv"],
                 {date(2026, 2, 6), date(2026, 5, 27)}, "usgs.ree.reserves.brazil"),
    "usgs-ds140": (["usgs_ds140_rare_earths_historical/usgs_ds140_rare_earths_2020.xlsx"], {date(2023, 9, 27)},
                   "usgs.ree.hist.world.mine_production"),
    "usitc-trade": (["usitc_dataweb_critical_minerals_trade/us_imports_for_consumption_1993-2026.xlsx",
                     "usitc_dataweb_critical_minerals_trade/us_domestic_exports_1993-2026.xlsx"],
                    {date(2026, 7, 10)}, "usitc.imports.hts8505.value.china"),
    "treasury-auctions": (["treasury_auctions_treasurydirect/Auctions_Query_19791115_20251215.csv"], None,
                          "treasury.auctions.bill_share"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_update_stores_the_release(shared_data: Path, tmp_path: Path, name: str) -> None:
    files, vintages, series = CASES[name]
    from geostress.data.sources import get_source

    queries = get_source(name).build_queries()
    assert len(queries) == len(files)
    served = {q.url: (shared_data / f).read_bytes() for q, f in zip(queries, files, strict=True)}

    def handler(request: httpx.Request) -> httpx.Response:
        url = str(request.url)
        return httpx.Response(200, content=served[url]) if url in served else httpx.Response(404)

    store = Store(tmp_path, include_snapshot=False)
    with httpx.Client(transport=httpx.MockTransport(handler)) as client:
        outcomes = ingest.update([name], store=store, client=client)
        assert [o.error for o in outcomes] == [None] * len(files)
        assert all(o.result is not None and o.result.added for o in outcomes)
        again = ingest.update([name], store=store, client=client)
        assert all(o.result is not None and not o.result.added for o in again)
    held = set(store.vintages(series))
    if vintages is None:  # prints no date: the download date
        assert held == {datetime.now(UTC).date()}
    else:
        assert held <= vintages and held
    assert len(store.get(series)) > 0


def test_derived_debt_is_not_downloaded(tmp_path: Path) -> None:
    outcomes = ingest.update(["cbo-debt-derived"], store=Store(tmp_path, include_snapshot=False))
    assert outcomes == []
