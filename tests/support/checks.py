"""Small checks that give the type checker, and the reader, a value known to be there."""

from __future__ import annotations

from typing import TypeVar

T = TypeVar("T")


def present(value: T | None, what: str = "a value") -> T:
    """``value``, failing the test when it is None (a vacant seat's target, a missing row)."""
    assert value is not None, f"expected {what}, found None"
    return value
