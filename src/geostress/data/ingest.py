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
from geostress.errors import DataError, ParseError, SourceUnavailableError

ProgressHook = Callable[[str, int, int | None], None]


#: Largest raw file accepted (the biggest official file used is a few MB; this stops /dev/zero and the like).
MAX_FILE_BYTES = 256 * 1024 * 1024


def parse_options(module: object, options: dict[str, object]) -> dict[str, object]:
    """The ``options`` that ``module.parse`` accepts (e.g. ``allow_new_names`` for ``tic-mfh``).

    Raises
    ------
    DataError
        An option the source does not have, naming it and the source.
    """
    accepted = inspect.signature(module.parse).parameters  # type: ignore[attr-defined]
    unknown = [k for k, v in options.items() if v and k not in accepted]
    if unknown:
        name = getattr(module, "NAME", "this source")
        flag = "--" + unknown[0].replace("_", "-")
        raise DataError(f"{flag} does not apply to source {name!r}; drop it")
    return {k: v for k, v in options.items() if k in accepted}


def read_raw(file: Path) -> bytes:
    """The bytes of one file to import, refusing folders, devices and files over :data:`MAX_FILE_BYTES`."""
    try:
        if not file.is_file():
            what = "a folder" if file.is_dir() else "not a regular file" if file.exists() else "not found"
            raise DataError(f"cannot import {file}: {what}; give the path of an official file")
        size = file.stat().st_size
        if size > MAX_FILE_BYTES:
            raise DataError(
                f"cannot import {file}: {size / 1e6:,.0f} MB is over the {MAX_FILE_BYTES / 1e6:,.0f} MB limit "
                "for one official file; check that this is the file you meant"
            )
        with open(file, "rb") as fh:
            raw = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise DataError(f"cannot read {file}: {exc.strerror or exc}; check the path") from exc
    if len(raw) > MAX_FILE_BYTES:  # grew while being read
        raise DataError(f"cannot import {file}: over the {MAX_FILE_BYTES / 1e6:,.0f} MB limit for one file")
    return raw


def import_file(
    path: str | Path,
    source: str,
    *,
    vintage: date | None = None,
    store: Store | None = None,
    allow_new_names: bool = False,
) -> IngestResult:
    """Parse one official file from disk and store it as a new vintage.

    Parameters
    ----------
    path
        The raw file as published (e.g. ``mfhhis01.txt``).
    source
        Registry name of its source (``tic-mfh``, ``fred``, ``cbo-baselines``, ...).
    vintage
        Release date to record. A date printed in the file (TIC's footer, CBO's baseline dates) is the vintage;
        ``vintage`` must then agree with it. A file that prints none needs ``vintage``: none is ever guessed.
    store
        Target store; the default store under ``$GEOSTRESS_HOME`` when omitted.
    allow_new_names
        Accept names the source has never used (``tic-mfh``: a country not in its list of known holders),
        which otherwise are refused with close matches, since a damaged byte would create a new series.

    Raises
    ------
    ParseError
        The file is malformed, prints no release date and none was given, contradicts ``vintage``, or holds
        implausible values or unknown names; the message names the file, line and field. The store is
        unchanged.
    """
    module = get_source(source)
    file = Path(path)
    options = parse_options(module, {"allow_new_names": allow_new_names})
    raw = read_raw(file)
    release = module.parse(raw, origin=str(file), **options)
    return (store or Store()).ingest(release, raw, vintage=vintage, origin=str(file))


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
    allow_new_names: bool = False,
    **options: str,
) -> list[UpdateOutcome]:
    """Download the latest release of each source and store new vintages.

    ``allow_new_names`` is passed to the sources that check names (``tic-mfh``: a holder TIC never listed);
    other ``options`` go to each source's ``build_queries`` (e.g. ``api_key`` for FRED).

    A source that cannot be reached is reported in its :class:`UpdateOutcome` and the rest go on; if no source
    could be reached at all, :class:`SourceUnavailableError` is raised so the caller can say "offline" once.
    The store (and the embedded snapshot) stay as they were for every failed download.

    Vintages: a release date printed in the file; for a source that never prints one (FRED, the TIC current
    table) the download date, since that is what was known that day. A file that normally prints its date but
    came without it (a TIC history file cut short), or with implausible values, is reported and not stored.
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
                accepted = inspect.signature(module.parse).parameters
                extra = {"allow_new_names": True} if allow_new_names and "allow_new_names" in accepted else {}
                release = module.parse(raw, origin=query.url, **extra)
            except DataError as exc:
                outcomes.append(UpdateOutcome(name, query.url, None, str(exc)))
                continue
            try:
                result = target.ingest(release, raw, retrieved_at=retrieved, origin=query.url, downloaded=True)
            except ParseError as exc:  # no release date in a file that prints one, implausible values
                outcomes.append(UpdateOutcome(name, query.url, None, str(exc)))
                continue
            outcomes.append(UpdateOutcome(name, query.url, result))
    if outcomes and all(o.unreachable for o in outcomes):
        raise SourceUnavailableError(
            "no official source could be reached (no network connection, or every source is offline); check the "
            "connection or proxy and try again later. The store and the embedded snapshot stay in use"
        )
    return outcomes
