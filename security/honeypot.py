"""The honeypot: a form field people never see or hear, which form-filling bots fill in.

The field sits in a ``hidden`` wrapper (not rendered, not in the accessibility tree, not in the tab
order), under a name no browser's autofill recognises. A submission with anything in it is
refused silently: no call, and an answer that looks like success, so the bot learns nothing.
"""

from __future__ import annotations

from collections.abc import Mapping

FIELD = "contact_me_by_fax_only"


def honeypot_tripped(form: Mapping[str, str]) -> bool:
    """True when the hidden field came back with anything in it."""
    return bool((form.get(FIELD) or "").strip())
