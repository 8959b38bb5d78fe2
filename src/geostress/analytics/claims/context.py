"""What the extractor remembers across the sentences of one article (:class:`Context`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from geostress.analytics.claims.dates import DateMention
from geostress.analytics.claims.holders import Holder
from geostress.analytics.claims.tables import Table


@dataclass
class Context:
    """What earlier sentences said: the last holder and instrument named, the article's reporting month and fiscal
    years, and the dates stated so far (for 當時).

    Periods carry by family of series (:func:`series_family`: TIC holdings, gold, yields…): ``periods`` holds, for each
    family, the latest month a sentence stated for its figures (the article's reporting month for that family),
    ``last`` the month stated last (what 同期 / "the same month" refers to). A gold month never carries to a TIC
    figure, nor a TIC month to a yield. ``period`` is the latest month over all families (for figures of another
    family: a deficit, FX reserves).
    """

    holder: Holder | None = None
    instrument: str | None = None
    #: the instrument of the last sentence that stated dollar amounts: a sentence about something else between
    #: ("… agreed on a 15% tariff.") does not cut the link of the next holder's amounts to it
    money_instrument: str | None = None
    #: the commodity the last sentence naming one was about (``gold`` or ``other``: rare earths, oil…): a tonnage
    #: with no commodity named in its own sentence is gold only after a sentence about gold
    commodity: str | None = None
    period: DateMention | None = None
    fiscal: list[DateMention] = field(default_factory=list)
    explicit: list[DateMention] = field(default_factory=list)  # dates with a year, in order (for 當時)
    article: date | None = None
    periods: dict[str, DateMention] = field(default_factory=dict)
    last: dict[str, DateMention] = field(default_factory=dict)
    clause_prefix: str = ""  # the sentence so far when the text before ended with "；" (a clause of the same sentence)
    #: the period of the last yield stated in the sentence so far when the text before ended with "；" (a month, a
    #: year or a day): a yield after the "；" with no date of its own takes it
    clause_yield: DateMention | None = None
    #: the months of two levels of one holder the sentence before stated ("$683.5 billion in December 2025, down
    #: from $759.0 billion in December 2024"): a change of that holder in the next sentence with no date of its own
    #: runs between them
    level_pair: tuple[str, tuple[DateMention, DateMention]] | None = None
    table: Table | None = None  # the text table whose rows are being read (see :mod:`.tables`)
    recent: list[str] = field(default_factory=list)  # the last sentences read (a table's notes come before it)
    #: whether the sentence being read starts a paragraph or a line (or the text was read in chunks, where that is not
    #: known): a pronoun's referent ("it is up 29 basis points") is never carried across one
    new_paragraph: bool = True

    def carried(self, family: str) -> DateMention | None:
        """The period a figure of ``family`` with no date of its own takes from earlier sentences: the latest
        month stated for that family; None for a TIC, gold or yield figure when none was (the checker then takes
        the latest release at the article's date); else the latest month stated for any figure."""
        found = self.periods.get(family)
        if found is not None or family in _OWN_PERIOD_FAMILIES:
            return found
        return self.period

    def same(self, family: str) -> DateMention | None:
        """What 同期 / "the same month" / "that month" means for a figure of ``family``: the period stated last for
        that family, else the one stated last for any figure."""
        return self.last.get(family) or self.last.get("*")


#: Families of series whose figures carry a period only from sentences about the same family.
_OWN_PERIOD_FAMILIES = frozenset({"tic", "gold", "yield"})


def series_family(measure: str | None, instrument: str | None) -> str:
    """The family of series a figure belongs to, for publication lags and for carrying periods between sentences:
    ``tic`` (Treasury holdings), ``gold``, ``fx``, ``yield`` or ``default`` (fiscal and other figures)."""
    if measure == "yield" or instrument == "yield":
        return "yield"
    if measure and measure.startswith("gold") or instrument == "gold" or measure == "streak_months":
        return "gold"
    if instrument in ("fx", "reserves"):
        return "fx"
    if instrument == "flows":
        return "tic"
    if instrument in ("ust", None) or (measure and ("holdings" in measure or "change" in measure)):
        return "tic"
    return "default"
