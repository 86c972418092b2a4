"""The road survey's report as an A4 PDF (reportlab), for the subdistrict's table.

Chinese is set in reportlab's built-in CID font STSong-Light (Adobe's Song, which every PDF
reader carries), so no font file is shipped. Layout: a title page; overview and states found;
business mix with a bar chart; demands by category with a bar chart; the answers per question;
what to change; the list of shops visited.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import (
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from .report import QuestionSummary, Report, Row

FONT = "STSong-Light"
RED = colors.HexColor("#b71c1c")
GREY = colors.HexColor("#e3e3e3")
LIGHT = colors.HexColor("#faf7f5")
WIDTH = A4[0] - 40 * mm

_registered = False


def _font() -> str:
    global _registered
    if not _registered:
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
        _registered = True
    return FONT


def _styles() -> dict[str, ParagraphStyle]:
    font = _font()
    base = ParagraphStyle("base", fontName=font, fontSize=10.5, leading=16, wordWrap="CJK")
    return {
        "base": base,
        "small": ParagraphStyle("small", parent=base, fontSize=9, leading=13),
        "muted": ParagraphStyle("muted", parent=base, fontSize=9, textColor=colors.grey),
        # Headings stay on the page of what follows them.
        "h1": ParagraphStyle(
            "h1",
            parent=base,
            fontSize=15,
            leading=22,
            spaceBefore=8,
            spaceAfter=6,
            keepWithNext=1,
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=base,
            fontSize=12,
            leading=18,
            spaceBefore=8,
            spaceAfter=4,
            keepWithNext=1,
        ),
        "number": ParagraphStyle("number", parent=base, fontSize=9, leading=13, alignment=TA_RIGHT),
        "title": ParagraphStyle(
            "title", parent=base, fontSize=24, leading=34, alignment=TA_CENTER, textColor=RED
        ),
        "subtitle": ParagraphStyle(
            "subtitle", parent=base, fontSize=13, leading=20, alignment=TA_CENTER
        ),
        "centre": ParagraphStyle("centre", parent=base, alignment=TA_CENTER),
    }


def _esc(text: Any) -> str:
    return (
        str(text if text is not None else "")
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
    )


def _table(
    header: Sequence[str], rows: Sequence[Sequence[Any]], widths: Sequence[float], styles: dict
) -> Table:
    cell, number = styles["small"], styles["number"]

    def para(value: Any) -> Paragraph:
        # Counts and shares line up on the right.
        text = str(value)
        numeric = isinstance(value, int | float) or text.rstrip("%").replace(".", "").isdigit()
        return Paragraph(_esc(value), number if numeric else cell)

    data = [[Paragraph(_esc(h), cell) for h in header]]
    data += [[para(c) for c in row] for row in rows]
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), LIGHT),
                ("GRID", (0, 0), (-1, -1), 0.4, GREY),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return table


def _share_rows(rows: Sequence[Row]) -> list[list[Any]]:
    return [[r.label, r.n, r.percent] for r in rows]


def bar_chart(rows: Sequence[Row], title: str, limit: int = 10) -> Drawing:
    """A horizontal bar chart of the rows' counts (largest first, at most `limit`)."""
    font = _font()
    shown = list(rows)[:limit]
    height = 30 + 18 * max(1, len(shown))
    drawing = Drawing(WIDTH, height + 20)
    drawing.add(String(0, height + 6, title, fontName=font, fontSize=10))
    if not shown:
        return drawing
    chart = HorizontalBarChart()
    chart.x, chart.y = 150, 15
    chart.width, chart.height = WIDTH - 190, height - 20
    # Bars from the top down in the rows' order.
    chart.data = [[r.n for r in reversed(shown)]]
    chart.categoryAxis.categoryNames = [_clip(r.label, 14) for r in reversed(shown)]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 8
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 8
    chart.bars[0].fillColor = RED
    chart.bars[0].strokeColor = None
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = font
    chart.barLabels.fontSize = 7
    chart.barLabels.nudge = 8
    drawing.add(chart)
    return drawing


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _question_block(number: int, q: QuestionSummary, styles: dict) -> list[Any]:
    answered = _esc(_("answered by %(n)d") % {"n": q.answered})
    flow: list[Any] = [
        Paragraph(
            f"{number}. {_esc(q.question['text'])}<font size=8 color=grey>（{answered}）</font>",
            styles["base"],
        )
    ]
    if q.rows:
        flow.append(
            _table(
                [_("Answer"), _("Shops"), _("Share")],
                _share_rows(q.rows),
                [WIDTH * 0.6, WIDTH * 0.2, WIDTH * 0.2],
                styles,
            )
        )
    elif q.stats:
        s = q.stats
        flow.append(
            _table(
                [_("Mean"), _("Median"), _("Smallest"), _("Largest"), _("Sum")],
                [[f"{s['mean']:.1f}", s["median"], s["min"], s["max"], s["sum"]]],
                [WIDTH / 5] * 5,
                styles,
            )
        )
    elif q.texts:
        for text in q.texts[:30]:
            flow.append(Paragraph(f"· {_esc(text)}", styles["small"]))
        if len(q.texts) > 30:
            flow.append(
                Paragraph(_esc(_("… and %(n)d more.") % {"n": len(q.texts) - 30}), styles["muted"])
            )
    else:
        flow.append(Paragraph(_esc(_("No answers yet.")), styles["muted"]))
    flow.append(Spacer(1, 4 * mm))
    return flow


def render(report: Report, shops: Sequence[Any], subdistrict_name: str = "") -> bytes:
    """The PDF bytes of `report`; `shops` are the visits listed in the appendix."""
    styles = _styles()
    survey = report.survey
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=survey.title,
        author=str(survey.author or ""),
        subject=_("Road survey report"),
    )
    font = _font()

    def on_page(canvas: Any, doc_: Any) -> None:
        canvas.saveState()
        canvas.setFont(font, 8)
        canvas.setFillColor(colors.grey)
        footer = _("%(title)s · page %(n)d") % {"title": survey.title, "n": doc_.page}
        canvas.drawCentredString(A4[0] / 2, 10 * mm, footer)
        canvas.restoreState()

    road = survey.road.name if survey.road_id else ""
    flow: list[Any] = [
        Spacer(1, 55 * mm),
        Paragraph(_esc(survey.title), styles["title"]),
        Spacer(1, 6 * mm),
        Paragraph(_esc(_("Road survey report")), styles["subtitle"]),
        Spacer(1, 30 * mm),
    ]
    facts = [
        (_("Subdistrict"), subdistrict_name or str(survey.region)),
        (_("Road"), road or _("A chosen set of shops")),
        (_("Dates"), f"{survey.starts_on:%Y-%m-%d} – {survey.ends_on:%Y-%m-%d}"),
        (_("Shops visited"), f"{report.visited} / {report.total}"),
        (_("Authors"), str(survey.author or "")),
        (_("Printed on"), f"{timezone.localdate():%Y-%m-%d}"),
    ]
    facts_table = Table(
        [
            [Paragraph(_esc(k), styles["base"]), Paragraph(_esc(v), styles["base"])]
            for k, v in facts
        ],
        colWidths=[35 * mm, 85 * mm],
    )
    facts_table.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.4, GREY)]))
    flow += [facts_table, PageBreak()]

    # 1. Overview.
    flow.append(Paragraph(_esc(_("1. Overview")), styles["h1"]))
    if survey.purpose:
        flow.append(Paragraph(_esc(survey.purpose), styles["base"]))
    flow.append(
        Paragraph(
            _esc(
                _(
                    "%(visited)d of %(total)d shops visited one by one (%(share)s) by "
                    "%(visitors)d visitors; %(demands)d demands raised, %(cases)d of them "
                    "handed to the demands desk as cases."
                )
                % {
                    "visited": report.visited,
                    "total": report.total,
                    "share": report.visited_percent,
                    "visitors": report.visitors,
                    "demands": report.demand_count,
                    "cases": report.cases_opened,
                }
            ),
            styles["base"],
        )
    )
    if survey.findings:
        flow.append(Spacer(1, 3 * mm))
        for para in survey.findings.splitlines():
            if para.strip():
                flow.append(Paragraph(_esc(para), styles["base"]))
    flow.append(Paragraph(_esc(_("States found")), styles["h2"]))
    flow.append(
        _table(
            [_("State found"), _("Shops"), _("Share")],
            _share_rows(report.states),
            [WIDTH * 0.6, WIDTH * 0.2, WIDTH * 0.2],
            styles,
        )
    )

    # 2. Business mix.
    flow.append(Paragraph(_esc(_("2. Business mix")), styles["h1"]))
    flow.append(KeepTogether([bar_chart(report.industry, _("Shops by industry"))]))
    flow.append(
        _table(
            [_("Industry"), _("Shops"), _("Share")],
            _share_rows(report.industry),
            [WIDTH * 0.6, WIDTH * 0.2, WIDTH * 0.2],
            styles,
        )
    )
    flow.append(Spacer(1, 3 * mm))
    flow.append(
        _table(
            [_("Kind"), _("Shops"), _("Share")],
            _share_rows(report.kind),
            [WIDTH * 0.6, WIDTH * 0.2, WIDTH * 0.2],
            styles,
        )
    )
    flow.append(Spacer(1, 3 * mm))
    flow.append(
        _table(
            [_("Two enterprises, three new"), _("Shops"), _("Share")],
            _share_rows(report.sector),
            [WIDTH * 0.6, WIDTH * 0.2, WIDTH * 0.2],
            styles,
        )
    )

    # 3. Demands.
    flow.append(Paragraph(_esc(_("3. Demands by category")), styles["h1"]))
    if report.demands:
        flow.append(KeepTogether([bar_chart(report.demands, _("Demands by category"))]))
        flow.append(
            _table(
                [_("Category"), _("Demands"), _("Share"), _("Cases opened")],
                [[r.label, r.n, r.percent, r.extra.get("cases", 0)] for r in report.demands],
                [WIDTH * 0.46, WIDTH * 0.18, WIDTH * 0.18, WIDTH * 0.18],
                styles,
            )
        )
    else:
        flow.append(Paragraph(_esc(_("No demands raised.")), styles["muted"]))

    # 4. Answers.
    flow.append(PageBreak())
    flow.append(Paragraph(_esc(_("4. Answers by question")), styles["h1"]))
    for number, q in enumerate(report.questions, start=1):
        flow += _question_block(number, q, styles)

    # 5. What to change.
    flow.append(Paragraph(_esc(_("5. What to change")), styles["h1"]))
    if survey.recommendations.strip():
        for para in survey.recommendations.splitlines():
            if para.strip():
                flow.append(Paragraph(_esc(para), styles["base"]))
                flow.append(Spacer(1, 2 * mm))
    else:
        flow.append(
            Paragraph(_esc(_("The authors have not written recommendations yet.")), styles["muted"])
        )

    # Appendix: the shops.
    if shops:
        flow.append(PageBreak())
        flow.append(Paragraph(_esc(_("Appendix: shops visited")), styles["h1"]))
        rows = []
        for visit in shops:
            entity = visit.entity
            demands = "；".join(d.text for d in visit.demands.all())
            rows.append(
                [
                    visit.order,
                    entity.display_name,
                    entity.number or entity.address,
                    visit.get_state_found_display() or _("Not visited yet"),
                    demands,
                ]
            )
        flow.append(
            _table(
                ["#", _("Shop"), _("Number"), _("State found"), _("Demands")],
                rows,
                [WIDTH * 0.07, WIDTH * 0.33, WIDTH * 0.13, WIDTH * 0.14, WIDTH * 0.33],
                styles,
            )
        )
    doc.build(flow, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()
