"""A delivery worker process for the tests: sweeps the outbox until nothing is pending (or 30 s pass).

Run as `python -m tests.support.webhook_worker`; the app comes from the environment, as in production.
"""

from __future__ import annotations

import time

from sqlalchemy import func, select

from app import create_app
from extensions import db
from models import DeliveryStatus, WebhookEvent
from webhooks.delivery import DeliverySettings, deliver_due


def main() -> None:
    """Sweep until the outbox is settled; print how many deliveries this process made."""
    app = create_app()
    delivered = 0
    with app.app_context():
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            delivered += deliver_due(db.session, DeliverySettings.from_config(app.config))
            pending = db.session.scalar(
                select(func.count()).select_from(WebhookEvent).where(WebhookEvent.status == DeliveryStatus.pending)
            )
            db.session.commit()
            if not pending:
                break
            time.sleep(0.01)
    print(delivered)


if __name__ == "__main__":
    main()
