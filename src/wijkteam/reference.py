"""Read the public reference data shipped in ``data/`` (see data/README.md for provenance)."""

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings

DATA_DIR: Path = settings.BASE_DIR / "data"


def data_path(*parts: str) -> Path:
    return DATA_DIR.joinpath(*parts)


# The iStandaarden code lists are written without diacritics ("beeindigd", "client", "geinitieerd");
# their descriptions are shown to people, so those words are spelled as Dutch readers expect. Codes,
# which the messages carry, are never touched.
_DIAERESIS = {"beeindig": "beëindig", "client": "cliënt", "geinitieer": "geïnitieer", "coordina": "coördina"}
_UNSPELLED = re.compile(r"\b(" + "|".join(_DIAERESIS) + ")", re.IGNORECASE)


def dutch_spelling(text: str) -> str:
    """``text`` with the diaereses the code lists leave out: "Levering beeindigd" becomes
    "Levering beëindigd", "Client" "Cliënt"."""

    def spelled(match: re.Match) -> str:
        word = _DIAERESIS[match.group(0).lower()]
        return word[0].upper() + word[1:] if match.group(0)[0].isupper() else word

    return _UNSPELLED.sub(spelled, text)


@cache
def load_json(*parts: str) -> Any:
    with data_path(*parts).open(encoding="utf-8") as handle:
        return json.load(handle)


@cache
def codelist(standard: str, filename: str) -> tuple[tuple[str, str], ...]:
    """The (code, description) rows of an iStandaarden code list transcribed as a markdown table,
    e.g. ``codelist("wmo", "WMO588_Reden_beeindiging.md")``.

    The first table whose header starts with ``Code`` is read; the description is the column
    after the code, with its Dutch spelling restored (``dutch_spelling``).
    """
    rows: list[tuple[str, str]] = []
    in_table = False
    for line in data_path("istandaarden", "codelijsten", standard, filename).read_text("utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if not line.strip().startswith("|"):
            if in_table and rows:
                break
            continue
        if cells[0].lower() == "code":
            in_table = True
            continue
        if not in_table or set(cells[0]) <= {":", "-"}:
            continue
        if cells[0] and len(cells) > 1:
            rows.append((cells[0], dutch_spelling(cells[1])))
    if not rows:
        raise ValueError(f"No code table found in {standard}/{filename}")
    return tuple(rows)
