"""Benchmark: the seconds of speech before the first office rings, for each campaign file.

Runs the pure call flow for a supporter who answers and waits for every prompt to end before
pressing 1 (the slowest path a person who goes on takes), and counts the words of every <Say> and
the seconds of every <Pause> before the first <Dial>, at a typical speaking rate. Pressing 1 during
the talking points interrupts them (they are inside the <Gather>), so organisers see what their words
cost a supporter who listens to all of them.

    .venv/bin/python bench/speech.py [--words-per-minute 150]
"""

from __future__ import annotations

import argparse
import sys
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from callflow import flow, vocabulary
from campaigns.files import campaign_files, read_campaign

# A leg as the flow sees one: the office's name is spoken before it rings.
OFFICE = vocabulary.Leg(name="State Senator Jane Doe", district="First Middlesex", phone="+16177220001")


def spoken(twiml: str, words_per_second: float) -> tuple[float, bool]:
    """Seconds of speech and pauses in one response, up to its <Dial>; and whether it dials."""
    seconds = 0.0
    for element in ET.fromstring(twiml).iter():
        if element.tag == "Dial":
            return seconds, True
        if element.tag == "Say" and element.text:
            seconds += len(element.text.split()) / words_per_second
        if element.tag == "Pause":
            seconds += float(element.get("length", "1"))
    return seconds, False


def link(event: str) -> str:
    """The flow's action URLs; they are not followed here."""
    return f"https://patchthrough.example.org/twilio/calls/bench/{event}"


def answer(campaign: vocabulary.Campaign) -> flow.Outcome:
    """The first response: a supporter answered."""
    return flow.respond(vocabulary.INITIAL_STATE, vocabulary.Answered(None), campaign, [OFFICE], link)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words-per-minute", type=float, default=150)
    args = parser.parse_args()
    rate = args.words_per_minute / 60
    print(f"speech before the first office rings, at {args.words_per_minute:.0f} words a minute:")
    for path in campaign_files():
        values = read_campaign(path).values
        campaign = vocabulary.Campaign(
            title=values["title"],
            greeting=values["greeting"],
            talking_points=values["talking_points"],
            thanks=values.get("goodbye", ""),
        )
        first = answer(campaign)
        greeting, _ = spoken(str(answer(replace(campaign, talking_points="")).twiml), rate)
        script, _ = spoken(str(first.twiml), rate)
        then = flow.respond(first.state, vocabulary.GatherResult(vocabulary.KEY_GO_ON), campaign, [OFFICE], link)
        connecting, dials = spoken(str(then.twiml), rate)
        assert dials, "pressing 1 after the talking points dials the first office"
        print(
            f"  {path.name}: {script + connecting:.0f} s in all — greeting and menu {greeting:.0f} s, "
            f"talking points {script - greeting:.0f} s, connecting {connecting:.0f} s"
        )


if __name__ == "__main__":
    main()
