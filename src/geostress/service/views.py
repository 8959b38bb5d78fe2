"""Build the service's JSON answers from the store and the server's scenario folder (no web framework here).

Scenario files are only ever looked up by name in the folder the server was started with; a client never gives
a path.
"""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from geostress.data.store import Store
from geostress.errors import DataError, GeostressError, ScenarioError
from geostress.util.jsonable import jsonable
from geostress.util.tomlfile import read_toml

MAX_SCENARIO_BYTES = 256 * 1024


def _iso(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return None
    return f"{pd.Timestamp(value):%Y-%m-%d}"


def catalog_records(store: Store) -> list[dict[str, Any]]:
    """``Store.catalog()`` as JSON records (dates as ``YYYY-MM-DD``)."""
    frame = store.catalog()
    out = []
    for row in frame.itertuples(index=False):
        out.append({
            "series_id": row.series_id, "label": row.label, "source": row.source, "unit": row.unit,
            "start": _iso(row.start), "end": _iso(row.end), "observations": int(row.observations),
            "latest_vintage": _iso(row.latest_vintage), "vintages": int(row.vintages),
        })  # fmt: skip
    return out


def series_payload(store: Store, entry: dict[str, Any], *, start: date | None, end: date | None,
                   as_of: date | None) -> dict[str, Any]:  # fmt: skip
    """One series' observations (latest value per period released on or before ``as_of``)."""
    frame = store.get(entry["series_id"], start=start, end=end, as_of=as_of)
    observations = [
        {"period": f"{p:%Y-%m-%d}", "value": None if not math.isfinite(v) else float(v), "vintage": f"{vi:%Y-%m-%d}"}
        for p, v, vi in zip(frame["period"], frame["value"].astype(float), frame["vintage"], strict=True)
    ]
    label = str(frame["label"].iloc[-1]) if len(frame) else entry.get("label")
    unit = str(frame["unit"].iloc[-1]) if len(frame) else entry.get("unit")
    return {"series_id": entry["series_id"], "label": label, "unit": unit, "observations": observations}


def holders_payload(store: Store, top: int) -> dict[str, Any]:
    """Monthly history (USD bn) of the ``top`` largest foreign holders at the latest TIC month.

    Countries are the TIC rows that are not totals (:data:`geostress.analytics.monitor.TIC_AGGREGATES`), ranked on the month
    of the latest grand total, as in :func:`geostress.analytics.monitor.build_monitor`.
    """
    from geostress.analytics.monitor import TIC_AGGREGATES, TIC_PREFIX

    ids = [s for s in store.series_ids() if s.startswith(TIC_PREFIX)]
    total_id = f"{TIC_PREFIX}grand_total"
    if total_id not in ids:
        raise DataError("no TIC holdings data in the store; import a TIC file (geostress data import)")
    tic = store.get(ids)
    labels = tic.groupby("series_id")["label"].last()
    wide = tic.pivot_table(index="period", columns="series_id", values="value").sort_index()
    latest = wide[total_id].dropna().index.max()
    countries = [c for c in wide.columns if c.removeprefix(TIC_PREFIX) not in TIC_AGGREGATES]
    ranked = wide.loc[latest, countries].dropna().sort_values(ascending=False)
    chosen = list(ranked.index[:top])
    return {
        "months": [f"{p:%Y-%m}" for p in wide.index],
        "holders": [{"series_id": sid, "label": str(labels[sid]), "values": jsonable(wide[sid].tolist())}
                    for sid in chosen],
    }


def _scenario_files(folder: Path | None) -> list[Path]:
    """The packaged presets and the files of ``folder`` (and ``$GEOSTRESS_SCENARIOS``), which shadow presets of the
    same name; files over :data:`MAX_SCENARIO_BYTES` are left out."""
    from geostress.spec.presets import list_presets

    extra = folder if folder is not None and folder.is_dir() else None
    out = []
    for preset in list_presets(extra=extra):
        try:
            if preset.path.is_file() and preset.path.stat().st_size <= MAX_SCENARIO_BYTES:
                out.append(preset.path)
        except OSError:
            continue
    return sorted(out, key=lambda p: p.name)


def file_kind(path: Path) -> str | None:
    """A scenario file's kind from its content (``scenario``, ``minerals``, ``sweep``), never its name; ``None``
    when the file does not load."""
    from geostress.spec.documents import load_document

    try:
        return load_document(path).kind
    except GeostressError:
        return None


def _toml_meta(path: Path) -> dict[str, Any]:
    meta = read_toml(path).get("scenario", {})
    return meta if isinstance(meta, dict) else {}


def run_scenarios(folder: Path | None) -> list[dict[str, Any]]:
    """The fiscal/market scenarios (kind ``scenario``) among the presets and ``folder``'s files, those that load."""
    from geostress.spec.scenario import load_scenario

    out = []
    for path in _scenario_files(folder):
        if file_kind(path) != "scenario":
            continue
        try:
            spec = load_scenario(path)
        except GeostressError:
            continue
        out.append({"name": spec.scenario.name, "file": path.name, "description": spec.scenario.description,
                    "coupled": spec.coupled, "spec": spec.model_dump(mode="json")})
    return out


def _minerals_files(folder: Path | None) -> list[tuple[dict[str, Any], Path]]:
    out = []
    for path in _scenario_files(folder):
        if file_kind(path) != "minerals":
            continue
        try:
            meta = _toml_meta(path)
        except ScenarioError:
            continue
        name = meta.get("name")
        out.append(({"name": str(name) if isinstance(name, str) and name else path.stem, "file": path.name,
                     "description": str(meta.get("description", ""))}, path))
    return out


def minerals_scenarios(folder: Path | None) -> list[dict[str, Any]]:
    """The minerals scenarios (kind ``minerals``) among the presets and ``folder``'s files: name (from the
    file's ``[scenario]``; two files may declare the same), file (unique: its stem is the id a client should send)
    and description."""
    return [entry for entry, _ in _minerals_files(folder)]


def find_minerals_files(folder: Path | None, name: str) -> list[tuple[dict[str, Any], Path]]:
    """The minerals files ``name`` means (from the listing only): the one whose file stem or file name it is,
    else every file that declares it as its scenario name (more than one: the name is ambiguous)."""
    files = _minerals_files(folder)
    exact = [(entry, path) for entry, path in files if name in (path.stem, entry["file"])]
    return exact or [(entry, path) for entry, path in files if entry["name"] == name]


def find_minerals_file(folder: Path | None, name: str) -> Path | None:
    """The one minerals file ``name`` means (:func:`find_minerals_files`); ``None`` when none or several do."""
    found = find_minerals_files(folder, name)
    return found[0][1] if len(found) == 1 else None


def scenario_label(entry: dict[str, Any]) -> str:
    """How a listed scenario is named in a message: its id (file stem), with the declared name when that differs."""
    stem = entry["file"].removesuffix(".toml")
    return stem if entry["name"] == stem else f"{stem} ({entry['name']})"


def minerals_payload(path: Path, store: Store) -> dict[str, Any]:
    """Deterministic minerals run of one scenario file: the summary plus its monthly series grouped."""
    from geostress.run.minerals import run_minerals
    from geostress.spec.minerals import load_minerals_spec

    spec = load_minerals_spec(path)
    summary = dict(run_minerals(spec, store, monte_carlo_draws=0).summary)
    summary["file"] = path.name
    short = summary.get("shortfall_by_month_t")
    if isinstance(short, list):
        summary["monthly"] = {
            "months": list(range(1, len(short) + 1)),
            "shortfall_t": short,
            "price_usd_kg_global": summary.get("price_usd_kg_global", {}),
            "price_usd_kg_china_free": summary.get("price_usd_kg_china_free", {}),
        }
    return jsonable(summary)


def market_holders(store: Store, baseline: str) -> Any:
    """Holder sectors (:class:`~geostress.calibrate.market.Holders`) on the day before a run calibrated to the
    CBO ``baseline`` (``cbo:latest`` or ``cbo:YYYY-MM``) starts."""
    from geostress.calibrate.fiscal import load_cbo_baseline, parse_baseline_spec, run_start
    from geostress.run.coupled import holders_at_start

    return holders_at_start(store, run_start(load_cbo_baseline(store, parse_baseline_spec(baseline, store))))


def market_sectors_payload(holders: Any, baseline: str) -> dict[str, Any]:
    """The holder sectors a scenario's ``[[sales]]`` can name, with their holdings (the most each can sell)."""
    return {
        "baseline": baseline,
        "at": f"{holders.at:%Y-%m-%d}",
        "sectors": [{"name": sec.name, "group": sec.group, "holdings_bn": float(sec.holdings)}
                    for sec in holders.sectors],
    }


def claims_payload(text: str, lang: str, store: Store, article_date: str | None = None) -> dict[str, Any]:
    """Every claim ``text`` states, linked and checked against the store (:mod:`geostress.analytics.claims`)."""
    from datetime import date

    from geostress.analytics.claims.check import check_text

    claims, _when = check_text(text, store, lang=lang,
                               article_date=date.fromisoformat(article_date) if article_date else None)
    return {"claims": jsonable([c.to_json() for c in claims])}
