"""The blocklist: is this number (by keyed hash) or this client address blocked; add, remove and list entries."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from sqlalchemy import ColumnElement, delete, exists, func, select

from models import Block, BlockKind, DbSession, rows_changed


def normalise_network(value: str) -> str:
    """'203.0.113.7' → '203.0.113.7/32', '2001:db8::/32' stays; raises ValueError on anything else."""
    return str(ipaddress.ip_network(value.strip(), strict=False))


def _address(ip: str | None) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        address = ipaddress.ip_address((ip or "").strip())
    except ValueError:
        return None
    # A dual-stack listener reports IPv4 clients as ::ffff:a.b.c.d; match them against IPv4 entries.
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


@dataclass(frozen=True)
class BlocklistRead:
    """What the blocklist holds that concerns one number: whether its hash is listed, and every listed network."""

    number_listed: bool
    networks: str | None  # space-separated CIDR networks, None when there are none

    def blocks(self, ip: str | None) -> bool:
        """True when the number is listed or the client address lies inside a listed network."""
        if self.number_listed:
            return True
        address = _address(ip)
        if address is None or not self.networks:
            return False
        networks = (ipaddress.ip_network(value, strict=False) for value in self.networks.split())
        return any(address.version == network.version and address in network for network in networks)


def blocklist_columns(phone_hash: str | None) -> tuple[ColumnElement[bool], ColumnElement[str | None]]:
    """A BlocklistRead's two values as columns, to be read inside another statement (the caller's upsert)."""
    number = exists().where(Block.kind == BlockKind.phone, Block.value == phone_hash)
    networks = select(func.aggregate_strings(Block.value, " ")).where(Block.kind == BlockKind.ip).scalar_subquery()
    return number, networks


def is_blocked(session: DbSession, phone_hash: str | None, ip: str | None) -> bool:
    """True when the number's hash or the client address (inside any blocked network) is on the blocklist."""
    return BlocklistRead(*session.execute(select(*blocklist_columns(phone_hash))).one()).blocks(ip)


@dataclass(frozen=True)
class Listed:
    """A blocklist entry as shown to an operator: never a raw number."""

    id: int
    kind: str
    shown: str
    reason: str
    created_at: str


def add_block(session: DbSession, kind: BlockKind, value: str, reason: str = "") -> tuple[Block, bool]:
    """Add an entry (a phone hash or a normalised network); returns (entry, created). The caller commits."""
    existing = session.scalar(select(Block).where(Block.kind == kind, Block.value == value))
    if existing is not None:
        return existing, False
    block = Block(kind=kind, value=value, reason=reason[:200])
    session.add(block)
    session.flush()
    return block, True


def remove_block(session: DbSession, kind: BlockKind, value: str) -> int:
    """Remove an entry; returns how many were removed (0 or 1). The caller commits."""
    return rows_changed(session, delete(Block).where(Block.kind == kind, Block.value == value))


def list_blocks(session: DbSession) -> list[Listed]:
    """Every entry, oldest first, with phone entries shown by a short hash prefix."""
    rows = session.scalars(select(Block).order_by(Block.created_at, Block.id))
    return [
        Listed(
            b.id,
            b.kind.value,
            f"hash {b.value[:12]}…" if b.kind == BlockKind.phone else b.value,
            b.reason,
            b.created_at.strftime("%Y-%m-%d %H:%M UTC"),
        )
        for b in rows
    ]
