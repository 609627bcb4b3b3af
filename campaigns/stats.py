"""Anonymous results of a campaign, for its organiser: calls by outcome and by source, and conversations per
target."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, select

from models import Call, CallLeg, CallSource, CallStatus, Campaign, DbSession, LegStatus, Target

_REACHED = (LegStatus.completed, LegStatus.answered)
_MISSED = (LegStatus.busy, LegStatus.no_answer, LegStatus.failed)


@dataclass(frozen=True)
class TargetResult:
    """How supporters fared with one target."""

    name: str
    title: str
    planned: int
    reached: int
    missed: int


@dataclass(frozen=True)
class CampaignStats:
    """Counts only: no supporter is identifiable from them."""

    calls_by_status: dict[str, int]
    calls_by_source: dict[str, int]  # every source, zero included: web, call-in
    supporters: int  # distinct known numbers (a withheld caller ID is not one)
    not_requested: int  # calls where whoever answered pressed 9: "I did not ask for this call"
    targets: list[TargetResult]


def campaign_stats(session: DbSession, campaign: Campaign) -> CampaignStats:
    """Count a campaign's calls by status, its distinct supporters, and each target's outcomes."""
    by_status = dict(
        session.execute(
            select(Call.status, func.count()).where(Call.campaign_id == campaign.id).group_by(Call.status)
        ).all()
    )
    by_source = dict(
        session.execute(
            select(Call.source, func.count()).where(Call.campaign_id == campaign.id).group_by(Call.source)
        ).all()
    )
    supporters = session.scalar(
        select(func.count(func.distinct(Call.caller_id))).where(Call.campaign_id == campaign.id)
    )
    not_requested = session.scalar(
        select(func.count()).where(Call.campaign_id == campaign.id, Call.not_requested.is_(True))
    )
    reached = func.sum(case((CallLeg.status.in_(_REACHED), 1), else_=0))
    missed = func.sum(case((CallLeg.status.in_(_MISSED), 1), else_=0))
    rows = session.execute(
        select(Target.name, Target.title, func.count(CallLeg.id), reached, missed)
        .join(CallLeg, CallLeg.target_id == Target.id)
        .join(Call, Call.id == CallLeg.call_id)
        .where(Call.campaign_id == campaign.id)
        .group_by(Target.id, Target.name, Target.title)
        .order_by(func.count(CallLeg.id).desc(), Target.name)
    ).all()
    return CampaignStats(
        calls_by_status={status.value: n for status, n in by_status.items()},
        calls_by_source={source.value: by_source.get(source, 0) for source in CallSource},
        supporters=supporters or 0,
        not_requested=not_requested or 0,
        targets=[TargetResult(name, title, planned, int(r or 0), int(m or 0)) for name, title, planned, r, m in rows],
    )


def calls_made(session: DbSession, campaign: Campaign) -> int:
    """How many of the campaign's calls have been made (the supporter's phone answered and the call ended)."""
    return (
        session.scalar(
            select(func.count())
            .select_from(Call)
            .where(Call.campaign_id == campaign.id, Call.status == CallStatus.completed)
        )
        or 0
    )
