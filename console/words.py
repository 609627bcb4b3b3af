"""The console's fixed words (statuses, roles, the campaign form's labels), marked for the catalogs.

English here; the templates show each through `_()` in the organiser's language.
"""

from __future__ import annotations

from languages import N_

STATUS_NAMES = {"draft": N_("draft"), "live": N_("live"), "paused": N_("paused"), "ended": N_("ended")}
CHAMBER_NAMES = {"upper": N_("upper"), "lower": N_("lower")}
ROLE_NAMES = {"viewer": N_("viewer"), "organiser": N_("organiser"), "admin": N_("admin")}
STATUS_VERBS = {"live": N_("Go live"), "paused": N_("Pause"), "ended": N_("End"), "draft": N_("Back to draft")}
STATUS_EFFECTS = {
    "live": N_("Its page opens to everyone and takes calls at once."),
    "paused": N_("Its page stays up but says the campaign is paused, and takes no calls until it goes live again."),
    "ended": N_("Its page says the campaign has ended and takes no calls, for good."),
    "draft": "",
}
# Where a webhook event stands for its endpoint (models.webhooks.DeliveryStatus), as the webhooks page says it.
DELIVERY_NAMES = {"pending": N_("pending"), "delivered": N_("delivered"), "failed": N_("failed")}
# Webhook event types (models.webhooks.EventType) and API token scopes (ApiToken.scopes) as the pages name them;
# the codes are data (the events' JSON, the API) and stay beside these.
EVENT_NAMES = {"call.requested": N_("Call requested"), "call.completed": N_("Call completed")}
SCOPE_NAMES = {"read": N_("read campaigns, results and legs"), "create": N_("create calls")}
# The audit log's actions as its page names them; the log stores the codes (data), these are only shown.
ACTION_NAMES = {
    "user.create": N_("Account created"),
    "user.set_role": N_("Role changed"),
    "user.enable": N_("Account enabled"),
    "user.disable": N_("Account disabled"),
    "campaign.create": N_("Campaign created"),
    "campaign.update": N_("Campaign edited"),
    "campaign.duplicate": N_("Campaign copied"),
    "campaign.status": N_("Campaign status changed"),
    "campaign.test_call": N_("Test call"),
    "campaign.import": N_("Campaign file imported"),
    "webhook.add": N_("Webhook endpoint added"),
    "webhook.roll_secret": N_("Webhook secret renewed"),
    "webhook.remove": N_("Webhook endpoint removed"),
    "webhook.redeliver": N_("Webhook event sent again"),
    "api_token.create": N_("API token made"),
    "api_token.revoke": N_("API token revoked"),
    "number.checked": N_("Office number marked checked"),
    "number.out_of_rotation": N_("Office number taken out of rotation"),
    "number.back_in_rotation": N_("Office number back in rotation"),
    "number.replace": N_("Office number replaced"),
}
# The campaign's texts as the form labels them, in the order an organiser writes them.
CAMPAIGN_TEXTS = {
    "headline": (N_("Headline"), N_("The page's big line."), False),
    "summary": (N_("Summary"), N_("A sentence or two under the headline."), True),
    "body": (N_("Why it matters"), N_("The page's longer text; blank lines start paragraphs."), True),
    "call_explainer": (N_("How the call works"), N_("Shown beside the form."), True),
    "script_template": (
        N_("Supporter's script"),
        N_("What supporters read to each office; {name} and {town} are filled in."),
        True,
    ),
    "thank_you": (N_("Thank-you text"), N_("Shown when the call is over."), True),
    "greeting": (N_("Spoken greeting"), N_("The first thing the voice says when the supporter answers."), True),
    "talking_points": (N_("Spoken talking points"), N_("Read to the supporter before the first office."), True),
    "goodbye": (N_("Spoken goodbye"), N_("Said after the last office."), True),
    "share_text": (N_("Sharing text"), N_("Suggested words when supporters share the campaign."), True),
    "learn_more_label": (N_("Learn-more link text"), "", False),
    "organisation": (N_("Organisation"), N_("Who runs the campaign, shown in the page's footer."), False),
    "paid_for_by": (N_("Paid for by"), N_("The disclaimer line, where the law asks for one."), False),
}
