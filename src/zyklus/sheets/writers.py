"""Tables into files: .xlsx, CSV for Excel, plain CSV (issue 17).

- ``xlsx``: one sheet per table, bold header row, frozen panes, column widths, numbers
  and dates as such.
- ``csv`` (for Excel, the default): what Excel in the user's language opens by double
  click — German: ``;``, decimal comma, dates ``31.12.2023``, ``ja``/``nein``; English:
  ``,`` and ``.``; always UTF-8 with BOM (else Excel shows ``Ã¼`` for ``ü``) and headers
  in the user's language.
- ``csv --plain``: for scripts — ``,``, ``.``, ISO dates, ``true``/``false``, no BOM, ids
  as headers.

Text cells are neutralised against formula injection in every format.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from zyklus.files.spreadsheet import Table, csv_text, workbook_bytes
from zyklus.i18n import message

Format = Literal["xlsx", "csv"]
BOM = "\ufeff"


@dataclass(frozen=True)
class Output:
    """One file to write: a suffix for its name (``""`` or ``-ranking``) and its bytes."""

    part: str
    data: bytes


def render(tables: Sequence[Table], fmt: Format, lang: str, *, plain: bool) -> list[Output]:
    """xlsx: one file; csv: one file per table (``part`` names it when there are several)."""
    if fmt == "xlsx":
        date_format = "yyyy-mm-dd" if plain or lang != "de" else "dd.mm.yyyy"
        return [
            Output("", workbook_bytes(tables, date_format=date_format, bools=_bools(lang, plain)))
        ]
    outputs = []
    for table in tables:
        part = "" if len(tables) == 1 else "-" + _slug(table.key or table.name)
        outputs.append(Output(part, csv_bytes(table, lang, plain=plain)))
    return outputs


def csv_bytes(table: Table, lang: str, *, plain: bool) -> bytes:
    """One table as CSV for Excel in ``lang`` (or plain, for scripts)."""
    if plain:
        text = csv_text(
            table, delimiter=",", decimal=".", date_format="iso", bools=("true", "false")
        )
        return text.encode("utf-8")
    german = lang == "de"
    text = csv_text(
        table,
        delimiter=";" if german else ",",
        decimal="," if german else ".",
        date_format="german" if german else "iso",
        bools=_bools(lang, plain),
    )
    return (BOM + text).encode("utf-8")


def _bools(lang: str, plain: bool) -> tuple[str, str]:
    if plain:
        return ("true", "false")
    return (message("sheets-yes", lang), message("sheets-no", lang))


def _slug(name: str) -> str:
    out = "".join(c if c.isalnum() else "-" for c in name.casefold())
    return "-".join(part for part in out.split("-") if part) or "table"
