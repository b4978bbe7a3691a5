"""`listkeeper links` body: formats, exit codes, sharding by host and merging shard reports."""

from __future__ import annotations

import argparse
import io
import json

import pytest

from bot.config import Config
from bot.errors import ConfigError
from bot.links import HostLimit, LinksSettings
from bot.links.command import add_arguments, run
from bot.links.settings import validate_section
from bot.parse import parse_document
from tests.links.linkfarm import make_settings


def parse(*argv):
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    return parser.parse_args(list(argv))


CONFIG = Config.from_text("extends: default\n", "rules.yaml")


def doc(lines: dict[int, str], path: str = "README.md"):
    """A list whose line N holds the given link."""
    text = "".join(f"- [Paper {n}]({lines[n]}) title\n" if n in lines else "\n"
                   for n in range(1, max(lines) + 1))
    return parse_document(text, path)


def test_json_output_and_exit_code(farm):
    docs = [doc({3: f"{farm.base}/ok", 5: f"{farm.base}/status/404", 9: f"{farm.base}/ok"})]
    out, err = io.StringIO(), io.StringIO()
    code = run(parse("--format", "json", "--no-cache", "--allow-private"), docs, CONFIG, make_settings(farm),
               stdout=out, stderr=err)
    assert code == 1
    payload = json.loads(out.getvalue())
    links = {item["url"]: item for item in payload["links"]}
    assert len(payload["links"]) == 2
    ok = links[f"{farm.base}/ok"]
    for key in ("url", "lines", "verdict", "status", "final_url", "error", "first_broken", "failures"):
        assert key in ok
    assert ok["lines"] == [3, 9]
    assert links[f"{farm.base}/status/404"]["verdict"] == "broken"
    assert payload["summary"]["broken"] == 1 and payload["summary"]["total"] == 2
    assert [(f["line"], f["column"], f["level"]) for f in payload["findings"]] == [(5, 13, "error")]
    assert "links:" in err.getvalue()  # plain progress lines, stderr is not a tty


def test_text_and_markdown_render_the_rules_findings(farm, tmp_path):
    docs = [doc({1: f"{farm.base}/ok", 2: f"{farm.base}/redirect/301/1"})]
    out = io.StringIO()
    code = run(parse("--cache", str(tmp_path / "c.sqlite"), "--allow-private"), docs, CONFIG,
               make_settings(farm), stdout=out, stderr=io.StringIO())
    assert code == 0
    assert (f"README.md:2:13: warning {farm.base}/redirect/301/1 moved permanently to {farm.base}/ok/final "
            "(broken-link) [fixable]") in out.getvalue()
    out = io.StringIO()
    run(parse("--format", "markdown", "--no-cache", "--allow-private"), docs, CONFIG, make_settings(farm),
        stdout=out, stderr=io.StringIO())
    assert "| README.md:2 | warning |" in out.getvalue()


def test_a_failure_on_a_first_run_is_listed_unconfirmed_not_broken(farm, tmp_path):
    docs = [doc({1: f"{farm.base}/status/404"})]
    out = io.StringIO()
    code = run(parse("--cache", str(tmp_path / "c.sqlite"), "--allow-private"), docs, CONFIG,
               make_settings(farm), stdout=out, stderr=io.StringIO())
    assert code == 0
    assert f"README.md:1: {farm.base}/status/404: unconfirmed, checked again next run (HTTP 404)" \
        in out.getvalue()


def test_shards_balance_expected_cost_and_merge_back(farm_factory, tmp_path):
    """One big host and many small ones: a 3-way split puts the big host alone, not a third of
    the hosts in each shard whatever their size (was 3, 228 and 252 URLs)."""
    farms = [farm_factory(f"127.0.0.{i}") for i in range(2, 9)]
    lines = {}
    for j in range(24):
        lines[len(lines) + 1] = f"{farms[0].base}/ok/{j}"
    for i, f in enumerate(farms[1:]):
        for j in range(4):
            lines[len(lines) + 1] = f"{f.base}/ok/{i}-{j}"
    lines[len(lines) + 1] = f"{farms[1].base}/status/404"
    docs = [doc(lines)]
    paths, sizes, seen = [], [], set()
    for k in (1, 2, 3):
        out = io.StringIO()
        run(parse("--shard", f"{k}/3", "--format", "json", "--no-cache", "--allow-private"), docs, CONFIG,
            make_settings(), stdout=out, stderr=io.StringIO())
        urls = {item["url"] for item in json.loads(out.getvalue())["links"]}
        assert not urls & seen
        seen |= urls
        sizes.append(len(urls))
        path = tmp_path / f"shard-{k}.json"
        path.write_text(out.getvalue())
        paths.append(str(path))
    assert len(seen) == 24 + 6 * 4 + 1
    assert sorted(sizes) == [12, 13, 24]  # the big host alone; three small hosts in each other shard
    out = io.StringIO()
    code = run(parse("--merge", *paths, "--format", "json"), docs, CONFIG, make_settings(), stdout=out)
    merged = json.loads(out.getvalue())
    assert code == 1
    assert merged["summary"]["total"] == 49 and merged["summary"]["broken"] == 1
    assert {item["url"] for item in merged["links"]} == seen


def test_a_host_never_splits_across_shards():
    from bot.links.checker import shard_buckets

    costs = {("pages", "big"): 10.0, ("pages", "a"): 3.0, ("pages", "b"): 3.0, ("pages", "c"): 2.0,
             ("pages", "d"): 2.0, ("arxiv", "export.arxiv.org"): 6.0, ("pages", "cached"): 0.0}
    shards = shard_buckets(costs, 3)
    load = {k: sum(c for b, c in costs.items() if shards[b] == k) for k in (1, 2, 3)}
    assert sorted(load.values()) == [8.0, 8.0, 10.0]
    assert shard_buckets(costs, 3) == shards  # the same on every shard's machine


def test_shard_argument_validation():
    with pytest.raises(SystemExit):
        parse("--shard", "4/3")
    assert parse("--shard", "2/3").shard == (2, 3)


def test_settings_from_mapping():
    s = LinksSettings.from_mapping({"hosts": {"arxiv.org": {"concurrency": 1, "min_interval": 3}},
                                    "default_host": {"concurrency": 8}, "retries": 2, "timeout_read": 4,
                                    "exclude": ["^https://example"]})
    assert s.hosts["arxiv.org"] == HostLimit(1, 3.0)
    assert s.default_host.concurrency == 8 and s.retries == 2 and s.timeout_read == 4.0
    assert s.limit_for("arxiv.org:443") == HostLimit(1, 3.0)
    assert s.limit_for("other:80") == s.default_host
    assert "listkeeper" in s.user_agent
    with pytest.raises(ConfigError) as info:
        LinksSettings.from_mapping({"hosts": {"arxiv.org": {"concurrency": "two"}}}, "rules.yaml")
    assert info.value.key == "links.hosts.arxiv.org.concurrency"
    with pytest.raises(ConfigError) as info:
        LinksSettings.from_mapping({"retires": 3})
    assert info.value.key == "links.retires"
    with pytest.raises(ConfigError):
        LinksSettings.from_mapping({"exclude": ["("]})
    with pytest.raises(ConfigError) as info:
        validate_section({"hosts": {"x": {"speed": 1}}}, "rules.yaml", {"links.hosts.x": 7})
    assert info.value.line == 7
