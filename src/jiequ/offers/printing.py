"""QR codes (segno) for coupons and claim links, and the printable PDFs: a batch of coupons,
eight to an A4 page with cut lines, and the claim poster."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence

from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from jiequ.core.qr import draw_qr
from jiequ.ledger.signup import PDF_FONT  # registers the CID font that renders Chinese

from . import codes
from .models import Coupon, CouponCampaign

RED = (0.72, 0.11, 0.11)


def coupons_pdf(
    campaign: CouponCampaign, coupons: Sequence[Coupon], url_of: Callable[[str], str]
) -> bytes:
    """Coupons eight to a page (2 × 4) with dashed cut lines; `url_of(code)` is the QR's URL."""
    buffer = io.BytesIO()
    width, height = A4
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle(f"{campaign.title} · {_('coupons')}")
    cols, rows = 2, 4
    cell_w, cell_h = width / cols, height / rows
    shops = campaign.shop_count
    for index, coupon in enumerate(coupons):
        slot = index % (cols * rows)
        if slot == 0 and index:
            pdf.showPage()
        col, row = slot % cols, slot // cols
        x, y = col * cell_w, height - (row + 1) * cell_h
        pdf.setDash(3, 3)
        pdf.setStrokeColorRGB(0.6, 0.6, 0.6)
        pdf.rect(x, y, cell_w, cell_h, stroke=1, fill=0)
        pdf.setDash()
        pdf.setFillColorRGB(*RED)
        pdf.rect(x + 10, y + cell_h - 40, cell_w - 20, 30, stroke=0, fill=1)
        pdf.setFillColorRGB(1, 1, 1)
        pdf.setFont(PDF_FONT, 14)
        pdf.drawString(x + 18, y + cell_h - 31, campaign.title[:16])
        pdf.setFillColorRGB(*RED)
        pdf.setFont(PDF_FONT, 22)
        pdf.drawString(x + 16, y + cell_h - 78, campaign.benefit[:10])
        pdf.setFillColorRGB(0.1, 0.1, 0.1)
        pdf.setFont(PDF_FONT, 9)
        lines = [
            _("Valid %(start)s to %(end)s")
            % {"start": campaign.starts_on.isoformat(), "end": campaign.ends_on.isoformat()},
            _("At the %(n)d shops of the service matrix") % {"n": shops},
            _("Show the code at the counter; used once"),
        ]
        for i, line in enumerate(lines):
            pdf.drawString(x + 16, y + cell_h - 100 - i * 14, line)
        pdf.setFont("Courier-Bold", 11)
        pdf.drawString(x + 16, y + 18, codes.display(coupon.code))
        qr_size = cell_h - 60
        draw_qr(pdf, url_of(coupon.code), x=x + cell_w - qr_size - 12, y=y + 12, size=qr_size)
    if not coupons:
        pdf.setFont(PDF_FONT, 14)
        pdf.drawString(60, height - 80, _("No coupons in this batch."))
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def claim_poster_pdf(campaign: CouponCampaign, url: str) -> bytes:
    """An A4 poster with the campaign's claim link as a large QR code."""
    buffer = io.BytesIO()
    width, height = A4
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle(campaign.title)
    pdf.setFillColorRGB(*RED)
    pdf.rect(0, height - 120, width, 120, stroke=0, fill=1)
    pdf.setFillColorRGB(1, 1, 1)
    pdf.setFont(PDF_FONT, 34)
    pdf.drawCentredString(width / 2, height - 78, campaign.title[:18])
    pdf.setFillColorRGB(*RED)
    pdf.setFont(PDF_FONT, 40)
    pdf.drawCentredString(width / 2, height - 185, campaign.benefit[:14])
    draw_qr(pdf, url, x=(width - 320) / 2, y=height - 540, size=320)
    pdf.linkURL(url, ((width - 320) / 2, height - 540, (width + 320) / 2, height - 220))
    pdf.setFillColorRGB(0.1, 0.1, 0.1)
    pdf.setFont(PDF_FONT, 18)
    lines = [
        _("Scan to claim your coupon"),
        _("Valid %(start)s to %(end)s")
        % {"start": campaign.starts_on.isoformat(), "end": campaign.ends_on.isoformat()},
        _("At the %(n)d shops of the service matrix") % {"n": campaign.shop_count},
    ]
    for i, line in enumerate(lines):
        pdf.drawCentredString(width / 2, height - 600 - i * 30, line)
    pdf.setFont(PDF_FONT, 10)
    pdf.setFillColorRGB(0.4, 0.4, 0.4)
    pdf.drawCentredString(width / 2, 50, url)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
