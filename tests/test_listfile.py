"""Lists and the file system (issue 11): symlinks written through, unwritable places refused with
a message, no temporary file left where ``git add -A`` finds it (SIGTERM, SIGKILL), and every
read refuses what is not a regular file and what is over the size cap."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot import cli, listfile
from bot.errors import InputError
from tests.bounds import within
from tests.conftest import ROOT

FIXABLE = "# L\n\n- [x](https://e.org/a)   \n"  # trailing spaces: fix removes them
FIXED = "# L\n\n- [x](https://e.org/a)\n"
ROOT_USER = hasattr(os, "geteuid") and os.geteuid() == 0


@pytest.fixture
def work(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NO_COLOR", "1")
    return tmp_path


def main(argv: list[str], capsys) -> tuple[int, str, str]:
    code = cli.main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def temp_files(*folders: Path) -> list[str]:
    return sorted(p.name for folder in folders if folder.is_dir() for p in folder.iterdir()
                  if p.name.startswith(".listkeeper-"))


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@e.org", *args],
                          cwd=cwd, check=True, capture_output=True, text=True).stdout


# symlinks --------------------------------------------------------------------------------------

def test_fix_writes_through_a_symlink_to_its_target(work, capsys):
    """The rename replaced the symlink with a regular file and left the target unfixed."""
    (work / "lists").mkdir()
    target = work / "lists" / "real.md"
    target.write_text(FIXABLE, encoding="utf-8")
    os.chmod(target, 0o640)
    (work / "README.md").symlink_to("lists/real.md")
    code, _, err = main(["fix", "README.md"], capsys)
    assert code == 0, err
    assert (work / "README.md").is_symlink()
    assert os.readlink(work / "README.md") == "lists/real.md"
    assert target.read_text(encoding="utf-8") == FIXED
    assert oct(target.stat().st_mode & 0o777) == oct(0o640)
    assert temp_files(work, work / "lists") == []


def test_a_chain_of_symlinks_is_resolved(work):
    (work / "real.md").write_text("old\n", encoding="utf-8")
    (work / "b.md").symlink_to("real.md")
    (work / "a.md").symlink_to("b.md")
    listfile.write_atomic(str(work / "a.md"), "new\n")
    assert (work / "a.md").is_symlink() and (work / "b.md").is_symlink()
    assert (work / "real.md").read_text(encoding="utf-8") == "new\n"


# places that cannot be written --------------------------------------------------------------------

@pytest.mark.skipif(ROOT_USER, reason="root writes through chmod; see the simulated test below")
def test_a_directory_that_cannot_be_written_is_exit_2_naming_the_file(work, capsys):
    folder = work / "ro"
    folder.mkdir()
    (folder / "list.md").write_text(FIXABLE, encoding="utf-8")
    os.chmod(folder, 0o555)
    try:
        code, _, err = main(["fix", "ro/list.md"], capsys)
    finally:
        os.chmod(folder, 0o755)
    assert code == 2
    assert "ro/list.md: cannot write: permission denied" in err and "Traceback" not in err
    assert (folder / "list.md").read_text(encoding="utf-8") == FIXABLE


@pytest.mark.skipif(ROOT_USER, reason="root writes through chmod; see the simulated test below")
def test_a_read_only_file_is_exit_2_and_left_alone(work, capsys):
    (work / "list.md").write_text(FIXABLE, encoding="utf-8")
    os.chmod(work / "list.md", 0o444)
    code, _, err = main(["fix", "list.md"], capsys)
    assert code == 2 and "list.md: cannot write: the file is read-only" in err
    assert (work / "list.md").read_text(encoding="utf-8") == FIXABLE


def test_permission_denied_when_creating_the_temporary_file_is_exit_2(work, capsys, monkeypatch):
    """Simulated (tests may run as root): the old code let PermissionError out as a traceback."""
    (work / "list.md").write_text(FIXABLE, encoding="utf-8")
    real_open = os.open

    def refusing(path, flags, *args, **kwargs):
        if flags & os.O_CREAT:
            raise PermissionError(13, "Permission denied", path)
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refusing)
    monkeypatch.setattr("tempfile._os.open", refusing, raising=False)
    code, _, err = main(["fix", "list.md"], capsys)
    assert code == 2, err
    assert f"list.md: cannot write: permission denied (in {work})" in err
    assert (work / "list.md").read_text(encoding="utf-8") == FIXABLE


def test_a_read_only_file_is_refused_simulated(work, capsys, monkeypatch):
    (work / "list.md").write_text(FIXABLE, encoding="utf-8")
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode, **kw: False if mode == os.W_OK
                        else real_access(p, mode, **kw))
    code, _, err = main(["fix", "list.md"], capsys)
    assert code == 2 and "list.md: cannot write: the file is read-only" in err
    assert (work / "list.md").read_text(encoding="utf-8") == FIXABLE


# temporary files -------------------------------------------------------------------------------

SLOW_FIX = """
import os, sys, time
real = os.fsync
def slow(fd):
    print("writing", flush=True)
    time.sleep(60)
    real(fd)
os.fsync = slow
from bot.cli import main
sys.exit(main(["fix", "list.md"]))
"""


def _start_slow_fix(cwd: Path) -> subprocess.Popen:
    """``listkeeper fix`` in a real process whose write stalls before the rename."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), NO_COLOR="1")
    proc = subprocess.Popen([sys.executable, "-c", SLOW_FIX], cwd=cwd, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout.readline() == "writing\n"  # the temporary file exists now
    return proc


def test_sigterm_mid_write_removes_the_temporary_file(tmp_path):
    (tmp_path / "list.md").write_text(FIXABLE, encoding="utf-8")
    proc = _start_slow_fix(tmp_path)
    try:
        assert len(temp_files(tmp_path)) == 1  # not in a git checkout: beside the list
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == 128 + signal.SIGTERM
    assert "stopped by signal 15" in err and "Traceback" not in err
    assert temp_files(tmp_path) == []
    assert (tmp_path / "list.md").read_text(encoding="utf-8") == FIXABLE


def test_sigkill_mid_write_leaves_nothing_for_git_add_and_the_next_run_cleans_up(tmp_path):
    git(tmp_path, "init", "-q")
    (tmp_path / "list.md").write_text(FIXABLE, encoding="utf-8")
    git(tmp_path, "add", "list.md")
    git(tmp_path, "commit", "-qm", "list")
    proc = _start_slow_fix(tmp_path)
    proc.kill()
    proc.communicate(timeout=30)
    assert temp_files(tmp_path) == []  # the temporary file is in .git, where git adds nothing
    assert len(temp_files(tmp_path / ".git")) == 1
    assert git(tmp_path, "status", "--porcelain", "--untracked-files=all") == ""
    result = subprocess.run([sys.executable, "-m", "bot", "fix", "list.md"], cwd=tmp_path,
                            env=dict(os.environ, PYTHONPATH=str(ROOT)), capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert temp_files(tmp_path, tmp_path / ".git") == []  # the killed run's file is swept
    assert (tmp_path / "list.md").read_text(encoding="utf-8") == FIXED


def test_the_next_write_sweeps_stale_temporary_files_beside_the_list(work, capsys):
    """Left by a process that is gone (SIGKILL, a power cut) or by the old unnamed scheme."""
    (work / "list.md").write_text(FIXABLE, encoding="utf-8")
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    stale = work / f".listkeeper-{dead}-0123456789abcdef.tmp"
    stale.write_text("half a list", encoding="utf-8")
    old = work / ".listkeeper-k3j_x9q2"
    old.write_text("half a list", encoding="utf-8")
    an_hour_ago = time.time() - 3600
    os.utime(old, (an_hour_ago, an_hour_ago))
    live = work / f".listkeeper-{os.getppid()}-0123456789abcdef.tmp"  # a running process's
    live.write_text("being written", encoding="utf-8")
    unrelated = work / ".listkeeper-notes.txt"
    unrelated.write_text("mine", encoding="utf-8")
    code, _, err = main(["fix", "list.md"], capsys)
    assert code == 0, err
    assert temp_files(work) == sorted([live.name, unrelated.name])


def test_the_git_directory_of_a_worktree_is_found_through_its_git_file(tmp_path):
    git(tmp_path, "init", "-q", "main")
    (tmp_path / "main" / "f").write_text("x", encoding="utf-8")
    git(tmp_path / "main", "add", "f")
    git(tmp_path / "main", "commit", "-qm", "f")
    git(tmp_path / "main", "worktree", "add", "-q", str(tmp_path / "wt"))
    (tmp_path / "wt" / "sub").mkdir()
    found = listfile.git_dir(str(tmp_path / "wt" / "sub"))
    assert found is not None and Path(found).resolve() == \
        (tmp_path / "main" / ".git" / "worktrees" / "wt").resolve()
    assert listfile.git_dir(str(tmp_path)) is None


# reading: one function, every entry point -----------------------------------------------------

NON_REGULAR = {"fifo": "is a FIFO (named pipe), not a list file",
               "device": "is a device, not a list file",
               "directory": "is a directory, not a list file"}


def _make(kind: str, folder: Path) -> str:
    if kind == "device":
        return "/dev/zero"
    path = folder / f"{kind}.md"
    os.mkfifo(path) if kind == "fifo" else path.mkdir()
    return str(path)


@pytest.mark.parametrize("kind", NON_REGULAR)
@pytest.mark.parametrize("command", ["check", "fix", "init", "add", "links"])
def test_every_command_refuses_what_is_not_a_regular_file(work, capsys, command, kind):
    """A FIFO hung, /dev/zero read until MemoryError, a directory gave a traceback."""
    path = _make(kind, work)
    argv = {"check": ["check", path], "fix": ["fix", path], "init": ["init", "--diff", path],
            "add": ["add", "2402.04291", path, "--title", "T", "--date", "2024-02"],
            "links": ["links", path]}[command]
    with within(10):
        code, _, err = main(argv, capsys)
    assert code == 2, err
    assert f"{path}: {NON_REGULAR[kind]}" in err and "Traceback" not in err


def test_init_refuses_an_existing_rules_yaml_that_is_a_fifo(work, capsys):
    (work / "list.md").write_text(FIXABLE, encoding="utf-8")
    os.mkfifo(work / "rules.yaml")
    with within(10):
        code, _, err = main(["init", "list.md", "--output", "rules.yaml"], capsys)
    assert code == 2 and "rules.yaml: is a FIFO" in err


def test_a_file_over_the_cap_is_refused_unread(work, capsys, monkeypatch):
    monkeypatch.setattr(listfile, "MAX_LIST_BYTES", 1 << 20)
    with open(work / "big.md", "wb") as handle:
        handle.truncate((1 << 20) + 1)  # sparse: no bytes written, one over the cap
    for argv in (["check", "big.md"], ["fix", "big.md"], ["init", "--diff", "big.md"]):
        code, _, err = main(argv, capsys)
        assert code == 2 and "big.md: file over 1 MB: not read" in err, argv
    (work / "ok.md").write_bytes(b"# L\n" + b"x" * ((1 << 20) - 5) + b"\n")  # exactly the cap
    assert main(["check", "ok.md"], capsys)[0] == 0


def test_the_read_is_capped_not_the_stat(work, monkeypatch):
    """A file that grows (or lies in stat) is still read only to cap + 1 bytes."""
    (work / "list.md").write_bytes(b"y" * 5000)
    reads = []
    real_read = os.read
    monkeypatch.setattr(os, "read", lambda fd, n: reads.append(n) or real_read(fd, n))
    with pytest.raises(InputError, match="file over"):
        listfile.read_file("list.md", cap=1000)
    assert sum(reads) <= 1001


def test_stdin_is_capped(monkeypatch):
    import io

    monkeypatch.setattr(listfile, "MAX_LIST_BYTES", 100)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"z" * 1000)))
    with pytest.raises(InputError, match="file over"):
        listfile.read_list("-")


def test_not_utf8_names_file_line_column_and_byte(work, capsys):
    (work / "l.md").write_bytes(b"# L\n\n- Caf\xe9 paper\n")
    code, _, err = main(["check", "l.md"], capsys)
    assert code == 2
    assert "l.md:3: not UTF-8: invalid byte 0xe9 at column 6 (byte 10)" in err


def test_text_from_a_git_revision_goes_through_the_same_checks(tmp_path, monkeypatch):
    from bot.diff import git_show

    git(tmp_path, "init", "-q")
    (tmp_path / "l.md").write_bytes(b"# L\n\n- Caf\xe9\n")
    git(tmp_path, "add", "l.md")
    git(tmp_path, "commit", "-qm", "latin-1")
    with pytest.raises(InputError, match=r"not UTF-8 at revision HEAD: invalid byte 0xe9 at column 6"):
        git_show("HEAD", str(tmp_path / "l.md"))
    monkeypatch.setattr(listfile, "MAX_LIST_BYTES", 8)
    with pytest.raises(InputError, match="file over"):
        git_show("HEAD", str(tmp_path / "l.md"))
