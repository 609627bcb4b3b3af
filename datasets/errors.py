"""The one error a malformed data file raises: it names the file and the line."""

from __future__ import annotations

from pathlib import Path


class DataError(Exception):
    """A data file cannot be loaded; nothing was changed."""

    def __init__(self, path: Path | str, line: int | None, message: str):
        self.path = Path(path)
        self.line = line
        self.message = message
        where = f"{self.path}:{line}" if line else str(self.path)
        super().__init__(f"{where}: {message}")
