"""Import official files and update from the live sources into the store.

This is the only data module that combines the three stages of a source (query → download → parse) with the
store; the stages themselves live in :mod:`geostress.data.sources`.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import httpx

from geostress.data.sources import SOURCE_MODULES, get_source
from geostress.data.sources.base import Query, download
from geostress.data.store import IngestResult, Store
from geostress.errors import DataError, SourceUnavailableError

ProgressHook = Callable[[str, int, int | None], None]


def import_file(
    path: str | Path,
    source: str,
    *,
    vintage: date | None = None,
    store: Store | None = None,
) -> IngestResult:
    """Parse one official file from disk and store it as a new vintage.

    Parameters
    ----------
    path
        The raw file as published (e.g. ``mfhhis01.txt``).
    source
        Registry name of its source (``tic-mfh``, ``fred``, ``cbo-baselines``, ...).
    vintage
        Release date to record; by default the date printed in the file, else today's date.
    store
        Target store; the default store under ``$GEOSTRESS_HOME`` when omitted.

    Raises
    ------
    ParseError
        The file is malformed; the message names the file, line and field. The store is unchanged.
    """
    module = get_source(source)
    file = Path(path)
    try:
        raw = file.read_bytes()
    except OSError as exc:
        raise DataError(f"cannot read {file}: {exc.strerror or exc}; check the path") from exc
    release = module.parse(raw, origin=str(file))
    return (store or Store()).ingest(release, raw, vintage=vintage)


@dataclass(frozen=True)
class UpdateOutcome:
    """One download of ``data update``: what was stored, or why not."""

    source: str
    url: str
    result: IngestResult | None
    error: str | None = None
    unreachable: bool = False


def _queries(module: object, options: dict[str, str]) -> list[Query]:
    build = module.build_queries  # type: ignore[attr-defined]
    accepted = inspect.signature(build).parameters
    takes_any = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in accepted.values())
    return build(**{k: v for k, v in options.items() if (takes_any or k in accepted) and v is not None})


def update(
    sources: list[str] | None = None,
    *,
    store: Store | None = None,
    client: httpx.Client | None = None,
    progress: ProgressHook | None = None,
    **options: str,
) -> list[UpdateOutcome]:
    """Download the latest release of each source and store new vintages.

    A source that cannot be reached is reported in its :class:`UpdateOutcome` and the rest go on; if no source
    could be reached at all, :class:`SourceUnavailableError` is raised so the caller can say "offline" once.
    The store (and the embedded snapshot) stay as they were for every failed download.
    """
    target = store or Store()
    outcomes: list[UpdateOutcome] = []
    for name in sources or list(SOURCE_MODULES):
        module = get_source(name)
        for query in _queries(module, options):
            hook = None if progress is None else (lambda got, total, _u=query.url: progress(_u, got, total))
            try:
                raw = download(query, client=client, progress=hook)
            except SourceUnavailableError as exc:
                outcomes.append(UpdateOutcome(name, query.url, None, str(exc), unreachable=True))
                continue
            retrieved = datetime.now(UTC)
            try:
                release = module.parse(raw, origin=query.url)
            except DataError as exc:
                outcomes.append(UpdateOutcome(name, query.url, None, str(exc)))
                continue
            outcomes.append(UpdateOutcome(name, query.url, target.ingest(release, raw, retrieved_at=retrieved)))
    if outcomes and all(o.unreachable for o in outcomes):
        raise SourceUnavailableError(
            "no official source could be reached (offline?); the store and the embedded snapshot stay in use"
        )
    return outcomes
