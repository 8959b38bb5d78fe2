"""Claims check: defects found by the twelfth held-out review (a podcast, a Q&A, a letter, a thread, a legislative
hearing, a morning note, a TV bulletin, a correction notice).

Each test states the general rule it checks, with guards for what must not change. Sentences are written for the
tests, not taken from the articles. The store's figures used (``geostress data show``):

* fred.dgs10: 2026-02-11 4.18, 02-12 4.09; 2026-03-19 4.25, 03-20 4.39, 03-23 4.34, 03-24 4.39; 2026-08-18 4.71,
  08-20 4.69.
* fred.gs2 (monthly averages): 2026-04 3.80, 2026-05 4.00; fred.dgs2 closes 2026-04-30 3.88, 2026-05-29 3.98.
* tic.mfh: grand_total 2025-12 9,271.0; united_kingdom 2025-12 866.0; china_mainland 2024-12 759.0, 2025-12 683.5.
* CBO net interest FY2025 (actual) 969.9.
"""

from __future__ import annotations

from datetime import date

import pytest
from claims_support import claims_of, one

from geostress.analytics.claims.check import Checker

MARCH_2026 = date(2026, 3, 30)
FEB_2026 = date(2026, 2, 20)
JUNE_2026 = date(2026, 6, 10)
AUG_2026 = date(2026, 8, 25)


def _verdict(text: str, when: date, quote: str, checker: Checker) -> tuple[str, str | None, str | None]:
    claim = one(text, when, checker, quote=quote)
    return claim.verdict, claim.reason, claim.measure


# -- 1. decoys: figures that are not a Treasury, holdings or fiscal figure ---------------------------------------

@pytest.mark.parametrize(
    ("text", "quote", "verdict"),
    [
        # a per-unit step before a dollar figure: the figure is the step's effect (a sensitivity)
        ("Net interest was $970 billion in fiscal 2025. For each 25 basis points the 10-year rises, the government "
         "pays about $75 billion more in interest.", "$75", "not_checkable"),
        ("美国2025财年净利息支出为9700亿美元。收益率每上升10个基点，利息支出增加300亿美元。", "300亿", "not_checkable"),
        # guard: the observed figure before it is still checked; "every year" is no step
        ("Net interest was $970 billion in fiscal 2025. For every 25 basis points on the 10-year, interest costs "
         "rise by about $75 billion over ten years.", "$970", "supported"),
    ],
)
def test_per_unit_step_makes_the_figure_after_it_a_sensitivity(text: str, quote: str, verdict: str,
                                                               checker: Checker) -> None:
    assert _verdict(text, MARCH_2026, quote, checker)[0] == verdict


@pytest.mark.parametrize(
    ("text", "quote", "verdict"),
    [
        # the writer's own country's bond (國內, 我國): not a Treasury
        ("美國10年期公債殖利率3月24日收在4.39%。我國10年期公債殖利率約1.5%。", "1.5%", "not_checkable"),
        ("美国10年期国债收益率3月24日收于4.39%。国内10年期国债收益率约1.8%。", "1.8%", "not_checkable"),
        # guard: the US quote itself
        ("美國10年期公債殖利率3月24日收在4.39%。我國10年期公債殖利率約1.5%。", "4.39%", "supported"),
        # a rate named before a relative clause ("which was", "at") is the figure's subject
        ("The 10-year Treasury yield closed at 4.69% on Aug. 20. Spain's 10-year Bono yield, which was 3.1%, "
         "barely moved.", "3.1%", "not_checkable"),
        ("The 10-year Treasury yield closed at 4.69% on Aug. 20. The 30-year fixed mortgage rate, at 6.4%, "
         "barely moved.", "6.4%", "not_checkable"),
        # a central bank's policy rate is not a yield
        ("The 10-year Treasury yield closed at 4.69% on Aug. 20. The BoE's bank rate stands at 4%.", "4%",
         "not_checkable"),
        ("The 10-year Treasury yield closed at 4.69% on Aug. 20. The repo rate is 2.5%.", "2.5%", "not_checkable"),
        # guard: a Treasury tenor's yield named after the policy rate is the Treasury's again
        ("The Fed held its policy rate and the 10-year yield rose to 4.71% on Aug. 18.", "4.71%", "supported"),
    ],
)
def test_other_rates_are_not_treasury_yields(text: str, quote: str, verdict: str, checker: Checker) -> None:
    got, _reason, measure = _verdict(text, AUG_2026 if "Aug" in text else MARCH_2026, quote, checker)
    assert got == verdict
    assert (measure is None) == (verdict == "not_checkable")  # a decoy is read as no Treasury yield at all


def test_taiwan_fx_reserves_are_not_treasury_holdings(checker: Checker) -> None:
    text = "2025年12月英國持有美國公債8660億美元。本行外匯存底約6,000億美元。"
    verdict, reason, measure = _verdict(text, MARCH_2026, "6,000", checker)
    assert (verdict, measure) == ("not_checkable", None)
    assert reason is not None and "foreign-exchange reserves" in reason
    assert _verdict(text, MARCH_2026, "8660", checker)[0] == "supported"


# -- 2. 外國投資人合計: the Grand Total -----------------------------------------------------------------------------

@pytest.mark.parametrize("holder_words", ["外國投資人合計", "外國投資人共"])
def test_traditional_foreign_investors_total_is_the_grand_total(holder_words: str, checker: Checker) -> None:
    text = f"2025年12月英國持有美國公債8660億美元。{holder_words}持有9兆2710億美元。"
    claim = one(text, MARCH_2026, checker, quote="9兆2710")
    assert (claim.verdict, claim.holder) == ("supported", "Grand Total")


# -- 3. a speaker's label before a sentence-opening frame ------------------------------------------------------

@pytest.mark.parametrize(
    "text",
    [
        "2025年12月中國大陸持有美國公債6835億美元。部長：與2024年12月相比，中國大陸減持755億美元。",
        "China held $683.5 billion of Treasuries in December 2025. Host: Compared with December 2024, China's "
        "holdings fell $75.5 billion.",
    ],
)
def test_speaker_label_does_not_hide_a_compared_with_frame(text: str, checker: Checker) -> None:
    claim = one(text, MARCH_2026, checker, quote="75")
    assert (claim.measure, claim.verdict) == ("annual_change", "supported")


# -- 4. a day in a move's own clause ---------------------------------------------------------------------------

def test_day_in_the_moves_own_clause_dates_the_move(checker: Checker) -> None:
    text = "The 10-year closed at 4.34% on March 23, and on March 20 it jumped 14 basis points."
    claim = one(text, MARCH_2026, checker, quote="14 basis")
    assert claim.verdict == "supported"
    zh = "美國10年期公債殖利率3月23日收在4.34%，3月20日單日上漲14個基點。"
    assert one(zh, MARCH_2026, checker, quote="14個").verdict == "supported"


# -- 5. a move of monthly averages -----------------------------------------------------------------------------

def test_move_of_monthly_averages_is_average_to_average(checker: Checker) -> None:
    # gs2 3.80 -> 4.00 (+20 bp); the closes 3.88 -> 3.98 would be +10 bp
    claim = one("The two-year's monthly average rose 20 basis points from April to May.", JUNE_2026, checker,
                quote="20 basis")
    assert claim.verdict == "supported"
    wrong = one("The two-year's monthly average rose 10 basis points from April to May.", JUNE_2026, checker,
                quote="10 basis")
    assert wrong.verdict == "contradicted"


# -- 6. thread shorthand for a tenor ---------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        ("The 10Y dropped 9 bps on Feb 12.", "supported"),
        ("10yr down 9bp on Feb 12.", "supported"),
        ("The 10Y dropped 5 bps on Feb 12.", "contradicted"),
    ],
)
def test_thread_shorthand_names_the_tenor_of_a_move(text: str, verdict: str, checker: Checker) -> None:
    claim = one(text, FEB_2026, checker, measure="yield_move")
    assert claim.verdict == verdict
    # guard: "2s10s" is a spread, not a tenor
    assert not [c for c in claims_of("2s10s widened 9 bps on Feb 12.", FEB_2026, checker) if c.measure == "yield_move"]


# -- 7. a correction's retracted figure; a year lent to a recent day -------------------------------------------

@pytest.mark.parametrize(
    ("text", "quote"),
    [
        ("The 10-year Treasury yield closed at 4.69% on Aug. 20, not 4.96% as originally reported.", "4.96%"),
        ("美國10年期公債殖利率8月20日收在4.69%，而非原報導的4.96%。", "4.96%"),
    ],
)
def test_retracted_figure_of_a_correction_is_not_a_claim(text: str, quote: str, checker: Checker) -> None:
    verdict, reason, measure = _verdict(text, AUG_2026, quote, checker)
    assert (verdict, measure) == ("not_checkable", None)
    assert reason is not None and "says was wrong" in reason
    assert _verdict(text, AUG_2026, "4.69%", checker)[0] == "supported"  # guard: the corrected figure


def test_year_lent_by_an_earlier_date_does_not_make_a_recent_day_stale(checker: Checker) -> None:
    # dgs10 2026-03-25 4.33 (2025-03-25 was 4.31); article dated 2026-03-26
    text = "Japan held $1,185.5 billion of Treasuries in December 2025, and the 10-year closed at 4.33% on March 25."
    claim = one(text, date(2026, 3, 26), checker, quote="4.33%")
    assert (claim.verdict, claim.period, claim.day) == ("supported", "2026-03", 25)
    # guard: a day of the lender's own month keeps its year
    guard = one("In March 2025, the 10-year closed at 4.31% on March 25.", date(2026, 3, 26), checker, quote="4.31%")
    assert (guard.verdict, guard.period) == ("supported", "2025-03")
