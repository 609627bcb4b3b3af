"""Log lines say what happened and nothing a visitor can forge: control characters are escaped."""

from __future__ import annotations

import logging
import re

_UNSAFE = re.compile(r"[\x00-\x1f\x7f]")


def sanitise(text: str) -> str:
    """`text` with each control character (newline, carriage return, NUL, ESC…) shown escaped."""
    return _UNSAFE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


class SafeFormatter(logging.Formatter):
    """A Formatter whose message cannot start a new line: a URL or header with a newline stays on one line.

    A traceback keeps its lines (it is ours, not a visitor's), after the sanitised message.
    """

    def formatMessage(self, record: logging.LogRecord) -> str:
        """The record's line with its message sanitised."""
        record.message = sanitise(record.getMessage())
        return super().formatMessage(record)


def install(logger: logging.Logger, fmt: str) -> None:
    """Give every handler of `logger` the safe formatter."""
    for handler in logger.handlers:
        handler.setFormatter(SafeFormatter(fmt))
