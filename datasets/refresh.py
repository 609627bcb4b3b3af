"""Build a state's data folder from the public sources: Open States people, the Census crosswalk, districts.csv.

Each state folder is rebuilt beside itself (in a hidden `.refresh-*` folder that `flask data load`
ignores, since it holds no districts.csv), checked with the same readers `flask data load` uses,
and only then put in place by renames on one filesystem. Any failure before that leaves the old
folder (or its absence) exactly as it was. districts.csv is built from the Census relationship
files' district names joined to Open States' metadata (see datasets/divisions.py), so a refresh
needs nothing but the state's code: an empty or missing folder is filled from nothing.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import os
import re
import shutil
import tarfile
import tempfile
import time
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import requests

from datasets.census import Conversion, convert_relationship, write_zip_districts
from datasets.divisions import DistrictMatchError, join_districts, write_districts
from datasets.errors import DataError
from datasets.legislatures import Legislature, UnknownState, legislature
from datasets.loader import read_state
from datasets.tables import read_districts

USER_AGENT = "Patchthrough-data-refresh/1.0 (open-source click-to-call advocacy service)"
PEOPLE_FOLDERS = ("legislature", "executive")
# What a refresh rewrites; everything else in a state folder (a README, notes) is copied over.
MANAGED = ("openstates", "districts.csv", "zcta_districts.csv")
# Bounds, well above today's sizes (the people archive is a few MB, a state's Census file under 1 MB).
MAX_ARCHIVE_BYTES = 256 * 2**20
MAX_ARCHIVE_UNPACKED_BYTES = 2 * 2**30
MAX_RELATIONSHIP_BYTES = 128 * 2**20
MAX_PERSON_FILE_BYTES = 2**20
MAX_PERSON_FILES = 5000
MAX_DOWNLOAD_SECONDS = 900
_CHUNK = 64 * 1024

Echo = Callable[[str], None]


class RefreshError(Exception):
    """A refresh cannot go on; `replaced` lists the state folders already swapped in (usually none)."""

    def __init__(self, message: str, replaced: list[Path] | None = None):
        super().__init__(message)
        self.replaced = replaced or []


@dataclass(frozen=True)
class Sources:
    """Where to download from: the people archive, one Census URL per chamber (with `{fips}`), a timeout."""

    people_url: str
    relationship_urls: Mapping[str, str]
    timeout: float


@dataclass(frozen=True)
class StatePlan:
    """One state folder to refresh (it may not exist yet), and its legislature."""

    folder: Path
    legislature: Legislature

    @property
    def state(self) -> str:
        """The two-letter code, upper case: "MA"."""
        return self.legislature.state

    @property
    def fips(self) -> str:
        """The state's FIPS code, which the Census files are named and keyed by: "25"."""
        return self.legislature.fips

    @property
    def chambers(self) -> tuple[str, ...]:
        """The chambers to download: ("upper", "lower"), or ("upper",) for Nebraska."""
        return tuple(self.legislature.chambers)


@dataclass
class Changes:
    """Files a refresh adds, changes and removes in a state folder (paths relative to it)."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0

    @property
    def any(self) -> bool:
        """True when at least one file differs."""
        return bool(self.added or self.changed or self.removed)

    def lines(self, limit: int = 50) -> list[str]:
        """A count line, then the paths of each kind, at most `limit` of each."""
        counts = f"{len(self.added)} added, {len(self.changed)} changed, {len(self.removed)} removed"
        out = [f"{counts}, {self.unchanged} unchanged"]
        for kind, paths in (("added", self.added), ("changed", self.changed), ("removed", self.removed)):
            out += [f"  {kind} {path}" for path in paths[:limit]]
            if len(paths) > limit:
                out.append(f"  … and {len(paths) - limit} more {kind}")
        return out


@dataclass
class StateRefresh:
    """A state folder rebuilt in a staging folder, checked, not yet in place."""

    plan: StatePlan
    staging: Path
    workdir: Path
    people: dict[str, int]
    conversions: list[Conversion]
    changes: Changes


def download(url: str, dest: Path, *, timeout: float, max_bytes: int) -> int:
    """Stream url into dest; refuse a non-200 answer, more than max_bytes, or a stalled transfer; return the size."""
    deadline = time.monotonic() + MAX_DOWNLOAD_SECONDS
    size = 0
    try:
        with requests.get(url, stream=True, timeout=(timeout, timeout), headers={"User-Agent": USER_AGENT}) as response:
            if response.status_code != 200:
                raise RefreshError(f"{url}: HTTP {response.status_code} {response.reason}")
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise RefreshError(f"{url}: {int(declared)} bytes is more than the {max_bytes} allowed")
            with dest.open("wb") as out:
                for chunk in response.iter_content(_CHUNK):
                    size += len(chunk)
                    if size > max_bytes:
                        raise RefreshError(f"{url}: more than the {max_bytes} bytes allowed")
                    if time.monotonic() > deadline:
                        raise RefreshError(f"{url}: still downloading after {MAX_DOWNLOAD_SECONDS} s")
                    out.write(chunk)
    except requests.RequestException as exc:
        raise RefreshError(f"{url}: download failed ({exc.__class__.__name__}: {exc})") from exc
    return size


def _state_code(folder: Path) -> str:
    """The state a folder is for: its name ("ma"), or else the state its districts.csv lists."""
    if re.fullmatch(r"[A-Za-z]{2}", folder.name):
        return folder.name.upper()
    try:
        states = {d.state for d in read_districts(folder / "districts.csv")}
    except DataError as exc:
        raise RefreshError(
            f"{folder} is not named for a state (such as ma/) and its districts.csv cannot tell ({exc.message})"
        ) from exc
    if len(states) != 1:
        raise RefreshError(f"{folder / 'districts.csv'}: expected one state, found {', '.join(sorted(states))}")
    return states.pop()


def plan_state(folder: Path) -> StatePlan:
    """The state a folder is for and its legislature; the folder may be empty or missing."""
    folder = Path(os.path.abspath(folder))  # "--to ." must still name a folder that can be renamed
    try:
        plan = StatePlan(folder, legislature(_state_code(folder)))
    except UnknownState as exc:
        raise RefreshError(f"{folder}: {exc}") from exc
    if folder.exists() and not folder.is_dir():
        raise RefreshError(f"{folder} is a file, not a state folder")
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RefreshError(f"cannot create {folder.parent} ({exc.strerror})") from exc
    # Checked now, before any download: the swap renames the folder inside its parent.
    for needed in (folder.parent, folder):
        if needed.exists() and not os.access(needed, os.W_OK):
            raise RefreshError(f"cannot write in {needed}: a refresh replaces the state folder there")
    return plan


def _member_parts(name: str) -> list[str]:
    """Split an archive member's name, refusing absolute paths and '..' (a genuine GitHub archive has neither)."""
    parts = [p for p in name.split("/") if p not in ("", ".")]
    if name.startswith("/") or ".." in parts or "\x00" in name:
        raise RefreshError(f"the people archive holds an unsafe member name {name!r}; refusing the archive")
    return parts


def extract_people(archive: Path, state: str, dest: Path) -> tuple[dict[str, int], str | None]:
    """Copy `<top>/data/<state>/{legislature,executive}/*.yml` from a GitHub tarball into dest; counts and commit."""
    counts = dict.fromkeys(PEOPLE_FOLDERS, 0)
    seen: set[tuple[str, str]] = set()
    unpacked = 0
    try:
        # gzip.open, not tarfile's "r|gz": it checks the gzip trailer, so a download cut short at a
        # member boundary is caught instead of passing for a smaller archive.
        with gzip.open(archive, "rb") as stream:
            with tarfile.open(fileobj=stream, mode="r|") as tar:
                for member in tar:
                    unpacked += member.size
                    if unpacked > MAX_ARCHIVE_UNPACKED_BYTES:
                        raise RefreshError(
                            f"the people archive unpacks to more than {MAX_ARCHIVE_UNPACKED_BYTES} bytes"
                        )
                    parts = _member_parts(member.name)
                    if len(parts) != 5 or parts[1:3] != ["data", state] or parts[3] not in PEOPLE_FOLDERS:
                        continue
                    kind, name = parts[3], parts[4]
                    if not name.endswith(".yml") or name.startswith("."):
                        continue
                    if not member.isfile():
                        raise RefreshError(
                            f"{member.name} is a link or special file, not a person file; refusing the archive"
                        )
                    if member.size > MAX_PERSON_FILE_BYTES:
                        raise RefreshError(f"{member.name} is {member.size} bytes, more than a person file should be")
                    if (kind, name) in seen:
                        raise RefreshError(f"{member.name} appears twice in the people archive")
                    if len(seen) >= MAX_PERSON_FILES:
                        raise RefreshError(f"more than {MAX_PERSON_FILES} person files for {state}")
                    seen.add((kind, name))
                    handle = tar.extractfile(member)
                    data = handle.read() if handle else b""
                    target = dest / kind / name
                    target.parent.mkdir(parents=True, exist_ok=True)
                    with target.open("xb") as out:  # "x": never write over a file twice
                        out.write(data)
                    counts[kind] += 1
                commit = tar.pax_headers.get("comment")  # GitHub puts the commit id here
            while stream.read(_CHUNK):  # read to the end so the trailer (CRC, length) is checked
                pass
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise RefreshError(f"the people archive is damaged or incomplete ({exc})") from exc
    if not counts["legislature"]:
        raise RefreshError(
            f"the people archive has no data/{state}/legislature/*.yml files; is OPENSTATES_PEOPLE_URL right?"
        )
    return counts, commit


def _digests(folder: Path) -> dict[str, str]:
    """sha256 of every file a refresh manages, by path relative to the folder."""
    found: dict[str, str] = {}
    for name in MANAGED:
        path = folder / name
        paths = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path] if path.is_file() else []
        for p in paths:
            found[p.relative_to(folder).as_posix()] = hashlib.sha256(p.read_bytes()).hexdigest()
    return found


def compare(old: Path, new: Path) -> Changes:
    """What replacing old's managed files by new's would add, change and remove."""
    before, after = _digests(old), _digests(new)
    changes = Changes()
    for path in sorted(before.keys() | after.keys()):
        if path not in before:
            changes.added.append(path)
        elif path not in after:
            changes.removed.append(path)
        elif before[path] != after[path]:
            changes.changed.append(path)
        else:
            changes.unchanged += 1
    return changes


def _copy_unmanaged(folder: Path, staging: Path) -> None:
    """Copy what a refresh does not rewrite (a README, notes); content only, so read-only modes don't travel."""
    if not folder.is_dir():
        return
    for entry in sorted(folder.iterdir()):
        if entry.name in MANAGED:
            continue
        sources = [entry] + (sorted(entry.rglob("*")) if entry.is_dir() else [])
        for source in sources:
            target = staging / source.relative_to(folder)
            if source.is_dir():
                target.mkdir(parents=True, exist_ok=True)
            else:
                shutil.copyfile(source, target)


def _relationship_url(pattern: str, plan: StatePlan) -> str:
    return pattern.replace("{fips}", plan.fips).replace("{state}", plan.state.lower())


def stage_state(
    plan: StatePlan, archive: Path, sources: Sources, downloads: Path, today: dt.date, echo: Echo
) -> StateRefresh:
    """Build the state's new folder beside the old one and check it as `flask data load` would."""
    try:
        workdir = Path(tempfile.mkdtemp(prefix=".refresh-", dir=plan.folder.parent))
    except OSError as exc:
        raise RefreshError(f"cannot write beside {plan.folder} ({exc.strerror})") from exc
    staging = workdir / plan.folder.name
    try:
        staging.mkdir()
        _copy_unmanaged(plan.folder, staging)
        people, commit = extract_people(archive, plan.state.lower(), staging / "openstates")
        echo(
            f"{plan.state}: "
            + ", ".join(f"{n} {kind} files" for kind, n in people.items())
            + (f" (Open States commit {commit})" if commit else "")
        )
        conversions = []
        for chamber in plan.chambers:
            pattern = sources.relationship_urls.get(chamber)
            if not pattern:
                raise RefreshError(f"no Census relationship file URL is set for the {chamber} chamber")
            url = _relationship_url(pattern, plan)
            local = downloads / f"{plan.state}-{chamber}.txt"
            echo(f"Downloading {url}")
            download(url, local, timeout=sources.timeout, max_bytes=MAX_RELATIONSHIP_BYTES)
            conversion = convert_relationship(_text(local), chamber, plan.fips, Path(url.rsplit("/", 1)[-1]))
            if not conversion.rows:
                raise RefreshError(f"{url}: no {plan.state} ZIP codes in the file; is the URL right?")
            echo(f"{plan.state} {conversion.summary()}")
            conversions.append(conversion)
        try:
            districts = join_districts(plan.legislature, {c.chamber: c.names for c in conversions})
        except DistrictMatchError as exc:
            raise RefreshError(
                f"{exc}\nCheck the Census URLs; if a district was renamed, Open States' metadata "
                "(the openstates-metadata package) may need updating."
            ) from exc
        write_districts(staging / "districts.csv", districts)
        echo(
            f"{plan.state}: "
            + ", ".join(f"{sum(d.chamber == c for d in districts)} {c} districts" for c in plan.chambers)
            + " matched to Open States' divisions"
        )
        write_zip_districts(staging / "zcta_districts.csv", [row for c in conversions for row in c.rows])
        files = read_state(staging, today)
        if files.state != plan.state:
            raise RefreshError(f"{staging}: the refreshed files are for {files.state}, not {plan.state}")
        return StateRefresh(plan, staging, workdir, people, conversions, compare(plan.folder, staging))
    except DataError as exc:
        _remove(workdir, echo)
        # Name the file as it would be in the state folder: the staging copy is gone by now.
        where = exc.path.relative_to(staging) if exc.path.is_relative_to(staging) else exc.path
        line = f":{exc.line}" if exc.line else ""
        raise RefreshError(f"the downloaded data is not usable: {where}{line}: {exc.message}") from exc
    except OSError as exc:
        _remove(workdir, echo)
        raise RefreshError(f"cannot write the refreshed files ({exc})") from exc
    except BaseException:
        _remove(workdir, echo)
        raise


def _text(path: Path) -> str:
    """A Census file's text: UTF-8, or Latin-1 for an older file ("Doña Ana" must survive for the name join)."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _remove(workdir: Path, echo: Echo) -> None:
    """Delete a work folder; a leftover is only clutter (load ignores it), so say so rather than fail."""
    try:
        shutil.rmtree(workdir)
    except OSError as exc:
        echo(f"warning: could not remove {workdir} ({exc}); it is safe to delete")


def swap_in(staged: StateRefresh) -> None:
    """Put the staged folder in place of the old one: two renames, undone if the second fails."""
    folder = staged.plan.folder
    if not folder.exists():  # a refresh from nothing: one rename
        os.rename(staged.staging, folder)
        return
    old = staged.workdir / f"{folder.name}.old"
    os.rename(folder, old)
    try:
        os.rename(staged.staging, folder)
    except OSError:
        os.rename(old, folder)
        raise


def refresh(
    folders: list[Path], sources: Sources, echo: Echo, *, today: dt.date | None = None, dry_run: bool = False
) -> list[StateRefresh]:
    """Download once, stage and check every state, and only then swap each into place; return what was staged."""
    today = today or dt.date.today()
    plans = [plan_state(folder) for folder in folders]
    staged: list[StateRefresh] = []
    try:
        with tempfile.TemporaryDirectory(prefix="patchthrough-refresh-") as tmp:
            downloads = Path(tmp)
            archive = downloads / "people.tar.gz"
            echo(f"Downloading {sources.people_url}")
            size = download(sources.people_url, archive, timeout=sources.timeout, max_bytes=MAX_ARCHIVE_BYTES)
            echo(f"Open States people archive: {size} bytes")
            for plan in plans:
                staged.append(stage_state(plan, archive, sources, downloads, today, echo))
        replaced: list[Path] = []
        for item in staged:
            prefix = f"{item.plan.state} ({item.plan.folder})"
            if not item.changes.any:
                echo(f"{prefix}: no changes")
                continue
            echo(f"{prefix}: " + "\n".join(item.changes.lines()))
            if dry_run:
                echo(f"{prefix}: dry run, nothing written")
            else:
                try:
                    swap_in(item)
                except OSError as exc:
                    message = f"cannot put the refreshed folder in place of {item.plan.folder} ({exc})"
                    raise RefreshError(message, replaced) from exc
                replaced.append(item.plan.folder)
                echo(f"{prefix}: refreshed")
    finally:
        for item in staged:
            _remove(item.workdir, echo)
    return staged
