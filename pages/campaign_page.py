"""The campaign page."""

from flask import abort, render_template

from campaigns import current_campaign, get_campaign
from pages import bp


@bp.get("/")
def home():
    """The live campaign's page."""
    campaign = current_campaign()
    if campaign is None:
        return render_template("no_campaign.html"), 404
    return render_template("campaign.html", campaign=campaign)


@bp.get("/c/<slug>")
def campaign(slug: str):
    """Any campaign's page by its slug."""
    found = get_campaign(slug)
    if found is None:
        abort(404)
    return render_template("campaign.html", campaign=found)
