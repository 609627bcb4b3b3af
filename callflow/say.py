"""Long text as several <Say> elements: split at sentence ends, each within MAX_SAY_CHARS."""

from __future__ import annotations

import re

from .vocabulary import MAX_SAY_CHARS


def split_for_say(text: str, limit: int = MAX_SAY_CHARS) -> list[str]:
    """Split text into chunks of at most ``limit`` characters, at sentence ends where possible."""
    chunks: list[str] = []
    current = ""
    for sentence in re.split(r"(?<=[.!?])\s+|\s*\n\s*", text.strip()):
        for piece in _hard_split(sentence, limit):
            if not piece:
                continue
            joined = f"{current} {piece}" if current else piece
            if len(joined) <= limit:
                current = joined
            else:
                chunks.append(current)
                current = piece
    if current:
        chunks.append(current)
    return chunks


def _hard_split(sentence: str, limit: int) -> list[str]:
    # A single sentence longer than a Say: break at spaces, and cut words only as a last resort.
    if len(sentence) <= limit:
        return [sentence]
    pieces: list[str] = []
    current = ""
    for word in sentence.split():
        while len(word) > limit:
            if current:
                pieces.append(current)
                current = ""
            pieces.append(word[:limit])
            word = word[limit:]
        joined = f"{current} {word}" if current else word
        if len(joined) <= limit:
            current = joined
        else:
            pieces.append(current)
            current = word
    if current:
        pieces.append(current)
    return pieces
