"""QR codes (segno) for pages, downloads and printed PDFs: drawn here, no outside service."""

from __future__ import annotations

import io
from typing import Any

import segno


def _code(url: str) -> segno.QRCode:
    return segno.make(url, error="m", micro=False)


def qr_svg(url: str, *, scale: int = 6) -> str:
    """The QR code of `url` as inline SVG (crisp at any print size)."""
    buffer = io.BytesIO()
    _code(url).save(buffer, kind="svg", scale=scale, border=2, xmldecl=False, svgns=True, nl=False)
    return buffer.getvalue().decode("utf-8")


def qr_png(url: str, *, scale: int = 10) -> bytes:
    buffer = io.BytesIO()
    _code(url).save(buffer, kind="png", scale=scale, border=2)
    return buffer.getvalue()


def draw_qr(pdf: Any, url: str, *, x: float, y: float, size: float) -> None:
    """Draw the QR code on a reportlab canvas as vector squares, `size` points wide."""
    matrix = list(_code(url).matrix_iter(border=2))
    cell = size / len(matrix)
    pdf.setFillColorRGB(0, 0, 0)
    for row, bits in enumerate(matrix):
        for col, dark in enumerate(bits):
            if dark:
                pdf.rect(x + col * cell, y + size - (row + 1) * cell, cell, cell, stroke=0, fill=1)
