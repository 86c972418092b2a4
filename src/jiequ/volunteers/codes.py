"""Volunteer sign-up codes: one per service point or region, and their A4 posters."""

from __future__ import annotations

import io
import secrets

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from jiequ.areas.models import Region
from jiequ.core.qr import draw_qr
from jiequ.ledger.signup import PDF_FONT

from .models import ServicePoint, VolunteerCode


def code_for(target: ServicePoint | Region) -> VolunteerCode:
    """The active code of a point or a region, made on first use."""
    if isinstance(target, ServicePoint):
        lookup = {"point": target, "region": target.region}
    else:
        lookup = {"point": None, "region": target}
    existing = VolunteerCode.objects.filter(is_active=True, **lookup).first()
    if existing is not None:
        return existing
    return VolunteerCode.objects.create(token=secrets.token_urlsafe(12), **lookup)


def poster_pdf(code: VolunteerCode, url: str) -> bytes:
    """An A4 poster: title, the point, a large QR code of `url`, and who it is for."""
    buffer = io.BytesIO()
    width, height = A4
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle(f"新就业群体志愿者招募 · {code}")
    pdf.setFillColorRGB(0.85, 0.35, 0.05)
    pdf.rect(0, height - 120, width, 120, stroke=0, fill=1)
    pdf.setFillColorRGB(1, 1, 1)
    pdf.setFont(PDF_FONT, 36)
    pdf.drawCentredString(width / 2, height - 80, "小哥志愿者 扫码加入")
    pdf.setFillColorRGB(0.1, 0.1, 0.1)
    pdf.setFont(PDF_FONT, 22)
    pdf.drawCentredString(width / 2, height - 175, str(code)[:28])
    size = 340
    x, y = (width - size) / 2, height - 560
    draw_qr(pdf, url, x=x, y=y, size=size)
    pdf.linkURL(url, (x, y, x + size, y + size))
    pdf.setFont(PDF_FONT, 17)
    lines = [
        "快递员、外卖骑手、网约车司机、主播朋友们：",
        "用手机扫一扫，留下您的技能和空闲时间，",
        "加入街区志愿者队伍，一起守护我们的街区。",
    ]
    for i, line in enumerate(lines):
        pdf.drawCentredString(width / 2, height - 620 - i * 28, line)
    pdf.setFont(PDF_FONT, 11)
    pdf.setFillColorRGB(0.4, 0.4, 0.4)
    pdf.drawCentredString(width / 2, 60, url)
    pdf.drawCentredString(width / 2, 40, f"{code.region}  街道党工委")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
