"""Time to first request of `listkeeper links` on the link bench's list: from spawning the
command to the first connection on the busiest host. Not a test.

The busiest host is a bare listening socket (the other hosts refuse connections); each start
is killed once its first connection arrives. Source trees given are timed in turn, each from
its own bytecode cache (see links_bench.compiled_bytecode), so that pairs run at one load:

    python bench/links_first_request.py                      # this tree, 12 starts
    python bench/links_first_request.py --runs 12 /path/to/before .
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import links_bench as B  # noqa: E402


def drain(listener: socket.socket) -> None:
    """Close the connections a killed start left in the backlog."""
    listener.setblocking(False)
    try:
        while True:
            listener.accept()[0].close()
    except BlockingIOError:
        pass
    finally:
        listener.setblocking(True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("roots", nargs="*", default=[B.ROOT], help="source trees to time")
    parser.add_argument("--runs", type=int, default=12)
    args = parser.parse_args()
    roots = [os.path.abspath(r) for r in args.roots]
    specs, _, per_entry = B.design(800)
    listener = socket.socket()
    listener.bind((B.HOSTS[B.BUSIEST], 0))
    listener.listen(256)
    with socket.socket() as closed:
        closed.bind((B.HOSTS[1], 0))
        refused = closed.getsockname()[1]
    base = [f"{h}:{refused}" for h in B.HOSTS]
    base[B.BUSIEST] = f"{B.HOSTS[B.BUSIEST]}:{listener.getsockname()[1]}"
    work = tempfile.mkdtemp(prefix="links-first-")
    caches = [B.compiled_bytecode(root) for root in roots]
    try:
        B.write_list(work, per_entry, base)
        hosts = {base[h]: {"concurrency": specs[h]["limit"], "min_interval": 0.0}
                 for h in range(B.N_HOSTS) if h not in B.UNSTATED_IN_STATED_MODE}
        with open(os.path.join(work, "rules.yaml"), "w") as fh:
            json.dump({"extends": "default", "links": {"hosts": hosts, "max_workers": 64}}, fh)
        times: dict[str, list[float]] = {root: [] for root in roots}
        print(f"load: {os.getloadavg()[0]:.2f}")
        for _ in range(args.runs):
            for root, cache in zip(roots, caches, strict=True):
                env = {**os.environ, "PYTHONPATH": root, "PYTHONPYCACHEPREFIX": cache}
                env.pop("GITHUB_TOKEN", None)
                t0 = time.monotonic()
                proc = subprocess.Popen([sys.executable, "-m", "bot", "links", "README.md", "--config",
                                         "rules.yaml", "--no-cache", "--allow-private", "--format", "json"],
                                        cwd=work, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                conn, _ = listener.accept()
                times[root].append(time.monotonic() - t0)
                proc.kill()
                proc.wait()
                conn.close()
                drain(listener)
        for root, values in times.items():
            values.sort()
            print(f"{root}: median {values[len(values) // 2]:.3f} s, "
                  f"range {values[0]:.3f}-{values[-1]:.3f} s over {len(values)} starts")
        print(f"load: {os.getloadavg()[0]:.2f}")
    finally:
        listener.close()
        shutil.rmtree(work, ignore_errors=True)
        for cache in caches:
            shutil.rmtree(cache, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
