"""Settings of the link checker: the validated `links:` mapping of rules.yaml."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from bot.errors import ConfigError

VERSION = "0.1"
PROJECT_URL = "https://github.com/listkeeper/listkeeper"
USER_AGENT = f"listkeeper-linkcheck/{VERSION} (+{PROJECT_URL})"

DEFAULT_BLOCKING_HOSTS = ["www.researchgate.net", "researchgate.net", "dl.acm.org",
                          "www.sciencedirect.com", "ieeexplore.ieee.org"]


# services that shut down and now send every link elsewhere (Papers with Code -> Hugging Face)
DEFAULT_DEAD_HOSTS = ["paperswithcode.com", "www.paperswithcode.com"]


@dataclass
class HostLimit:
    """Politeness limits for one host: parallel requests and seconds between request starts."""

    concurrency: int = 4
    min_interval: float = 0.0


@dataclass
class LinksSettings:
    """Everything the link checker can be told; endpoints are configurable so tests stay local."""

    default_host: HostLimit = field(default_factory=HostLimit)
    hosts: dict[str, HostLimit] = field(default_factory=dict)
    timeout_connect: float = 5
    timeout_read: float = 10
    retries: int = 3
    max_redirects: int = 10
    max_retry_wait: float = 60
    backoff_base: float = 1.0
    max_body: int = 64 * 1024
    max_workers: int = 64
    max_age_days: float = 3
    flap_runs: int = 2
    flap_days: float = 3
    exclude: list[str] = field(default_factory=list)
    arxiv_api: str = "https://export.arxiv.org/api/query"
    arxiv_interval: float = 3.0
    arxiv_batch: int = 100
    github_api: str = "https://api.github.com/graphql"
    github_batch: int = 100
    github_web: str = "https://github.com"
    doi_api: str = "https://doi.org/api/handles/"
    cache: str = ".listkeeper/links.sqlite"
    blocking_hosts: list[str] = field(default_factory=lambda: list(DEFAULT_BLOCKING_HOSTS))
    user_agent: str = USER_AGENT
    progress_interval: float = 5.0
    max_host_concurrency: int = 8    # how far a host without a stated limit may grow (AIMD)
    max_refusals: int = 10           # refusals in a row before a host is given up for the run
    host_budget: float = 900.0       # seconds of requests one host may take in a run
    request_deadline: float = 30.0   # connect + headers + body of one request
    arxiv_margin: float = 0.25       # added to arxiv_interval: their limiter measures arrivals
    dead_hosts: list[str] = field(default_factory=lambda: list(DEFAULT_DEAD_HOSTS))
    soft_404_group: int = 3          # this many deep links of a host leading to one page: soft 404s
    cache_timeout: float = 10.0      # seconds to wait for a locked history database

    def stated_limit(self, host: str) -> HostLimit | None:
        """The limit `hosts:` states for "name:port", else for "name", else None."""
        if host in self.hosts:
            return self.hosts[host]
        name, sep, port = host.rpartition(":")
        if sep and port.isdigit() and name:
            return self.hosts.get(name)
        return None

    def limit_for(self, host: str) -> HostLimit:
        """The stated limit of a host, else the default."""
        return self.stated_limit(host) or self.default_host

    @classmethod
    def from_mapping(cls, data: dict | None, path: str = "rules.yaml") -> LinksSettings:
        """Validate the `links:` mapping; unknown keys and wrong types raise ConfigError."""
        if data is None:
            return cls()
        if not isinstance(data, dict):
            raise ConfigError("links: expected a mapping", path=path, key="links")
        known = {f.name: f for f in fields(cls)}
        values: dict[str, Any] = {}
        for key, value in data.items():
            dotted = f"links.{key}"
            if key not in known:
                raise ConfigError(f"unknown option {dotted!r}", path=path, key=dotted)
            if key == "default_host":
                values[key] = _host_limit(value, path, dotted)
            elif key == "hosts":
                if not isinstance(value, dict):
                    raise ConfigError(f"{dotted}: expected a mapping of host names", path=path, key=dotted)
                values[key] = {str(h): _host_limit(v, path, f"{dotted}.{h}") for h, v in value.items()}
            elif key in ("exclude", "blocking_hosts", "dead_hosts"):
                if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                    raise ConfigError(f"{dotted}: expected a list of strings", path=path, key=dotted)
                if key == "exclude":
                    _check_regexes(value, path, dotted)
                values[key] = list(value)
            else:
                # the declared type, not the default's: `timeout_connect: float = 5` takes 1.5
                declared = {f.name: f.type for f in fields(cls)}[key]
                values[key] = _scalar(value, _SCALARS[str(declared)], path, dotted)
        return cls(**values)


def validate_section(data: dict, path: str, lines: dict[str, int] | None = None) -> None:
    """bot.config's hook: raise ConfigError (with the line of the offending key) for a bad `links:`."""
    try:
        LinksSettings.from_mapping(data, path)
    except ConfigError as exc:
        key = exc.key or "links"
        while key and exc.line is None:
            exc.line = (lines or {}).get(key)
            key = key.rpartition(".")[0]
        raise


_SCALARS = {"float": float, "int": int, "str": str}


def _scalar(value: Any, kind: type, path: str, key: str) -> Any:
    if kind is float and isinstance(value, (int, float)) and not isinstance(value, bool):
        if value < 0:
            raise ConfigError(f"{key}: must not be negative", path=path, key=key)
        return float(value)
    if kind is int and isinstance(value, int) and not isinstance(value, bool):
        if value < 0:
            raise ConfigError(f"{key}: must not be negative", path=path, key=key)
        return value
    if kind is str and isinstance(value, str):
        return value
    raise ConfigError(f"{key}: expected {kind.__name__}, got {type(value).__name__}", path=path, key=key)


def _host_limit(value: Any, path: str, key: str) -> HostLimit:
    if not isinstance(value, dict):
        raise ConfigError(f"{key}: expected a mapping with concurrency/min_interval", path=path, key=key)
    out = HostLimit()
    for name, item in value.items():
        sub = f"{key}.{name}"
        if name == "concurrency":
            out.concurrency = _scalar(item, int, path, sub)
            if out.concurrency < 1:
                raise ConfigError(f"{sub}: must be at least 1", path=path, key=sub)
        elif name == "min_interval":
            out.min_interval = _scalar(item, float, path, sub)
        else:
            raise ConfigError(f"unknown option {sub!r}", path=path, key=sub)
    return out


def _check_regexes(patterns: list[str], path: str, key: str) -> None:
    import re

    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ConfigError(f"{key}: bad regex {pattern!r}: {exc}", path=path, key=key) from None
