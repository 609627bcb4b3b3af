"""Outbound webhooks: signed JSON posts of a campaign's call events to the organiser's systems.

- `webhooks.outbox`: the event rows, written in the transaction that changes the call.
- `webhooks.payloads`: each event's JSON body (never a phone number).
- `webhooks.signing`: the `Patchthrough-Signature` header, checking it, and endpoints' secrets encrypted at rest.
- `webhooks.addresses`: which URLs may be reached (no private networks), resolved at each delivery.
- `webhooks.delivery`: claiming, posting, logging each attempt, retrying with backoff, Redeliver.
- `webhooks.queue`: the RQ jobs, the in-process thread and the sweep.
- `webhooks.endpoints`: adding and removing a campaign's endpoints, rolling their secrets (the console's side).
- `webhooks.cli`: `flask webhooks deliver` and `flask webhooks worker`.
"""
