"""The "Price a sale" form's FIMA repo switch, in a real browser: Playwright drives Debian's chromium against the
real service on loopback (tests/test_dashboard.py's server and helpers).

``GET /api/market/impact`` takes ``fima=on|off`` as ``geostress market impact --fima on|off`` does; the form sends
it (on by default, as the command), keeps it in the query the answer is drawn for, and the answer's words say when
the facility is off: the CLI's ", FIMA repo off" in the opening sentence and no financing in the stabilisers' line.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from test_dashboard import (Session, base_url, browser_session, expected_rows, impact_rows,  # noqa: F401 - a fixture
                            impact_sentence, open_impact, price, priced, usd_bn)

#: China's reserve sales of 2015 (MARKET_EVIDENCE.md §2: officials sold $159bn), a liquidity-motivated sale at a
#: market before the repo opened: the case the switch is for.
SALE_2015 = {"holder": "foreign_official", "amount_bn": "159", "months": "3", "at": "2015-07", "draws": "200",
             "liquidity_stress": "0", "backstop": "on"}


@pytest.fixture()
def session(browser: Any, base_url: str) -> Iterator[Session]:  # noqa: F811 - base_url: the imported fixture
    yield from browser_session(browser, base_url)


def impact_queries(s: Session) -> list[dict[str, str]]:
    """The queries of every ``GET /api/market/impact`` the page made, in order (each field's one value)."""
    urls = [u for u in s.requests if urlsplit(u).path == "/api/market/impact"]
    return [{k: v[-1] for k, v in parse_qs(urlsplit(u).query).items()} for u in urls]


def test_fima_switch_is_sent_and_the_answer_says_it_is_off(session: Session) -> None:
    """The form's FIMA repo control is on by default and goes with every request; switched off for a liquidity sale,
    the request carries ``fima=off``, the sentence says "FIMA repo off", the repo finances nothing and the figures
    are the API's for fima=off (a larger peak: the whole sale reaches the market)."""
    page = session.page
    open_impact(session)
    assert page.input_value("#impact-fima") == "on"
    assert impact_queries(session)[-1]["fima"] == "on"  # the default sale, priced on opening, sends it too

    query = price(session, motive="liquidity", fima="on", **SALE_2015)
    on = priced(session, query)
    assert impact_queries(session)[-1]["fima"] == "on" and on["fima"] == "on"
    assert on["fima_bn_median"] > 0.0  # (else the switch could change nothing this test can see)
    assert page.inner_text("#impact-sentence") == impact_sentence(on)
    assert "FIMA repo off" not in page.inner_text("#impact-sentence")
    assert page.inner_text("#impact-stabilisers") == (
        f"Median over the draws: the Fed backstop buys ${usd_bn(on['backstop_bn_median'])}bn; the FIMA repo finances "
        f"${usd_bn(on['fima_bn_median'])}bn of the sale (not sold).")
    rows_on = impact_rows(session)

    query = price(session, fima="off")
    assert query["fima"] == "off" and query["motive"] == "liquidity"
    off = priced(session, query)  # (waits for the answer drawn for exactly this query, fima=off in it)
    sent = impact_queries(session)[-1]
    assert sent["fima"] == "off" and {k: sent.get(k) for k in query} == query, sent
    assert off["fima"] == "off" and off["fima_bn_median"] == 0.0
    assert off["peak_10y_change_bp"] > on["peak_10y_change_bp"]  # the repo's share is sold now
    sentence = page.inner_text("#impact-sentence")
    assert sentence == impact_sentence(off)
    assert ", motive liquidity, backstop on, FIMA repo off, 200 parameter draws" in sentence, sentence
    assert page.inner_text("#impact-stabilisers") == (
        f"Median over the draws: the Fed backstop buys ${usd_bn(off['backstop_bn_median'])}bn; the FIMA repo is off, "
        "so it finances none (the whole sale is sold).")
    assert impact_rows(session) == expected_rows(off) != rows_on
    # before March 2020 the note names what still acts as it would today: the backstop only, not the repo
    note = page.inner_text("[data-testid=impact-stabilisers-note]")
    assert note == f"Note: {off['stabilisers_note']}." and "FIMA" not in note and "`backstop` off" in note

    # a diversification sale never draws on the repo: the switch changes nothing and the sentence does not name it
    query = price(session, motive="diversification")
    assert query["fima"] == "off"
    d = priced(session, query)
    assert impact_queries(session)[-1]["fima"] == "off"
    assert page.inner_text("#impact-sentence") == impact_sentence(d) and "FIMA" not in impact_sentence(d)
    assert page.inner_text("#impact-stabilisers").endswith(
        "the FIMA repo finances none (only a liquidity sale draws on it).")

    # and switched on again, the liquidity sale is the first answer again
    query = price(session, motive="liquidity", fima="on")
    again = priced(session, query)
    assert impact_queries(session)[-1]["fima"] == "on"
    assert impact_rows(session) == rows_on == expected_rows(again)
    session.assert_no_errors()
    session.assert_loopback_only()
