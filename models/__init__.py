"""The tables. Import models from here."""

from models.base import Base, utcnow
from models.calls import FINAL_CALL_STATUSES, Call, Caller, CallLeg, CallPreview, CallStatus, LegStatus
from models.campaign import Campaign, CampaignStatus, CampaignTarget
from models.geography import CHAMBERS, District, Target, ZipDistrict

__all__ = [
    "Base", "utcnow", "Call", "Caller", "CallLeg", "CallPreview", "CallStatus", "LegStatus", "FINAL_CALL_STATUSES",
    "Campaign", "CampaignStatus", "CampaignTarget", "CHAMBERS", "District", "Target", "ZipDistrict",
]
