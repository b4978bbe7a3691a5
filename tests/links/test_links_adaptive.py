"""Adaptive politeness: AIMD, re-queueing and no head-of-line blocking.

The policy (Politeness) and the scheduler run on a fake clock here, without real sleeps; the
loopback tests then show the same behaviour against servers that misbehave.
"""

from __future__ import annotations

import itertools
import time

from bot.links import HostLimit, LinkTarget, check_links
from bot.links.politeness import Politeness
from bot.links.scheduler import Scheduler
from bot.links.settings import LinksSettings
from tests.links.linkfarm import by_url, make_settings


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def simulate(limit: int, requests: int, *, start: int = 2, ceiling: int = 12, latency: float = 1.0,
             retry_after: float = 1.0, dips: tuple[tuple[float, float, int], ...] = ()) -> dict:
    """A server that refuses (429, Retry-After) every request beyond `limit` in flight, driven
    by Politeness alone on a fake clock: as many requests start as it allows, each takes
    `latency`; a refused one is asked again. `dips`: (from, to, limit) windows of time in
    which the server takes fewer (a burst of 429s). `limits` is the host's concurrency after
    each answer, as (time, concurrency)."""
    clock = FakeClock()
    limits: list[tuple[float, int]] = []
    pol = Politeness(LinksSettings(default_host=HostLimit(start, 0.0), max_host_concurrency=ceiling,
                                   max_refusals=1000, host_budget=1e9), clock)
    queue, done, refused, peak = requests, 0, 0, 0
    in_flight: list[tuple[float, object, bool]] = []
    while done < requests:
        pol.note_backlog("h", queue)
        while queue and (slot := pol.acquire("h")) is not None:
            queue -= 1
            now_limit = next((n for a, b, n in dips if a <= clock.now < b), limit)
            over = len(in_flight) + 1 > now_limit
            in_flight.append((clock.now + latency, slot, over))
            peak = max(peak, len(in_flight))
        ready = pol.ready_in("h") if queue else float("inf")
        next_end = min((end for end, _, _ in in_flight), default=float("inf"))
        clock.now = max(clock.now, min(next_end, clock.now + ready))
        for item in [i for i in in_flight if i[0] <= clock.now]:
            in_flight.remove(item)
            _, slot, over = item
            if over:
                refused += 1
                queue += 1
                pol.release(slot, refused=True, wait=retry_after)
            else:
                done += 1
                pol.release(slot)
            limits.append((clock.now, pol.limit("h")))
    return {"time": clock.now, "refused": refused, "peak": peak, "state": pol.snapshot("h"),
            "limits": limits}


def test_aimd_finds_an_unstated_limit_with_few_429s():
    for limit in (3, 5, 8):
        out = simulate(limit, 400)
        bound = 400 / limit
        assert out["refused"] <= 4, (limit, out)             # about 1% of the requests
        assert out["time"] <= 1.3 * bound, (limit, out)
        assert out["state"]["learned"] == limit, (limit, out)  # it found the limit
        assert out["state"]["concurrency"] <= limit + 1


def test_aimd_never_exceeds_the_ceiling_and_a_stated_limit_stays_hard():
    out = simulate(50, 200, ceiling=6)
    assert out["peak"] == 6 and out["refused"] == 0
    clock = FakeClock()
    pol = Politeness(LinksSettings(hosts={"h": HostLimit(3, 0.0)}, max_host_concurrency=20), clock)
    for _ in range(200):  # many rounds of successes never raise a stated limit
        slots = [pol.acquire("h") for _ in range(3)]
        assert pol.acquire("h") is None
        for slot in slots:
            pol.release(slot)
    assert pol.snapshot("h")["concurrency"] == 3


def test_aimd_climbs_back_after_a_quiet_period():
    """A second burst of 429s (the server took one fewer for a moment) teaches a limit too low;
    after a quiet period (rounds of successes, no 429) the concurrency grows past it again to
    the server's real limit, with few 429s."""
    out = simulate(6, 1500, dips=((20.0, 21.0, 5),))
    limits = out["limits"]
    lowered = next(i for i, (t, c) in enumerate(limits) if t >= 20.0 and c < 6)
    assert max(c for t, c in limits[lowered:] if t < 40.0) == 5  # it learned 5 from the burst...
    assert any(c == 6 for _, c in limits[lowered:])              # ...and climbed back to 6
    assert out["state"]["learned"] == 6
    assert out["refused"] <= 0.01 * 1500, out["refused"]
    assert out["time"] <= 1.1 * 1500 / 6


def test_aimd_climbs_back_no_higher_than_the_ceiling():
    out = simulate(50, 1000, ceiling=6, dips=((20.0, 21.0, 3),))
    after = [c for t, c in out["limits"] if t > 21.0]
    assert min(after) < 6 and after[-1] == 6 and out["peak"] == 6


def test_a_host_that_keeps_refusing_stays_low_with_few_429s():
    """A host that refuses every step beyond its limit is asked ever more rarely: the quiet
    period doubles after each refused step."""
    for limit in (1, 2):
        out = simulate(limit, 1000)
        limits = out["limits"]
        steps = [t for (_, before), (t, c) in itertools.pairwise(limits) if c > limit >= before]
        gaps = [b - a for a, b in itertools.pairwise(steps)]
        assert len(steps) >= 3 and all(b >= 1.8 * a for a, b in itertools.pairwise(gaps)), steps
        assert out["refused"] <= 0.01 * 1000, out["refused"]
        assert sum(1 for _, c in limits if c > limit) <= 0.02 * len(limits)


def test_a_429_lowers_concurrency_multiplicatively_once_per_round_and_holds_the_host():
    clock = FakeClock()
    pol = Politeness(LinksSettings(hosts={"h": HostLimit(8, 0.0)}), clock)
    slots = [pol.acquire("h") for _ in range(8)]
    for slot in reversed(slots[3:]):  # five refusals of one round are one decrease
        pol.release(slot, refused=True, wait=2.0)
    state = pol.snapshot("h")
    assert state["concurrency"] == 4 and state["learned"] == 7  # refused with 8 in flight
    assert pol.ready_in("h") == 2.0  # held for what the server asked
    clock.now = 2.0
    assert pol.ready_in("h") == 0.0


def test_a_503_without_retry_after_does_not_hold_or_slow_the_host():
    clock = FakeClock()
    pol = Politeness(LinksSettings(hosts={"h": HostLimit(4, 0.0)}), clock)
    slot = pol.acquire("h")
    pol.release(slot, transient=True)
    assert pol.ready_in("h") == 0.0
    assert pol.snapshot("h")["concurrency"] == 4 and pol.snapshot("h")["interval"] == 0.0


def test_quota_headers_stop_requests_before_the_quota_runs_out():
    """GitHub-like: X-RateLimit-Remaining on every answer; with 2 left and 2 in flight, no
    third request starts until the reset."""
    clock = FakeClock()
    pol = Politeness(LinksSettings(hosts={"h": HostLimit(3, 0.0)}), clock)
    a, b, c = (pol.acquire("h") for _ in range(3))
    pol.release(a, quota=(2, 10.0))  # 2 left, and b and c are still in flight
    assert pol.ready_in("h") == 10.0
    clock.now = 10.0
    assert pol.ready_in("h") == 0.0


class FakeJob:
    """A job of `steps` requests on `key`; after the first it waits `delay` (a flaky 503)."""

    def __init__(self, key: str, clock: FakeClock, log: list, name: str, *, delay: float = 0.0) -> None:
        self.key, self.clock, self.log, self.name, self.delay = key, clock, log, name, delay
        self.not_before = 0.0
        self.tries = 0

    def step(self, slot) -> bool:
        self.log.append((self.clock.now, self.name))
        self.tries += 1
        self.clock.now += 1.0  # every request takes one second of fake time
        if self.delay and self.tries == 1:
            self.not_before = self.clock.now + self.delay
            slot.outcome = {"transient": True}
            return False
        return True

    def give_up(self, reason: str) -> None:
        self.log.append((self.clock.now, f"{self.name} gave up: {reason}"))


def test_a_requeued_url_waits_without_holding_its_host_or_a_worker():
    clock = FakeClock()
    pol = Politeness(LinksSettings(hosts={"busy": HostLimit(1, 0.0), "other": HostLimit(1, 0.0)}), clock)
    log: list = []

    def wait(cond, seconds):
        clock.now += seconds  # no real sleep: waiting moves the fake clock

    sched = Scheduler(pol, max_workers=1, wait=wait)
    sched.add(FakeJob("busy", clock, log, "flaky", delay=5.0))
    for i in range(6):
        sched.add(FakeJob("busy", clock, log, f"busy{i}"))
    for i in range(2):
        sched.add(FakeJob("other", clock, log, f"other{i}"))
    sched.run_here()
    names = [name for _, name in log]
    # the flaky URL went first, then the host went on at once; its retry came when due
    assert names[0] == "flaky" and names.count("flaky") == 2
    assert [t for t, _ in log] == [float(i) for i in range(10)]  # never idle
    assert log[names.index("flaky", 1)][0] >= 6.0
    assert pol.snapshot("busy")["hold_until"] == float("-inf")


def test_a_held_host_leaves_the_workers_to_the_others():
    clock = FakeClock()
    pol = Politeness(LinksSettings(hosts={"held": HostLimit(4, 0.0), "free": HostLimit(4, 0.0)}), clock)
    pol.hold("held", 30.0)
    log: list = []
    sched = Scheduler(pol, max_workers=1, wait=lambda cond, s: setattr(clock, "now", clock.now + s))
    for i in range(3):
        sched.add(FakeJob("held", clock, log, f"held{i}"))
        sched.add(FakeJob("free", clock, log, f"free{i}"))
    sched.run_here()
    assert [name for _, name in log][:3] == ["free0", "free1", "free2"]
    assert min(t for t, name in log if name.startswith("held")) >= 30.0


def test_the_busiest_host_starts_first():
    clock = FakeClock()
    pol = Politeness(LinksSettings(hosts={"small": HostLimit(1, 0.0), "big": HostLimit(1, 0.0)}), clock)
    log: list = []
    sched = Scheduler(pol, max_workers=1, wait=lambda cond, s: None)
    for i in range(2):
        sched.add(FakeJob("small", clock, log, f"small{i}"))
    for i in range(20):
        sched.add(FakeJob("big", clock, log, f"big{i}"))
    sched.run_here()
    assert log[0][1] == "big0"


def test_a_flaky_503_on_the_busiest_host_slows_neither_it_nor_the_others(farm_factory):
    """Every request after the 503s keeps the busy host at its full concurrency: no hold, no
    longer interval, and the other host is not delayed at all."""
    busy = farm_factory("127.0.0.2", latency=0.05)
    other = farm_factory("127.0.0.3", latency=0.05)
    urls = [f"{busy.base}/ok/{i}" for i in range(40)] + [f"{busy.base}/flaky503?n=1&i={i}" for i in range(4)]
    urls += [f"{other.base}/ok/{i}" for i in range(12)]
    settings = make_settings(hosts={busy.hostport: HostLimit(4, 0.0), other.hostport: HostLimit(2, 0.0)})
    stats: dict = {}
    t0 = time.monotonic()
    results = by_url(check_links([LinkTarget(u, [1]) for u in urls], settings, cache_path=None,
                                 allow_private=True, stats=stats))
    wall = time.monotonic() - t0
    assert all(r.verdict == "ok" for r in results.values())
    state = stats["politeness"].snapshot(busy.hostport)
    assert (state["concurrency"], state["interval"], state["hold_until"]) == (4, 0.0, float("-inf"))
    assert busy.max_active == 4
    bound = (44 + 4) * 0.05 / 4  # every URL once, the four flaky ones twice
    assert wall < bound + 3.0, (wall, bound)  # generous: CI machines are loaded
    # after the first 503 the host kept going: no gap between request starts beyond a round trip
    starts = busy.starts()
    first_503 = min(e["t"] for e in busy.log if e["path"].startswith("/flaky503"))
    gaps = [b - a for a, b in itertools.pairwise(t for t in starts if t >= first_503)]
    assert max(gaps) < 0.6, max(gaps)  # a hold would be a second or more
    other_starts = other.starts()
    assert other_starts[-1] - other_starts[0] < 12 / 2 * 0.05 + 0.3


def test_an_unstated_limit_is_found_on_a_real_server_with_few_429s(farm_factory):
    farm = farm_factory("127.0.0.5", latency=0.15)  # requests overlap even on a loaded machine
    farm.limit = 3
    urls = [f"{farm.base}/ok/{i}" for i in range(90)]
    # generous timeouts: a request the client gave up on would still count on the server
    settings = make_settings(farm, default_host=HostLimit(1, 0.0), max_host_concurrency=8,
                             timeout_connect=10.0, timeout_read=10.0)
    stats: dict = {}
    results = check_links([LinkTarget(u, [1]) for u in urls], settings, cache_path=None,
                          allow_private=True, stats=stats)
    assert all(r.verdict == "ok" for r in results)
    assert 1 <= farm.refused <= 3, farm.refused  # few 429s: the limit is learned, not hammered
    # the client counts a request in flight until it has read the answer, the server until it
    # starts sending it: seen from the client the refusal can come one request early, and on
    # a loaded machine (a keep-alive connection not yet released by the server) two early
    assert stats["politeness"].snapshot(farm.hostport)["learned"] in (1, 2, 3)
    assert farm.max_active in (4, 5), farm.max_active  # probes just beyond the limit, no more


def test_a_host_that_spends_its_time_budget_is_given_up():
    clock = FakeClock()
    pol = Politeness(LinksSettings(hosts={"slow": HostLimit(2, 0.0)}, host_budget=10.0), clock)
    for _ in range(3):
        slot = pol.acquire("slow")
        clock.now += 4.0
        pol.release(slot)
    assert pol.blocked("slow") == "spent its time budget (10 s of requests)"
    assert pol.acquire("slow") is None


class Notices:
    """Counts the notifications a condition of the scheduler receives (instead of waking)."""

    def __init__(self, cond) -> None:
        self.count = 0
        cond.notify = self.notify

    def notify(self, n: int = 1) -> None:
        self.count += 1


def test_a_host_due_sooner_than_the_timekeeper_sleeps_wakes_it():
    """The worker waiting for the next due time is woken when another worker puts back a URL
    that is due sooner (or ready now), and sleeps on when it is due later."""
    clock = FakeClock()
    pol = Politeness(LinksSettings(hosts={"h": HostLimit(2, 0.0), "g": HostLimit(2, 0.0)}), clock)
    log: list = []
    seen: list = []
    sched = Scheduler(pol, max_workers=1)

    def wait(cond, seconds):
        seen.append(seconds)
        if len(seen) == 1:  # while this worker keeps the time, others put work back
            notices = Notices(cond)
            later = FakeJob("g", clock, log, "later")
            later.not_before = clock.now + 5.0
            sched.add(later)
            assert notices.count == 0  # due after what the timekeeper sleeps for
            sooner = FakeJob("g", clock, log, "sooner")
            sooner.not_before = clock.now + 0.1
            sched.add(sooner)
            assert notices.count == 1  # due before: the timekeeper must not oversleep
            sched.add(FakeJob("h", clock, log, "now"))
            assert notices.count == 2  # ready now, and no other worker idle to take it
            del cond.notify
            return  # woken: no time has passed
        clock.now += seconds

    sched._wait = wait
    first = FakeJob("h", clock, log, "first")
    first.not_before = 1.0  # the worker starts with nothing to do before t=1
    sched.add(first)
    sched.run_here()
    assert seen[0] == 0.25  # capped: the timekeeper re-checks at least this often
    names = [name for _, name in log]
    assert names[0] == "now" and sorted(names) == ["first", "later", "now", "sooner"]
    assert [t for t, name in log if name == "sooner"][0] < 1.5  # when due, not a wait later


def test_an_answer_wakes_no_idle_worker_when_its_worker_takes_the_next_request_itself():
    """A worker that finishes a request takes the next one itself: the idle workers are not
    woken for it (64 threads waking on every answer cost the GIL the readers need)."""
    clock = FakeClock()
    pol = Politeness(LinksSettings(hosts={"h": HostLimit(1, 0.0)}), clock)
    log: list = []
    sched = Scheduler(pol, max_workers=1, wait=lambda cond, s: setattr(clock, "now", clock.now + s))
    for i in range(5):
        sched.add(FakeJob("h", clock, log, f"h{i}"))
    # as if three workers waited to be handed work and a fourth kept the time
    sched._idle_workers, sched._timekeeper = 3, True
    woken = [Notices(sched._cond), Notices(sched._time_cond)]
    counts = []
    original = FakeJob.step

    def step(job, slot):
        counts.append(sum(n.count for n in woken))
        return original(job, slot)

    for job in [j for q in sched.queues.values() for j in q.ready]:
        job.step = step.__get__(job)
    sched.run_here()
    assert [name for _, name in log] == ["h0", "h1", "h2", "h3", "h4"]
    assert counts == [0, 0, 0, 0, 0]


def test_jobs_queued_together_start_with_the_busiest_host():
    clock = FakeClock()
    pol = Politeness(LinksSettings(hosts={"small": HostLimit(1, 0.0), "big": HostLimit(1, 0.0)}), clock)
    log: list = []
    sched = Scheduler(pol, max_workers=1, wait=lambda cond, s: None)
    sched.add_many([FakeJob("small", clock, log, f"small{i}") for i in range(2)]
                   + [FakeJob("big", clock, log, f"big{i}") for i in range(20)])
    sched.run_here()
    assert log[0][1] == "big0" and len(log) == 22


def test_planning_hands_over_the_costliest_bucket_first():
    """Each politeness bucket's groups go to the scheduler once planned, the costliest first
    (requests / the host's concurrency), one hand-over per bucket."""
    from bot.links.checker import Run, merge_targets
    from bot.links.plan import plan_links

    settings = LinksSettings(hosts={"big.example": HostLimit(2, 0.0), "wide.example": HostLimit(8, 0.0)})
    run = Run(settings, allow_private=False, github_token=None, records={})
    big = [f"https://big.example/{i}" for i in range(6)]        # 6 / 2 at a time
    wide = [f"https://wide.example/{i}" for i in range(12)]     # 12 / 8 at a time
    urls = wide + ["https://small.example/a", "http://[oops]/x"] + big
    handed: list[list[str]] = []

    def ready(groups):
        handed.append(sorted(t.url for idents in groups.values() for ts in idents.values() for t in ts))

    plan = plan_links(run, merge_targets([LinkTarget(u, [1]) for u in urls]), {}, 0.0, ready=ready)
    assert handed == [sorted(big), sorted(wide), ["https://small.example/a"]]
    assert plan.done["http://[oops]/x"][1].verdict == "broken"  # malformed: settled, never handed over
    run.fetcher.close()


def test_the_busiest_hosts_requests_start_while_the_rest_is_planned(farm_factory, monkeypatch):
    """Planning the other hosts waits until a request to the busiest host has started: the run
    only finishes if that request was not waiting for the whole plan."""
    import threading

    from bot.links import plan as planning

    busy = farm_factory("127.0.0.2", latency=0.01)
    other = farm_factory("127.0.0.3", latency=0.01)
    started = threading.Event()
    acquire = Politeness.acquire

    def acquire_and_tell(self, host):
        slot = acquire(self, host)
        if slot is not None and host == busy.hostport:
            started.set()
        return slot

    settle = planning._settle
    waited: list[bool] = []

    def settle_after_the_first_request(plan, run, module, ident, target, *args):
        if target.url.startswith(other.base) and not waited:
            waited.append(started.wait(30))  # a failure detector, not a timing: set at once if it works
        return settle(plan, run, module, ident, target, *args)

    monkeypatch.setattr(Politeness, "acquire", acquire_and_tell)
    monkeypatch.setattr(planning, "_settle", settle_after_the_first_request)
    urls = [f"{other.base}/ok/{i}" for i in range(3)] + [f"{busy.base}/ok/{i}" for i in range(12)]
    settings = make_settings(hosts={busy.hostport: HostLimit(2, 0.0), other.hostport: HostLimit(2, 0.0)})
    results = check_links([LinkTarget(u, [1]) for u in urls], settings, cache_path=None, allow_private=True)
    assert waited == [True]
    assert all(r.verdict == "ok" for r in results) and len(results) == 15
