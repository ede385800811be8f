"""The join link as a QR code (segno), drawn as SVG for the projector."""

from __future__ import annotations

import segno

from acumap.style import PAGE


def join_qr_svg(url: str, scale: int = 8) -> str:
    """An inline <svg> of the link; error correction M (a projected code survives a little glare)."""
    return segno.make_qr(url, error="m").svg_inline(scale=scale, dark=PAGE.qr_dark, light=PAGE.qr_light)
