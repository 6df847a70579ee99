"""GIFT, Moodle's plain-text question format: parse and write, as pure functions.

Questions are the StreamField items of `courses.blocks.quiz.QuizQuestionsBlock`:
`{"type": "single_choice", "value": {"text": …, "points": …, "choices": […], …}}`. Supported:
single choice (`{=right ~wrong}`), multiple choice (`{~%50%a ~%50%b ~%-100%c}`), true/false
(`{T}` / `{FALSE}`), short answer (`{=one =other}`) and matching (`{=prompt -> match}`), with
per-answer feedback (`#…`) and general feedback (`####…`, our explanation).

GIFT has no points or outcomes; Moodle ignores comment lines, so they travel as
`// [points:2]` and `// [tag:LO3]` just above the question, the way Moodle's own exporter writes
tags. A parse never stops at the first problem: it returns every question it understood and
one error per question it could not, with the line the question starts on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

SPECIAL = "~=#{}:"
SCORINGS = ("all_or_nothing", "partial")


@dataclass(frozen=True)
class GiftError:
    line: int
    message: str


@dataclass(frozen=True)
class ParsedQuestion:
    line: int
    block: dict


def escape(text: str) -> str:
    text = text.replace("\\", "\\\\")
    for char in SPECIAL:
        text = text.replace(char, "\\" + char)
    # "->" would read as a matching pair, a leading "//" as a comment, "[" as a format marker
    # and "%" as a weight: a backslash keeps each literal.
    text = text.replace("->", "-\\>")
    if text[:1] in ("/", "[", "%", "$"):
        text = "\\" + text
    return text.replace("\r", "").replace("\n", "\\n")


def _unescape(text: str) -> str:
    out, i = [], 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            out.append("\n" if nxt == "n" else nxt)
            i += 2
            continue
        out.append(char)
        i += 1
    return "".join(out).strip()


def _split_unescaped(text: str, separators: str) -> list[tuple[str, str]]:
    """Split on unescaped separator characters, keeping which one opened each part."""
    parts: list[tuple[str, str]] = []
    current, opener, i = [], "", 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text):
            current.append(text[i : i + 2])
            i += 2
            continue
        if char in separators:
            parts.append((opener, "".join(current)))
            current, opener = [], char
        else:
            current.append(char)
        i += 1
    parts.append((opener, "".join(current)))
    return parts


def _find_unescaped(text: str, char: str, start: int = 0) -> int:
    i = start
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == char:
            return i
        i += 1
    return -1


def _split_feedback(raw: str) -> tuple[str, str]:
    index = _find_unescaped(raw, "#")
    if index < 0:
        return raw, ""
    return raw[:index], raw[index + 1 :]


def _records(text: str) -> list[tuple[int, list[str], str]]:
    """(first line number, comment lines, question text) for each blank-line-separated record."""
    records, comments, lines, start = [], [], [], 0
    for number, line in enumerate(text.splitlines() + [""], start=1):
        stripped = line.strip()
        if not stripped:
            if lines:
                records.append((start, comments, "\n".join(lines)))
            comments, lines = [], []
            continue
        if stripped.startswith("//") and not lines:
            comments.append(stripped[2:].strip())
            continue
        if stripped.startswith("$CATEGORY:") and not lines:
            continue
        if not lines:
            start = number
        lines.append(line)
    return records


META = re.compile(r"\[(points|tag|scoring):([^\]]*)\]")


def _meta(comments: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for comment in comments:
        for key, value in META.findall(comment):
            found[key] = value.strip()
    return found


def _parse_answers(answer_text: str) -> tuple[str, str, list[tuple[str, str]]]:
    """(kind, general feedback, [(opener, raw answer)]) for the text between the braces."""
    general = ""
    index = answer_text.find("####")
    while index >= 0 and index > 0 and answer_text[index - 1] == "\\":
        index = answer_text.find("####", index + 1)
    if index >= 0:
        general = _unescape(answer_text[index + 4 :])
        answer_text = answer_text[:index]
    stripped = answer_text.strip()
    if stripped.upper() in ("T", "TRUE", "F", "FALSE") or re.match(
        r"^(T|TRUE|F|FALSE)\s*#", stripped, re.I
    ):
        return "true_false", general, [("", stripped)]
    parts = [(o, p) for o, p in _split_unescaped(answer_text, "=~") if o]
    return "answers", general, parts


def parse_gift(text: str) -> tuple[list[ParsedQuestion], list[GiftError]]:
    questions: list[ParsedQuestion] = []
    errors: list[GiftError] = []
    for line, comments, record in _records(text):
        try:
            block = _parse_record(record)
        except ValueError as error:
            errors.append(GiftError(line=line, message=str(error)))
            continue
        meta = _meta(comments)
        points = meta.get("points", "1")
        if not points.isdigit() or not 1 <= int(points) <= 100:
            errors.append(GiftError(line=line, message=_("Points must be a whole number 1–100.")))
            continue
        block["value"]["points"] = int(points)
        block["value"]["outcome"] = meta.get("tag", "")
        if block["type"] == "multiple_choice" and meta.get("scoring") in SCORINGS:
            block["value"]["scoring"] = meta["scoring"]
        questions.append(ParsedQuestion(line=line, block=block))
    return questions, errors


def _parse_record(record: str) -> dict:
    record = record.strip()
    if record.startswith("::"):
        end = record.find("::", 2)
        if end < 0:
            raise ValueError(_("The question title is not closed with “::”."))
        record = record[end + 2 :].strip()
    if record.startswith("[") and "]" in record:  # a text format marker such as [html]
        record = record[record.index("]") + 1 :].strip()
    opening = _find_unescaped(record, "{")
    if opening < 0:
        raise ValueError(_("No answers: a GIFT question needs its answers between { and }."))
    closing = _find_unescaped(record, "}", opening)
    if closing < 0:
        raise ValueError(_("The answers are not closed with “}”."))
    stem = _unescape(record[:opening] + " " + record[closing + 1 :])
    if not stem:
        raise ValueError(_("The question has no text."))
    kind, general, parts = _parse_answers(record[opening + 1 : closing])
    value: dict = {"text": stem, "explanation": general}
    if kind == "true_false":
        answer, *feedback = _split_unescaped(parts[0][1], "#")
        truth = answer[1].strip().upper() in ("T", "TRUE")
        value["correct"] = "true" if truth else "false"
        wrong_feedback = _unescape(feedback[0][1]) if feedback else ""
        right_feedback = _unescape(feedback[1][1]) if len(feedback) > 1 else ""
        # GIFT's first feedback is for a wrong answer, the second for a right one.
        value["feedback_true"] = right_feedback if truth else wrong_feedback
        value["feedback_false"] = wrong_feedback if truth else right_feedback
        return {"type": "true_false", "value": value}
    if not parts:
        raise ValueError(_("No answers between { and }."))
    if all(opener == "=" for opener, _raw in parts) and any(
        _find_arrow(raw) >= 0 for _opener, raw in parts
    ):
        pairs = []
        for _opener, raw in parts:
            arrow = _find_arrow(raw)
            if arrow < 0:
                raise ValueError(_("Every matching pair needs “->” between prompt and match."))
            prompt, match = _unescape(raw[:arrow]), _unescape(raw[arrow + 2 :])
            if not prompt or not match:
                raise ValueError(_("A matching pair has an empty prompt or match."))
            pairs.append({"prompt": prompt, "match": match})
        if len(pairs) < 2:
            raise ValueError(_("A matching question needs at least two pairs."))
        value["pairs"] = pairs
        return {"type": "matching", "value": value}
    if all(opener == "=" for opener, _raw in parts):
        accepted = [_unescape(_split_feedback(raw)[0]) for _opener, raw in parts]
        if not all(accepted):
            raise ValueError(_("A short answer is empty."))
        value["accepted_answers"] = accepted
        return {"type": "short_text", "value": value}
    choices, weighted = [], False
    for opener, raw in parts:
        body, feedback = _split_feedback(raw)
        body = body.strip()
        weight = None
        found = re.match(r"^%(-?\d+(?:\.\d+)?)%", body)
        if found:
            weight, body = float(found.group(1)), body[found.end() :]
            weighted = True
        text = _unescape(body)
        if not text:
            raise ValueError(_("A choice is empty."))
        correct = weight > 0 if weight is not None else opener == "="
        choices.append({"text": text, "correct": correct, "feedback": _unescape(feedback)})
    if len(choices) < 2:
        raise ValueError(_("A choice question needs at least two choices."))
    right = sum(1 for choice in choices if choice["correct"])
    if right == 0:
        raise ValueError(_("No choice is marked correct (“=” or a positive %weight%)."))
    if weighted or right > 1:
        value["scoring"] = "partial" if weighted else "all_or_nothing"
        value["choices"] = choices
        return {"type": "multiple_choice", "value": value}
    value["choices"] = choices
    return {"type": "single_choice", "value": value}


def _find_arrow(raw: str) -> int:
    index = raw.find("->")
    while index > 0 and raw[index - 1] == "\\":
        index = raw.find("->", index + 1)
    return index


# --- Writing -------------------------------------------------------------------------------------
def _feedback(text: str) -> str:
    return f" #{escape(text)}" if text else ""


def question_to_gift(block: dict) -> str:
    kind, value = block["type"], block["value"]
    lines = []
    if int(value.get("points") or 1) != 1:
        lines.append(f"// [points:{int(value['points'])}]")
    if value.get("outcome"):
        lines.append(f"// [tag:{value['outcome'].replace(']', ' ').strip()}]")
    if kind == "multiple_choice":
        lines.append(f"// [scoring:{value.get('scoring') or 'all_or_nothing'}]")
    if kind in ("single_choice", "multiple_choice"):
        choices = value.get("choices", [])
        if kind == "multiple_choice":
            right = [c for c in choices if c.get("correct")]
            wrong = [c for c in choices if not c.get("correct")]
            share = _weight(100 / max(len(right), 1))
            penalty = _weight(-100 / max(len(wrong), 1))
            answers = [
                f"~%{share if c.get('correct') else penalty}%{escape(c['text'])}"
                f"{_feedback(c.get('feedback', ''))}"
                for c in choices
            ]
        else:
            answers = [
                f"{'=' if c.get('correct') else '~'}{escape(c['text'])}"
                f"{_feedback(c.get('feedback', ''))}"
                for c in choices
            ]
    elif kind == "true_false":
        truth = str(value.get("correct")).lower() == "true"
        right = value.get("feedback_true" if truth else "feedback_false", "")
        wrong = value.get("feedback_false" if truth else "feedback_true", "")
        answer = "TRUE" if truth else "FALSE"
        if wrong or right:
            answer += f"#{escape(wrong)}#{escape(right)}"
        answers = [answer]
    elif kind == "short_text":
        answers = [f"={escape(a)}" for a in value.get("accepted_answers", [])]
    elif kind == "matching":
        answers = [
            f"={escape(p['prompt'])} -> {escape(p['match'])}" for p in value.get("pairs", [])
        ]
    else:
        raise ValueError(f"Unknown question type: {kind}")
    general = f" ####{escape(value['explanation'])}" if value.get("explanation") else ""
    lines.append(f"{escape(value['text'])} {{\n  " + "\n  ".join(answers) + f"{general}\n}}")
    return "\n".join(lines)


def _weight(value: float) -> str:
    text = f"{value:.5f}".rstrip("0").rstrip(".")
    return text or "0"


def to_gift(blocks: list[dict]) -> str:
    return "\n\n".join(question_to_gift(block) for block in blocks) + "\n"
