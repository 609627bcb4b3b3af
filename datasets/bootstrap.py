"""A deployment's data from nothing: fetch each campaign state's folder once, or keep (and refresh) what is there.

`make run` calls this before `flask data load` (fetch a missing state, keep the rest as it is);
the Procfile's release phase calls it with `refresh_existing` (fetch a missing state, refresh the
others, and keep them as they are when the sources cannot be reached).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from datasets.legislatures import UnknownState, legislature
from datasets.refresh import Echo, RefreshError, Sources, refresh


@dataclass(frozen=True)
class Ensured:
    """What happened to each state's folder: fetched, refreshed, kept (and why), or already there."""

    state: str
    folder: Path
    outcome: str  # "fetched" | "refreshed" | "kept" | "present"
    note: str = ""


class MissingData(Exception):
    """A state's data is not there and could not be fetched; the message says how to provide it."""


def missing_paragraph(state: str, folder: Path, reason: str) -> str:
    """One paragraph: what is missing, why it could not be fetched, and the two ways to provide it."""
    try:
        name = legislature(state).name
    except UnknownState:
        name = state
    code = state.lower()
    first_line = reason.strip().splitlines()[0] if reason.strip() else "no reason given"
    return (
        f"No legislator data for {name} ({state}): {folder} holds no districts.csv, and fetching it from the "
        f"public sources failed ({first_line[:300]}). Provide it in one of two ways: run the same command again "
        f"where Open States (codeload.github.com) and the Census (www2.census.gov) can be reached, or run "
        f"`flask data refresh --state {code} --load` there; or set DATA_DIR to a folder that already holds "
        f"{code}/ (districts.csv, zcta_districts.csv and openstates/), such as a copy of another deployment's "
        "data folder. Nothing was changed."
    )


def ensure_states(
    root: Path, states: Iterable[str], sources: Sources, echo: Echo, *, refresh_existing: bool = False
) -> list[Ensured]:
    """Fetch every state whose folder under root has no districts.csv; refresh the others when asked."""
    done: list[Ensured] = []
    for state in dict.fromkeys(s.upper() for s in states):
        folder = root / state.lower()
        if (folder / "districts.csv").is_file():
            if not refresh_existing:
                done.append(Ensured(state, folder, "present"))
                continue
            try:
                refresh([folder], sources, echo)
            except RefreshError as exc:
                # The data already there still works: a release must not fail because a source is down.
                echo(f"warning: could not refresh {state} ({str(exc).splitlines()[0]}); keeping the data in {folder}")
                done.append(Ensured(state, folder, "kept", str(exc)))
                continue
            done.append(Ensured(state, folder, "refreshed"))
            continue
        echo(f"No data for {state} in {root}: fetching it from the public sources (once).")
        try:
            refresh([folder], sources, echo)
        except RefreshError as exc:
            raise MissingData(missing_paragraph(state, folder, str(exc))) from exc
        done.append(Ensured(state, folder, "fetched"))
    return done
