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
    upsert_caller,
)
from models.campaign import Campaign, CampaignStatus, CampaignTarget
from models.geography import CHAMBERS, District, LegislativeChamber, Office, Target, ZipDistrict
from models.pacing import DialerPace
from models.texts import TextMessage
from models.users import AuditEntry, Role, User

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
    "DialerPace",
    "District",
    "LegStatus",
    "LegislativeChamber",
    "Office",
    "Role",
    "Target",
    "TextMessage",
    "User",
    "ZipDistrict",
    "find_call",
    "insert_ignoring_conflicts",
    "rows_changed",
    "upsert_caller",
    "utcnow",
]
