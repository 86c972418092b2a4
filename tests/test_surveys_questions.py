"""The questionnaire: the editing text both ways, keys kept, the checks (in Chinese)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from jiequ.surveys import questions as q


def test_the_default_questionnaire_reads_back_from_its_text():
    questions = q.default_questions()
    assert q.parse(q.to_text(questions)) == questions
    assert [x["key"] for x in questions] == [f"q{i}" for i in range(1, 8)]


def test_unchanged_questions_keep_their_keys_and_new_ones_get_fresh_ones():
    old = q.default_questions()
    text = "从业人员数 | 数字\n新增的问题 | choice | 甲；乙\n经营年限 | 单选 | 1年；2年"
    parsed = q.parse(text, old)
    assert [(x["key"], x["kind"]) for x in parsed] == [
        ("q6", "number"),
        ("q8", "choice"),
        ("q1", "choice"),
    ]
    assert parsed[1]["options"] == ["甲", "乙"]


def test_a_line_without_a_kind_is_a_text_question():
    assert q.parse("对街道的意见")[0]["kind"] == "text"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("经营年限 | 单选 | 只有一个", "至少需要两个选项"),
        ("经营年限 | 打分", "题型须为"),
        (" | 单选 | 甲；乙", "题目内容为空"),
        ("甲 | 单选 | 好；好", "重复的选项"),
        ("甲 | 文字\n甲 | 数字", "题目重复"),
        ("\n\n", "至少需要一道题"),
    ],
)
def test_mistakes_are_named_in_chinese(text, message):
    with pytest.raises(ValidationError) as excinfo:
        q.parse(text)
    assert message in " ".join(excinfo.value.messages)


def test_answers_are_checked_and_kept_in_the_questionnaires_order():
    questions = q.default_questions()
    answers = q.clean_answers(
        questions,
        {"q4": ["租金", "停车难"], "q5": "no", "q6": "12", "q7": "  多办活动 ", "q1": ""},
    )
    assert answers == {"q4": ["停车难", "租金"], "q5": "no", "q6": 12, "q7": "多办活动"}
    with pytest.raises(ValidationError) as excinfo:
        q.clean_answers(questions, {"q1": "十年", "q6": "很多", "q7": "长" * 501})
    messages = " ".join(excinfo.value.messages)
    assert "经营年限" in messages and "整数" in messages and "500" in messages
