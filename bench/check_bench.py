"""Time ``listkeeper check`` on the seed and on generated lists full of findings.

The lists:

- the seed (``../shared/seed/README.md``, about 300 entries), when it is there;
- generated lists (``bench/gen.py``) of 1k, 10k and 100k entries in random venue order with
  defects of every kind (``--defect-rate``, default 5 %), so that every rule has findings and the
  ordering rule reports about half of the entries: the worst case, not a clean list
  (``--order sorted`` times lists in the maintainers' order instead).

For each list it measures:

- the whole process, ``python -m bot check --format json --config rules.yaml FILE`` (best of a
  few runs), with the child's peak RSS from ``os.wait4``, and the findings per rule;
- the in-process engine: ``parse_document`` and ``engine.run`` separately, and the peak of Python
  allocations (``tracemalloc``, in a separate run since it slows things down);
- ``python -m bot fix --diff`` (whole process, one run; ``--no-fix`` skips it);
- awesome-lint (npm) on the same file in the same run, as the peer (skipped when npm cannot
  install it; ``--peer-timeout`` bounds it);
- the reference: the code of ``--reference`` (default: the commit on which the speed issue was
  filed, when the clone has it), unpacked with ``git archive`` and run the same way on the same
  lists: the "before" of the table, measured on this machine in this run.

The 100k target was set on the issue's machine, where the reference took 14.2 s: 8 s is
0.56 times the reference. On a slower or faster machine the seconds move and the ratio does
not, so the report gives both: the 8 s in seconds, and the ratio to the reference measured in
the same run (``--no-reference`` skips it).

Then the growth from 10k to 100k entries. Every line says what was measured, the value, the
target and PASS/FAIL (INFO when there is no target). The exit code is 1 when a target fails.

    python bench/check_bench.py                         # seed, 1k, 10k, 100k
    python bench/check_bench.py --sizes 1000,10000      # quick
    python bench/check_bench.py --profile 100000        # cProfile the engine on one size
    python bench/check_bench.py --reference HEAD~5      # before/after against another commit
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import os
import pstats
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from gen import generate  # noqa: E402

SEED = ROOT.parent / "shared" / "seed" / "README.md"
SIZES = (1_000, 10_000, 100_000)
TARGET_SEED_S = 0.25  # whole-process check --format json of the seed, seconds
TARGET_LARGE = (100_000, 8.0)  # whole-process check of a 100k-entry list, seconds
TARGET_LARGE_MB = 250.0  # its peak RSS
TARGET_GROWTH = (10_000, 100_000, 11.0)  # time(100k) / time(10k) at most
REFERENCE = "48a00ba"  # the code when the 100k target was set (issue 11)
REFERENCE_100K_S = 14.2  # what the reference took on 100k on the machine
TARGET_RATIO = TARGET_LARGE[1] / REFERENCE_100K_S  # the 8 s target as a share of the reference
FIX_TIMEOUT_S = 300.0  # fix --diff gives up after this long (reported as a failure)
AWESOME_LINT_DIR = Path(tempfile.gettempdir()) / "awesome-lint-bench"


@dataclass
class Row:
    what: str
    value: str
    target: str
    verdict: str  # PASS | FAIL | INFO | SKIP

    def __str__(self) -> str:
        return f"{self.what:<56} {self.value:>14}   {self.target:<10} {self.verdict}"


def _verdict(ok: bool | None) -> str:
    return "INFO" if ok is None else ("PASS" if ok else "FAIL")


@dataclass
class Child:
    seconds: float
    rss_mb: float
    code: int
    stdout: bytes
    stderr: str
    timed_out: bool = False


def run_child(argv: list[str], cwd: str | None = None, timeout: float = 600,
              keep_stdout: bool = False) -> Child:
    """Wall seconds, peak RSS (MB), exit code and output of one child process."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        # buffered output, as a user's shell gives it (a developer's PYTHONUNBUFFERED makes every
        # piece of the JSON its own write)
        env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
        proc = subprocess.Popen(argv, cwd=cwd, stdout=out if keep_stdout else subprocess.DEVNULL,
                                stderr=err, stdin=subprocess.DEVNULL, env=env)
        deadline = start + timeout
        timed_out = False
        while True:  # os.wait4 gives this child's own rusage (getrusage would sum all children)
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                timed_out = True
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.002)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read() if keep_stdout else b""
        tail = err.read().decode("utf-8", "replace")[-400:]
    scale = 1024 if sys.platform != "darwin" else 1  # ru_maxrss: KB on Linux, bytes on macOS
    return Child(elapsed, usage.ru_maxrss * scale / 2**20, proc.returncode, stdout, tail,
                 timed_out)


# the project's rules.yaml (the seed's conventions, as init writes them) with the ordering rule
# on, as the maintainers sort: venue papers before ArXiv preprints in every year category; on
# a random-order list it reports about half of the entries
ORDERING = {"rules": {"ordering": "warning"},
            "sections": {"ordering": [{"match": "* › 20* › *", "keys": ["published"],
                                       "missing": "last"}]}}


def bench_config(folder: str, root: Path = ROOT) -> str:
    """Write the benchmark's rules.yaml (from ``root``'s) into ``folder``; its path."""
    import yaml

    data = yaml.safe_load((root / "rules.yaml").read_text(encoding="utf-8"))
    data.setdefault("rules", {}).update(ORDERING["rules"])
    data.setdefault("sections", {}).update(ORDERING["sections"])
    path = os.path.join(folder, "rules.yaml")
    Path(path).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                          encoding="utf-8")
    return path


CONFIG = ""  # set by main: the benchmark's rules.yaml


def check_argv(path: Path, config: str = "") -> list[str]:
    return [sys.executable, "-m", "bot", "check", "--format", "json", "--config",
            config or CONFIG, str(path)]


@dataclass
class Reference:
    """Another commit's code, unpacked, with its own benchmark rules.yaml."""

    rev: str
    root: Path
    config: str


def unpack_reference(rev: str, folder: str) -> Reference | str:
    """``git archive`` of ``rev`` unpacked into ``folder`` and byte-compiled; a reason if not.
    ``python -m bot`` run in that folder imports its ``bot`` (the working directory comes first
    on ``sys.path``), not the installed one."""
    root = Path(folder, "tree")
    root.mkdir()
    try:
        sha = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", f"{rev}^{{commit}}"],
                             capture_output=True, text=True, check=True, timeout=60).stdout.strip()
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", sha],
                                 capture_output=True, check=True, timeout=120).stdout
        subprocess.run(["tar", "-x", "-C", str(root)], input=archive, capture_output=True,
                       check=True, timeout=120)
    except (OSError, subprocess.SubprocessError):
        return f"{rev} not in this clone"
    import compileall

    compileall.compile_dir(str(root / "bot"), quiet=1)
    return Reference(sha, root, bench_config(folder, root))


def whole_process(argv: list[str], repeats: int, cwd: Path = ROOT) -> Child:
    """The fastest of ``repeats`` runs (its RSS too); the first run's output."""
    best = None
    first_out = b""
    for n in range(repeats):
        result = run_child(argv, cwd=str(cwd), keep_stdout=n == 0)
        if n == 0:
            first_out = result.stdout
        if best is None or result.seconds < best.seconds:
            best = result
    assert best is not None
    best.stdout = first_out
    return best


def rule_counts(stdout: bytes) -> str:
    try:
        findings = json.loads(stdout)["findings"]
    except (ValueError, KeyError, TypeError):
        return "unreadable output"
    counts = Counter(f["rule"] for f in findings)
    return ", ".join(f"{rule} {n}" for rule, n in counts.most_common())


def in_process(text: str, repeats: int) -> tuple[float, float, float, int]:
    """Best parse and run seconds, peak traced MB, number of findings."""
    from bot.config import load_config
    from bot.engine import run
    from bot.parse import parse_document

    config = load_config(CONFIG)
    best_parse = best_run = float("inf")
    count = 0
    for _ in range(repeats):
        gc.collect()
        t0 = time.perf_counter()
        doc = parse_document(text, "README.md")
        t1 = time.perf_counter()
        count = len(run(doc, config))
        t2 = time.perf_counter()
        best_parse, best_run = min(best_parse, t1 - t0), min(best_run, t2 - t1)
        del doc
    gc.collect()
    tracemalloc.start()
    findings = run(parse_document(text, "README.md"), config)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del findings
    return best_parse, best_run, peak / 2**20, count


def awesome_lint_command() -> list[str] | None:
    """The awesome-lint executable, installed into a temp prefix on first use; None if unavailable."""
    binary = AWESOME_LINT_DIR / "node_modules" / ".bin" / "awesome-lint"
    if binary.exists():
        return [str(binary)]
    if not shutil.which("npm") or not shutil.which("node"):
        return None
    try:
        subprocess.run(["npm", "install", "--prefix", str(AWESOME_LINT_DIR), "--no-audit",
                        "--no-fund", "--silent", "awesome-lint"], capture_output=True, timeout=300,
                       check=True)
    except (OSError, subprocess.SubprocessError):
        return None
    return [str(binary)] if binary.exists() else None


def awesome_lint(command: list[str], text: str, timeout: float) -> Child | None:
    """Time awesome-lint in a throwaway git repository holding README.md."""
    with tempfile.TemporaryDirectory(prefix="awesome-lint-run-") as tmp:
        Path(tmp, "README.md").write_text(text, encoding="utf-8")
        Path(tmp, "contributing.md").write_text("# Contributing\n", encoding="utf-8")
        try:
            subprocess.run(["git", "init", "-q"], cwd=tmp, check=True, capture_output=True)
        except (OSError, subprocess.CalledProcessError):
            return None
        return run_child(command + ["README.md"], cwd=tmp, timeout=timeout)


def bench_text(size: int, seed: int, order: str, defect_rate: float) -> str:
    return generate(size, seed, defect_rate=defect_rate, order=order)


def profile(size: int, seed: int, order: str, defect_rate: float, top: int = 25) -> str:
    """cProfile of parse + run on one generated list, sorted by own time and cumulative time."""
    from bot.config import load_config
    from bot.engine import run
    from bot.parse import parse_document

    text = bench_text(size, seed, order, defect_rate)
    config = load_config(CONFIG)
    prof = cProfile.Profile()
    prof.enable()
    run(parse_document(text, "README.md"), config)
    prof.disable()
    out = io.StringIO()
    stats = pstats.Stats(prof, stream=out)
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    return out.getvalue()


def _lists(sizes: list[int], seed: int, order: str,
           defect_rate: float) -> Iterator[tuple[str, int | None, str]]:
    if SEED.is_file():
        yield "seed", None, SEED.read_text(encoding="utf-8")
    for size in sizes:
        yield f"{size // 1000}k {order}", size, bench_text(size, seed, order, defect_rate)


def reference_rows(name: str, size: int | None, path: Path, mine: Child,
                   ref: Reference, repeats: int) -> Iterator[Row]:
    """The reference on the same list: its time and RSS, and for 100k the ratio target."""
    before = whole_process(check_argv(path, ref.config), repeats, cwd=ref.root)
    if before.code not in (0, 1):
        yield Row(f"{name}: reference {ref.rev}", f"exit {before.code}", "-", "SKIP")
        return
    yield Row(f"{name}: reference {ref.rev}, whole process", f"{before.seconds:.3f} s", "-", "INFO")
    yield Row(f"{name}: reference {ref.rev}, peak RSS", f"{before.rss_mb:.1f} MB", "-", "INFO")
    ratio = mine.seconds / before.seconds
    if size == TARGET_LARGE[0]:
        yield Row(f"{name}: time / reference's ({TARGET_LARGE[1]:g} s of its "
                  f"{REFERENCE_100K_S:g} s there)", f"{ratio:.2f}x",
                  f"<= {TARGET_RATIO:.3f}x", _verdict(ratio <= TARGET_RATIO))
        yield Row(f"{name}: that ratio on the issue's machine", f"{ratio * REFERENCE_100K_S:.1f} s",
                  f"< {TARGET_LARGE[1]:g} s", "INFO")
    else:
        yield Row(f"{name}: time / reference's", f"{ratio:.2f}x", "-", "INFO")


def bench(sizes: list[int], seed: int, order: str, defect_rate: float, *, peer: bool,
          peer_timeout: float, with_fix: bool, ref: Reference | None = None) -> Iterator[Row]:
    """The rows of the report, one list at a time."""
    process_time: dict[int, float] = {}
    engine_time: dict[int, float] = {}
    lint = awesome_lint_command() if peer else None
    if peer and lint is None:
        yield Row("peer awesome-lint", "unavailable", "-", "SKIP")
    if not SEED.is_file():
        yield Row(f"seed ({SEED})", "absent", "-", "SKIP")
    with tempfile.TemporaryDirectory(prefix="listkeeper-bench-") as tmp:
        for name, size, text in _lists(sizes, seed, order, defect_rate):
            path = Path(tmp, f"{name.replace(' ', '-')}.md")
            path.write_text(text, encoding="utf-8")
            repeats = 5 if size is None or size <= 1_000 else 3
            result = whole_process(check_argv(path), repeats)
            if result.code not in (0, 1):
                yield Row(f"{name}: check exit code", str(result.code), "0 or 1", "FAIL")
                print(result.stderr, file=sys.stderr)
            target, ok = "-", None
            if size is None:
                target, ok = f"< {TARGET_SEED_S:g} s", result.seconds < TARGET_SEED_S
            elif size == TARGET_LARGE[0]:
                target, ok = f"< {TARGET_LARGE[1]:g} s", result.seconds < TARGET_LARGE[1]
            yield Row(f"{name}: check --format json, whole process", f"{result.seconds:.3f} s",
                      target, _verdict(ok))
            big = size == TARGET_LARGE[0]
            yield Row(f"{name}: peak RSS (child)", f"{result.rss_mb:.1f} MB",
                      f"< {TARGET_LARGE_MB:g} MB" if big else "-",
                      _verdict(result.rss_mb < TARGET_LARGE_MB if big else None))
            yield Row(f"{name}: findings: {rule_counts(result.stdout)}", "", "-", "INFO")
            if ref is not None:
                yield from reference_rows(name, size, path, result, ref, repeats)
            if size is not None:
                process_time[size] = result.seconds
                parse_s, run_s, traced, count = in_process(text, min(repeats, 2))
                engine_time[size] = parse_s + run_s
                yield Row(f"{name}: engine parse_document", f"{parse_s:.3f} s", "-", "INFO")
                yield Row(f"{name}: engine run ({count} findings)", f"{run_s:.3f} s", "-", "INFO")
                yield Row(f"{name}: engine peak traced memory", f"{traced:.1f} MB", "-", "INFO")
            if with_fix:
                fixed = run_child([sys.executable, "-m", "bot", "fix", "--diff", "--config",
                                   CONFIG, str(path)], cwd=str(ROOT),
                                  timeout=FIX_TIMEOUT_S)
                if fixed.timed_out:
                    yield Row(f"{name}: fix --diff, whole process", f"> {FIX_TIMEOUT_S:g} s",
                              "-", "FAIL")
                else:
                    ok = fixed.code in (0, 1)
                    yield Row(f"{name}: fix --diff, whole process",
                              f"{fixed.seconds:.3f} s" if ok else f"exit {fixed.code}", "-",
                              "INFO" if ok else "FAIL")
            if lint is not None:
                peer_run = awesome_lint(lint, text, peer_timeout)
                if peer_run is None:
                    yield Row(f"{name}: peer awesome-lint", "failed", "-", "SKIP")
                elif peer_run.timed_out:
                    yield Row(f"{name}: peer awesome-lint, whole process",
                              f"> {peer_timeout:g} s", "-", "INFO")
                else:
                    yield Row(f"{name}: peer awesome-lint, whole process",
                              f"{peer_run.seconds:.3f} s", "-", "INFO")
                    yield Row(f"{name}: peer awesome-lint, peak RSS", f"{peer_run.rss_mb:.1f} MB",
                              "-", "INFO")
    small, large, limit = TARGET_GROWTH
    if small in process_time and large in process_time:
        ratio = process_time[large] / process_time[small]
        yield Row(f"growth: whole process {large:,} / {small:,}", f"{ratio:.1f}x",
                  f"<= {limit:g}x", _verdict(ratio <= limit))
        ratio = engine_time[large] / engine_time[small]
        yield Row(f"growth: engine {large:,} / {small:,}", f"{ratio:.1f}x", "-", "INFO")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark listkeeper check against its targets.")
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)),
                        help="comma-separated entry counts (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=0, help="random seed of the generator")
    parser.add_argument("--order", choices=("random", "sorted"), default="random",
                        help="venue order of the generated lists (default: %(default)s)")
    parser.add_argument("--defect-rate", type=float, default=0.05,
                        help="share of generated entries with a defect (default: %(default)s)")
    parser.add_argument("--no-awesome-lint", action="store_true",
                        help="do not install and time awesome-lint")
    parser.add_argument("--peer-timeout", type=float, default=300.0,
                        help="seconds awesome-lint may take on one list (default: %(default)s)")
    parser.add_argument("--no-fix", action="store_true", help="do not time fix --diff")
    parser.add_argument("--reference", default=REFERENCE, metavar="REV",
                        help="commit to time on the same lists as the before (default: %(default)s,"
                             " the code the 100k target was set against)")
    parser.add_argument("--no-reference", action="store_true", help="do not time a reference")
    parser.add_argument("--profile", type=int, metavar="N",
                        help="print a cProfile of parse+run on an N-entry list and exit")
    args = parser.parse_args(argv)
    global CONFIG
    config_dir = tempfile.mkdtemp(prefix="listkeeper-bench-config-")
    try:
        CONFIG = bench_config(config_dir)
        return _main(args)
    finally:
        shutil.rmtree(config_dir, ignore_errors=True)


def _compile_bytecode() -> None:
    """Byte-compile bot/ as ``pip install`` does: with PYTHONDONTWRITEBYTECODE set (or a fresh
    checkout) every child would otherwise compile each changed module again at start-up."""
    import compileall

    compileall.compile_dir(str(ROOT / "bot"), quiet=1)


def _main(args: argparse.Namespace) -> int:
    _compile_bytecode()
    if args.profile:
        print(profile(args.profile, args.seed, args.order, args.defect_rate))
        return 0
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    print(f"listkeeper {ROOT}; load {os.getloadavg()[0]:.2f}", flush=True)
    with tempfile.TemporaryDirectory(prefix="listkeeper-bench-reference-") as folder:
        ref = None if args.no_reference else unpack_reference(args.reference, folder)
        if isinstance(ref, str):
            print(f"reference: {ref}; no before measured", flush=True)
            ref = None
        print(f"{'measured':<56} {'value':>14}   {'target':<10} verdict", flush=True)
        failed = False
        for row in bench(sizes, args.seed, args.order, args.defect_rate,
                         peer=not args.no_awesome_lint, peer_timeout=args.peer_timeout,
                         with_fix=not args.no_fix, ref=ref):
            print(row, flush=True)
            failed = failed or row.verdict == "FAIL"
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
