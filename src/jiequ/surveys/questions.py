"""The questionnaire of a road survey: the default questions, the one-line-per-question text
staff edit, and the checks on answers.

A question is {"key": "q3", "text": "…", "kind": "choice", "options": ["…", …]}. Keys never
change once given: answers are stored under them.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import QuestionKind

# The business-environment questionnaire of the seed's road survey (营商环境一对一走访).
DEFAULT_QUESTIONS: list[dict[str, Any]] = [
    {
        "key": "q1",
        "text": "经营年限",
        "kind": QuestionKind.CHOICE,
        "options": ["不满1年", "1–3年", "3–5年", "5年以上"],
    },
    {
        "key": "q2",
        "text": "与去年相比，经营情况",
        "kind": QuestionKind.CHOICE,
        "options": ["变好", "持平", "变差"],
    },
    {
        "key": "q3",
        "text": "租金压力",
        "kind": QuestionKind.CHOICE,
        "options": ["较大", "一般", "较小"],
    },
    {
        "key": "q4",
        "text": "最希望改善的方面（可多选）",
        "kind": QuestionKind.MULTI,
        "options": [
            "停车难",
            "环境卫生",
            "店招店牌审批",
            "外摆位管理",
            "证照办理",
            "租金",
            "治安",
            "绿化景观",
            "客流引导",
        ],
    },
    {
        "key": "q5",
        "text": "是否知道所在街区党支部和联系卡",
        "kind": QuestionKind.YESNO,
        "options": [],
    },
    {"key": "q6", "text": "从业人员数", "kind": QuestionKind.NUMBER, "options": []},
    {"key": "q7", "text": "对街道的意见建议", "kind": QuestionKind.TEXT, "options": []},
]

# Words a person may type for each kind, in the editing text (English values or Chinese names).
KIND_WORDS: dict[str, str] = {
    "choice": QuestionKind.CHOICE,
    "单选": QuestionKind.CHOICE,
    "multi": QuestionKind.MULTI,
    "多选": QuestionKind.MULTI,
    "yesno": QuestionKind.YESNO,
    "是否": QuestionKind.YESNO,
    "number": QuestionKind.NUMBER,
    "数字": QuestionKind.NUMBER,
    "text": QuestionKind.TEXT,
    "文字": QuestionKind.TEXT,
}
KIND_NAMES: dict[str, str] = {
    QuestionKind.CHOICE: "单选",
    QuestionKind.MULTI: "多选",
    QuestionKind.YESNO: "是否",
    QuestionKind.NUMBER: "数字",
    QuestionKind.TEXT: "文字",
}
YES, NO = "yes", "no"
MAX_QUESTIONS = 30
MAX_TEXT_ANSWER = 500
OPTION_SPLIT = re.compile(r"[;；]")


def default_questions() -> list[dict[str, Any]]:
    return [dict(q, options=list(q["options"])) for q in DEFAULT_QUESTIONS]


def to_text(questions: list[dict[str, Any]]) -> str:
    """One line per question: `text | kind | option; option` (what staff edit)."""
    lines = []
    for q in questions:
        parts = [q["text"], KIND_NAMES.get(q["kind"], q["kind"])]
        if q.get("options"):
            parts.append("；".join(q["options"]))
        lines.append(" | ".join(parts))
    return "\n".join(lines)


def parse(text: str, previous: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """The questions of the editing text; a question whose wording is unchanged keeps its key.

    Raises ValidationError (Chinese first) naming the line at fault.
    """
    keys_by_text = {q["text"]: q["key"] for q in previous or []}
    used = {q["key"] for q in previous or []}
    questions: list[dict[str, Any]] = []
    errors: list[str] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        parts = [p.strip() for p in line.split("|")]
        wording = parts[0]
        kind = KIND_WORDS.get((parts[1] if len(parts) > 1 else "文字").lower())
        options = [o.strip() for o in OPTION_SPLIT.split(parts[2])] if len(parts) > 2 else []
        options = [o for o in options if o]
        if not wording:
            errors.append(_("Line %(n)d: the question has no wording.") % {"n": number})
            continue
        if kind is None:
            errors.append(
                _("Line %(n)d: the kind must be one of 单选, 多选, 是否, 数字, 文字.")
                % {"n": number}
            )
            continue
        if kind in (QuestionKind.CHOICE, QuestionKind.MULTI) and len(options) < 2:
            errors.append(
                _("Line %(n)d: a choice question needs at least two options, separated by “；”.")
                % {"n": number}
            )
            continue
        if kind not in (QuestionKind.CHOICE, QuestionKind.MULTI):
            options = []
        if len(set(options)) != len(options):
            errors.append(_("Line %(n)d: an option is given twice.") % {"n": number})
            continue
        if any(q["text"] == wording for q in questions):
            errors.append(_("Line %(n)d: the same question is asked twice.") % {"n": number})
            continue
        key = keys_by_text.get(wording)
        if key is None:
            key = _next_key(used)
            used.add(key)
        questions.append({"key": key, "text": wording, "kind": kind, "options": options})
    if errors:
        raise ValidationError(errors)
    if not questions:
        raise ValidationError(_("Ask at least one question."))
    if len(questions) > MAX_QUESTIONS:
        raise ValidationError(
            _("At most %(n)d questions, so a visit stays short.") % {"n": MAX_QUESTIONS}
        )
    return questions


def _next_key(used: set[str]) -> str:
    n = 1
    while f"q{n}" in used:
        n += 1
    return f"q{n}"


def clean_answers(questions: list[dict[str, Any]], raw: dict[str, Any]) -> dict[str, Any]:
    """Answers keyed by question, checked against each question; unanswered ones are left out.

    Raises ValidationError with a message per question at fault.
    """
    answers: dict[str, Any] = {}
    errors: list[str] = []
    for q in questions:
        value = raw.get(q["key"])
        if value in (None, "", []):
            continue
        kind, options = q["kind"], q.get("options") or []
        if kind == QuestionKind.CHOICE:
            if value not in options:
                errors.append(_("“%(q)s”: choose one of the options.") % {"q": q["text"]})
                continue
        elif kind == QuestionKind.MULTI:
            values = value if isinstance(value, list) else [value]
            if any(v not in options for v in values):
                errors.append(_("“%(q)s”: choose among the options.") % {"q": q["text"]})
                continue
            value = [o for o in options if o in values]  # the questionnaire's order
        elif kind == QuestionKind.YESNO:
            if value not in (YES, NO):
                errors.append(_("“%(q)s”: answer yes or no.") % {"q": q["text"]})
                continue
        elif kind == QuestionKind.NUMBER:
            try:
                value = int(value)
            except (TypeError, ValueError):
                errors.append(_("“%(q)s”: enter a whole number.") % {"q": q["text"]})
                continue
            if value < 0:
                errors.append(_("“%(q)s”: the number cannot be negative.") % {"q": q["text"]})
                continue
        else:
            value = str(value).strip()
            if len(value) > MAX_TEXT_ANSWER:
                errors.append(
                    _("“%(q)s”: at most %(n)d characters.") % {"q": q["text"], "n": MAX_TEXT_ANSWER}
                )
                continue
        answers[q["key"]] = value
    if errors:
        raise ValidationError(errors)
    return answers


def display_answer(question: dict[str, Any], value: Any) -> str:
    """An answer as a person reads it."""
    if value in (None, "", []):
        return ""
    if question["kind"] == QuestionKind.MULTI:
        return "、".join(value)
    if question["kind"] == QuestionKind.YESNO:
        return _("yes") if value == YES else _("no")
    return str(value)
