"""Pure rules of workbooks: reading a posted form into answers, limits, totals, rubric scores.

Answers are plain text, keyed by the fields' stable block ids. Nothing here trusts the form:
every value is cut to its kind, checked against the field's limits, and stored as text that
templates, PDF and DOCX output escape on the way out (no learner HTML is ever stored).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from learners.common.text import clean_text

CELL_MAX = 1_000
NAME_MAX = 200
SCORE_MIN, SCORE_MAX = 1, 5
QUADRANTS = ("hh", "hl", "lh", "ll")  # (vertical axis high/low, horizontal axis high/low)

_ROW_KEY = re.compile(r"^(\d{1,3})-(name|s?\d{1,2})$")


@dataclass
class Parsed:
    answers: dict = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)  # field id (or "workbook") -> message
    total_chars: int = 0


def _rows(prefix: str, data: Mapping) -> dict[int, dict[str, str]]:
    """{row index: {cell key: value}} from keys like `f-<id>-<row>-<cell>`."""
    rows: dict[int, dict[str, str]] = {}
    for key in data:
        if not key.startswith(prefix):
            continue
        match = _ROW_KEY.match(key[len(prefix) :])
        if match:
            rows.setdefault(int(match.group(1)), {})[match.group(2)] = data.get(key) or ""
    return rows


def _text(value, limit: int, label: str, errors: dict, fid: str) -> str:
    text = clean_text(str(value or ""))
    if len(text) > limit:
        errors[fid] = _("%(label)s: %(n)d characters, at most %(max)d allowed.") % {
            "label": label,
            "n": len(text),
            "max": limit,
        }
    return text


def _table(field_spec: dict, data: Mapping, columns: int, errors: dict) -> list[list[str]]:
    fid, label = field_spec["id"], field_spec["label"]
    rows = _rows(f"f-{fid}-", data)
    result = []
    for index in sorted(rows):
        cells = [
            _text(rows[index].get(str(c), ""), CELL_MAX, label, errors, fid) for c in range(columns)
        ]
        if any(cells):
            if index >= field_spec["max_rows"]:
                errors[fid] = ngettext(
                    "%(label)s: at most %(max)d row.",
                    "%(label)s: at most %(max)d rows.",
                    field_spec["max_rows"],
                ) % {"label": label, "max": field_spec["max_rows"]}
            result.append(cells)
    return result


def _matrix(field_spec: dict, data: Mapping, errors: dict) -> list[dict]:
    fid, label = field_spec["id"], field_spec["label"]
    criteria = field_spec["criteria"]
    rows = _rows(f"f-{fid}-", data)
    result = []
    for index in sorted(rows):
        name = _text(rows[index].get("name", ""), NAME_MAX, label, errors, fid)
        scores: list[int | None] = []
        for c in range(len(criteria)):
            raw = str(rows[index].get(f"s{c}", "") or "").strip()
            if not raw:
                scores.append(None)
                continue
            try:
                score = int(raw)
            except ValueError:
                score = 0
            if not SCORE_MIN <= score <= SCORE_MAX:
                errors[fid] = _("%(label)s: scores are whole numbers from %(lo)d to %(hi)d.") % {
                    "label": label,
                    "lo": SCORE_MIN,
                    "hi": SCORE_MAX,
                }
                score = None
            scores.append(score)
        if name or any(s is not None for s in scores):
            if index >= field_spec["max_rows"]:
                errors[fid] = ngettext(
                    "%(label)s: at most %(max)d row.",
                    "%(label)s: at most %(max)d rows.",
                    field_spec["max_rows"],
                ) % {"label": label, "max": field_spec["max_rows"]}
            result.append({"name": name, "scores": scores})
    return result


def parse_form(spec: dict, data) -> Parsed:
    """Answers from posted form data (a QueryDict or a dict of lists/strings) for every field.

    Values out of their limits are kept in the answers (so the page can show them back) and
    reported in `errors`; a caller stores nothing while there are errors.
    """
    parsed = Parsed()
    errors = parsed.errors
    getlist = data.getlist if hasattr(data, "getlist") else (lambda k: data.get(k) or [])
    for section in spec["sections"]:
        for f in section["fields"]:
            fid, kind = f["id"], f["type"]
            if kind == "long_text":
                value = _text(data.get(f"f-{fid}", ""), f["max_length"], f["label"], errors, fid)
            elif kind == "table":
                value = _table(f, data, len(f["columns"]), errors)
            elif kind == "indicator_table":
                value = _table(f, data, 4, errors)
            elif kind == "choice":
                picked = [str(v) for v in getlist(f"f-{fid}")]
                unknown = [v for v in picked if v not in f["choices"]]
                if unknown:
                    errors[fid] = _("%(label)s: choose from the options listed.") % {
                        "label": f["label"]
                    }
                if not f["multiple"] and len(picked) > 1:
                    errors[fid] = _("%(label)s: choose one option.") % {"label": f["label"]}
                value = [v for v in f["choices"] if v in picked]
            elif kind == "scored_matrix":
                value = _matrix(f, data, errors)
            elif kind == "grid":
                value = {
                    q: _text(data.get(f"f-{fid}-{q}", ""), f["max_length"], f["label"], errors, fid)
                    for q in QUADRANTS
                }
            else:
                continue
            parsed.answers[fid] = value
    parsed.total_chars = answers_length(parsed.answers)
    limit = spec["max_total_chars"]
    if parsed.total_chars > limit:
        errors["workbook"] = _(
            "The workbook holds %(n)d characters; at most %(max)d are allowed. Shorten some "
            "answers before saving."
        ) % {"n": parsed.total_chars, "max": limit}
    return parsed


def answers_length(value) -> int:
    """Characters of learner text in an answer structure."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, dict):
        return sum(answers_length(v) for v in value.values())
    if isinstance(value, list):
        return sum(answers_length(v) for v in value)
    return 0


def matrix_totals(field_spec: dict, rows: list[dict]) -> list[dict]:
    """Each row with its weighted total and the highest total it could reach."""
    weights = [c["weight"] for c in field_spec["criteria"]]
    best = SCORE_MAX * sum(weights)
    result = []
    for row in rows:
        scores = list(row.get("scores") or [])
        total = sum(w * (s or 0) for w, s in zip(weights, scores, strict=False))
        result.append({"name": row.get("name", ""), "scores": scores, "total": total, "max": best})
    return result


def is_empty(answers: dict) -> bool:
    return answers_length(answers) == 0 and not any(
        isinstance(v, list) and v for v in answers.values()
    )


@dataclass(frozen=True)
class RubricResult:
    scores: dict[str, int]  # criterion id -> index of the chosen level
    score: Decimal
    max_score: Decimal


def rubric_score(rubric: list[dict], chosen: Mapping[str, int]) -> RubricResult:
    """Points of the chosen levels; every criterion must have a level."""
    scores: dict[str, int] = {}
    total = Decimal(0)
    best = Decimal(0)
    for criterion in rubric:
        levels = criterion["levels"]
        if not levels:
            continue
        index = chosen.get(criterion["id"])
        if index is None or not 0 <= index < len(levels):
            raise ValueError(criterion["id"])
        scores[criterion["id"]] = index
        total += levels[index]["points"]
        best += max(level["points"] for level in levels)
    return RubricResult(scores=scores, score=total, max_score=best)
