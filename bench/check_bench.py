"""Time ``listkeeper check`` on generated lists and compare with the targets.

For each size (300, 1k, 10k, 100k entries by default) it measures:

- the whole process, ``python -m bot check --config rules.yaml FILE`` (best of a few runs),
  with the child's peak RSS from ``os.wait4``;
- the in-process engine: ``parse_document`` and ``engine.run`` separately, and the peak of
  Python allocations (``tracemalloc``, measured in a separate run since it slows things down);
- awesome-lint on the same file, side by side, when npm can install it (skipped otherwise).

Every line says what was measured, the value, the target and PASS/FAIL (or INFO when there
is no target). The exit code is 1 when a target fails.

    python bench/check_bench.py                     # all sizes
    python bench/check_bench.py --sizes 300,1000    # quick
    python bench/check_bench.py --profile 100000    # cProfile the engine on one size
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import os
import pstats
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from gen import generate  # noqa: E402

SIZES = (300, 1_000, 10_000, 100_000)
TARGET_SMALL = (300, 0.3)  # whole-process check of a 300-entry list, seconds
TARGET_LARGE = (100_000, 10.0)  # whole-process check of a 100k-entry list, seconds
TARGET_GROWTH = (10_000, 100_000, 12.0)  # time(100k) / time(10k) at most
TARGET_MEMORY_MB = 300.0
AWESOME_LINT_DIR = Path(tempfile.gettempdir()) / "awesome-lint-bench"


@dataclass
class Row:
    what: str
    value: str
    target: str
    verdict: str  # PASS | FAIL | INFO | SKIP

    def __str__(self) -> str:
        return f"{self.what:<52} {self.value:>14}   target {self.target:<14} {self.verdict}"


def _verdict(ok: bool | None) -> str:
    return "INFO" if ok is None else ("PASS" if ok else "FAIL")


def run_child(argv: list[str], cwd: str | None = None,
              timeout: float = 600) -> tuple[float, float, int, str]:
    """Wall seconds, peak RSS (MB), exit code and stderr tail of one child process."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=err,
                                stdin=subprocess.DEVNULL)
        deadline = start + timeout
        while True:  # os.wait4 gives this child's own rusage (getrusage would sum all children)
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.002)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        tail = err.read().decode("utf-8", "replace")[-400:]
    scale = 1024 if sys.platform != "darwin" else 1  # ru_maxrss: KB on Linux, bytes on macOS
    return elapsed, usage.ru_maxrss * scale / 2**20, proc.returncode, tail


def whole_process(path: Path, repeats: int) -> tuple[float, float, int, str]:
    """Best wall time and its peak RSS over ``repeats`` runs of ``python -m bot check``."""
    argv = [sys.executable, "-m", "bot", "check", "--config", str(ROOT / "rules.yaml"), str(path)]
    best = None
    for _ in range(repeats):
        result = run_child(argv, cwd=str(ROOT))
        if best is None or result[0] < best[0]:
            best = result
    assert best is not None
    return best


def in_process(text: str, repeats: int) -> tuple[float, float, float, int]:
    """Best parse and run seconds, peak traced MB, number of findings."""
    from bot.config import load_config
    from bot.engine import run
    from bot.parse import parse_document

    config = load_config(str(ROOT / "rules.yaml"))
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
    run(parse_document(text, "README.md"), config)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
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
                        "--no-fund", "--silent", "awesome-lint"], capture_output=True, timeout=180,
                       check=True)
    except (OSError, subprocess.SubprocessError):
        return None
    return [str(binary)] if binary.exists() else None


def awesome_lint(command: list[str], text: str) -> tuple[float, float, int, str] | None:
    """Time awesome-lint in a throwaway git repository holding README.md."""
    with tempfile.TemporaryDirectory(prefix="awesome-lint-run-") as tmp:
        Path(tmp, "README.md").write_text(text, encoding="utf-8")
        Path(tmp, "contributing.md").write_text("# Contributing\n", encoding="utf-8")
        try:
            subprocess.run(["git", "init", "-q"], cwd=tmp, check=True, capture_output=True)
        except (OSError, subprocess.CalledProcessError):
            return None
        result = run_child(command + ["README.md"], cwd=tmp)
    return result


def profile(size: int, seed: int, top: int = 25) -> str:
    """cProfile of parse + run on one generated list, sorted by own time and cumulative time."""
    from bot.config import load_config
    from bot.engine import run
    from bot.parse import parse_document

    text = generate(size, seed)
    config = load_config(str(ROOT / "rules.yaml"))
    prof = cProfile.Profile()
    prof.enable()
    run(parse_document(text, "README.md"), config)
    prof.disable()
    out = io.StringIO()
    stats = pstats.Stats(prof, stream=out)
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    return out.getvalue()


def bench(sizes: list[int], seed: int, with_awesome_lint: bool) -> Iterator[Row]:
    """The rows of the report, one size at a time."""
    rows: list[Row] = []
    process_time: dict[int, float] = {}
    engine_time: dict[int, float] = {}
    lint = awesome_lint_command() if with_awesome_lint else None
    if with_awesome_lint and lint is None:
        rows.append(Row("awesome-lint", "unavailable", "-", "SKIP"))
    with tempfile.TemporaryDirectory(prefix="listkeeper-bench-") as tmp:
        for size in sizes:
            text = generate(size, seed)
            path = Path(tmp, f"list-{size}.md")
            path.write_text(text, encoding="utf-8")
            repeats = 5 if size <= 1_000 else (2 if size <= 10_000 else 1)
            wall, rss, code, err = whole_process(path, repeats)
            process_time[size] = wall
            label = f"{size:,} entries"
            if code not in (0, 1):
                rows.append(Row(f"check {label}: exit code", str(code), "0 or 1", "FAIL"))
                print(err, file=sys.stderr)
            target, ok = "-", None
            if size == TARGET_SMALL[0]:
                target, ok = f"< {TARGET_SMALL[1]} s", wall < TARGET_SMALL[1]
            elif size == TARGET_LARGE[0]:
                target, ok = f"< {TARGET_LARGE[1]:g} s", wall < TARGET_LARGE[1]
            rows.append(Row(f"check {label}: whole process", f"{wall:.3f} s", target, _verdict(ok)))
            rows.append(Row(f"check {label}: whole process per entry",
                            f"{wall / size * 1e6:.1f} µs", "-", "INFO"))
            rows.append(Row(f"check {label}: peak RSS (child)", f"{rss:.1f} MB",
                            f"< {TARGET_MEMORY_MB:g} MB", _verdict(rss < TARGET_MEMORY_MB)))
            parse_s, run_s, traced, count = in_process(text, repeats)
            engine_time[size] = parse_s + run_s
            rows.append(Row(f"engine {label}: parse_document", f"{parse_s:.3f} s", "-", "INFO"))
            rows.append(Row(f"engine {label}: run ({count} findings)", f"{run_s:.3f} s", "-", "INFO"))
            rows.append(Row(f"engine {label}: parse+run per entry",
                            f"{(parse_s + run_s) / size * 1e6:.1f} µs", "-", "INFO"))
            rows.append(Row(f"engine {label}: peak traced memory", f"{traced:.1f} MB",
                            f"< {TARGET_MEMORY_MB:g} MB", _verdict(traced < TARGET_MEMORY_MB)))
            if lint is not None:
                result = awesome_lint(lint, text)
                if result is None or result[2] not in (0, 1):
                    rows.append(Row(f"awesome-lint {label}", "failed", "-", "SKIP"))
                else:
                    rows.append(Row(f"awesome-lint {label}: whole process", f"{result[0]:.3f} s",
                                    "-", "INFO"))
                    rows.append(Row(f"awesome-lint {label}: peak RSS", f"{result[1]:.1f} MB",
                                    "-", "INFO"))
            yield from rows
            rows.clear()
    small, large, limit = TARGET_GROWTH
    if small in process_time and large in process_time:
        ratio = process_time[large] / process_time[small]
        rows.append(Row(f"growth: whole process {large:,} / {small:,}", f"{ratio:.1f}x",
                        f"<= {limit:g}x", _verdict(ratio <= limit)))
        ratio = engine_time[large] / engine_time[small]
        rows.append(Row(f"growth: engine {large:,} / {small:,}", f"{ratio:.1f}x",
                        f"<= {limit:g}x", _verdict(ratio <= limit)))
    yield from rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark listkeeper check against its targets.")
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)),
                        help="comma-separated entry counts (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-awesome-lint", action="store_true",
                        help="do not try to install and time awesome-lint")
    parser.add_argument("--profile", type=int, metavar="N",
                        help="print a cProfile of parse+run on an N-entry list and exit")
    args = parser.parse_args(argv)
    if args.profile:
        print(profile(args.profile, args.seed))
        return 0
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    print(f"{'measured':<52} {'value':>14}   {'target':<21} verdict", flush=True)
    failed = False
    for row in bench(sizes, args.seed, not args.no_awesome_lint):
        print(row, flush=True)
        failed = failed or row.verdict == "FAIL"
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
