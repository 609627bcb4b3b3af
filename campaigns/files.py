"""Campaign files: read a campaign's YAML and check it against the one campaign schema before anything is stored."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from campaigns.schema import TEXT_FIELDS, CampaignInvalid, FixedTarget, check_campaign
from languages import N_
from models import Campaign, Target

CAMPAIGN_DIR = Path(__file__).resolve().parent


class CampaignFileError(Exception):
    """A campaign file is malformed: `problems` says what is wrong (Messages, translated where a page shows them),
    the message names the file (and the line) too, for the command line."""

    def __init__(self, path: Path | str, problems: Sequence[str], line: int | None = None) -> None:
        self.path, self.line, self.problems = path, line, list(problems)
        place = f"{path}:{line}" if line is not None else str(path)
        super().__init__(f"{place}: {'; '.join(self.problems)}")


@dataclass(frozen=True)
class CampaignSpec:
    """A checked campaign (from a file, or from the console's form: `path` says where it came from)."""

    path: Path
    slug: str
    values: dict[str, Any]
    fixed_targets: list[FixedTarget] = field(default_factory=list)


def campaign_files(folder: Path = CAMPAIGN_DIR) -> list[Path]:
    """The campaign files in a folder, in name order."""
    return sorted([*folder.glob("*.yml"), *folder.glob("*.yaml")])


def parse_campaign_yaml(text: str, path: Path) -> CampaignSpec:
    """Check a campaign's YAML text; CampaignFileError names the place (`path`) and every wrong field."""
    try:
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise CampaignFileError(path, [N_("not valid YAML (%(problem)s)", problem=exc.problem)], line) from exc
    except yaml.YAMLError as exc:
        raise CampaignFileError(path, [N_("cannot read (%(problem)s)", problem=str(exc))]) from exc
    if not isinstance(data, dict):
        raise CampaignFileError(path, [N_("expected a mapping of fields")])
    try:
        checked = check_campaign(data)
    except CampaignInvalid as exc:
        raise CampaignFileError(path, list(exc.errors.values())) from None
    return CampaignSpec(path=path, slug=checked.slug, values=checked.values, fixed_targets=checked.fixed_targets)


def read_campaign(path: Path) -> CampaignSpec:
    """Read and check one campaign file."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CampaignFileError(path, [N_("cannot read (%(problem)s)", problem=str(exc))]) from exc
    return parse_campaign_yaml(text, path)


def _office_lines(target: Target) -> dict[str, Any]:
    """An inline target's offices as a campaign file writes them: the one-line shorthand when that says it all."""
    lines = [
        {
            "phone": o.phone,
            **({"extension": o.extension} if o.extension else {}),
            **({"kind": o.kind} if o.kind != "office" else {}),
            **({"hours": o.hours} if o.hours else {}),
            **({"timezone": o.timezone} if o.timezone else {}),
        }
        for o in target.offices
    ]
    if len(lines) == 1:
        return lines[0]
    if not lines:  # stored before offices were kept for inline targets
        return {"phone": target.phone, **({"extension": target.extension} if target.extension else {})}
    return {"offices": lines}


def campaign_yaml(campaign: Campaign) -> str:
    """The campaign as a campaign file: `flask campaign load` and the console's import read it back unchanged."""
    data: dict[str, Any] = {"slug": campaign.slug, "status": campaign.status.value, "state": campaign.state}
    for name in TEXT_FIELDS:
        value = getattr(campaign, name)
        if value:
            data[name] = value
    data["ends_at"] = campaign.ends_at.astimezone(ZoneInfo(campaign.timezone)).isoformat() if campaign.ends_at else None
    data["timezone"] = campaign.timezone
    data["supporter_call_hours"] = campaign.supporter_call_hours
    data["office_holidays"] = list(campaign.office_holidays or []) or None
    data["caller_id"] = campaign.caller_id
    data["target_chambers"] = list(campaign.target_chambers)
    data["learn_more_url"] = campaign.learn_more_url
    data["ask_feedback"] = campaign.ask_feedback
    data["text_link"] = campaign.text_link
    data["contact"] = campaign.contact
    data["privacy_url"] = campaign.privacy_url
    data["embed_origins"] = list(campaign.embed_origins) or None
    data["voice"] = campaign.voice
    data["language"] = campaign.language
    data["translations"] = {locale: dict(texts) for locale, texts in (campaign.translations or {}).items()} or None
    inline_prefix = f"campaign:{campaign.slug}:"
    fixed = []
    for ct in campaign.fixed_targets:
        target = ct.target
        if target.source_id.startswith(inline_prefix):
            office = {"key": target.source_id[len(inline_prefix) :], "name": target.name, "title": target.title}
            fixed.append({**office, **_office_lines(target)})
        else:
            fixed.append({"source_id": target.source_id})
    if fixed:
        data["fixed_targets"] = fixed
    kept = {name: value for name, value in data.items() if value is not None}
    return yaml.safe_dump(kept, sort_keys=False, allow_unicode=True, width=100)
