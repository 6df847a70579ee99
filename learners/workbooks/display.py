"""The workbook's fields with the learner's answers, ready for the page, the PDF and the DOCX.

Pure functions of the spec (`courses.selectors.workbooks.workbook_spec`, or a snapshot of it)
and the answers, so a submitted version renders the same after the page is edited or deleted.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from learners.workbooks.rules import matrix_totals


def indicator_columns() -> list[str]:
    return [_("Indicator"), _("Baseline"), _("Target"), _("Source of the data")]


def quadrant_labels(field: dict) -> list[tuple[str, str]]:
    x, y = field.get("x_axis") or _("Interest"), field.get("y_axis") or _("Influence")
    return [
        ("hh", _("High %(y)s, high %(x)s") % {"y": y, "x": x}),
        ("hl", _("High %(y)s, low %(x)s") % {"y": y, "x": x}),
        ("lh", _("Low %(y)s, high %(x)s") % {"y": y, "x": x}),
        ("ll", _("Low %(y)s, low %(x)s") % {"y": y, "x": x}),
    ]


def _table_rows(rows: list, columns: int, max_rows: int, pad: bool) -> list[dict]:
    rows = [list(r) + [""] * (columns - len(r)) for r in rows or []]
    if pad:
        rows += [[""] * columns for _ in range(max(0, max_rows - len(rows)))]
    return [
        {"index": i, "cells": [{"index": c, "value": v} for c, v in enumerate(row[:columns])]}
        for i, row in enumerate(rows)
    ]


def display_field(field: dict, value, *, pad: bool = True) -> dict:
    """One field with its answer; `pad` adds the empty rows a form offers (not an export)."""
    item = dict(field)
    kind = field["type"]
    if kind == "long_text":
        item["value"] = value if isinstance(value, str) else ""
    elif kind in ("table", "indicator_table"):
        columns = field["columns"] if kind == "table" else indicator_columns()
        item["columns"] = columns
        item["rows"] = _table_rows(
            value if isinstance(value, list) else [], len(columns), field["max_rows"], pad
        )
    elif kind == "choice":
        picked = set(value or []) if isinstance(value, list) else set()
        item["options"] = [
            {"index": i, "value": c, "checked": c in picked} for i, c in enumerate(field["choices"])
        ]
        item["picked"] = [c for c in field["choices"] if c in picked]
    elif kind == "scored_matrix":
        rows = value if isinstance(value, list) else []
        totals = matrix_totals(field, rows)
        if pad:
            blank = {"name": "", "scores": [None] * len(field["criteria"]), "total": 0}
            totals += [dict(blank) for _ in range(max(0, field["max_rows"] - len(totals)))]
        item["rows"] = [
            {
                "index": i,
                "name": row["name"],
                "scores": [
                    {"index": c, "value": (row["scores"][c] if c < len(row["scores"]) else None)}
                    for c in range(len(field["criteria"]))
                ],
                "total": row["total"],
            }
            for i, row in enumerate(totals)
        ]
        item["max_total"] = 5 * sum(c["weight"] for c in field["criteria"])
    elif kind == "grid":
        answers = value if isinstance(value, dict) else {}
        item["quadrants"] = [
            {"key": key, "label": label, "value": answers.get(key, "")}
            for key, label in quadrant_labels(field)
        ]
    return item


def display_sections(spec: dict, answers: dict, *, pad: bool = True) -> list[dict]:
    return [
        {
            **section,
            "fields": [display_field(f, answers.get(f["id"]), pad=pad) for f in section["fields"]],
        }
        for section in spec.get("sections") or []
    ]


def answer_lines(field: dict) -> list[str]:
    """A displayed field as plain lines of text (the refused-save panel, plain exports)."""
    kind = field["type"]
    if kind == "long_text":
        return [field["value"]] if field["value"] else []
    if kind in ("table", "indicator_table"):
        return [
            " | ".join(cell["value"] for cell in row["cells"])
            for row in field["rows"]
            if any(cell["value"] for cell in row["cells"])
        ]
    if kind == "choice":
        return list(field["picked"])
    if kind == "scored_matrix":
        return [
            f"{row['name']}: "
            + ", ".join("" if s["value"] is None else str(s["value"]) for s in row["scores"])
            + f" → {row['total']}/{field['max_total']}"
            for row in field["rows"]
            if row["name"] or any(s["value"] is not None for s in row["scores"])
        ]
    if kind == "grid":
        return [f"{q['label']}: {q['value']}" for q in field["quadrants"] if q["value"]]
    return []
