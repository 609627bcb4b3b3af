"""The tables. Import models from here."""

from models.base import Base, DbSession, rows_changed, utcnow
from models.blocklist import Block, BlockKind
from models.calls import FINAL_CALL_STATUSES, Call, Caller, CallLeg, CallPreview, CallStatus, LegStatus, find_call
from models.campaign import Campaign, CampaignStatus, CampaignTarget
from models.geography import CHAMBERS, District, LegislativeChamber, Target, ZipDistrict

__all__ = [
    "CHAMBERS",
    "FINAL_CALL_STATUSES",
    "Base",
    "Block",
    "BlockKind",
    "Call",
    "CallLeg",
    "CallPreview",
    "CallStatus",
    "Caller",
    "Campaign",
    "CampaignStatus",
    "CampaignTarget",
    "DbSession",
    "District",
    "LegStatus",
    "LegislativeChamber",
    "Target",
    "ZipDistrict",
    "find_call",
    "rows_changed",
    "utcnow",
]
