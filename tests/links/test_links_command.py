"""`listkeeper links` body: formats, exit codes, sharding by host and merging shard reports."""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys

import pytest

from bot.errors import ConfigError
from bot.links import HostLimit, LinksSettings, LinkTarget
from bot.links.command import add_arguments, run, shard_of
from bot.links.settings import validate_section
from tests.links.linkfarm import make_settings


def parse(*argv):
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    return parser.parse_args(list(argv))


def test_json_output_and_exit_code(farm):
    targets = {"README.md": [LinkTarget(f"{farm.base}/ok", [3], "T"), LinkTarget(f"{farm.base}/status/404", [5]),
                             LinkTarget(f"{farm.base}/ok", [9])]}
    out, err = io.StringIO(), io.StringIO()
    code = run(parse("--format", "json", "--no-cache", "--allow-private"), targets, make_settings(farm),
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
    assert "links:" in err.getvalue()  # plain progress lines, stderr is not a tty


def test_text_and_markdown(farm, tmp_path):
    targets = {"README.md": [LinkTarget(f"{farm.base}/ok", [1]), LinkTarget(f"{farm.base}/redirect/301/1", [2])]}
    out = io.StringIO()
    code = run(parse("--cache", str(tmp_path / "c.sqlite"), "--allow-private"), targets, make_settings(farm),
               stdout=out, stderr=io.StringIO())
    assert code == 0
    assert f"README.md:2: {farm.base}/redirect/301/1: redirect -> {farm.base}/ok/final" in out.getvalue()
    out = io.StringIO()
    run(parse("--format", "markdown", "--no-cache", "--allow-private"), targets, make_settings(farm),
        stdout=out, stderr=io.StringIO())
    assert "| README.md:2 |" in out.getvalue()


def test_shards_are_deterministic_by_host_and_merge_back(farm_factory, tmp_path):
    farms = [farm_factory(f"127.0.0.{i}") for i in range(2, 8)]
    targets = {"README.md": [LinkTarget(f"{f.base}/ok/{j}", [10 * i + j]) for i, f in enumerate(farms)
                             for j in range(3)] + [LinkTarget(f"{farms[0].base}/status/404", [99])]}
    assert shard_of(f"{farms[0].base}/a", 3) == shard_of(f"{farms[0].base}/b", 3)
    # a fixed host always lands in the same shard (CRC-32, not Python's salted hash)
    assert shard_of("https://arxiv.org/abs/1", 4) == shard_of("https://arxiv.org/pdf/2", 4) == 3
    code = "from bot.links.command import shard_of; print(shard_of('https://github.com/a/b', 7))"
    seen_in = {subprocess.run([sys.executable, "-c", code], env={**os.environ, "PYTHONHASHSEED": seed},
                              capture_output=True, text=True, check=True,
                              cwd=os.path.dirname(os.path.dirname(os.path.dirname(__file__)))).stdout
               for seed in ("1", "2")}
    assert seen_in == {f"{shard_of('https://github.com/a/b', 7)}\n"}
    paths, seen = [], set()
    for k in (1, 2, 3):
        out = io.StringIO()
        run(parse("--shard", f"{k}/3", "--format", "json", "--no-cache", "--allow-private"), targets,
            make_settings(), stdout=out, stderr=io.StringIO())
        urls = {item["url"] for item in json.loads(out.getvalue())["links"]}
        assert not urls & seen
        seen |= urls
        path = tmp_path / f"shard-{k}.json"
        path.write_text(out.getvalue())
        paths.append(str(path))
    assert len(seen) == 19
    out = io.StringIO()
    code = run(parse("--merge", *paths, "--format", "json"), {}, make_settings(), stdout=out)
    merged = json.loads(out.getvalue())
    assert code == 1
    assert merged["summary"]["total"] == 19 and merged["summary"]["broken"] == 1
    assert {item["url"] for item in merged["links"]} == seen


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
