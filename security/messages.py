"""What a person sees when we refuse or cannot serve a request: plain, kind, and never which rule it was."""

from __future__ import annotations

from languages import N_

NOTICES: dict[str, tuple[str, str]] = {
    "limited": (
        N_("We can't place this call right now"),
        N_(
            "To keep this service from being misused, each phone number and each connection can start only a few "
            "calls in a while. Please try again later. Thank you for speaking up."
        ),
    ),
    # The honeypot's decoy: looks like an ordinary answer, promises nothing.
    "received": (N_("Thank you"), N_("We have received your request.")),
    "captcha_failed": (
        N_("Please try once more"),
        N_("We couldn't confirm that a person sent the form. Please go back, complete the check and send it again."),
    ),
    "captcha_unavailable": (
        N_("Please try again in a minute"),
        N_(
            "The check that keeps automated programs out of this form isn't answering right now. "
            "Please go back and send the form again in a minute."
        ),
    ),
    "unavailable": (
        N_("We're having trouble right now"),
        N_(
            "Our service can't reach its records at the moment, so we can't place calls. Nothing you sent was saved. "
            "Please try again in a few minutes."
        ),
    ),
    "form_expired": (
        N_("This form has expired"),
        N_(
            "For your security, a form stays valid for a limited time. "
            "Please go back, reload the page and send it again."
        ),
    ),
    "forbidden": (
        N_("This request was refused"),
        N_("Requests to this service must come from its own pages. Please open the page directly and try again."),
    ),
}
