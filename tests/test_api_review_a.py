"""The Python API review (part A): ``check_text``'s arguments, pickling every error, ``impact(backstop=)``,
``run_minerals``'s arguments and draw limit, and the contagion interface snippet running as written."""

from __future__ import annotations

import datetime as dt
import inspect
import pickle
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import geostress.errors as errors_module
from geostress.analytics.claims import check_text
from geostress.analytics.claims.reading import InputError
from geostress.data.store import Store, VintageError
from geostress.errors import (DataError, GeostressError, LimitError, ParseError, ScenarioError, SourceUnavailableError,
                              StoreError, UnknownSeriesError)

REPO = Path(__file__).resolve().parents[1]
ARTICLE = "China held $759.0 billion of Treasuries in September, the data showed."


# -- 1. check_text's arguments ------------------------------------------------------------------------------------
@pytest.mark.parametrize("when", ["2025-04-10", pd.Timestamp("2025-04-10"), dt.datetime(2025, 4, 10, 12),
                                  np.datetime64("2025-04-10")], ids=["str", "Timestamp", "datetime", "datetime64"])
def test_check_text_article_date_likes_read_as_the_date(store: Store, when: object) -> None:
    expected, used = check_text(ARTICLE, store, article_date=dt.date(2025, 4, 10))
    assert used == dt.date(2025, 4, 10) and [(c.period, c.verdict) for c in expected] == [("2024-09", "contradicted")]
    claims, used = check_text(ARTICLE, store, article_date=when)
    assert used == dt.date(2025, 4, 10) and type(used) is dt.date
    assert [(c.period, c.verdict, c.official_value) for c in claims] == \
        [(c.period, c.verdict, c.official_value) for c in expected]


@pytest.mark.parametrize("when", ["garbage", "2025-13-01", "", 20250410, 2025.5, pd.NaT, np.datetime64("NaT"),
                                  ["2025-04-10"]])
def test_check_text_refuses_what_is_not_a_date(store: Store, when: object) -> None:
    with pytest.raises(GeostressError, match="article_date") as info:
        check_text(ARTICLE, store, article_date=when)
    assert isinstance(info.value, InputError) and info.value.parameter == "article_date"


@pytest.mark.parametrize(("kwargs", "parameter"), [
    ({"text": None}, "text"), ({"text": ARTICLE.encode()}, "text"), ({"text": 12}, "text"),
    ({"lang": "fr"}, "lang"), ({"lang": None}, "lang"), ({"lang": "EN"}, "lang"),
])
def test_check_text_refuses_bad_text_and_lang_naming_them(store: Store, kwargs: dict, parameter: str) -> None:
    text = kwargs.pop("text", ARTICLE)
    with pytest.raises(InputError, match=rf"\b{parameter}\b") as info:
        check_text(text, store, **kwargs)
    assert info.value.parameter == parameter


def test_check_text_valid_languages_still_run(store: Store) -> None:
    for lang in ("auto", "en", "zh"):
        claims, _ = check_text(ARTICLE, store, article_date=dt.date(2025, 4, 10), lang=lang)
        assert isinstance(claims, list)


# -- 2. every error pickles with its attributes ---------------------------------------------------------------------
def error_cases() -> list[GeostressError]:
    from geostress.cli.common import OutputError
    from geostress.service.jobs import QueueFullError, RunStateError, ServiceDirBusyError, UnknownRunError

    return [
        GeostressError("plain", parameter="amount_bn"), DataError("data", parameter="start"),
        ParseError("bad line", file="f.txt", line=3, field="x", hint="fix it"), ParseError("bad", file="g.csv"),
        SourceUnavailableError("offline"), StoreError("locked", parameter="home"),
        UnknownSeriesError("fred.dgs11", ["fred.dgs10", "fred.gs10"]), ScenarioError("bad", parameter="months"),
        LimitError("too many", parameter="draws"), VintageError("too early", parameter="as_of"),
        InputError("binary", parameter="text"), OutputError("not a folder"), ServiceDirBusyError("busy"),
        QueueFullError("full"), UnknownRunError("no run"), RunStateError("done"),
    ]


def test_every_error_class_in_errors_py_is_covered() -> None:
    classes = {obj for _, obj in inspect.getmembers(errors_module, inspect.isclass)
               if issubclass(obj, GeostressError)}
    assert classes <= {type(e) for e in error_cases()}


@pytest.mark.parametrize("exc", error_cases(), ids=lambda e: type(e).__name__)
def test_errors_pickle_round_trip_with_their_attributes(exc: GeostressError) -> None:
    back = pickle.loads(pickle.dumps(exc))
    assert type(back) is type(exc)
    assert str(back) == str(exc) and back.args == exc.args
    assert back.parameter == exc.parameter
    assert vars(back) == vars(exc)


def test_parse_and_unknown_series_errors_keep_their_own_fields() -> None:
    parse = pickle.loads(pickle.dumps(ParseError("bad line", file="f.txt", line=3, field="x", hint="fix it")))
    assert (parse.file, parse.line, parse.field, parse.reason, parse.hint) == ("f.txt", 3, "x", "bad line", "fix it")
    unknown = pickle.loads(pickle.dumps(UnknownSeriesError("fred.dgs11", ["fred.dgs10"])))
    assert unknown.series_id == "fred.dgs11" and unknown.suggestions == ["fred.dgs10"]


def _raise_unknown_series() -> None:
    raise UnknownSeriesError("fred.dgs11", ["fred.dgs10"])


def test_an_error_in_a_worker_process_comes_back_as_itself() -> None:
    import concurrent.futures as cf
    import multiprocessing

    with cf.ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
        with pytest.raises(UnknownSeriesError) as info:
            pool.submit(_raise_unknown_series).result()
    assert info.value.suggestions == ["fred.dgs10"]


# -- 4. impact(backstop=) -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("backstop", ["off", "on", 1, 0, None, "False"])
def test_impact_refuses_a_backstop_that_is_not_a_bool(store: Store, backstop: object) -> None:
    from geostress.run.market import impact

    with pytest.raises(ScenarioError, match="backstop") as info:
        impact(store, "China", 300.0, 12, draws=0, backstop=backstop)
    assert info.value.parameter == "backstop"


def test_impact_backstop_bools_and_numpy_bools_unchanged(store: Store) -> None:
    from geostress.run.market import impact

    def sale(backstop: object):  # noqa: ANN202  (fast enough to pass the backstop's orderly trigger)
        return impact(store, "China", 600.0, 1, draws=20, backstop=backstop)

    on, off = sale(True), sale(False)
    assert on.backstop is True and off.backstop is False and on.peak != off.peak
    assert sale(np.True_).peak == on.peak
    numpy_off = sale(np.False_)
    assert numpy_off.peak == off.peak and numpy_off.backstop is False


# -- 3 + 14. run_minerals's arguments -------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def minerals_spec():  # noqa: ANN201
    from geostress.spec.minerals import load_minerals_spec

    return load_minerals_spec("minerals-us-mandate")


@pytest.mark.parametrize("draws", [-1, 2.5, "10", float("nan"), True, np.False_])
def test_run_minerals_refuses_bad_draws_naming_them(minerals_spec: object, draws: object) -> None:
    from geostress.run.minerals import run_minerals

    with pytest.raises(ScenarioError, match="monte_carlo_draws") as info:
        run_minerals(minerals_spec, monte_carlo_draws=draws)
    assert info.value.parameter == "monte_carlo_draws"


def test_run_minerals_applies_the_cli_draw_limit(minerals_spec: object) -> None:
    from geostress.cli.common import MAX_DRAWS
    from geostress.run.minerals import run_minerals

    with pytest.raises(LimitError, match=f"{MAX_DRAWS:,}") as info:
        run_minerals(minerals_spec, monte_carlo_draws=MAX_DRAWS + 1)
    assert info.value.parameter == "monte_carlo_draws"
    with pytest.raises(LimitError, match="monte_carlo.draws"):
        big = minerals_spec.model_copy(update={"monte_carlo": minerals_spec.monte_carlo.model_copy(
            update={"draws": MAX_DRAWS + 1})})
        run_minerals(big)


@pytest.mark.parametrize("floor", ["no", "yes", 0, 1])
def test_run_minerals_refuses_a_floor_that_is_not_a_bool(minerals_spec: object, floor: object) -> None:
    from geostress.run.minerals import run_minerals

    with pytest.raises(ScenarioError, match="floor") as info:
        run_minerals(minerals_spec, floor=floor)
    assert info.value.parameter == "floor"


@pytest.mark.parametrize("spec", [None, 12, {"scenario": {}}])
def test_run_minerals_refuses_a_spec_of_the_wrong_type(spec: object) -> None:
    from geostress.run.minerals import run_minerals

    with pytest.raises(ScenarioError, match="spec") as info:
        run_minerals(spec)
    assert info.value.parameter == "spec"


def test_run_minerals_takes_a_preset_name_with_the_same_numbers(minerals_spec: object) -> None:
    from geostress.run.minerals import run_minerals

    by_spec = run_minerals(minerals_spec, monte_carlo_draws=np.int64(0), floor=np.True_)
    by_name = run_minerals("minerals-us-mandate", monte_carlo_draws=0, floor=True)
    assert by_name.summary == by_spec.summary
    assert np.array_equal(by_name.run.shortfall, by_spec.run.shortfall)
    with pytest.raises(GeostressError):
        run_minerals("minerals-no-such-preset")


def test_run_minerals_broken_pool_names_the_main_guard(minerals_spec: object, monkeypatch: pytest.MonkeyPatch) -> None:
    from concurrent.futures.process import BrokenProcessPool

    import geostress.run.minerals as rm

    class Broken:
        def __init__(self, *args: object, **kwargs: object) -> None:
            pass

        def __enter__(self) -> Broken:
            return self

        def __exit__(self, *args: object) -> None:
            return None

        def map(self, *args: object) -> None:
            raise BrokenProcessPool("A process in the process pool was terminated abruptly")

    monkeypatch.setattr(rm, "ProcessPoolExecutor", Broken)
    monkeypatch.setattr(rm.os, "cpu_count", lambda: 4)
    spec = minerals_spec.model_copy(update={"monte_carlo": minerals_spec.monte_carlo.model_copy(
        update={"workers": 2})})
    with pytest.raises(GeostressError, match='if __name__ == "__main__":'):
        rm.monte_carlo(spec, None, 100)


def test_minerals_docs_state_the_main_guard() -> None:
    text = (REPO / "docs" / "minerals.md").read_text(encoding="utf-8")
    assert 'if __name__ == "__main__":' in text


# -- 15. the contagion interface snippet runs as written ------------------------------------------------------------
def test_contagion_interface_snippet_runs_as_written() -> None:
    text = (REPO / "docs" / "contagion.md").read_text(encoding="utf-8")
    section = text.split("## Interface", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    namespace: dict = {}
    exec(compile(code, "docs/contagion.md", "exec"), namespace)  # noqa: S102
    n = namespace["n_paths"]
    assert namespace["draws"].packed.shape == (n, 42)
    assert namespace["sell_fraction"].shape == (n, 3)
    assert 0.0 <= namespace["p_cascade"] <= 1.0
