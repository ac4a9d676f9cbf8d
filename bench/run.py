"""Time zyklus as whole processes against its floors and its peer, side by side (issue 9).

Every row runs two commands in the same loop, alternately (so both see the same load on
the machine): zyklus and what it is measured against. The table shows the median wall
time of each, the median of the per-pair ratios with their spread (min–max), the goal,
the peak memory (maximum resident set size of the child, from wait4) and the machine's
load average while the row ran. Workspaces come from bench/generate.py and are kept under
bench/.work/ until the generator or its parameters change.

Usage: python bench/run.py [--quick] [--sizes 10,100,1000,10000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
WORK = BENCH / ".work"
sys.path.insert(0, str(BENCH))

import generate  # noqa: E402

BIN = Path(sys.executable).parent  # the console scripts themselves, not pyenv's shims
PY = sys.executable
CURRENT = generate.CURRENT

# The floor of validate: a bare interpreter that reads the same YAML files and parses
# them with libyaml (CSafeLoader), nothing else.
FLOOR = """
import sys, yaml
from pathlib import Path
root = Path(sys.argv[1])
files = [root / "zyklus.yaml"]
for folder in ("projects", "offers", "cycles"):
    files += sorted((root / folder).glob("*.yaml"))
for path in files:
    yaml.load(path.read_bytes().decode("utf-8"), Loader=yaml.CSafeLoader)
"""
# The floor as issue 21 states its goal: the cards alone (validate reads the cycle files
# too, 13 MB at 10 000 projects, so against this floor it carries their cost on its own).
FLOOR_CARDS = """
import sys, yaml
from pathlib import Path
for path in sorted((Path(sys.argv[1]) / "projects").glob("*.yaml")):
    yaml.load(path.read_bytes().decode("utf-8"), Loader=yaml.CSafeLoader)
"""
PARSE_ONE = """
import sys, yaml
yaml.load(open(sys.argv[1], "rb").read().decode("utf-8"), Loader=yaml.CSafeLoader)
"""


@dataclass
class Run:
    seconds: list[float] = field(default_factory=list)
    peak_mib: float = 0.0
    failed: str | None = None

    @property
    def median(self) -> float:
        return statistics.median(self.seconds) if self.seconds else float("nan")


@dataclass
class Row:
    case: str
    command: list[str] | None
    reference_name: str
    reference: list[str] | None
    goal: float | None = None  # zyklus / reference must be ≤ goal
    goal_text: str = ""
    cwd: Path = REPO
    prepare: Callable[[], None] | None = None
    expect_ok: bool = True
    note: str = ""
    scale: float | None = None  # growth rows: how much more input than the reference
    limit_s: float | None = None  # an absolute goal in seconds
    env: dict[str, str] = field(default_factory=dict)  # added to both commands' environment
    ref_cwd: Path | None = None  # where the reference runs, when not in ``cwd``
    ref_ok: bool = True  # the reference must exit 0 (a linter that finds something exits 1)
    faster: bool = False  # a peer: the ratio is shown as 1/x ("x times faster")
    result: Run = field(default_factory=Run)
    ref_result: Run = field(default_factory=Run)
    load: list[float] = field(default_factory=list)  # 1-minute load average, before each pair

    def ratios(self) -> list[float]:
        """zyklus / reference, per pair (both ran back to back, under the same load)."""
        pairs = zip(self.result.seconds, self.ref_result.seconds, strict=False)
        return [z / r for z, r in pairs if r > 0]


# Started once per measurement, so that the child's peak memory is its own: a child
# spawned straight from this runner would inherit the runner's high-water mark at exec.
LAUNCH = """
import json, os, subprocess, sys, time
start = time.perf_counter()
proc = subprocess.Popen(json.load(sys.stdin), stdout=subprocess.DEVNULL)
_, status, usage = os.wait4(proc.pid, 0)
elapsed = time.perf_counter() - start
print(json.dumps([elapsed, usage.ru_maxrss, os.waitstatus_to_exitcode(status)]))
"""


# As installed: Python caches bytecode (an environment that forbids it would time the
# compiler on every start).
# What zyklus remembers between runs goes to the bench's own folder, not the user's.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
ENV["XDG_CACHE_HOME"] = str(WORK / "cache")


def timed(
    command: list[str], cwd: Path, env: dict[str, str] | None = None
) -> tuple[float, float, int, str]:
    """Wall seconds, peak MiB, exit code and the tail of stderr of one child process."""
    proc = subprocess.run(  # the command on stdin: 10 000 file names exceed one argument
        [PY, "-c", LAUNCH],
        input=json.dumps(command).encode(),
        cwd=cwd,
        env={**ENV, **(env or {})},
        capture_output=True,
        check=True,
    )
    elapsed, peak_kib, code = json.loads(proc.stdout)
    text = proc.stderr.decode("utf-8", "replace").strip().splitlines()
    return elapsed, peak_kib / 1024, code, " | ".join(text[-3:])


def measure(row: Row, repeat: int, slow: float) -> None:
    """Alternate zyklus and its reference; warm up once (bytecode, file cache)."""
    pairs = [
        (row.command, row.result, row.expect_ok, row.cwd),
        (row.reference, row.ref_result, row.ref_ok, row.ref_cwd or row.cwd),
    ]
    for command, run, expect_ok, cwd in pairs:
        if command is None:
            continue
        if row.prepare:
            row.prepare()
        _, _, code, err = timed(command, cwd, row.env)
        if expect_ok and code != 0:
            run.failed = f"exit {code}: {err}"
    count = repeat
    for i in range(repeat):
        row.load.append(os.getloadavg()[0])
        for command, run, _, cwd in pairs:
            if command is None or run.failed:
                continue
            if row.prepare:
                row.prepare()
            seconds, peak, _, _ = timed(command, cwd, row.env)
            run.seconds.append(seconds)
            run.peak_mib = max(run.peak_mib, peak)
            if i == 0 and seconds > slow:
                count = min(count, 3)  # slow rows: the median of three is enough
        if i + 1 >= count:
            break


# --- workspaces --------------------------------------------------------------------------


def workspace(projects: int, areas: int, periods: int = 3) -> Path:
    """A generated workspace, reused while generator and parameters are unchanged."""
    out = WORK / f"ws-p{projects}-a{areas}-t{periods}"
    stamp = out / ".bench.json"
    digest = hashlib.sha256((BENCH / "generate.py").read_bytes()).hexdigest()
    wanted = {"projects": projects, "areas": areas, "periods": periods, "generator": digest}
    if stamp.is_file() and json.loads(stamp.read_text()) == wanted:
        return out
    print(f"generating {out.relative_to(REPO)} …", file=sys.stderr, flush=True)
    generate.generate(out, projects=projects, areas=areas, periods_count=periods)
    stamp.write_text(json.dumps(wanted))
    return out


def command_exists(*words: str) -> bool:
    """True when ``zyklus WORDS --help`` works (the command is built)."""
    proc = subprocess.run(
        [str(BIN / "zyklus"), *words, "--help"], capture_output=True, cwd=REPO, check=False
    )
    return proc.returncode == 0


# The peers run from environments of their own, installed as a user would (pip, the
# package's defaults), so that nothing zyklus's environment holds changes what they use.
# check-jsonschema reads YAML with ruamel.yaml, pure Python by default; ruamel.yaml's C
# parser comes with ``ruamel.yaml[oldlibyaml]`` (the ruamel.yaml.clib wheel), which
# check-jsonschema then uses by itself (it asks for ``pure=False``).
PEERS: dict[str, tuple[str, ...]] = {
    "check-jsonschema": ("check-jsonschema",),
    "check-jsonschema-c": ("check-jsonschema", "ruamel.yaml[oldlibyaml]"),
    "yamllint": ("yamllint",),
}
# What proves that an environment is what its name says: the C parser there, or not.
PEER_CHECKS = {
    "check-jsonschema": "import ruamel.yaml.main as m; assert m.CParser is None",
    "check-jsonschema-c": "import ruamel.yaml.main as m; assert m.CParser is not None",
    "yamllint": "import yamllint",
}


def peer(name: str) -> Path | None:
    """The bin folder of the peer's own environment (made once), or None if it cannot be."""
    home = WORK / "peers" / name
    stamp = home / ".bench.json"
    wanted = {"packages": list(PEERS[name]), "python": sys.version}
    if not (stamp.is_file() and json.loads(stamp.read_text()) == wanted):
        print(f"installing {name} into {home.relative_to(REPO)} …", file=sys.stderr, flush=True)
        shutil.rmtree(home, ignore_errors=True)
        made = subprocess.run([PY, "-m", "venv", str(home)], capture_output=True, check=False)
        pip = [str(home / "bin" / "python"), "-m", "pip", "install", "-q", *PEERS[name]]
        if made.returncode or subprocess.run(pip, capture_output=True, check=False).returncode:
            return None
        stamp.write_text(json.dumps(wanted))
    check = [str(home / "bin" / "python"), "-c", PEER_CHECKS[name]]
    if subprocess.run(check, capture_output=True, check=False).returncode:
        return None
    return home / "bin"


def zyklus(*args: str) -> list[str]:
    return [str(BIN / "zyklus"), *args]


def card_schema() -> Path:
    path = WORK / "card.schema.json"
    WORK.mkdir(parents=True, exist_ok=True)
    out = subprocess.run(zyklus("schema", "card"), capture_output=True, check=True, cwd=REPO)
    path.write_bytes(out.stdout)
    return path


def advance_target(ws: Path) -> tuple[str, Callable[[], None]]:
    """A project in phase planning whose card meets the next gate, and a restore hook."""
    cycle = ws / "cycles" / f"{CURRENT}.yaml"
    pristine = ws / f".pristine-{CURRENT}.yaml"
    if not pristine.exists():
        shutil.copyfile(cycle, pristine)
    project = None
    current = None
    for line in pristine.read_text(encoding="utf-8").splitlines():
        if line.startswith("  ") and not line.startswith("   ") and line.endswith(":"):
            current = line.strip()[:-1]
        elif line == "    phase: planning" and current:
            project = current
            break
    assert project is not None, "no project in phase planning"

    def restore() -> None:
        shutil.copyfile(pristine, cycle)
        for extra in ("reports",):
            shutil.rmtree(ws / extra, ignore_errors=True)

    return project, restore


READ_ONLY_FLOOR = """
import sys, openpyxl
book = openpyxl.load_workbook(sys.argv[1], read_only=True, data_only=True)
sum(1 for _ in book.worksheets[0].iter_rows(values_only=True))
"""


def import_workbook(ws: Path, rows: int) -> tuple[Path, Callable[[], None]]:
    """A statistics-office-shaped .xlsx of ``rows`` rows (area, period, two indicators) for
    ``zyklus data import``, and a hook restoring ``data/indicators.csv`` before each run."""
    import csv
    from datetime import date

    import openpyxl

    path = WORK / f"import-{rows}.xlsx"
    data = ws / "data" / "indicators.csv"
    pristine = ws / ".pristine-indicators.csv"
    if not pristine.exists():
        shutil.copyfile(data, pristine)
    if not path.exists():
        with (ws / "data" / "areas.csv").open(encoding="utf-8") as stream:
            areas = [r["id"] for r in csv.DictReader(stream)]
        book = openpyxl.Workbook(write_only=True)
        sheet = book.create_sheet("Daten")
        sheet.append(["Arbeitsmarkt in Zahlen – Musterstadt (erfunden)"])
        sheet.append([])
        sheet.append(["Gebiet", "Stichtag", "Arbeitslose absolut", "Arbeitslosenanteil in %"])
        for n in range(rows):
            i = n % len(areas)
            share = "." if i % 97 == 0 else round(2 + (i % 130) / 10, 1)
            sheet.append([areas[i], date(2030 + n // len(areas), 12, 31), 100 + i % 900, share])
        sheet.append(["Quelle: erfunden für den Benchmark"])
        book.save(path)

    def restore() -> None:
        shutil.copyfile(pristine, data)

    return path, restore


# --- the table ---------------------------------------------------------------------------


def one_card(ws: Path) -> str:
    """A card of ``ws`` (the first by name), as a path relative to it."""
    return str(min((ws / "projects").glob("*.yaml")).relative_to(ws))


def precommit_repo(ws: Path, schema: Path) -> tuple[str, str]:
    """Make ``ws`` a git repository with two pre-commit configurations, one hook each.

    zyklus runs as its own hook (.pre-commit-hooks.yaml: ``zyklus validate``), the peer as
    check-jsonschema's ``check-jsonschema --schemafile``; both as ``language: system`` with
    the console scripts of this interpreter, so neither pays for an environment pre-commit
    would build.
    """
    configs = {
        ".bench-pc-zyklus.yaml": [str(BIN / "zyklus"), "validate"],
        ".bench-pc-cjs.yaml": [str(BIN / "check-jsonschema"), "--schemafile", str(schema)],
    }
    for name, entry in configs.items():
        hook = {
            "id": name.split("-")[-1].split(".")[0],
            "name": name,
            "entry": " ".join(entry),
            "language": "system",
            "files": r"^projects/.*\.yaml$",
            "require_serial": True,
        }
        text = json.dumps({"repos": [{"repo": "local", "hooks": [hook]}]}, indent=1)
        if not (ws / name).is_file() or (ws / name).read_text() != text:
            (ws / name).write_text(text)  # JSON is YAML
    if not (ws / ".git").is_dir():
        git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.org"]
        subprocess.run([*git, "init", "-q"], cwd=ws, check=True)
        subprocess.run([*git, "add", "-A"], cwd=ws, check=True)
        subprocess.run([*git, "commit", "-q", "-m", "bench"], cwd=ws, check=True)
    else:
        subprocess.run(["git", "add", *configs], cwd=ws, check=True)
    ours, theirs = configs
    return ours, theirs


def precommit(config: str, card: str) -> list[str]:
    return [str(BIN / "pre-commit"), "run", "-c", config, "--files", card]


def validate_rows(args: argparse.Namespace, schema: Path) -> list[Row]:
    """validate of N cards against the libyaml floor, one process and with workers, and
    against the peers: check-jsonschema (default install and with its C parser), yamllint.
    The goals of issue 21: ≤ 1.3× the floor in one process; with workers ≥ 10× / ≥ 4× /
    ≥ 20× faster than the three peers at 10 000 cards."""
    out: list[Row] = []
    one = {"ZYKLUS_JOBS": "1"}
    goals = {"check-jsonschema": 10, "check-jsonschema-c": 4, "yamllint": 20}
    names = {
        "check-jsonschema": "check-jsonschema (cards)",
        "check-jsonschema-c": "check-jsonschema, C parser (cards)",
        "yamllint": "yamllint (cards)",
    }
    for size in args.sizes:
        case = f"validate {size:,} cards"
        if not wanted(args, case, f"{case}, one process"):
            continue
        ws = workspace(size, args.areas)
        big = size >= 1000
        floor = [PY, "-c", FLOOR, str(ws)]
        for suffix, env, goal in (("", {}, 1.5), (", one process", one, 1.3)):
            out.append(
                Row(
                    case + suffix,
                    zyklus("validate"),
                    "CSafeLoader floor",
                    floor,
                    goal if big else None,
                    f"≤ {goal:g}×" if big else "",
                    cwd=ws,
                    env=env,
                )
            )
        out.append(
            Row(
                f"{case}, one process",
                zyklus("validate"),
                "CSafeLoader floor, cards only",
                [PY, "-c", FLOOR_CARDS, str(ws)],
                1.3 if big else None,
                "≤ 1.3×" if big else "",
                cwd=ws,
                env=one,
            )
        )
        if size > args.peer_max:
            continue
        cards = sorted(str(p.relative_to(ws)) for p in (ws / "projects").glob("*.yaml"))
        for name, reference in names.items():
            home = peer(name)
            times = goals[name] if size >= 10_000 else None
            command = (
                (
                    [str(home / "yamllint"), "-f", "parsable", *cards]
                    if name == "yamllint"
                    else [str(home / "check-jsonschema"), "--schemafile", str(schema), *cards]
                )
                if home is not None
                else None
            )
            out.append(
                Row(
                    case,
                    zyklus("validate") if home is not None else None,
                    reference,
                    command,
                    1 / times if times else None,
                    f"≥ {times}× faster" if times else "",
                    cwd=ws,
                    ref_ok=name != "yamllint",  # it finds long lines in the cards: exit 1
                    faster=True,
                    note="" if home is not None else f"n/a ({name} not installable)",
                )
            )
    return out


def wanted(args: argparse.Namespace, *cases: str) -> bool:
    """Whether ``--only`` keeps any of ``cases`` (so that unwanted rows build nothing)."""
    return not args.only or any(args.only in case for case in cases)


def rows(args: argparse.Namespace) -> list[Row]:
    schema = card_schema()
    out = validate_rows(args, schema)
    out.append(
        Row(
            "validate one card (pre-commit), Bochum",
            zyklus("validate", "projects/jobcenter-im-quartier.yaml"),
            "import typer, pydantic, yaml",
            [PY, "-c", "import typer, pydantic, yaml"],
            1.5,
            "≤ 1.5×",
        )
    )
    for size in args.one_card_sizes:
        if not wanted(args, f"validate one card of {size:,}"):
            continue
        ws = workspace(size, args.areas)
        card = one_card(ws)
        out.append(
            Row(
                f"validate one card of {size:,}",
                zyklus("validate", card),
                "import typer, pydantic, yaml",
                [PY, "-c", "import typer, pydantic, yaml"],
                1.5,
                "≤ 1.5×",
                cwd=ws,
            )
        )
    if (BIN / "pre-commit").exists():
        for size in args.one_card_sizes:
            if not wanted(args, f"pre-commit run, one card of {size:,}"):
                continue
            ws = workspace(size, args.areas)
            card = one_card(ws)
            ours, theirs = precommit_repo(ws, schema)
            out.append(
                Row(
                    f"pre-commit run, one card of {size:,}",
                    precommit(ours, card),
                    "check-jsonschema's hook",
                    precommit(theirs, card),
                    0.8,
                    "≤ 0.8×",
                    cwd=ws,
                    env={"PRE_COMMIT_HOME": str(WORK / "pre-commit-home")},
                )
            )
    out.append(
        Row(
            "zyklus --help",
            zyklus("--help"),
            "import typer",
            [PY, "-c", "import typer"],
            1.5,
            "≤ 1.5×",
        )
    )
    for name, words in (("report", ("report", "--cycle", str(CURRENT))), ("analyse", ("analyse",))):
        built = command_exists(words[0])
        previous: tuple[int, Path] | None = None
        for projects in args.report_sizes:
            if not wanted(args, f"{name} {projects:,} projects, {args.report_areas:,} areas"):
                previous = None
                continue
            ws = workspace(projects, args.report_areas)
            row = Row(
                f"{name} {projects:,} projects, {args.report_areas:,} areas",
                zyklus(*words) if built else None,
                "",
                None,
                cwd=ws,
                note="" if built else "n/a (not built)",
            )
            if previous is not None and built:
                # Growth rows: each pair runs the bigger and the smaller workspace.
                row.reference, row.ref_cwd = zyklus(*words), previous[1]
                row.scale = projects / previous[0]
                row.reference_name = f"{name} {previous[0]:,} projects"
                row.goal, row.goal_text = row.scale * 1.2, f"≤ {row.scale * 1.2:g}× (linear)"
                if name == "report":
                    row.limit_s = 30.0 if projects >= 10_000 else 10.0
                    row.goal_text = f"< {row.limit_s:g} s, {row.goal_text}"
                if name == "analyse":  # issue 21: 10 000 cards are parsed for the duplicates
                    row.limit_s = 20.0 if projects >= 10_000 else 5.0
                    row.goal_text = f"< {row.limit_s:g} s, {row.goal_text}"
            out.append(row)
            previous = (projects, ws)
    out += later_rows(args)
    return out


def later_rows(args: argparse.Namespace) -> list[Row]:
    """status, the series analysis, data import and advance (issues 17, 18, 21)."""
    out: list[Row] = []
    status_case = f"status, {max(args.report_sizes):,} projects"
    first_case = f"{status_case}, nothing remembered (first run)"
    if wanted(args, status_case, first_case):
        status_ws = workspace(max(args.report_sizes), args.report_areas)
        parse = [PY, "-c", PARSE_ONE, str(status_ws / "cycles" / f"{CURRENT}.yaml")]
        empty = WORK / "cache-empty"
        # as a planner runs it again (the cards' digests remembered by the run before),
        # and the first run, or after every card changed: an empty cache folder each time
        for case, env, prepare in (
            (status_case, {}, None),
            (first_case, {"XDG_CACHE_HOME": str(empty)}, lambda: shutil.rmtree(empty, True)),
        ):
            row = Row(case, zyklus("status"), "parse the cycle file once", parse, 1.5)
            row.goal_text, row.limit_s, row.cwd = "≤ 1.5×, < 5 s", 5.0, status_ws
            row.env, row.prepare = env, prepare
            out.append(row)
    # issue 18: a statistics office's series, 10 000 areas × 5 indicators × 10 periods
    series_case = f"analyse {args.report_areas:,} areas × 5 indicators × 10 periods"
    json_case = f"analyse --format json, {args.report_areas:,} areas × 5 indicators × 10 periods"
    if wanted(args, series_case, json_case):
        series = workspace(min(args.report_sizes), args.report_areas, periods=10)
        row = Row(series_case, zyklus("analyse"), "", None, cwd=series)
        row.limit_s = 3.0
        row.goal_text = "< 3 s"
        out.append(row)
        # the same as JSON (93 MB): the stdlib's C encoder per container, not json.dump's
        # pure-Python indented encoder (112 s before, issue 18)
        row = Row(json_case, zyklus("analyse", "--format", "json"), "", None, cwd=series)
        row.limit_s = 6.0
        row.goal_text = "< 6 s"
        out.append(row)
    # Spreadsheet import (issue 17): the workbook is streamed; memory grows with the values
    # added (they are written, sorted), not with the workbook.
    import_cases = [f"data import {n:,} rows (xlsx)" for n in args.import_sizes]
    if wanted(args, *import_cases):
        built = command_exists("data", "import")
        data_ws = workspace(10, args.report_areas)
        for rows_count, case in zip(args.import_sizes, import_cases, strict=True):
            book, restore_data = import_workbook(data_ws, rows_count)
            row = Row(
                case,
                zyklus("data", "import", str(book)) if built else None,
                "openpyxl read-only, rows only",
                [PY, "-c", READ_ONLY_FLOOR, str(book)],
                cwd=data_ws,
                prepare=restore_data,
                note="" if built else "n/a (not built)",
            )
            out.append(row)
    advance_case = f"advance in a cycle of {max(args.sizes):,} projects"
    if wanted(args, advance_case):
        big = workspace(max(args.sizes), args.areas)
        built = command_exists("advance")
        project, restore = advance_target(big)
        cycle = big / "cycles" / f"{CURRENT}.yaml"
        out.append(
            Row(
                advance_case,
                zyklus("advance", project) if built else None,
                "parse the cycle file once",
                [PY, "-c", PARSE_ONE, str(cycle)],
                2.0,
                "≤ 2×",
                cwd=big,
                prepare=restore,
                note="" if built else "n/a (not built)",
            )
        )
    return out


def fmt(seconds: float) -> str:
    return "–" if seconds != seconds else f"{seconds:.3f}"


def fmt_ratio(ratio: float, inverse: bool) -> str:
    return f"1/{1 / ratio:.1f}" if inverse else f"{ratio:.2f}"


def table(done: Sequence[Row]) -> str:
    head = [
        "case",
        "zyklus s",
        "reference",
        "ref s",
        "ratio",
        "spread",
        "goal",
        "met",
        "peak MiB",
        "load",
    ]
    lines = []
    for row in done:
        zs, rs = row.result.median, row.ref_result.median
        ratio = spread = met = ""
        if row.note:
            zs_text = row.note
        elif row.result.failed:
            zs_text = f"FAILED ({row.result.failed[:80]})"
        else:
            zs_text = fmt(zs)
        ratios = row.ratios()
        if ratios:
            inverse = row.faster or "faster" in row.goal_text  # "≥ 8× faster": as 1/8
            middle = statistics.median(ratios)
            ratio = fmt_ratio(middle, inverse)
            spread = f"{fmt_ratio(min(ratios), inverse)}–{fmt_ratio(max(ratios), inverse)}"
            if row.goal is not None:
                ok = middle <= row.goal and (row.limit_s is None or zs < row.limit_s)
                met = "yes" if ok else "NO"
        peak = f"{row.result.peak_mib:.0f}" if row.result.seconds else ""
        if row.ref_result.seconds:
            peak += f" / {row.ref_result.peak_mib:.0f}"
        load = f"{min(row.load):.1f}–{max(row.load):.1f}" if row.load else ""
        lines.append(
            [
                row.case,
                zs_text,
                row.reference_name,
                fmt(rs),
                ratio,
                spread,
                row.goal_text,
                met,
                peak,
                load,
            ]
        )
    widths = [max(len(str(r[i])) for r in [head, *lines]) for i in range(len(head))]
    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    text = [
        "| " + " | ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)) + " |",
        rule,
    ]
    for line in lines:
        text.append(
            "| " + " | ".join(str(c).ljust(w) for c, w in zip(line, widths, strict=True)) + " |"
        )
    return "\n".join(text)


def sizes(text: str) -> list[int]:
    return [int(x.replace("_", "")) for x in text.split(",") if x.strip()]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="sizes 10,100,1000; 3 runs each")
    parser.add_argument(
        "--sizes", type=sizes, help="cards for validate (default 10,100,1000,10000)"
    )
    parser.add_argument("--repeat", type=int, help="runs per command (default 5, quick 3)")
    parser.add_argument("--areas", type=int, default=1000, help="areas of the validate workspaces")
    parser.add_argument("--report-areas", type=int, default=10_000)
    parser.add_argument(
        "--report-sizes", type=sizes, help="projects for report/analyse/status (1000,10000)"
    )
    parser.add_argument(
        "--one-card-sizes", type=sizes, help="cards of the one-card rows (default 1000,10000)"
    )
    parser.add_argument(
        "--peer-max", type=int, default=10_000, help="largest size to run check-jsonschema on"
    )
    parser.add_argument(
        "--import-sizes", type=sizes, help="rows of the data import rows (default 10000,100000)"
    )
    parser.add_argument("--slow", type=float, default=10.0, help="above this: 3 runs only")
    parser.add_argument("--only", help="run only rows whose case contains this text")
    args = parser.parse_args(argv)
    if args.sizes is None:
        args.sizes = [10, 100, 1000] if args.quick else [10, 100, 1000, 10_000]
    if args.repeat is None:
        args.repeat = 3 if args.quick else 5
    if args.import_sizes is None:
        args.import_sizes = [10_000] if args.quick else [10_000, 100_000]
    if args.report_sizes is None:
        args.report_sizes = [100] if args.quick else [1000, 10_000]
    if args.one_card_sizes is None:
        args.one_card_sizes = [1000] if args.quick else [1000, 10_000]

    todo = rows(args)
    if args.only:
        todo = [r for r in todo if args.only in r.case]
    print(
        f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, median of {args.repeat} "
        f"(3 above {args.slow:g} s), wall seconds per whole process; "
        f"load average {os.getloadavg()[0]:.1f}",
        file=sys.stderr,
    )
    for row in todo:
        if row.command is not None or row.reference is not None:
            print(f"  {row.case} vs {row.reference_name or '–'} …", file=sys.stderr, flush=True)
            measure(row, args.repeat, args.slow)
            print(table([row]).splitlines()[-1], file=sys.stderr, flush=True)  # kept if cut
    print(table(todo))


if __name__ == "__main__":
    main()
