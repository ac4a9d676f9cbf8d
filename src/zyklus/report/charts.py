"""Inline SVG charts for the HTML report, written by hand so the file stays self-contained.

No plotting library, no JavaScript, no fonts to fetch: each chart is a string of SVG with
coordinates rounded to 0.1, so the same data always gives the same bytes (issue 6). Every
chart has a ``<title>`` and prints its values as text, so it reads without colour and in
black-and-white print. The charts know no language: callers pass formatted values and
labels from the message catalog.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from html import escape

from markupsafe import Markup

FONT = 12.0
CHAR_WIDTH = 0.56  # average glyph width of a sans-serif face, in em
ROW = 22.0
BAR = 14.0
PAD = 8.0

# A restrained palette; meaning is always also carried by text.
INK = "#1f2933"
MUTED = "#616e7c"
GRID = "#cbd2d9"
TONES = {
    "default": "#4a6f94",
    "hotspot": "#c27a66",
    "hidden": "#9b3d2e",
    "above": "#d08c60",
    "at": "#9aa5b1",
    "below": "#7fa88f",
    "muted": "#bcccdc",
}
PHASE_TONES = {
    "analysis": "#c9d6e3",
    "needs": "#a9bfd4",
    "goals": "#86a5c3",
    "planning": "#5f86ad",
    "implementation": "#3c6792",
    "evaluation": "#24496f",
    "done": "#3d7a4f",
    "stopped": "#9aa5b1",
}


@dataclass(frozen=True)
class Bar:
    """One bar: ``value`` sets the length; ``text`` is what is printed next to it."""

    label: str
    value: float
    text: str
    tone: str = "default"
    note: str = ""


@dataclass(frozen=True)
class Segment:
    """A stretch of time a project spent in one phase."""

    phase: str
    name: str
    detail: str
    start: date
    end: date


def num(value: float) -> str:
    """A coordinate rounded to 0.1, without a trailing ``.0`` and never ``-0``.

    Kept per value (issue 21: a million coordinates in the report of 10 000 projects, most
    of them the same few): equal numbers give the same text, whatever their type.
    """
    text = _NUMS.get(value)
    if text is None:
        text = f"{round(value, 1):.1f}"
        if text.endswith(".0"):
            text = text[:-2]
        if text == "-0":
            text = "0"
        if len(_NUMS) >= _NUMS_KEPT:
            _NUMS.clear()
        _NUMS[value] = text
    return text


_NUMS: dict[float, str] = {}
_NUMS_KEPT = 100_000


def text_width(text: str, size: float = FONT) -> float:
    return len(text) * size * CHAR_WIDTH


def clip(text: str, width: float, size: float = FONT) -> str:
    """Shorten ``text`` with an ellipsis so it fits ``width`` (the full text goes in a title)."""
    fits = max(1, int(width / (size * CHAR_WIDTH)))
    return text if len(text) <= fits else text[: fits - 1].rstrip() + "…"


def _value(bar: Bar) -> str:
    """What is printed next to a bar: its value and, when given, its note."""
    return f"{bar.text} {bar.note}" if bar.note else bar.text


def _text(x: float, y: float, content: str, *, anchor: str = "start", **attrs: str) -> str:
    extra = "".join(f' {k.replace("_", "-")}="{escape(v)}"' for k, v in sorted(attrs.items()))
    return f'<text x="{num(x)}" y="{num(y)}" text-anchor="{anchor}"{extra}>{escape(content)}</text>'


def _svg(width: float, height: float, title: str, body: list[str]) -> Markup:
    head = (
        f'<svg class="chart" role="img" viewBox="0 0 {num(width)} {num(height)}" '
        f'width="{num(width)}" height="{num(height)}" '
        f'font-family="inherit" font-size="{num(FONT)}" fill="{INK}">'
        f"<title>{escape(title)}</title>"
    )
    return Markup(head + "".join(body) + "</svg>")


def bar_chart(
    bars: Sequence[Bar],
    *,
    title: str,
    width: float = 640.0,
    reference: tuple[float, str] | None = None,
    label_width: float | None = None,
) -> Markup:
    """Horizontal bars with their values printed at the end; an optional reference line.

    ``reference`` is (value, text), e.g. the city value the areas are compared with.
    """
    longest = max((text_width(b.label) for b in bars), default=0.0)
    labels = label_width if label_width is not None else min(max(longest + PAD, 80.0), width * 0.4)
    value_room = max((text_width(b.text + b.note) for b in bars), default=0.0) + 2 * PAD
    plot = max(width - labels - value_room, 40.0)
    top = 26.0 if reference is not None else PAD
    height = top + ROW * len(bars) + PAD
    peak = max([b.value for b in bars] + [reference[0] if reference else 0.0, 0.0])
    scale = plot / peak if peak > 0 else 0.0
    body: list[str] = []
    for index, bar in enumerate(bars):
        y = top + ROW * index
        length = max(bar.value, 0.0) * scale
        body.append(f"<g><title>{escape(bar.label)}: {escape(_value(bar))}</title>")
        body.append(_text(labels - PAD, y + BAR - 2, clip(bar.label, labels - PAD), anchor="end"))
        body.append(
            f'<rect x="{num(labels)}" y="{num(y + 2)}" width="{num(length)}" '
            f'height="{num(BAR)}" fill="{TONES.get(bar.tone, TONES["default"])}"/>'
        )
        body.append(_text(labels + length + 4, y + BAR - 2, _value(bar)))
        body.append("</g>")
    if reference is not None:
        x = labels + reference[0] * scale
        body.append(
            f'<line x1="{num(x)}" y1="{num(top - 6)}" x2="{num(x)}" y2="{num(height - PAD + 2)}" '
            f'stroke="{INK}" stroke-width="1.2" stroke-dasharray="4 3"/>'
        )
        anchor = "end" if x > labels + plot / 2 else "start"
        shift = -4.0 if anchor == "end" else 4.0
        body.append(_text(x + shift, top - 10, reference[1], anchor=anchor, fill=MUTED))
    return _svg(width, height, title, body)


def phase_funnel(bars: Sequence[Bar], *, title: str, width: float = 640.0) -> Markup:
    """Projects per phase as a centred funnel: one band per phase, its count printed on it.

    Empty phases keep a thin band so the order of the cycle stays visible.
    """
    labels = min(max((text_width(b.label) for b in bars), default=0.0) + 2 * PAD, width * 0.35)
    plot = width - labels - PAD
    centre = labels + plot / 2
    peak = max((b.value for b in bars), default=0.0)
    height = PAD + (ROW + 4) * len(bars) + PAD
    body: list[str] = []
    for index, bar in enumerate(bars):
        y = PAD + (ROW + 4) * index
        share = bar.value / peak if peak > 0 else 0.0
        band = max(plot * 0.9 * share, 3.0)
        tone = PHASE_TONES.get(bar.tone, TONES["default"])
        body.append(f"<g><title>{escape(bar.label)}: {escape(_value(bar))}</title>")
        body.append(
            _text(labels - PAD, y + ROW / 2 + 4, clip(bar.label, labels - PAD), anchor="end")
        )
        body.append(
            f'<rect x="{num(centre - band / 2)}" y="{num(y)}" width="{num(band)}" '
            f'height="{num(ROW)}" rx="2" fill="{tone}"/>'
        )
        body.append(_text(centre + band / 2 + 6, y + ROW / 2 + 4, _value(bar)))
        body.append("</g>")
    return _svg(width, height, title, body)


def phase_timeline(
    segments: Sequence[Segment],
    *,
    title: str,
    start_text: str,
    end_text: str,
    width: float = 640.0,
) -> Markup:
    """One project's path through the phases as a strip of coloured, labelled stretches.

    Each stretch is as long as the time spent; its phase name is printed on it when it fits
    and always given in its ``<title>``; the dates at both ends are printed below.
    """
    if not segments:
        return _svg(width, PAD * 2, title, [])
    first = segments[0].start
    last = max(s.end for s in segments)
    span = max((last - first).days, 1)
    plot = width - 2 * PAD
    height = 52.0
    body: list[str] = []
    for segment in segments:
        x = PAD + plot * (segment.start - first).days / span
        length = max(plot * (segment.end - segment.start).days / span, 2.0)
        tone = PHASE_TONES.get(segment.phase, TONES["default"])
        body.append(f"<g><title>{escape(segment.detail)}</title>")
        body.append(
            f'<rect x="{num(x)}" y="{num(PAD)}" width="{num(length)}" height="{num(ROW)}" '
            f'fill="{tone}" stroke="#ffffff" stroke-width="1"/>'
        )
        name = segment.name
        if length >= text_width(name, FONT - 1) + PAD:
            dark = segment.phase in ("analysis", "needs", "goals", "stopped")
            body.append(
                _text(
                    x + length / 2,
                    PAD + ROW / 2 + 4,
                    name,
                    anchor="middle",
                    fill=INK if dark else "#ffffff",
                    font_size=num(FONT - 1),
                )
            )
        body.append("</g>")
    body.append(_text(PAD, height - 6, start_text, fill=MUTED))
    body.append(_text(width - PAD, height - 6, end_text, anchor="end", fill=MUTED))
    return _svg(width, height, title, body)


@dataclass(frozen=True)
class GoalMark:
    """One goal on the way from its baseline (0) to its target (1); ``share`` None: no actual."""

    label: str
    start_text: str
    end_text: str
    actual_text: str
    share: float | None
    status: str


GOAL_TONES = {"met": "#2f6b45", "open": "#1d4e89", "not_met": "#9c3b2e"}


def goal_progress(marks: Sequence[GoalMark], *, title: str, width: float = 640.0) -> Markup:
    """Each goal as a track baseline → target with the latest actual on it (issue 16).

    The track is the way to go, not a scale of values: a goal that should fall reads the same
    as one that should rise. The values are printed at both ends and at the marker, so the
    chart reads without colour; a goal without an actual shows its track only.
    """
    labels = min(max((text_width(m.label) for m in marks), default=0.0) + PAD, width * 0.34)
    ends = max((text_width(m.end_text) for m in marks), default=0.0) + PAD
    starts = max((text_width(m.start_text) for m in marks), default=0.0) + PAD
    left = labels + starts
    plot = max(width - left - ends - PAD, 60.0)
    row = ROW + 14
    height = PAD + row * len(marks) + PAD
    body: list[str] = []
    for index, mark in enumerate(marks):
        y = PAD + row * index + 8
        mid = y + BAR / 2
        body.append(f"<g><title>{escape(mark.label)}: {escape(mark.actual_text)}</title>")
        body.append(_text(labels - PAD, mid + 4, clip(mark.label, labels - PAD), anchor="end"))
        body.append(_text(left - 4, mid + 4, mark.start_text, anchor="end", fill=MUTED))
        body.append(
            f'<line x1="{num(left)}" y1="{num(mid)}" x2="{num(left + plot)}" y2="{num(mid)}" '
            f'stroke="{GRID}" stroke-width="6" stroke-linecap="round"/>'
        )
        body.append(_text(left + plot + 6, mid + 4, mark.end_text, fill=MUTED))
        if mark.share is not None:
            share = min(max(mark.share, -0.05), 1.1)
            x = left + plot * share
            tone = GOAL_TONES.get(mark.status, TONES["default"])
            body.append(
                f'<line x1="{num(left)}" y1="{num(mid)}" x2="{num(max(x, left))}" y2="{num(mid)}" '
                f'stroke="{tone}" stroke-width="6" stroke-linecap="round"/>'
            )
            body.append(
                f'<circle cx="{num(x)}" cy="{num(mid)}" r="6" fill="#ffffff" '
                f'stroke="{tone}" stroke-width="2.5"/>'
            )
            anchor = "end" if share > 0.7 else "start"
            shift = -9.0 if anchor == "end" else 9.0
            body.append(_text(x + shift, mid - 7, mark.actual_text, anchor=anchor, fill=tone))
        else:
            body.append(
                _text(left + plot / 2, mid - 7, mark.actual_text, anchor="middle", fill=MUTED)
            )
        body.append("</g>")
    return _svg(width, height, title, body)


@dataclass(frozen=True)
class Series:
    """One line: ``points`` are (date, value); ``end_text`` is printed after the last point."""

    label: str
    points: tuple[tuple[date, float], ...]
    end_text: str
    tone: str = "default"
    dashed: bool = False


LINE_TONES = ("#9b3d2e", "#c27a66", "#4a6f94", "#7b5ea7", "#2f6b45", "#8a6d1f")


def line_chart(
    series: Sequence[Series],
    *,
    title: str,
    axis_texts: Sequence[tuple[date, str]],
    low_text: str,
    high_text: str,
    width: float = 640.0,
) -> Markup:
    """Indicator values over time, one line per area, each labelled at its end (issue 16).

    Time runs left to right in proportion to the dates; ``axis_texts`` are the periods as
    printed; ``low_text`` / ``high_text`` label the bottom and top of the value range.
    """
    points = [p for s in series for p in s.points]
    if not points:
        return _svg(width, PAD * 2, title, [])
    first = min(p[0] for p in points)
    last = max(p[0] for p in points)
    low = min(p[1] for p in points)
    high = max(p[1] for p in points)
    if high == low:
        high, low = high + 1, low - 1
    labels = max(text_width(s.label + " " + s.end_text) for s in series) + 2 * PAD
    left = max(text_width(low_text), text_width(high_text)) + 2 * PAD
    plot_w = max(width - left - labels, 80.0)
    top = PAD + 4
    plot_h = 160.0
    height = top + plot_h + 28
    span = max((last - first).days, 1)

    def x(day: date) -> float:
        return left + plot_w * (day - first).days / span

    def y(value: float) -> float:
        return top + plot_h * (high - value) / (high - low)

    body = [
        f'<line x1="{num(left)}" y1="{num(top + plot_h)}" x2="{num(left + plot_w)}" '
        f'y2="{num(top + plot_h)}" stroke="{GRID}"/>',
        _text(left - 6, y(high) + 4, high_text, anchor="end", fill=MUTED),
        _text(left - 6, y(low) + 4, low_text, anchor="end", fill=MUTED),
    ]
    for day, text in axis_texts:
        body.append(_text(x(day), top + plot_h + 16, text, anchor="middle", fill=MUTED))
    ends: list[float] = []
    for index, line in enumerate(series):
        tone = MUTED if line.dashed else LINE_TONES[index % len(LINE_TONES)]
        coords = " ".join(f"{num(x(d))},{num(y(v))}" for d, v in sorted(line.points))
        dash = ' stroke-dasharray="5 3"' if line.dashed else ""
        body.append(f"<g><title>{escape(line.label)}: {escape(line.end_text)}</title>")
        body.append(
            f'<polyline points="{coords}" fill="none" stroke="{tone}" stroke-width="2"{dash}/>'
        )
        for d, v in line.points:
            body.append(f'<circle cx="{num(x(d))}" cy="{num(y(v))}" r="2.5" fill="{tone}"/>')
        end_day, end_value = max(line.points)
        ey = y(end_value) + 4
        while any(abs(ey - e) < FONT for e in ends):  # keep end labels apart
            ey += FONT
        ends.append(ey)
        body.append(_text(x(end_day) + 8, ey, f"{line.label} {line.end_text}", fill=tone))
        body.append("</g>")
    return _svg(width, max(height, max(ends) + PAD), title, body)
