"""The survey's report: figures against the records, the page and its recommendations, the PDF
(A4, Chinese, the road's name inside), the answers as Excel, scope."""

from __future__ import annotations

import io
import re
import zlib
from base64 import a85decode

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from jiequ.cases.models import CaseCategory
from jiequ.surveys import report
from jiequ.surveys.visits import DemandInput, record_visit

from .factories_surveys import build_survey_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey_world(world, users, party):
    return build_survey_world(world, users, party)


@pytest.fixture
def visited(survey_world, users):
    """Four of the five shops visited: three operating (with answers and demands), one closed."""
    survey = survey_world.survey
    visits = {v.entity.number: v for v in survey.visits.select_related("entity")}
    parking = CaseCategory.objects.get(code="S0201")
    loading = CaseCategory.objects.get(code="S0202")
    rent = CaseCategory.objects.get(code="S0105")
    today = timezone.localdate()
    record_visit(
        visits["1号"],
        users.grid,
        visited_on=today,
        state_found="operating",
        answers={"q1": "5年以上", "q4": ["停车难", "租金"], "q5": "yes", "q6": 4, "q7": "多办活动"},
        demands=[DemandInput(parking, "顾客停车难", True), DemandInput(rent, "房租涨了")],
    )
    record_visit(
        visits["3号"],
        users.grid,
        visited_on=today,
        state_found="operating",
        answers={"q1": "5年以上", "q4": ["停车难"], "q5": "no", "q6": 10},
        demands=[DemandInput(loading, "装卸货没地方停")],
    )
    record_visit(
        visits["5号"],
        users.staff,
        visited_on=today,
        state_found="operating",
        answers={"q1": "1–3年", "q5": "yes", "q6": 7},
    )
    record_visit(visits["8号"], users.staff, visited_on=today, state_found="closed", answers={})
    return survey_world


def test_report_figures_match_the_records(visited):
    data = report.build(visited.survey)
    assert (data.total, data.visited, data.visitors) == (5, 4, 2)
    industry = {r.label: r.n for r in data.industry}
    assert industry == {"H 住宿和餐饮业": 2, "F 批发和零售业": 2, "O 居民服务、修理和其他服务业": 1}
    states = {r.label: (r.n, r.percent) for r in data.states}
    assert states == {
        "在营": (3, "60.0%"),
        "已关停": (1, "20.0%"),
        "尚未走访": (1, "20.0%"),
    }
    assert {r.label: (r.n, r.extra["cases"]) for r in data.demands} == {
        "停车与交通组织": (2, 1),
        "经营服务": (1, 0),
    }
    assert (data.demand_count, data.cases_opened) == (3, 1)
    by_key = {q.question["key"]: q for q in data.questions}
    years = {r.label: r.n for r in by_key["q1"].rows}
    assert years == {"不满1年": 0, "1–3年": 1, "3–5年": 0, "5年以上": 2}
    assert by_key["q1"].answered == 3
    # Several choices: the share of those who answered that named it.
    wishes = {r.label: (r.n, r.percent) for r in by_key["q4"].rows}
    assert wishes["停车难"] == (2, "100.0%") and wishes["租金"] == (1, "50.0%")
    assert [(r.n, r.percent) for r in by_key["q5"].rows] == [(2, "66.7%"), (1, "33.3%")]
    assert by_key["q6"].stats == {"mean": 7, "median": 7, "min": 4, "max": 10, "sum": 21}
    assert by_key["q7"].texts == ["多办活动"]


def test_report_page_and_recommendations(visited, users, login):
    survey = visited.survey
    client = login(users.staff)
    url = reverse("surveys:survey_report", args=[survey.pk])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "业态结构" in html and "停车与交通组织" in html and 'id="chart-industry"' in html
    assert len(page.context["shops"]) == 5
    response = client.post(
        url,
        {
            "findings": "走访发现停车难最集中。",
            "recommendations": "一、推广错峰停车。\n二、增设装卸点。",
            "loaded_at": survey.updated_at.isoformat(),
        },
    )
    assert response.status_code == 302
    survey.refresh_from_db()
    assert survey.recommendations.startswith("一、推广错峰停车")
    stale = client.post(
        url, {"findings": "", "recommendations": "覆盖", "loaded_at": "2000-01-01T00:00:00"}
    )
    assert stale.status_code == 400
    survey.refresh_from_db()
    assert survey.recommendations.startswith("一、")


def test_visitors_read_the_report_but_do_not_edit_it(visited, users, login):
    url = reverse("surveys:survey_report", args=[visited.survey.pk])
    page = login(users.grid).get(url)
    assert page.status_code == 200 and page.context["form"] is None
    # The figures cover the survey; the list of shops only the grid worker's own.
    assert page.context["report"].total == 5
    assert {v.entity.number for v in page.context["shops"]} == {"1号", "2号", "3号", "8号"}
    assert login(users.grid).post(url, {"recommendations": "x"}).status_code == 403
    district = login(users.district).get(url)
    assert district.status_code == 200 and district.context["shops"] == []


def pdf_text(data: bytes) -> str:
    """The text shown on the pages: reportlab's content streams (ASCII85 + Flate) hold the
    strings in UTF-16 for the CID font."""
    text = []
    for raw in re.findall(rb"stream\r?\n(.*?)endstream", data, re.S):
        raw = raw.strip().removeprefix(b"<~").removesuffix(b"~>")
        try:
            content = zlib.decompress(a85decode(raw))
        except (ValueError, zlib.error):
            continue
        for literal in re.findall(rb"\(((?:\\.|[^\\)])*)\) Tj", content, re.S):
            unescaped = re.sub(
                rb"\\([0-7]{1,3}|.)",
                lambda m: (
                    bytes([int(m.group(1), 8)])
                    if m.group(1)[:1].isdigit()
                    else {b"n": b"\n", b"r": b"\r", b"t": b"\t"}.get(m.group(1), m.group(1))
                ),
                literal,
            )
            for encoding in ("utf-16-be", "latin-1"):
                try:
                    text.append(unescaped.decode(encoding))
                    break
                except UnicodeDecodeError:
                    continue
    return "".join(text)


def test_the_pdf_report(visited, users, login):
    survey = visited.survey
    survey.recommendations = "一、推广错峰停车。"
    survey.save()
    response = login(users.staff).get(reverse("surveys:survey_report_pdf", args=[survey.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    data = response.content
    assert data.startswith(b"%PDF")
    assert b"STSong-Light" in data  # the built-in Chinese font
    assert b"/MediaBox [ 0 0 595.2756 841.8898 ]" in data  # A4
    pages = len(re.findall(rb"/Type /Page[^s]", data))
    assert pages >= 4
    text = pdf_text(data)
    assert "石门二路" in text
    assert "道路调研报告" in text and "推广错峰停车" in text and "停车与交通组织" in text


def test_answers_export_to_excel(visited, users, login):
    survey = visited.survey
    response = login(users.staff).get(reverse("surveys:survey_export", args=[survey.pk]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert "经营年限" in header and "对街道的意见建议" in header
    assert len(rows) == 1 + 5
    first = dict(zip(header, rows[1], strict=True))
    assert first["最希望改善的方面（可多选）"] == "停车难、租金"
    assert first["是否知道所在街区党支部和联系卡"] == "是"
    assert "停车与交通组织" not in (first["诉求"] or "")  # sub-category names are shown
    assert "错峰停车：顾客停车难" in first["诉求"]
    assert (
        login(users.grid).get(reverse("surveys:survey_export", args=[survey.pk])).status_code == 403
    )
    assert (
        login(users.other_admin).get(reverse("surveys:survey_export", args=[survey.pk])).status_code
        == 404
    )
