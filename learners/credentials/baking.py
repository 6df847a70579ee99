"""A badge image with the credential inside it (Open Badges 3.0 §5.3, "baking" an SVG)."""

from __future__ import annotations

import textwrap
from xml.sax.saxutils import escape, quoteattr

OB3_SVG_NAMESPACE = "https://purl.imsglobal.org/ob/v3p0"


def badge_svg(*, token: str, title: str, issuer: str, caption: str) -> bytes:
    """An SVG badge whose `openbadges:credential` element carries the VC-JWT."""
    lines = textwrap.wrap(title, width=22)[:4] or [""]
    first_y = 150 - (len(lines) - 1) * 11
    title_text = "".join(
        f'<tspan x="160" y="{first_y + 22 * number}">{escape(line)}</tspan>'
        for number, line in enumerate(lines)
    )
    svg = f"""<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges={quoteattr(OB3_SVG_NAMESPACE)} \
width="320" height="320" viewBox="0 0 320 320" role="img" aria-labelledby="badge-title">
<openbadges:credential verify={quoteattr(token)}/>
<title id="badge-title">{escape(title)} – {escape(issuer)}</title>
<circle cx="160" cy="160" r="150" fill="#0b4f6c"/>
<circle cx="160" cy="160" r="132" fill="none" stroke="#f2c14e" stroke-width="6"/>
<text x="160" y="92" text-anchor="middle" font-family="DejaVu Sans, sans-serif" \
font-size="15" fill="#f2c14e">{escape(caption)}</text>
<text text-anchor="middle" font-family="DejaVu Sans, sans-serif" font-size="18" \
font-weight="bold" fill="#ffffff">{title_text}</text>
<text x="160" y="250" text-anchor="middle" font-family="DejaVu Sans, sans-serif" \
font-size="12" fill="#ffffff">{escape(issuer[:40])}</text>
</svg>
"""
    return svg.encode("utf-8")
