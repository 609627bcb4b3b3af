"""Each campaign's link-preview card: a 1200×630 PNG with its own title and headline, whatever their length."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from pages.share_card import HEIGHT, WIDTH, share_card


@pytest.mark.parametrize(
    "title, headline",
    [
        ("Protect immigrant families", "Call your state legislators today"),
        ("T" * 300, " ".join(["a-very-long-headline-word"] * 80)),
        ("", ""),
        ("Ação já", "Llame hoy · ¡Ahora! — 電話"),
    ],
)
def test_the_card_is_a_png_of_the_size_link_previews_want(title, headline) -> None:
    image = Image.open(io.BytesIO(share_card(title, headline, "Patchthrough · Call now")))
    assert image.format == "PNG" and image.size == (WIDTH, HEIGHT) == (1200, 630)


def test_two_campaigns_get_two_different_cards() -> None:
    assert share_card("A", "Call about the budget", "x") != share_card("A", "Call about the schools", "x")
