"""Questions as CSV, for trainers who keep them in a spreadsheet: pure functions.

One question a row: `type, question, points, outcome, explanation, answers`. `answers` holds
the answers separated by " | ":
- single_choice / multiple_choice: the choices, the right ones starting with "*";
- true_false: "true" or "false";
- short_text: the accepted answers;
- matching: "prompt => match" pairs.
Rows are numbered as a spreadsheet shows them (the header is row 1).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.utils.translation import gettext as _

HEADER = ["type", "question", "points", "outcome", "explanation", "answers"]
TYPES = ("single_choice", "multiple_choice", "true_false", "short_text", "matching")
SEPARATOR = " | "
# A cell starting with one of these is run as a formula by spreadsheet programs (the same rule
# as learners/common/spreadsheets, which courses may not import): the export prefixes "'",
# and the import takes that quote off again, so a file round-trips unchanged.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _neutralise(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _unquote(value: object) -> object:
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_PREFIXES):
        return value[1:]
    return value


@dataclass(frozen=True)
class CsvError:
    line: int
    message: str


@dataclass(frozen=True)
class CsvQuestion:
    line: int
    block: dict


def _answers(raw: str) -> list[str]:
    return [part.strip() for part in raw.split("|") if part.strip()]


def _row_block(row: dict) -> dict:
    kind = (row.get("type") or "").strip().lower()
    if kind not in TYPES:
        raise ValueError(
            _("Unknown type “%(kind)s”: use one of %(types)s.")
            % {"kind": kind, "types": ", ".join(TYPES)}
        )
    text = (row.get("question") or "").strip()
    if not text:
        raise ValueError(_("The question is empty."))
    points_raw = (row.get("points") or "1").strip() or "1"
    if not points_raw.isdigit() or not 1 <= int(points_raw) <= 100:
        raise ValueError(_("Points must be a whole number 1–100."))
    value: dict = {
        "text": text,
        "points": int(points_raw),
        "outcome": (row.get("outcome") or "").strip(),
        "explanation": (row.get("explanation") or "").strip(),
    }
    answers = _answers(row.get("answers") or "")
    if kind in ("single_choice", "multiple_choice"):
        choices = [
            {
                "text": a[1:].strip() if a.startswith("*") else a,
                "correct": a.startswith("*"),
                "feedback": "",
            }
            for a in answers
        ]
        if len(choices) < 2 or not all(c["text"] for c in choices):
            raise ValueError(_("A choice question needs at least two choices."))
        right = sum(c["correct"] for c in choices)
        if kind == "single_choice" and right != 1:
            raise ValueError(_("Mark exactly one choice as correct with “*”."))
        if kind == "multiple_choice" and right == 0:
            raise ValueError(_("Mark at least one choice as correct with “*”."))
        value["choices"] = choices
        if kind == "multiple_choice":
            value["scoring"] = "all_or_nothing"
    elif kind == "true_false":
        if len(answers) != 1 or answers[0].lower() not in ("true", "false"):
            raise ValueError(_("A true/false answer is “true” or “false”."))
        value.update(correct=answers[0].lower(), feedback_true="", feedback_false="")
    elif kind == "short_text":
        if not answers:
            raise ValueError(_("Give at least one accepted answer."))
        value["accepted_answers"] = answers
    else:
        pairs = []
        for answer in answers:
            prompt, arrow, match = answer.partition("=>")
            if not arrow or not prompt.strip() or not match.strip():
                raise ValueError(_("Write each matching pair as “prompt => match”."))
            pairs.append({"prompt": prompt.strip(), "match": match.strip()})
        if len(pairs) < 2:
            raise ValueError(_("A matching question needs at least two pairs."))
        value["pairs"] = pairs
    return {"type": kind, "value": value}


def parse_csv(text: str) -> tuple[list[CsvQuestion], list[CsvError]]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [name for name in HEADER if name not in (reader.fieldnames or [])]
    if missing:
        message = _("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)}
        return [], [CsvError(line=1, message=message)]
    questions, errors = [], []
    for row in reader:
        line = reader.line_num
        if not any((value or "").strip() for value in row.values() if isinstance(value, str)):
            continue
        row = {key: _unquote(value) for key, value in row.items()}
        try:
            questions.append(CsvQuestion(line=line, block=_row_block(row)))
        except ValueError as error:
            errors.append(CsvError(line=line, message=str(error)))
    return questions, errors


def to_csv(blocks: list[dict]) -> str:
    """Every question as a row. Feedback texts have no CSV column and are left out."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for block in blocks:
        kind, value = block["type"], block["value"]
        if kind in ("single_choice", "multiple_choice"):
            answers = [("*" if c.get("correct") else "") + c["text"] for c in value["choices"]]
        elif kind == "true_false":
            answers = [str(value.get("correct", "true")).lower()]
        elif kind == "short_text":
            answers = list(value.get("accepted_answers", []))
        else:
            answers = [f"{p['prompt']} => {p['match']}" for p in value.get("pairs", [])]
        cells = [
            kind,
            value.get("text", ""),
            value.get("points", 1),
            value.get("outcome", ""),
            value.get("explanation", ""),
            SEPARATOR.join(answers),
        ]
        writer.writerow([_neutralise(cell) for cell in cells])
    return out.getvalue()
