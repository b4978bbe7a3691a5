"""The one place list files (and the other files listkeeper reads or writes) meet the disk.

Reading (``read_file``, ``read_list``, ``decode_list``): a path is opened with ``O_NONBLOCK``
(a FIFO with no writer cannot block the open) and checked with ``fstat`` before a byte is read:
anything but a regular file (a FIFO, ``/dev/zero``, a directory, a socket) is refused, and at
most ``cap + 1`` bytes are read, so a huge file is refused as "over N MB" without being loaded.
Text from elsewhere (stdin, a git revision, GitHub's contents API) goes through the same
``decode_list``: a size cap, UTF-8 with the line, column and byte of the first bad byte, no NUL.

Writing (``write_atomic``): the text goes to a temporary file that is then renamed over the
file, so a reader sees the old or the new list, never half of one. A symlinked list is written
through: the link is resolved and its target replaced, the link stays a link. The temporary
file must be on the target's file system (a rename cannot cross file systems) and must not be
left where ``git add -A`` picks it up, so:

- in a git checkout, it lives in the repository's git directory (``.git``, or the directory a
  ``.git`` file of a worktree or submodule points to) when that is on the same file system:
  git never adds files from there; otherwise it lives beside the target;
- its name, ``.listkeeper-<pid>-<random>.tmp``, says which process wrote it: every write first
  removes the temporary files of processes that are gone (killed with SIGKILL, or a power
  cut), in both places, so the next ``fix`` cleans up after a killed one;
- while it exists, SIGTERM and SIGHUP (and Ctrl-C) remove it before the process exits
  (``Terminated``, exit code 143 or 129).

A directory or file that cannot be written is an ``InputError`` (exit code 2) naming the file.
Every ``check`` imports this module: what only writing needs is imported when writing.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from .errors import InputError, ListkeeperError

MAX_LIST_BYTES = 50 << 20  # a list over 50 MB is not a list (the 100k-entry benchmark is 16 MB)
TEMP_PREFIX = ".listkeeper-"
_TEMP = re.compile(r"\.listkeeper-(\d+)-[0-9a-f]{16}\.tmp\Z")
_LEGACY_TEMP = re.compile(r"\.listkeeper-[a-z0-9_]{8}\Z")  # tempfile.mkstemp's, before issue 11
_LEGACY_AGE_S = 600.0  # an unnamed temporary file this old belongs to no running write


class Terminated(BaseException):
    """SIGTERM or SIGHUP arrived during a write: the temporary file is gone, the process ends."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.exit_code = 128 + signum


# reading -----------------------------------------------------------------------------------

def read_file(path: str, *, cap: int | None = None, error: type[ListkeeperError] = InputError,
              stdin: bool = True, missing: str = "no such file") -> bytes:
    """The bytes of the regular file at ``path`` (``-`` is stdin when ``stdin``), at most
    ``cap`` (default ``MAX_LIST_BYTES``); anything else raises ``error`` naming the file."""
    cap = MAX_LIST_BYTES if cap is None else cap
    if path == "-" and stdin:
        return _capped(sys.stdin.buffer.read(cap + 1), cap, path, error)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise error(missing, path) from None
    except OSError as exc:
        raise error(f"cannot read: {exc.strerror}", path) from None
    try:
        info = os.fstat(fd)
        kind = _kind(info.st_mode)
        if kind:
            raise error(f"is {kind}, not a list file" if error is InputError
                        else f"is {kind}, not a regular file", path)
        chunks, size = [], 0
        want = min(cap + 1, info.st_size + 1)  # usually one read, one buffer; a growing file
        while size <= cap:                      # is read on, to cap + 1 bytes at most
            chunk = os.read(fd, max(1, min(cap + 1 - size, want)))
            want = 1 << 20
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except IsADirectoryError:
        raise error("is a directory, not a list file", path) from None
    except OSError as exc:
        raise error(f"cannot read: {exc.strerror}", path) from None
    finally:
        os.close(fd)
    return _capped(b"".join(chunks), cap, path, error)


def _kind(mode: int) -> str | None:
    """What a non-regular file is, in words; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _capped(data: bytes, cap: int, path: str | None, error: type[ListkeeperError]) -> bytes:
    if len(data) > cap:
        raise error(f"file over {cap / 2**20:g} MB: not read", path)
    return data


def decode_list(data: bytes, path: str | None, *, where: str = "") -> tuple[str, bool]:
    """Text of a list's bytes and whether they began with a UTF-8 BOM; ``where`` names the
    revision they came from ("at abc123"), for the message."""
    suffix = f" {where}" if where else ""
    _capped(data, MAX_LIST_BYTES, path, InputError)
    bom = data.startswith(b"\xef\xbb\xbf")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError(f"not UTF-8{suffix}: invalid byte 0x{data[exc.start]:02x} at column "
                         f"{column} (byte {exc.start}); re-save the file as UTF-8", path,
                         line) from None
    if "\x00" in text:
        raise InputError(f"contains NUL bytes{suffix}: not a text file", path,
                         text.count("\n", 0, text.index("\x00")) + 1)
    return text, bom


def read_list(path: str) -> tuple[str, bool]:
    """The text of a list file (``-`` is stdin) and whether it had a UTF-8 BOM."""
    return decode_list(read_file(path), path)


# writing -----------------------------------------------------------------------------------

def write_atomic(path: str, text: str, *, bom: bool = False) -> None:
    """Write ``text`` as UTF-8 to ``path`` (through a symlink), atomically, keeping its mode."""
    import errno

    target = os.path.realpath(path)
    directory = os.path.dirname(target)
    try:
        mode = os.stat(target).st_mode & 0o7777
    except FileNotFoundError:
        mode = 0o644
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror}", path) from None
    else:
        if not os.access(target, os.W_OK):
            raise InputError("cannot write: the file is read-only", path)
    data = text.encode("utf-8-sig" if bom else "utf-8")
    places = _temp_places(directory)
    for place in places:
        sweep_stale(place)
    for i, place in enumerate(places):
        try:
            _write_replace(place, target, data, mode)
            return
        except (PermissionError, OSError) as exc:
            if i + 1 < len(places) and (isinstance(exc, PermissionError)
                                        or exc.errno in (errno.EXDEV, errno.EROFS, errno.EACCES)):
                continue  # the git directory would not do: beside the file, then
            reason = "permission denied" if isinstance(exc, PermissionError) else exc.strerror
            raise InputError(f"cannot write: {reason} (in {place})", path) from None


def _write_replace(place: str, target: str, data: bytes, mode: int) -> None:
    with _cleanup_on_signal() as created:
        tmp = os.path.join(place, f"{TEMP_PREFIX}{os.getpid()}-{os.urandom(8).hex()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o600)
        created.append(tmp)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp, mode)
            os.replace(tmp, target)
            created.clear()
        finally:
            _remove(created)


def _temp_places(directory: str) -> list[str]:
    """Where the temporary file may go: the git directory (same file system), then beside."""
    gitdir = git_dir(directory)
    places = []
    if gitdir is not None:
        try:
            if os.stat(gitdir).st_dev == os.stat(directory).st_dev:
                places.append(gitdir)
        except OSError:
            pass
    return places + [directory]


def git_dir(directory: str) -> str | None:
    """The git directory of the checkout ``directory`` is in (``.git``, or where a ``.git``
    file points), found without running git; None outside a checkout."""
    current = os.path.abspath(directory)
    while True:
        dot_git = os.path.join(current, ".git")
        if os.path.isdir(dot_git):
            return dot_git
        if os.path.isfile(dot_git):
            try:
                with open(dot_git, encoding="utf-8") as handle:
                    first = handle.read(4096).strip()
            except (OSError, UnicodeDecodeError):
                return None
            if first.startswith("gitdir:"):
                found = os.path.join(current, first[len("gitdir:"):].strip())
                return found if os.path.isdir(found) else None
            return None
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


def sweep_stale(directory: str) -> list[str]:
    """Remove the temporary files in ``directory`` left by writes that were killed: those of
    processes that no longer run (and unnamed ones of the old naming, ten minutes old)."""
    import time

    removed = []
    try:
        names = [e.name for e in os.scandir(directory) if e.name.startswith(TEMP_PREFIX)]
    except OSError:
        return removed
    now = time.time()
    for name in names:
        full = os.path.join(directory, name)
        match = _TEMP.match(name)
        try:
            if match:
                stale = not _alive(int(match.group(1)))
            else:
                stale = bool(_LEGACY_TEMP.match(name)) \
                    and now - os.lstat(full).st_mtime > _LEGACY_AGE_S
            if stale and stat.S_ISREG(os.lstat(full).st_mode):
                os.unlink(full)
                removed.append(full)
        except OSError:
            continue
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # this process has no write under way when it sweeps
    try:
        os.kill(pid, 0)
    except PermissionError:
        return True  # another user's process
    except (OSError, OverflowError, ValueError):
        return False  # no such process
    return True


@contextmanager
def _cleanup_on_signal() -> Iterator[list[str]]:
    """While the block runs, SIGTERM and SIGHUP remove the files in the yielded list and end
    the process (``Terminated``); the previous handlers come back afterwards."""
    import signal
    import threading

    created: list[str] = []
    if threading.current_thread() is not threading.main_thread():
        yield created
        return

    def handler(signum, frame):
        _remove(created)
        raise Terminated(signum)

    previous = {}
    for name in ("SIGTERM", "SIGHUP"):
        signum = getattr(signal, name, None)
        if signum is not None:
            previous[signum] = signal.signal(signum, handler)
    try:
        yield created
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)


def _remove(paths: list[str]) -> None:
    while paths:
        try:
            os.unlink(paths.pop())
        except OSError:
            pass
