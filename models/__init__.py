"""The tables. Import models from here."""

from models.base import Base, DbSession, rows_changed, utcnow
from models.blocklist import Block, BlockKind
from models.calls import FINAL_CALL_STATUSES, Call, Caller, CallLeg, CallPreview, CallStatus, LegStatus, find_call
from models.campaign import Campaign, CampaignStatus, CampaignTarget
from models.geography import CHAMBERS, District, Target, ZipDistrict

__all__ = [
    "Base", "DbSession", "rows_changed", "utcnow", "Block", "BlockKind", "Call", "Caller", "CallLeg", "CallPreview", "CallStatus", "LegStatus", "FINAL_CALL_STATUSES", "find_call",
    "Campaign", "CampaignStatus", "CampaignTarget", "CHAMBERS", "District", "Target", "ZipDistrict",
]
