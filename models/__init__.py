"""The tables. Import models from here."""

from models.api_tokens import ApiToken
from models.base import Base, DbSession, insert_ignoring_conflicts, rows_changed, utcnow
from models.blocklist import Block, BlockKind
from models.calls import (
    FINAL_CALL_STATUSES,
    Call,
    Caller,
    CallLeg,
    CallLegAttempt,
    CallPreview,
    CallSource,
    CallStatus,
    LegStatus,
    find_call,
    register_caller,
    upsert_caller,
)
from models.campaign import Campaign, CampaignStatus, CampaignTarget, fixed_targets_of
from models.geography import CHAMBERS, District, LegislativeChamber, Office, Target, ZipDistrict
from models.lines import LineLease, OfficeNumber
from models.pacing import DialerPace
from models.texts import TextMessage
from models.users import AuditEntry, Role, User
from models.webhooks import DeliveryStatus, EventType, WebhookDelivery, WebhookEndpoint, WebhookEvent

__all__ = [
    "CHAMBERS",
    "FINAL_CALL_STATUSES",
    "ApiToken",
    "AuditEntry",
    "Base",
    "Block",
    "BlockKind",
    "Call",
    "CallLeg",
    "CallLegAttempt",
    "CallPreview",
    "CallSource",
    "CallStatus",
    "Caller",
    "Campaign",
    "CampaignStatus",
    "CampaignTarget",
    "DbSession",
    "DeliveryStatus",
    "DialerPace",
    "District",
    "EventType",
    "LegStatus",
    "LegislativeChamber",
    "LineLease",
    "Office",
    "OfficeNumber",
    "Role",
    "Target",
    "TextMessage",
    "User",
    "WebhookDelivery",
    "WebhookEndpoint",
    "WebhookEvent",
    "ZipDistrict",
    "find_call",
    "fixed_targets_of",
    "insert_ignoring_conflicts",
    "register_caller",
    "rows_changed",
    "upsert_caller",
    "utcnow",
]
