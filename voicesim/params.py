"""The parameters Twilio sends with every webhook of a call, outbound (placed through the API) or inbound."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from voicesim.vocabulary import API_VERSION, new_sid

# Twilio's Direction values for the calls the stand-in runs.
CallDirection = Literal["outbound-api", "inbound"]


def call_params(
    direction: CallDirection,
    *,
    account_sid: str,
    to: str,
    from_: str,
    call_sid: str | None = None,
    geo: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """The parameters Twilio sends on a call's first webhook: an inbound call is still ringing then."""
    geo = dict(geo or {})
    params = {
        "AccountSid": account_sid,
        "ApiVersion": API_VERSION,
        "CallSid": call_sid or new_sid("CA"),
        "CallStatus": "ringing" if direction == "inbound" else "in-progress",
        "Direction": direction,
        "From": from_,
        "To": to,
        "Caller": from_,
        "Called": to,
    }
    # Twilio adds geographic lookups for both ends; Caller*/Called* mirror From*/To*.
    for side, alias in (("From", "Caller"), ("To", "Called")):
        for part in ("City", "State", "Zip", "Country"):
            value = geo.get(side + part, "")
            params[side + part] = value
            params[alias + part] = value
    return params
