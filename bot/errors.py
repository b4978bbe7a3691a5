"""Errors that end a run with exit code 2 and a message naming the file and line."""

from __future__ import annotations


class ListkeeperError(Exception):
    """Base class: a usage, configuration or input problem (exit code 2)."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def __str__(self) -> str:
        where = self.path or ""
        if where and self.line:
            where = f"{where}:{self.line}"
        return f"{where}: {self.message}" if where else self.message


class InputError(ListkeeperError):
    """A list file that cannot be read: missing, not UTF-8, a directory."""


class ConfigError(ListkeeperError):
    """A broken rules.yaml: bad YAML, unknown key, wrong type, bad level."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None,
                 key: str | None = None) -> None:
        super().__init__(message, path, line)
        self.key = key
