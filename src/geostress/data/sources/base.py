"""The contract every official source follows.

A source module has three stages and only the middle one touches the network:

1. ``build_queries(**options) -> list[Query]``: pure, says what to download;
2. :func:`download` (shared here): raw bytes over HTTP with time-outs and bounded retries;
3. ``parse(raw: bytes, *, origin: str) -> ParsedRelease``: pure, bytes to tidy observations.

A parser raises :class:`geostress.errors.ParseError` (naming file, line and field) and nothing else on bad input.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Protocol

import pandas as pd

from geostress.errors import ParseError, SourceUnavailableError

if TYPE_CHECKING:
    import httpx

#: Columns of the frame a parser returns. ``vintage`` may be absent: the release vintage then applies.
PARSED_COLUMNS = ["series_id", "label", "period", "value", "unit"]

#: Units used across sources (keep to these spellings).
UNIT_USD_BN = "USD bn"
UNIT_USD_MN = "USD mn"
UNIT_PERCENT = "percent"
UNIT_TONNES = "tonnes"
UNIT_MOZ = "million troy oz"
UNIT_METRIC_TONS_REO = "metric tons REO"


@dataclass(frozen=True)
class Query:
    """One download: an address, its parameters and a name for the raw file."""

    url: str
    params: dict[str, str] = field(default_factory=dict)
    filename: str = "download"
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ParsedRelease:
    """What a parser found in one raw file.

    Attributes
    ----------
    observations
        Tidy frame with :data:`PARSED_COLUMNS` (``period`` as ``datetime64``; period-end dates for monthly,
        quarterly and fiscal-year data, the observation date for daily and weekly data), optionally a
        ``vintage`` column when one file carries several vintages (CBO baselines).
    vintage
        Release date printed in the file, if any. It wins over one the user gives (which must then agree);
        without it the importer needs one from the user or the snapshot specification, and never invents one
        (see :func:`geostress.data.store.resolve_vintage`).
    source
        The registry name of the source that parsed it.
    missing_vintage_hint
        Set by a parser whose files normally print their release date when this one does not: why (e.g. "the
        footer ... is missing: the file may have been cut short"). Such a file is refused even from a
        download, unless the user gives the date.
    line_of
        Optional: the line of the file each ``(series_id, period)`` came from, so that the store's plausibility
        checks (periods, values by unit) can name the line too.
    """

    observations: pd.DataFrame
    source: str
    vintage: date | None = None
    missing_vintage_hint: str = ""
    line_of: Mapping[tuple[str, pd.Timestamp], int] | None = None


class SourceModule(Protocol):
    """What :mod:`geostress.data.sources` expects of a module."""

    NAME: str
    TITLE: str
    PUBLISHER: str
    LICENSE: str

    def build_queries(self, **options: str) -> list[Query]: ...

    def parse(self, raw: bytes, *, origin: str) -> ParsedRelease: ...


RETRY_STATUS = {429, 500, 502, 503, 504}


def download(
    query: Query,
    *,
    client: httpx.Client | None = None,
    retries: int = 3,
    timeout: float = 30.0,
    backoff: float = 1.0,
    sleep: Callable[[float], None] = time.sleep,
    progress: Callable[[int, int | None], None] | None = None,
) -> bytes:
    """Download one query's raw bytes.

    Retries on HTTP 429 and 5xx up to ``retries`` times with exponential back-off; any other HTTP error, or a
    connection failure, raises :class:`SourceUnavailableError` naming the address.

    Parameters
    ----------
    query
        What to fetch.
    client
        An ``httpx.Client`` to use (tests pass one with a mock transport); a new one is made otherwise.
    progress
        Called with (bytes so far, total or None) while streaming, for progress bars.
    """
    import httpx  # (here: reading the store, which imports this module, needs no HTTP client)

    own = client is None
    http = client or httpx.Client(timeout=timeout, follow_redirects=True)
    try:
        last: str = ""
        for attempt in range(retries + 1):
            try:
                with http.stream("GET", query.url, params=query.params or None, headers=query.headers) as resp:
                    if resp.status_code in RETRY_STATUS and attempt < retries:
                        last = f"HTTP {resp.status_code}"
                        sleep(backoff * 2**attempt)
                        continue
                    if resp.status_code >= 400:
                        raise SourceUnavailableError(
                            f"{query.url} answered HTTP {resp.status_code}; check the address or try later"
                        )
                    total = int(resp.headers["content-length"]) if "content-length" in resp.headers else None
                    chunks: list[bytes] = []
                    got = 0
                    for chunk in resp.iter_bytes():
                        chunks.append(chunk)
                        got += len(chunk)
                        if progress is not None:
                            progress(got, total)
                    return b"".join(chunks)
            except httpx.TimeoutException as exc:
                last = f"timed out ({exc.__class__.__name__})"
                if attempt < retries:
                    sleep(backoff * 2**attempt)
                    continue
            except httpx.TransportError as exc:
                raise SourceUnavailableError(
                    f"cannot reach {query.url} ({exc.__class__.__name__}: {exc}); are you offline? "
                    "The embedded snapshot stays in use."
                ) from exc
        raise SourceUnavailableError(f"{query.url} failed after {retries + 1} tries ({last}); try again later")
    finally:
        if own:
            http.close()


def decode_text(raw: bytes, *, origin: str, encodings: tuple[str, ...] = ("utf-8-sig",)) -> str:
    """Decode ``raw`` with the first encoding that works; a :class:`ParseError` names the first bad line."""
    if not raw.strip():
        raise ParseError("the file is empty", file=origin, hint="download it again")
    for enc in encodings:
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    try:
        raw.decode(encodings[0])
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ParseError(
            f"bytes are not valid {encodings[0]} text (byte {exc.start})",
            file=origin,
            line=line,
            hint="the file may be damaged or in another encoding; download it again",
        ) from exc
    raise AssertionError("unreachable")  # pragma: no cover


#: A number whose commas are thousands separators: 1 to 3 digits, then groups of exactly three (``1,316.7``).
_GROUPED_NUMBER = re.compile(r"[+-]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]*)?")


def strip_thousands(cell: str, *, origin: str, line: int | None, field: str | None) -> str:
    """The text of a numeric cell without its thousands separators, refusing any other comma.

    The one rule every parser applies to commas in numbers: a comma is accepted only as thousands grouping
    (``12,345`` and ``1,316.7``: one to three digits, then groups of exactly three). Anything else (a decimal
    comma such as ``4,69`` or ``683,5``, or a damaged cell such as ``12,34,5``) would otherwise be read as a
    number 10 or 100 times too large, so it is refused.

    Parameters
    ----------
    cell
        The cell as written (surrounding spaces and double quotes are removed).
    origin, line, field
        Where the cell is, for the error message.

    Raises
    ------
    ParseError
        A comma that is not thousands grouping, naming file, line and field.
    """
    text = cell.strip().strip('"').strip()
    if "," not in text:
        return text
    if _GROUPED_NUMBER.fullmatch(text) is not None:
        return text.replace(",", "")
    try:
        float(text.replace(",", ""))
    except ValueError:  # not a number at all: the caller says "expected a number"
        return text.replace(",", "")
    raise ParseError(
        f"{text[:40]!r} has a comma that is not a thousands separator (one comes before each group of three "
        "digits, as in 1,316.7)",
        file=origin,
        line=line,
        field=field,
        hint="a decimal comma or a damaged cell would be read 10 or 100 times too large, so the file is "
        "refused; download the official file again (a copy re-saved with decimal commas cannot be imported)",
    )


def parse_number(cell: str, *, origin: str, line: int, field: str) -> float:
    """Parse a numeric cell (commas allowed only as thousands separators, :func:`strip_thousands`) or raise a
    precise :class:`ParseError`."""
    text = strip_thousands(cell, origin=origin, line=line, field=field)
    hint = "the file may be damaged; check the cell or download the file again"
    try:
        value = float(text)
    except ValueError:
        raise ParseError(
            f"expected a number, found {cell.strip()!r}", file=origin, line=line, field=field, hint=hint
        ) from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ParseError(
            f"expected a finite number, found {cell.strip()!r}", file=origin, line=line, field=field, hint=hint
        )
    return value


def slugify(name: str) -> str:
    """Lowercase, ASCII, underscore-separated slug: ``"China, Mainland"`` → ``"china_mainland"``."""
    import re
    import unicodedata

    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")
    return text


def make_frame(rows: list[tuple[str, str, pd.Timestamp | str, float, str]]) -> pd.DataFrame:
    """Build a parsed-observations frame from ``(series_id, label, period, value, unit)`` rows."""
    frame = pd.DataFrame(rows, columns=PARSED_COLUMNS)
    frame["period"] = pd.to_datetime(frame["period"])
    frame["value"] = frame["value"].astype("float64")
    return frame


def check_unique_periods(frame: pd.DataFrame, *, origin: str, line_of: dict[tuple[str, pd.Timestamp], int] | None = None) -> None:
    """Raise :class:`ParseError` when a series has the same period twice (a duplicated month)."""
    keys = ["series_id", "period"] + (["vintage"] if "vintage" in frame.columns else [])
    dup = frame.duplicated(keys, keep="first")
    if dup.any():
        row = frame[dup].iloc[0]
        period = pd.Timestamp(row["period"])
        line = None if line_of is None else line_of.get((row["series_id"], period))
        raise ParseError(
            f"period {period:%Y-%m-%d} of series {row['series_id']} appears twice",
            file=origin,
            line=line,
            field=str(row["label"]),
            hint="the file is duplicated or damaged; download it again",
        )
