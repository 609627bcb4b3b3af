"""Status callbacks and the asynchronous machine-detection callback Twilio sends over a call's life, and
delivering webhooks out of order."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta

from voicesim.transport import HttpResult, Transport, WebhookRequest, send_webhook
from voicesim.vocabulary import ANSWERED_BY_VALUES, FINAL_STATUSES, STATUS_CALLBACK_EVENTS, rfc2822


def status_callback_requests(
    *,
    call_params: Mapping[str, str],
    url: str,
    events: Sequence[str] = ("completed",),
    final_status: str = "completed",
    duration: int = 0,
    answered_by: str | None = None,
    started_at: datetime | None = None,
    method: str = "POST",
) -> list[WebhookRequest]:
    """The status-callback requests Twilio sends over a call's life, in order.

    ``events`` is the call's StatusCallbackEvent list (Twilio's default is
    completed only). "answered" is only sent when the call was answered
    (final_status completed). SequenceNumber counts callbacks actually sent.
    """
    unknown = set(events) - set(STATUS_CALLBACK_EVENTS)
    if unknown:
        raise ValueError(f"unknown StatusCallbackEvent values {sorted(unknown)}")
    if final_status not in FINAL_STATUSES:
        raise ValueError(f"unknown final status {final_status!r}")
    if answered_by is not None and answered_by not in ANSWERED_BY_VALUES:
        raise ValueError(f"AnsweredBy {answered_by!r} is not a Twilio value")
    answered = final_status == "completed"
    start = started_at or datetime.now(UTC)
    # Offsets in seconds from call creation at which each event happens.
    timeline = {"initiated": 0, "ringing": 1, "answered": 5, "completed": 5 + duration if answered else 30}
    statuses = {"initiated": "initiated", "ringing": "ringing", "answered": "in-progress", "completed": final_status}
    out: list[WebhookRequest] = []
    for name in STATUS_CALLBACK_EVENTS:
        if name not in events:
            continue
        if name == "answered" and not answered:
            continue
        if name == "ringing" and final_status == "failed":
            continue  # a call that fails never rings
        params = dict(call_params)
        params.update(
            {
                "CallStatus": statuses[name],
                "CallbackSource": "call-progress-events",
                "SequenceNumber": str(len(out)),
                "Timestamp": rfc2822(start + timedelta(seconds=timeline[name])),
            }
        )
        params.pop("AnsweredBy", None)
        if answered_by and name in ("answered", "completed") and answered:
            params["AnsweredBy"] = answered_by
        if name == "completed":
            params["CallDuration"] = str(duration if answered else 0)
        out.append(WebhookRequest(url=url, method=method.upper(), params=params))
    return out


def machine_detection_request(
    *,
    call_params: Mapping[str, str],
    url: str,
    answered_by: str,
    duration_ms: int = 2400,
    method: str = "POST",
) -> WebhookRequest:
    """The request Twilio sends to AsyncAmdStatusCallback once asynchronous detection has decided.

    It names the call (AccountSid, CallSid) and carries the verdict: AnsweredBy and
    MachineDetectionDuration in milliseconds; none of the call's other parameters.
    """
    if answered_by not in ANSWERED_BY_VALUES:
        raise ValueError(f"AnsweredBy {answered_by!r} is not a Twilio value")
    params = {
        "AccountSid": call_params["AccountSid"],
        "CallSid": call_params["CallSid"],
        "AnsweredBy": answered_by,
        "MachineDetectionDuration": str(duration_ms),
    }
    return WebhookRequest(url=url, method=method.upper(), params=params)


def deliver_webhooks(
    transport: Transport,
    auth_token: str,
    webhooks: Sequence[WebhookRequest],
    *,
    order: Sequence[int] | None = None,
    duplicate: Iterable[int] = (),
) -> list[tuple[WebhookRequest, HttpResult]]:
    """Send signed webhooks, optionally out of order and with some delivered twice.

    ``order`` is a permutation of indices into ``webhooks``; each index in
    ``duplicate`` is sent again right after its first delivery (Twilio retries
    and at-least-once delivery make both happen in real life).
    """
    indices = list(order) if order is not None else list(range(len(webhooks)))
    if sorted(indices) != list(range(len(webhooks))):
        raise ValueError("order must be a permutation of the request indices")
    dupes = set(duplicate)
    results: list[tuple[WebhookRequest, HttpResult]] = []
    for i in indices:
        for _ in range(2 if i in dupes else 1):
            req = webhooks[i]
            results.append((req, send_webhook(transport, auth_token, req)))
    return results
