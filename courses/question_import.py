"""Importing questions into a bank: read a GIFT or CSV file, check every question against the
same blocks the editor uses, and store all of them or none."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from courses.blocks.quiz import QuizQuestionsBlock
from courses.gift import parse_gift, to_gift
from courses.models import QuestionBank
from courses.question_csv import parse_csv, to_csv

FORMATS = ("gift", "csv")
MAX_BYTES = 1_000_000


@dataclass(frozen=True)
class ImportLine:
    line: int
    message: str


@dataclass
class ImportPreview:
    questions: list[tuple[int, dict]]
    errors: list[ImportLine]

    @property
    def acceptable(self) -> bool:
        return bool(self.questions) and not self.errors


def _block_errors(block: dict) -> str | None:
    child = QuizQuestionsBlock().child_blocks[block["type"]]
    try:
        child.clean(child.to_python(block["value"]))
    except ValidationError as error:
        messages = getattr(error, "block_errors", None) or {}
        parts = (
            [f"{name}: {'; '.join(str(m) for m in _flat(errs))}" for name, errs in messages.items()]
            if isinstance(messages, dict)
            else []
        )
        return "; ".join(parts) or "; ".join(error.messages)
    return None


def _flat(errors) -> list[str]:
    if isinstance(errors, ValidationError):
        return errors.messages
    if isinstance(errors, dict):
        return [m for value in errors.values() for m in _flat(value)]
    if isinstance(errors, list):
        return [m for value in errors if value for m in _flat(value)]
    return [str(errors)]


def preview_import(*, text: str, file_format: str) -> ImportPreview:
    """Parse and check a file; nothing is stored."""
    if file_format == "gift":
        parsed, problems = parse_gift(text)
    elif file_format == "csv":
        parsed, problems = parse_csv(text)
    else:
        return ImportPreview([], [ImportLine(0, _("Unknown format."))])
    errors = [ImportLine(problem.line, problem.message) for problem in problems]
    questions = []
    for question in parsed:
        problem = _block_errors(question.block)
        if problem:
            errors.append(ImportLine(question.line, problem))
        else:
            questions.append((question.line, question.block))
    if not parsed and not problems:
        errors.append(ImportLine(0, _("The file holds no questions.")))
    errors.sort(key=lambda error: error.line)
    return ImportPreview(questions=questions, errors=errors)


class ImportRefused(Exception):
    pass


def bank_questions_import(*, bank: QuestionBank, text: str, file_format: str) -> int:
    """Add every question of the file to the bank, or none if any line is wrong."""
    preview = preview_import(text=text, file_format=file_format)
    if not preview.acceptable:
        raise ImportRefused(_("The file has errors; nothing was imported."))
    with transaction.atomic():
        locked = QuestionBank.objects.select_for_update().get(pk=bank.pk)
        stream = [dict(item) for item in locked.questions.raw_data]
        stream += [
            {"type": block["type"], "value": block["value"], "id": str(uuid.uuid4())}
            for _line, block in preview.questions
        ]
        locked.questions = stream
        locked.save()
    return len(preview.questions)


def bank_export(bank: QuestionBank, file_format: str) -> str:
    blocks = [{"type": item["type"], "value": item["value"]} for item in bank.questions.raw_data]
    blocks = [_normalised(block) for block in blocks]
    return to_gift(blocks) if file_format == "gift" else to_csv(blocks)


def _normalised(block: dict) -> dict:
    """Stored ListBlock items may be wrapped ({"type": "item", "value": …}); the writers take
    plain values."""
    value = dict(block["value"])
    for key in ("choices", "pairs", "accepted_answers"):
        if key in value:
            value[key] = [
                item["value"] if isinstance(item, dict) and item.get("type") == "item" else item
                for item in value[key] or []
            ]
    return {"type": block["type"], "value": value}
