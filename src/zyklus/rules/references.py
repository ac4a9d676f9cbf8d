"""Cross-checks between the files of a workspace, for ``zyklus validate``.

Schema errors come from :mod:`zyklus.files.located`; here we check what one file cannot know
alone: that ids match file names, that areas, target groups, offers, strategic goals and
synergies exist, that ids are unique and dates in order, and that cycle files name real
projects, goals and milestones. Every check is a dictionary look-up, so the whole run stays
linear in the number of files.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Generator, Iterable, Iterator, Set
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from zyklus.errors import KeyPath, LoadError, Problem
from zyklus.files import workers
from zyklus.files.loader import Document, dropped_comments
from zyklus.files.located import Model
from zyklus.files.workspace import (
    CONFIG_FILE,
    DATA_FILES,
    YAML_FOLDERS,
    YAML_SUFFIX,
    Workspace,
    is_workspace_yaml,
    resolved,
)
from zyklus.i18n import Msg
from zyklus.rules.partners import Found, MoneyRefs
from zyklus.suggest import unknown
from zyklus.values import CITYWIDE, END_STATES

if TYPE_CHECKING:  # a one-card run imports no model class (files/stored.py, issue 21)
    from pydantic import BaseModel

    from zyklus import models

# A synergy entry is taken for a project id when it looks like one: lowercase words
# joined by '-' with no spaces. Anything else is free text and kept as written.
M = TypeVar("M", bound="BaseModel")
_LOOKS_LIKE_ID = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)+$")


@dataclass
class ValidationReport:
    """Everything ``validate`` found, plus how many files it read."""

    files: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for p in self.problems if p.severity == "warning")


@dataclass(frozen=True)
class _CardFacts:
    """What the cross-checks of other files need from a card; its text is let go (issue 9)."""

    path: Path
    synergies: tuple[str, ...]
    goals: frozenset[str]
    milestones: frozenset[str]

    @classmethod
    def of(cls, path: Path, card: models.Card) -> _CardFacts:
        return cls(
            path,
            tuple(card.synergies),
            frozenset(g.id for g in card.goals),
            frozenset(m.id for m in card.milestones),
        )


Progress = Callable[[int, int], None]  # (files done, files in all), after each file


_Ref = tuple[str, KeyPath, str, str]  # project, key path in its block, kind, goal/milestone


@dataclass(frozen=True)
class _CycleFacts:
    """What is left of a checked cycle file: its projects' states and card references."""

    path: Path
    year: int
    phases: dict[str, str]
    refs: tuple[_Ref, ...]


def validate_workspace(
    ws: Workspace, paths: Iterable[Path] | None = None, *, progress: Progress | None = None
) -> ValidationReport:
    """Check the whole workspace, or only ``paths`` (with the rest as context).

    Every file is read and validated once, one at a time; of a card only the ids the
    cycle and synergy checks need are kept, so memory stays small as the workspace grows.
    ``progress`` is told after each card, offer, cycle and call (issue 19).

    Python's cycle collector is paused meanwhile: validate makes no reference cycles, and
    the collector would walk the cards' facts, the problems and a big city's cycle model
    again and again between the files (issue 21).
    """
    with workers.collector_paused():
        return _validate(ws, paths, progress)


def _validate(
    ws: Workspace, paths: Iterable[Path] | None, progress: Progress | None
) -> ValidationReport:
    report = ValidationReport()
    only = {resolved(p) for p in paths} if paths is not None else None

    report.files += 1 if only is None or resolved(ws.config_path) in only else 0
    try:
        config = ws.config
    except LoadError as exc:
        report.problems.extend(exc.problems)
        return report
    # Given files (the hook): other cards and offers are known by a look-up per reference,
    # not by listing the folders, so one card costs the same in a city of 10 000 (issue 21).
    cards_to_check = _cards_to_check(ws, only)
    card_ids = _ids(ws, "projects", listed=cards_to_check is None)
    offer_ids = _ids(ws, "offers", listed=only is None)
    indicators_path = ws.root / "data" / "indicators.csv"
    # The indicator values matter to cards only through the gates; on a one-card commit
    # (pre-commit) a big city's CSV is read only when it is among the files (issue 9).
    crosswalk_path = ws.root / "data" / "crosswalk.csv"  # checked with the values (issue 18)
    with_indicators = only is None or bool(
        {resolved(indicators_path), resolved(crosswalk_path)} & only
    )
    report.files += 1 if only is not None and with_indicators else 0
    context = _Context(
        ws,
        config,
        card_ids,
        offer_ids,
        with_indicators=with_indicators,
        keep=only is not None,
    )
    report.problems.extend(context.problems)
    if only is None or resolved(ws.config_path) in only:
        report.problems.extend(context.check_config())
    if only is not None:
        report.problems.extend(_not_checked(ws, paths or ()))

    card_paths = _picked(ws, "projects", card_ids, cards_to_check)
    offer_paths = _picked(ws, "offers", offer_ids, only)
    cycle_paths = _picked(ws, "cycles", _ids(ws, "cycles", listed=True), only)
    call_paths = _picked(ws, "funding", _ids(ws, "funding", listed=True), only)  # issue 15
    report.files += len(card_paths) + len(offer_paths) + len(cycle_paths) + len(call_paths)

    files = [
        *((CARD, p) for p in card_paths),
        *((OFFER, p) for p in offer_paths),
        *((CYCLE, p) for p in cycle_paths),
    ]
    total = len(files) + len(call_paths)
    tell = progress or _silent
    cycles: dict[int, dict[str, str]] = {}  # year → project → state
    checked: list[_CycleFacts] = []
    # closed on any way out (Ctrl-C above all): the workers stop with it (issue 19)
    with contextlib.closing(_each_file(ws, context, files)) as results:
        for done, (stem, facts, problems) in enumerate(results, start=1):
            if isinstance(facts, _CycleFacts):
                cycles[facts.year] = facts.phases
                checked.append(facts)
            elif stem is not None:
                context.cards[stem] = facts
            report.problems.extend(problems)
            tell(done, total)
    for cycle in checked:  # every card is known now
        report.problems.extend(context.check_refs(cycle))
    if len(cycles) == len(ws.yaml_files("cycles")):  # every cycle known: who is in none?
        report.problems.extend(_not_in_open_cycle(ws, config, context, cycles))
    for done, path in enumerate(call_paths, start=total - len(call_paths) + 1):
        call = _load(ws, path, ws.call_model, report, context.keep)
        if call is not None:
            report.problems.extend(context.check_call(path, *call))
        tell(done, total)
    if only is None:
        known = {key: card for key, card in context.cards.items() if card is not None}
        report.problems.extend(_one_sided_synergies(ws, known))
    report.problems.sort(key=lambda p: (p.path, p.line or 0, p.col or 0, p.code))
    return report


def _silent(done: int, total: int) -> None:
    """No progress wanted (piped, a hook, a test)."""


def _cards_to_check(ws: Workspace, only: set[Path] | None) -> set[Path] | None:
    """The cards to check when ``only`` files are given (the pre-commit hook).

    A commit that changes what cards refer to (zyklus.yaml, data/*.csv, an offer or a
    funding call) checks every card too: removing a target group or an area that cards
    still use must be refused, not committed (issue 19). None means every card.
    """
    if only is None:
        return None
    shared = {resolved(ws.config_path), *(resolved(ws.root / f) for f in DATA_FILES)}
    folders = {resolved(ws.root / "offers"), resolved(ws.root / "funding")}
    if any(p in shared or p.parent in folders for p in only):
        return None
    return only


def _not_checked(ws: Workspace, paths: Iterable[Path]) -> Iterator[Problem]:
    """A file given by name that zyklus does not read is an error, never a silent pass.

    The pre-commit hook matches ``.yml`` too, so that a card saved as ``x.yml`` is refused
    with the name to use instead of passing unread (issue 12).
    """
    for path in paths:  # the rule per given file: no listing, no call per card (issue 21)
        shown = ws.display(path)
        real = ws.display(resolved(path)) if path.is_symlink() else shown  # a link: its file
        parts = Path(real).parts
        readable = path.is_file() and (
            real in (CONFIG_FILE, *DATA_FILES)
            or (len(parts) == 2 and parts[0] in YAML_FOLDERS and real.endswith(YAML_SUFFIX))
        )
        parts = Path(shown).parts
        if readable:
            continue
        if len(parts) == 2 and parts[0] in YAML_FOLDERS and Path(shown).suffix == ".yml":
            rename = f"{parts[0]}/{Path(shown).stem}{YAML_SUFFIX}"
            yield Problem("V-NOT-CHECKED-YML", path=shown, params={"rename": rename})
        elif not path.exists():
            yield Problem("V-NOT-FOUND", path=shown)
        else:
            yield Problem("V-NOT-CHECKED", path=shown)


def _ids(ws: Workspace, folder: str, *, listed: bool) -> Set[str]:
    """The ids of ``folder/*.yaml`` (ids are file names): listed, or looked up one by one."""
    return ws.ids(folder) if listed else ws.ids_by_look_up(folder)


def _picked(ws: Workspace, folder: str, ids: Set[str], only: set[Path] | None) -> list[Path]:
    """The files ``folder/ID.yaml`` whose real path is among ``only`` (all of them if None).

    A given file is matched by its name in the resolved folder and its id looked up; only
    the folder's symlinks are resolved one by one (a link to a given card is checked too).
    So a one-card run in a workspace of 10 000 cards builds no path and costs no ``lstat``
    per card (issue 21).
    """
    base = ws.root / folder
    if only is None:
        listed = sorted(f"{stem}{YAML_SUFFIX}" for stem in ids)  # the listing's order
        return [base / name for name in listed]
    if not base.is_dir():
        return []
    real = ws.resolve(base)
    cut = len(YAML_SUFFIX)
    links = ws.links(folder)  # remembered: no listing of 10 000 cards per run (issue 21)
    names: set[str] = {
        p.name
        for p in only
        if p.parent == real and is_workspace_yaml(p.name) and p.name[:-cut] in ids
    }
    names = {name for name in names if name not in links}
    names |= {name for name in links if is_workspace_yaml(name) and resolved(base / name) in only}
    return [base / name for name in sorted(names)]


# One function per file: the file's data, model and text are gone when it returns, so
# memory holds one file at a time however many there are (issue 9).

_FileResult = tuple[str | None, "_CardFacts | _CycleFacts | None", list[Problem]]
CARD, OFFER, CYCLE = "card", "offer", "cycle"
PARALLEL_FROM = workers.PARALLEL_FROM  # cards, offers and cycles


def _each_file(
    ws: Workspace, context: _Context, paths: list[tuple[str, Path]]
) -> Generator[_FileResult, None, None]:
    """Check cards, offers and cycle files; on several CPUs in forked workers (issue 9).

    Each file is independent once the context (ids of areas, groups, cards, …) is known;
    the workers inherit it by ``fork`` and send back only the facts and the problems
    (problems are sorted at the end, so the output is the same as in one process). A
    cycle file of a big city is the largest single task (13 MB at 10 000 projects): it
    goes first, each on its own, while the other workers take the cards (issue 21).
    """
    jobs = _jobs(len(paths))
    if jobs == 1:
        yield from (_check_file(ws, context, *item) for item in paths)
        return
    cycles = [item for item in paths if item[0] == CYCLE]
    files = [item for item in paths if item[0] != CYCLE]
    for model in (ws.card_model, ws.offer_model, ws.cycle_model):
        model.model_rebuild()  # built once, not per worker
    with workers.pool(jobs, shared=(ws, context)) as pool:
        started = [pool.apply_async(_check_shared, (item,)) for item in cycles]
        yield from pool.imap(_check_shared, files, chunksize=16)
        for result in started:
            yield result.get()


def _jobs(files: int) -> int:
    """Worker processes for ``files`` cards, offers and cycles (see :func:`workers.jobs`)."""
    return workers.jobs(files, PARALLEL_FROM)


def _check_shared(item: tuple[str, Path]) -> _FileResult:
    ws, context = workers.inherited()
    return _check_file(ws, context, *item)


def _check_file(ws: Workspace, context: _Context, kind: str, path: Path) -> _FileResult:
    """A card: (id, facts or None, problems); an offer: (None, None, problems)."""
    if kind == CYCLE:
        return _check_cycle(ws, context, path)
    report = ValidationReport()
    if kind == OFFER:
        offer = _load(ws, path, ws.offer_model, report, context.keep)
        if offer is not None:
            report.problems.extend(context.check_offer(path, *offer))
        return None, None, report.problems
    card = _load(ws, path, ws.card_model, report, context.keep)
    if card is None:
        return path.stem, None, report.problems
    report.problems.extend(context.check_card(path, *card))
    return path.stem, _CardFacts.of(path, card[0]), report.problems


def _check_cycle(ws: Workspace, context: _Context, path: Path) -> _FileResult:
    """A cycle file: (None, its facts or None, problems)."""
    report = ValidationReport()
    loaded = _load(ws, path, ws.cycle_model, report, context.keep)
    if loaded is None:
        return None, None, report.problems
    cycle = loaded[0]
    problems, refs = context.check_cycle(path, *loaded)
    phases: dict[str, str] = {pid: state.phase for pid, state in cycle.projects.items()}
    return None, _CycleFacts(path, cycle.cycle, phases, tuple(refs)), report.problems + problems


def _not_in_open_cycle(
    ws: Workspace,
    config: models.Workspace,
    context: _Context,
    cycles: dict[int, dict[str, str]],
) -> Iterator[Problem]:
    """A card in no open cycle cannot move; say how it joins (issue 12).

    The open cycle is ``current_cycle`` (else the newest cycle file); a card that ended
    (done, stopped) in an earlier cycle is at rest, not forgotten.
    """
    year = config.current_cycle if config.current_cycle is not None else max(cycles, default=None)
    if year is None or year not in cycles:
        return
    ended = {
        project_id
        for cycle in cycles.values()
        for project_id, state in cycle.items()
        if state in END_STATES
    }
    for project_id, facts in sorted(context.cards.items()):
        if facts is None or project_id in cycles[year] or project_id in ended:
            continue  # a card that did not load has its own problems, told already
        where = _Where(ws, ws.card_path(project_id))
        yield where.problem("X-NOT-IN-CYCLE", ("id",), severity="warning", id=project_id, year=year)


def _load(
    ws: Workspace, path: Path, model: Model[M], report: ValidationReport, keep: bool
) -> tuple[M, Document] | None:
    try:
        return ws.load_with_document(path, model, keep=keep)
    except LoadError as exc:
        report.problems.extend(exc.problems)
        return None


@dataclass(frozen=True)
class _Where:
    """The file a cross-check problem is about; :meth:`Workspace.locate` finds the line."""

    ws: Workspace
    path: Path
    document: Document | None = None  # the file's text when the workspace streams

    def problem(
        self, code: str, key_path: KeyPath, severity: str = "error", **params: object
    ) -> Problem:
        return self.at(Problem(code, params=params), key_path, severity)

    def at(self, problem: Problem, key_path: KeyPath, severity: str = "error") -> Problem:
        line, col = self.ws.locate(self.path, key_path, document=self.document)
        return Problem(
            problem.code,
            path=self.ws.display(self.path),
            line=line,
            col=col,
            key_path=key_path,
            params=problem.params,
            severity=severity,  # type: ignore[arg-type]
        )


class _Context:
    """The ids every cross-check compares with, read once."""

    def __init__(
        self,
        ws: Workspace,
        config: models.Workspace,
        card_ids: Set[str],
        offer_ids: Set[str],
        *,
        with_indicators: bool = True,
        keep: bool = True,
    ) -> None:
        self.ws = ws
        # keep what was parsed for the command that asked (advance, record); a run over
        # the whole workspace streams: one file in memory at a time (issue 9)
        self.keep = keep
        self.config = config
        self.problems: list[Problem] = []
        # cards met so far: their facts, or None when the card did not load
        self.cards: dict[str, _CardFacts | None] = {}
        # A refused data/areas.csv is reported once, as itself; the cards' areas are then
        # not checked against an empty table (every area would be "unknown"; issue 17)
        self.areas_loaded = True
        # Only the ids of the areas matter here, remembered while areas.csv is unchanged;
        # the tables' checks (loading is the check; issues 5, 18) are remembered while
        # every input of each is unchanged (issue 21)
        try:
            self.areas: set[str] = ws.area_ids()
        except LoadError as exc:
            self.problems.extend(exc.problems)
            self.areas = set()
            self.areas_loaded = False
        else:
            try:
                if with_indicators:
                    ws.check_indicators()
            except LoadError as exc:
                self.problems.extend(exc.problems)
            try:
                if with_indicators:
                    ws.check_crosswalk()
            except LoadError as exc:
                self.problems.extend(exc.problems)
        self.areas.add(CITYWIDE)
        self.target_groups = {t.id for t in config.target_groups}
        self.strategic_goals = {g.id for g in config.strategic_goals}
        self.indicators = {i.id for i in config.indicators}
        self.card_ids = card_ids
        self.offer_ids = offer_ids
        self.money = MoneyRefs(config)  # partners, funders, funding lines (issue 15)
        if ws.config_path.is_file():
            config_where = _Where(ws, ws.config_path)
            self.problems.extend(_placed(config_where, self.money.config_problems()))

    def _unknown(
        self, where: _Where, code: str, value: str, known: Set[str], key_path: KeyPath
    ) -> Iterator[Problem]:
        if value not in known and (self.areas_loaded or code != "X-AREA-UNKNOWN"):
            yield where.at(unknown(code, value, known), key_path)

    def check_config(self) -> list[Problem]:
        """zyklus.yaml's own references (issue 20): ids it uses are ids it declares.

        A strategic goal for an undeclared target group, a selection or ``city`` naming an
        area that data/areas.csv lacks, and an id declared twice passed unnoticed.
        """
        where = _Where(self.ws, self.ws.config_path)
        config = self.config
        out: list[Problem] = []
        declared: dict[str, list[str]] = {
            "target_groups": [x.id for x in config.target_groups],
            "strategic_goals": [x.id for x in config.strategic_goals],
            "indicators": [x.id for x in config.indicators],
            "selections": [x.id for x in config.selections],
        }
        for key, ids in declared.items():
            seen: set[str] = set()
            for i, item in enumerate(ids):
                if item in seen:
                    kind = Msg(f"kind-config-{key}")
                    at: KeyPath = (key, i, "id")
                    out.append(where.problem("TR-CONFIG-DUPLICATE", at, kind=kind, id=item))
                seen.add(item)
        for i, goal in enumerate(config.strategic_goals):
            for j, group in enumerate(goal.target_groups):
                out += self._unknown(
                    where,
                    "X-TG-UNKNOWN",
                    group,
                    self.target_groups,
                    ("strategic_goals", i, "target_groups", j),
                )
        if self.areas - {CITYWIDE}:  # areas.csv loaded: its own problems are reported
            if config.city is not None:
                out += self._unknown(where, "X-AREA-UNKNOWN", config.city, self.areas, ("city",))
            for i, selection in enumerate(config.selections):
                for j, area in enumerate(selection.areas):
                    out += self._unknown(
                        where, "X-AREA-UNKNOWN", area, self.areas, ("selections", i, "areas", j)
                    )
        return out

    def check_card(self, path: Path, card: models.Card, doc: Document) -> list[Problem]:
        """A card's references and orders. Each id is looked up first and a problem made
        only for one that is missing: this runs for every card of a city (issue 21)."""
        where = _Where(self.ws, path, doc)
        out: list[Problem] = []
        areas, groups, indicators = self.areas, self.target_groups, self.indicators
        if card.id != path.stem:
            out.append(where.problem("X-ID-FILENAME", ("id",), id=card.id, expected=path.stem))
        for i, area in enumerate(card.areas):
            if area not in areas:
                out += self._unknown(where, "X-AREA-UNKNOWN", area, areas, ("areas", i))
        for i, group in enumerate(card.target_groups):
            if group not in groups:
                out += self._unknown(where, "X-TG-UNKNOWN", group, groups, ("target_groups", i))
        for i, need in enumerate(card.needs):
            for j, ev in enumerate(need.evidence):
                if ev.area in areas and ev.indicator in indicators:
                    continue
                base: KeyPath = ("needs", i, "evidence", j)
                out += self._unknown(where, "X-AREA-UNKNOWN", ev.area, areas, (*base, "area"))
                out += self._unknown(
                    where, "X-INDICATOR-UNKNOWN", ev.indicator, indicators, (*base, "indicator")
                )
        for i, offer in enumerate(card.existing_offers):
            if offer not in self.offer_ids:
                out += self._unknown(
                    where, "X-OFFER-UNKNOWN", offer, self.offer_ids, ("existing_offers", i)
                )
        for i, synergy in enumerate(card.synergies):
            if _LOOKS_LIKE_ID.match(synergy) and synergy not in self.card_ids:
                out += self._unknown(
                    where, "X-SYNERGY-UNKNOWN", synergy, self.card_ids, ("synergies", i)
                )
        out += _duplicates(where, "goals", "kind-goal", [g.id for g in card.goals])
        out += _duplicates(where, "milestones", "kind-milestone", [m.id for m in card.milestones])
        for i, goal in enumerate(card.goals):
            if goal.area is not None and goal.area not in areas:
                out += self._unknown(
                    where, "X-AREA-UNKNOWN", goal.area, areas, ("goals", i, "area")
                )
            for j, target in enumerate(goal.contributes_to):
                if target not in self.strategic_goals:
                    out += self._unknown(
                        where,
                        "X-GOAL-UNKNOWN",
                        target,
                        self.strategic_goals,
                        ("goals", i, "contributes_to", j),
                    )
            if goal.baseline and goal.target and goal.target.date <= goal.baseline.date:
                out += _order(
                    where,
                    ("goals", i, "target", "date"),
                    goal.baseline.date,
                    goal.target.date,
                    "label-baseline-date",
                    "label-target-date",
                )
        if card.start and card.end:
            out += _order(where, ("end",), card.start, card.end, "label-start", "label-end")
        out += _placed(where, self.money.card_problems(card))
        return out

    def check_offer(self, path: Path, offer: models.Offer, doc: Document) -> list[Problem]:
        where = _Where(self.ws, path, doc)
        out: list[Problem] = []
        if offer.id != path.stem:
            out.append(where.problem("X-ID-FILENAME", ("id",), id=offer.id, expected=path.stem))
        for i, area in enumerate(offer.areas):
            out += self._unknown(where, "X-AREA-UNKNOWN", area, self.areas, ("areas", i))
        for i, group in enumerate(offer.target_groups):
            out += self._unknown(
                where, "X-TG-UNKNOWN", group, self.target_groups, ("target_groups", i)
            )
        out += _placed(where, self.money.offer_problems(offer))
        return out

    def check_call(self, path: Path, call: models.FundingCall, doc: Document) -> list[Problem]:
        where = _Where(self.ws, path, doc)
        out: list[Problem] = []
        if call.id != path.stem:
            out.append(where.problem("X-ID-FILENAME", ("id",), id=call.id, expected=path.stem))
        found = self.money.call_problems(call, self.target_groups, self.areas)
        if not self.areas_loaded:  # areas.csv refused: reported once, as itself (issue 17)
            found = (f for f in found if not f[0].code.startswith("X-AREA-UNKNOWN"))
        return out + _placed(where, found)

    def check_cycle(
        self, path: Path, cycle: models.CycleState, doc: Document
    ) -> tuple[list[Problem], list[_Ref]]:
        """The cycle file's own problems, and its references to the goals and milestones
        of cards, checked by :meth:`check_refs` once every card is known (in a worker, the
        cards are being checked by the others at the same time; issue 21)."""
        where = _Where(self.ws, path, doc)
        out: list[Problem] = []
        pending: list[_Ref] = []
        if str(cycle.cycle) != path.stem:
            out.append(where.problem("X-CYCLE-YEAR", ("cycle",), cycle=cycle.cycle, year=path.stem))
        dropped = dropped_comments(doc.text)
        if dropped:  # issue 20: say so before the next write drops them
            out.append(
                Problem(
                    "TR-CYCLE-COMMENT",
                    path=self.ws.display(path),
                    line=dropped[0],
                    params={"count": len(dropped)},
                    severity="warning",
                )
            )
        for project_id, state in cycle.projects.items():
            out += _placed(where, self.money.spend_problems(project_id, state))
            if project_id not in self.card_ids:
                out += self._unknown(
                    where,
                    "X-CYCLE-PROJECT-UNKNOWN",
                    project_id,
                    self.card_ids,
                    ("projects", project_id),
                )
                continue
            pending += (
                (project_id, ("actuals", i, "goal"), "kind-goal", a.goal)
                for i, a in enumerate(state.actuals)
            )
            pending += (
                (project_id, ("not_measured", i, "goal"), "kind-goal", n.goal)
                for i, n in enumerate(state.not_measured)
            )
            pending += (
                (project_id, ("milestones", i, "id"), "kind-milestone", m.id)
                for i, m in enumerate(state.milestones)
            )
        return out, pending

    def check_refs(self, cycle: _CycleFacts) -> list[Problem]:
        """The goals and milestones a cycle file names exist on their cards."""
        where = _Where(self.ws, cycle.path)
        out: list[Problem] = []
        for project_id, key_path, kind, ref in cycle.refs:
            card = self._card(project_id)
            if card is None:
                continue  # the card's own problems are reported where the card is checked
            known = card.goals if kind == "kind-goal" else card.milestones
            if ref not in known:
                out.append(
                    where.problem(
                        "X-CYCLE-REF-UNKNOWN",
                        ("projects", project_id, *key_path),
                        kind=Msg(kind),
                        id=ref,
                        project=project_id,
                    )
                )
        return out

    def _card(self, project_id: str) -> _CardFacts | None:
        """The card's facts: checked already in this run, else read now (files given)."""
        if project_id not in self.cards:
            path = self.ws.card_path(project_id)
            try:
                self.cards[project_id] = _CardFacts.of(
                    path, self.ws.load_one(path, self.ws.card_model)
                )
            except LoadError:
                self.cards[project_id] = None
        return self.cards[project_id]


def _placed(where: _Where, found: Iterable[Found]) -> list[Problem]:
    return [where.at(problem, key_path, severity) for problem, key_path, severity in found]


def _duplicates(where: _Where, key: str, kind: str, ids: list[str]) -> list[Problem]:
    if len(set(ids)) == len(ids):  # the common case, in C
        return []
    seen: set[str] = set()
    out = []
    for i, item in enumerate(ids):
        if item in seen:
            out.append(where.problem("X-DUPLICATE-ID", (key, i, "id"), kind=Msg(kind), id=item))
        seen.add(item)
    return out


def _order(
    where: _Where,
    key_path: KeyPath,
    earlier: date,
    later: date,
    earlier_label: str,
    later_label: str,
) -> list[Problem]:
    if later > earlier:
        return []
    return [
        where.problem(
            "X-DATE-ORDER",
            key_path,
            earlier=Msg(earlier_label),
            later=Msg(later_label),
            earlier_date=earlier,
            later_date=later,
        )
    ]


def _one_sided_synergies(ws: Workspace, cards: dict[str, _CardFacts]) -> list[Problem]:
    out: list[Problem] = []
    for project_id, card in cards.items():
        for i, other in enumerate(card.synergies):
            if other in cards and project_id not in cards[other].synergies:
                out.append(
                    _Where(ws, card.path).problem(
                        "X-SYNERGY-ONESIDED", ("synergies", i), "warning", other=other
                    )
                )
    return out
