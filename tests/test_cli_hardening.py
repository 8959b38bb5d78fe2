"""The command line under bad input: no traceback, a message, a non-zero status; files only under ``--out``.

The walker enumerates every command from the typer app itself, so a command added later is covered without a
change here. Commands run in this process (typer's ``CliRunner``), each under an alarm, with downloads switched
off and ``uvicorn`` unable to start a server.
"""

from __future__ import annotations

import json
import re
import signal
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from geostress.cli.app import app
from geostress.cli.common import (
    MAX_CLAIMS_BYTES,
    MAX_DRAWS,
    MAX_MARKET_DRAWS,
    MAX_PATHS,
    OutputError,
    error,
    output_folder,
    safe_slug,
)
from geostress.service.routing import strict_loads

#: Seconds one bad invocation may take: bad input must be refused before any real work starts.
ALARM_S = 90
#: Text a rich markup parser chokes on or eats: printed as typed, it proves user text is plain.
HOSTILE = "[/]bad[bold]"
PRESETS = resources.files("geostress.scenarios")


def leaf_commands() -> list[tuple[tuple[str, ...], Any]]:
    """Every runnable command of the app as (words, click command), found by walking the groups."""

    def walk(command: Any, words: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], Any]]:
        subcommands = getattr(command, "commands", None)
        if subcommands:
            for name, sub in subcommands.items():
                yield from walk(sub, (*words, name))
        else:
            yield words, command

    return list(walk(typer.main.get_command(app), ()))


COMMANDS = leaf_commands()


def _timeout(signum: int, frame: Any) -> None:
    raise TimeoutError(f"a bad invocation ran for more than {ALARM_S} s: it should have been refused up front")


@pytest.fixture()
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, geostress_home: Path) -> Any:
    """Run the app in this process from an empty folder; returns ``invoke(args) -> Result``."""
    import uvicorn

    def no_server(self: Any, *args: Any, **kwargs: Any) -> None:
        raise AssertionError("serve started a server although its arguments were bad")

    monkeypatch.setattr(uvicorn.Server, "run", no_server)
    monkeypatch.setenv("GEOSTRESS_OFFLINE", "1")
    monkeypatch.delenv("GEOSTRESS_DEBUG", raising=False)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    runner = CliRunner()

    def invoke(args: list[str]) -> Any:
        previous = signal.signal(signal.SIGALRM, _timeout)
        signal.alarm(ALARM_S)
        try:
            return runner.invoke(app, args, env={"COLUMNS": "80"})
        finally:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, previous)

    return invoke


def assert_refused(result: Any, args: list[str], *, status: tuple[int, ...] = (1, 2)) -> str:
    """A clean refusal: the expected status, a message, no traceback, no internal error."""
    text = result.output
    shown = " ".join(args)
    assert "Traceback" not in text, f"`geostress {shown}` printed a traceback:\n{text}"
    assert "internal error" not in text, f"`geostress {shown}` hit an unexpected error:\n{text}"
    assert result.exit_code in status, f"`geostress {shown}` exited {result.exit_code}:\n{text}"
    assert isinstance(result.exception, SystemExit), f"`geostress {shown}` raised {result.exception!r}"
    assert text.strip(), f"`geostress {shown}` failed without a message"
    return text


def bad_invocations(words: tuple[str, ...], command: Any, hostile: str) -> list[list[str]]:
    """Bad argument lists for one command: an unknown option, hostile text in every required parameter, and
    each optional parameter in turn given hostile text (or, for a float, ``nan``)."""
    params = [p for p in command.params if p.name not in ("help",)]
    required: list[str] = []
    for p in params:
        if not p.required:
            continue
        values = [hostile] * max(p.nargs, 1)
        required += values if not getattr(p, "opts", None) or type(p).__name__.endswith("Argument") else \
            [p.opts[0], *values]
    cases = [[*words, "--no-such-option"]] + ([[*words, *required]] if required else [])
    for p in params:
        if p.required or getattr(p, "is_flag", False) or type(p).__name__.endswith("Argument"):
            continue
        kind = p.bare_type()
        bad = "nan" if kind is float else "-5" if kind is int else hostile
        cases.append([*words, *required, p.opts[0], *[bad] * max(p.nargs, 1)])
    return cases


def test_the_walker_sees_every_command_group() -> None:
    names = {words[0] for words, _ in COMMANDS}
    assert {"data", "monitor", "run", "report", "tipping", "sensitivity", "minerals", "reserves", "claims", "sweep",
            "serve", "validate"} <= names
    assert ("data", "snapshot", "build") in {words for words, _ in COMMANDS}


#: Commands owned elsewhere that still fail a case, with why; a fix turns the expected failure into a pass.
KNOWN: dict[tuple[str, ...], str] = {}


def _walk_params() -> list[Any]:
    return [pytest.param(words, id=" ".join(words),
                         marks=[pytest.mark.xfail(reason=KNOWN[words], strict=False)] if words in KNOWN else [])
            for words, _ in COMMANDS]


@pytest.mark.parametrize("words", _walk_params())
def test_every_command_refuses_bad_arguments_without_a_traceback(cli: Any, tmp_path: Path, words: tuple[str, ...]
                                                                 ) -> None:
    command = dict(COMMANDS)[words]
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    hostile = str(blocker / HOSTILE / "x.toml")  # neither readable nor creatable, with markup in it
    for args in bad_invocations(words, command, hostile):
        result = cli(args)
        text = assert_refused(result, args)
        flat = re.sub(r"[\s│]", "", text)  # joined across wrapped lines (and the usage box's sides)
        if "bad" in flat:  # quoted (perhaps cut short): the brackets must be there as typed
            assert HOSTILE in flat, f"user text not printed as typed:\n{text}"
    assert not any((tmp_path / "work").rglob("*")), "a refused command wrote files"


def test_usage_errors_exit_2_and_data_errors_exit_1(cli: Any) -> None:
    assert_refused(cli(["monitor", "--no-such-option"]), ["monitor"], status=(2,))
    assert_refused(cli(["data", "show", "no.such.series"]), ["data", "show"], status=(1,))


# -- the crash classes of issue 17 -------------------------------------------------------------------------------
def test_markup_in_user_text_prints_as_typed(cli: Any, capsys: pytest.CaptureFixture[str]) -> None:
    text = assert_refused(cli(["data", "show", "a[/]b"]), ["data", "show"], status=(1,))
    assert "'a[/]b'" in text and "geostress data catalog" in text and "data status" not in text
    text = assert_refused(cli(["tipping", _preset("baseline"), "--knob", "sale_bn", "--range", "1", "600"]),
                          ["tipping"], status=(1,))
    assert "needs a [[sales]] entry" in text
    error("needs a [[sales]] entry for [/]x")
    assert "needs a [[sales]] entry for [/]x" in capsys.readouterr().err


def test_reserves_bad_month_is_a_message(cli: Any) -> None:
    text = assert_refused(cli(["reserves", "--as-of", "2013-13"]), ["reserves"], status=(2,))
    assert "--as-of" in text and "2013-13" in text


def test_minerals_start_not_a_date_is_a_message(cli: Any, tmp_path: Path) -> None:
    spec = tmp_path / "m.toml"
    spec.write_text('kind = "minerals"\n[scenario]\nname = "m"\nstart = "not-a-date"\n', encoding="utf-8")
    text = assert_refused(cli(["minerals", str(spec)]), ["minerals"], status=(1,))
    assert "not-a-date" in text


def test_minerals_draws_are_bounded(cli: Any, tmp_path: Path) -> None:
    preset = str(PRESETS.joinpath("minerals-us-mandate.toml"))
    text = assert_refused(cli(["minerals", preset, "--draws", str(MAX_DRAWS + 1)]), ["minerals"], status=(2,))
    assert f"{MAX_DRAWS:,}" in text or str(MAX_DRAWS) in text
    spec = tmp_path / "many.toml"
    spec.write_text(f'kind = "minerals"\n[scenario]\nname = "many"\n[monte_carlo]\ndraws = {MAX_DRAWS + 1}\n',
                    encoding="utf-8")
    text = assert_refused(cli(["minerals", str(spec)]), ["minerals"], status=(1,))
    assert "monte_carlo.draws" in text and f"{MAX_DRAWS:,}" in text


def test_market_impact_seed_and_draws_are_bounded(cli: Any) -> None:
    sale = ["market", "impact", "--holder", "China", "--amount-bn", "100"]
    text = assert_refused(cli([*sale, "--seed", "-5"]), sale, status=(2,))
    assert "--seed" in text
    text = assert_refused(cli([*sale, "--draws", str(MAX_MARKET_DRAWS + 1)]), sale, status=(2,))
    assert f"{MAX_MARKET_DRAWS:,}" in text and "--draws" in text


def test_json_output_is_strict_json(cli: Any) -> None:
    """A replay too short to score has no slope: ``null`` in the JSON (a NaN token breaks strict readers such as
    the browser's ``JSON.parse``), ``n/a`` in the text."""
    window = ["market", "replay", "--from", "2025-12", "--to", "2025-12"]
    result = cli([*window, "--json"])
    assert result.exit_code == 0, result.output
    data = strict_loads(result.output)  # NaN or Infinity would raise
    assert data["slope_observed_on_modelled_3m"] is None and data["sd_ratio_modelled_to_observed_12m"] is None
    text = cli(window).output
    assert "n/a (the window needs 10 months" in text and "nan" not in text


@pytest.mark.parametrize("command", [["run", "baseline"], ["report", "baseline"], ["sweep", "sweep-demo"],
                                     ["minerals", "minerals-us-mandate"]])
def test_out_that_is_a_file_is_refused_before_any_work(cli: Any, tmp_path: Path, command: list[str]) -> None:
    blocker = tmp_path / "taken"
    blocker.write_text("a file")
    preset = str(PRESETS.joinpath(f"{command[1]}.toml"))
    for out, words in ((blocker, "is a file"), (blocker / "below", "Not a directory")):
        args = [command[0], preset, "--out", str(out)]
        text = assert_refused(cli(args), args, status=(1,))
        assert words in text and str(out) in text.replace("\n", "")
    assert blocker.read_text() == "a file"


def test_sweep_cluster_is_checked_and_an_unreachable_scheduler_is_a_message(
        cli: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from geostress.cli import sweep

    preset = str(PRESETS.joinpath("sweep-demo.toml"))
    text = assert_refused(cli(["sweep", preset, "--cluster", "bogus", "--out", str(tmp_path / "s")]), ["sweep"],
                          status=(2,))
    assert "--cluster" in text and "bogus" in text
    monkeypatch.setattr(sweep, "CONNECT_TIMEOUT_S", 2)
    args = ["sweep", preset, "--cluster", "tcp://127.0.0.1:1", "--out", str(tmp_path / "s")]
    text = assert_refused(cli(args), args, status=(1,))
    assert "cannot reach a dask scheduler" in text and "--cluster local" in text


def test_serve_service_dir_that_cannot_be_made_is_a_message(cli: Any) -> None:
    text = assert_refused(cli(["serve", "--service-dir", "/proc/x", "--port", "0"]), ["serve"], status=(1,))
    assert "/proc/x" in text


def test_data_import_of_a_device_is_refused_without_reading_it(cli: Any) -> None:
    text = assert_refused(cli(["data", "import", "/dev/zero", "--source", "tic-mfh"]), ["data", "import"],
                          status=(1,))
    assert "/dev/zero" in text and "not a regular file" in text


def test_claims_check_refuses_an_article_over_the_limit(cli: Any, tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text("China held $759.4 billion. " * (MAX_CLAIMS_BYTES // 20), encoding="utf-8")
    text = assert_refused(cli(["claims", "check", str(big)]), ["claims", "check"], status=(1,))
    assert f"{MAX_CLAIMS_BYTES:,}" in text and "split it" in text


def test_path_counts_beyond_memory_are_refused_naming_the_limit(cli: Any, tmp_path: Path) -> None:
    coupled = str(PRESETS.joinpath("china-sells-300bn.toml"))
    too_many = MAX_PATHS["coupled"] + 1
    text = assert_refused(cli(["run", coupled, "--paths", str(too_many), "--out", str(tmp_path / "o")]), ["run"],
                          status=(1,))
    assert f"{MAX_PATHS['coupled']:,}" in text and "GB" in text
    assert not (tmp_path / "o").exists() or not any((tmp_path / "o").iterdir())
    # a fiscal run over its limit gets the same message (the limit and the memory), not the spec's bare bound
    text = assert_refused(cli(["run", "baseline", "--paths", str(MAX_PATHS["fiscal"] + 1), "--out", str(tmp_path / "f")]),
                          ["run"], status=(1,))
    assert f"--paths = {MAX_PATHS['fiscal'] + 1:,}" in text and "GB" in text and "sweep" in text


def test_float_options_refuse_nan_and_inf(cli: Any) -> None:
    for value in ("nan", "inf", "-inf"):
        text = assert_refused(cli(["reserves", "--p", value]), ["reserves"], status=(2,))
        assert "--p" in text and "finite" in text


# -- where files land --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("name", "slug"), [("/etc/passwd", "etc-passwd"), ("../../tmp/x", "tmp-x"), ("..", "scenario"),
                                            ("China sells 300bn", "China-sells-300bn"), ("中国 抛售", "中国-抛售"),
                                            ("a\x00b/..\\c", "a-b-c"), ("C:\\Windows", "C-Windows")])
def test_names_become_safe_slugs(name: str, slug: str) -> None:
    assert safe_slug(name) == slug
    assert "/" not in slug and "\\" not in slug and not slug.startswith(".")


def test_default_output_folder_stays_under_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("/tmp/geostress-absolute", "../../escape", "../" * 20 + "etc"):
        folder = output_folder(None, name, prefix="report-")
        assert folder.resolve().is_relative_to((tmp_path / "out").resolve()), folder
    assert not Path("/tmp/geostress-absolute").exists()
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OutputError, match="is a file"):
        output_folder(blocker, "x")


def test_minerals_with_a_hostile_name_writes_only_under_out(cli: Any, tmp_path: Path) -> None:
    text = PRESETS.joinpath("minerals-us-mandate.toml").read_text(encoding="utf-8")
    escape = Path("/tmp/geostress-escape-test[/]")
    assert 'name = "us-mandate"' in text and not escape.exists()
    spec = tmp_path / "hostile.toml"
    spec.write_text(text.replace('name = "us-mandate"', f'name = "/../../..{escape}"', 1), encoding="utf-8")
    result = cli(["minerals", str(spec), "--json", "--draws", "0"])
    assert result.exit_code == 0, result.output
    folder = Path(json.loads(result.stdout)["results_folder"])
    assert folder.parent == Path("out") and folder.name.startswith("minerals-")
    assert (tmp_path / "work" / folder / "summary.json").is_file()
    assert not escape.exists()


def test_run_and_sweep_with_absolute_and_parent_names_write_only_under_out(cli: Any, tmp_path: Path) -> None:
    escape = Path("/tmp/geostress-escape-run")
    scenario = tmp_path / "abs.toml"
    scenario.write_text(f'[scenario]\nname = "{escape}"\n[simulation]\npaths = 0\n', encoding="utf-8")
    result = cli(["run", str(scenario), "--json"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "work" / "out" / "tmp-geostress-escape-run" / "summary.json").is_file()
    assert not escape.exists()
    sweep_file = tmp_path / "parent.toml"
    sweep_file.write_text('name = "../../../geostress-escape-sweep"\nbase = "baseline"\npaths_per_scenario = 0\n'
                          '[grid]\n"shocks.all_rates_pp" = [0.0]\n', encoding="utf-8")
    result = cli(["sweep", str(sweep_file), "--cluster", "serial", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["out"] == str(Path("out") / "geostress-escape-sweep")
    assert (tmp_path / "work" / "out" / "geostress-escape-sweep").is_dir()
    assert not any(p.name == "geostress-escape-sweep" for p in tmp_path.parent.iterdir())


def _preset(name: str) -> str:
    return str(PRESETS.joinpath(f"{name}.toml"))


#: Valid required arguments of commands that have some, so that each bad option is reached (and must be refused
#: before the work starts: the alarm stops a command that runs instead).
VALID_BASE: dict[tuple[str, ...], list[str]] = {
    ("run",): [_preset("baseline")],
    ("report",): [_preset("baseline")],
    ("minerals",): [_preset("minerals-us-mandate")],
    ("sweep",): [_preset("sweep-demo")],
    ("tipping",): [_preset("contagion"), "--knob", "sale_bn", "--range", "1", "600"],
    ("data", "show"): ["tic.mfh.japan"],
    ("claims", "check"): [str(Path(__file__).parent / "fixtures" / "claims" / "news_en.txt")],
}


@pytest.mark.parametrize("words", list(VALID_BASE), ids=[" ".join(w) for w in VALID_BASE])
def test_each_bad_option_is_refused_with_valid_arguments(cli: Any, tmp_path: Path, words: tuple[str, ...]) -> None:
    command = dict(COMMANDS)[words]
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    hostile = str(blocker / HOSTILE / "x.toml")
    base = VALID_BASE[words]
    given = {a for a in base if a.startswith("--")}
    for p in command.params:
        if p.required or getattr(p, "is_flag", False) or type(p).__name__.endswith("Argument"):
            continue
        if set(p.opts) & given:
            continue
        kind = p.bare_type()
        for bad in (("nan",) if kind is float else ("-5",) if kind is int else (hostile,)):
            args = [*words, *base, p.opts[0], *[bad] * max(p.nargs, 1)]
            assert_refused(cli(args), args)
    assert not any((tmp_path / "work").rglob("*.parquet")), "a refused command ran"


@pytest.mark.parametrize(("raised", "status", "words"), [
    (MemoryError(), 1, "out of memory"),
    (PermissionError(13, "Permission denied", "/x[/]y"), 1,
     "/x[/]y: Permission denied; choose a folder you can write to"),
    (RuntimeError("boom [/]"), 70, "internal error (RuntimeError: boom [/])"),
])
def test_the_top_level_handler_maps_errors_to_a_message_and_status(
        cli: Any, monkeypatch: pytest.MonkeyPatch, raised: BaseException, status: int, words: str) -> None:
    import geostress.data

    def fail(*args: Any, **kwargs: Any) -> None:
        raise raised

    monkeypatch.setattr(geostress.data, "catalog", fail)
    result = cli(["data", "catalog"])
    assert result.exit_code == status and isinstance(result.exception, SystemExit)
    flat = " ".join(result.output.split())
    assert words in flat and "Traceback" not in flat


def test_geostress_debug_shows_the_traceback_of_an_internal_error(cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import geostress.data

    def fail(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(geostress.data, "catalog", fail)
    monkeypatch.setenv("GEOSTRESS_DEBUG", "1")
    result = cli(["data", "catalog"])
    assert isinstance(result.exception, RuntimeError)


@pytest.mark.parametrize(("option", "value"), [("--months", "0"), ("--months", "241"), ("--amount-bn", "-1"),
                                               ("--amount-bn", "-1e308"), ("--motive", "panic")])
def test_market_impact_months_and_amount_out_of_range_are_usage_errors(cli: Any, option: str, value: str) -> None:
    """Out-of-range option values exit 2, as --draws and --backstop do (docs/cli.md), naming the option (they
    were status 1, ``error: --months 0 must lie in 1..240``); a long number is not written out in full."""
    sale = ["market", "impact", "--holder", "China", "--amount-bn", "100", "--draws", "0"]
    text = assert_refused(cli([*sale, option, value]), sale, status=(2,))
    flat = " ".join(text.replace("│", " ").split())
    expected = {"--months": "1..240", "--amount-bn": "non-negative", "--motive": "diversification, liquidity"}
    assert option in flat and expected[option] in flat, flat
    if value == "0":  # the hint fits the side it missed (it said "spread the sale over at most 240 months")
        assert "at least 1 month" in flat and "at most" not in flat, flat
    assert "0" * 20 not in flat
