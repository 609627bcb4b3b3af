"""Each campaign's link-preview image (Open Graph / Twitter card): 1200×630 PNG with its title and headline.

Drawn with Pillow's bundled scalable font, so no system font is needed; the headline shrinks until it
fits in four lines. No Flask and no database: plain text in, PNG bytes out.
"""

from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
MARGIN = 80
NAVY, WHITE, SOFT, ACCENT = "#0f2a4a", "#ffffff", "#c9dcf2", "#5b9cf0"
MAX_LINES = 4


def _font(size: int) -> ImageFont.FreeTypeFont:
    """Pillow's bundled scalable font at `size` px (it needs FreeType, which Pillow's wheels carry)."""
    font = ImageFont.load_default(size=size)
    assert isinstance(font, ImageFont.FreeTypeFont), "Pillow was built without FreeType"
    return font


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and font.getlength(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def _headline(text: str, width: int) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """The largest size (72 down to 36 px) at which the headline fits; cut with an ellipsis if even 36 does not."""
    for size in range(72, 35, -4):
        font = _font(size)
        lines = _wrap(text, font, width)
        if len(lines) <= MAX_LINES:
            return font, lines
    lines = _wrap(text, font, width)[:MAX_LINES]
    if lines:
        lines[-1] = lines[-1].rstrip(".,;:") + "…"
    return font, lines


def share_card(eyebrow: str, headline: str, footer: str) -> bytes:
    """The card as PNG bytes: the campaign's title above its headline, the call to action below."""
    image = Image.new("RGB", (WIDTH, HEIGHT), NAVY)
    draw = ImageDraw.Draw(image)
    small = _font(30)
    top = _wrap(eyebrow.upper(), small, WIDTH - 2 * MARGIN)
    if top:
        draw.text((MARGIN, MARGIN), top[0] + (" …" if len(top) > 1 else ""), font=small, fill=SOFT)
    font, lines = _headline(" ".join(headline.split()), WIDTH - 2 * MARGIN)
    y = MARGIN + 70
    for line in lines:
        draw.text((MARGIN, y), line, font=font, fill=WHITE)
        y += int(font.size * 1.2)
    dot = HEIGHT - MARGIN - 22
    draw.ellipse((MARGIN, dot, MARGIN + 28, dot + 28), fill=ACCENT)
    draw.text((MARGIN + 44, dot - 4), footer, font=_font(34), fill=WHITE)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
