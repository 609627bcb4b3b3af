"""The voice each language's calls speak with: a Twilio <Say> language and voice per locale.

Amazon Polly voices through Twilio (twilio.com/docs/voice/twiml/say/text-speech): Joanna speaks
en-US, Lupe es-US (the Spanish of the United States) and Camila pt-BR. SAY_VOICES overrides any of
them: "es=es-MX:Polly.Mia,pt_BR=pt-BR:Polly.Vitoria".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from languages import LOCALES, normalize


@dataclass(frozen=True)
class Voice:
    """What a <Say> carries: its language tag and its voice."""

    language: str
    voice: str


DEFAULT_VOICES: Final = {
    "en": Voice("en-US", "Polly.Joanna"),
    "es": Voice("es-US", "Polly.Lupe"),
    "pt_BR": Voice("pt-BR", "Polly.Camila"),
}
_ENTRY = re.compile(r"^([A-Za-z_-]+)=([a-z]{2,3}-[A-Z]{2}):([A-Za-z][\w.-]{1,63})$")


def parse_voices(text: str) -> dict[str, Voice]:
    """The defaults with SAY_VOICES' entries over them; ValueError names an entry it cannot read."""
    voices = dict(DEFAULT_VOICES)
    for entry in filter(None, (part.strip() for part in text.split(","))):
        match = _ENTRY.match(entry)
        locale = normalize(match.group(1)) if match else None
        if match is None or locale is None or match.group(1).replace("-", "_") != locale:
            raise ValueError(
                f"{entry!r} is not locale=language:voice with a locale among {', '.join(LOCALES)} "
                "(e.g. es=es-US:Polly.Lupe)"
            )
        voices[locale] = Voice(match.group(2), match.group(3))
    return voices
