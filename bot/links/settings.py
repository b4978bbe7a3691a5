"""Settings of the link checker: the validated `links:` mapping of rules.yaml."""

from __future__ import annotations

from dataclasses import dataclass, field, fields

from bot.validate import Checker, Fields, ListOf, MapOf, Number, Regex

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
    # paper lookups (the published rule, `listkeeper add`)
    semantic_scholar_api: str = "https://api.semanticscholar.org/graph/v1/paper/batch"
    semantic_scholar_batch: int = 500  # ids per request: the batch endpoint's maximum
    semantic_scholar_interval: float = 1.0  # an API key's introductory rate: 1 request a second
    dblp_api: str = "https://dblp.org/search/publ/api"
    dblp_interval: float = 2.0       # DBLP: "waiting for at least one or two second" (its FAQ)
    openreview_api: str = "https://api2.openreview.net/notes"
    paper_max_age_days: float = 28   # ask again about a paper not found published after this long

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
    def from_mapping(cls, data: dict | None, path: str = "rules.yaml",
                     lines: dict[str, int] | None = None) -> LinksSettings:
        """Validate the `links:` mapping (bot.validate: the checks and messages of every
        rules.yaml section); unknown keys, wrong types, negative or infinite numbers raise
        ConfigError."""
        if data is None:
            return cls()
        values = Checker(path, lines).mapping(data, _SPEC, "links")
        if "default_host" in values:
            values["default_host"] = HostLimit(**values["default_host"])
        if "hosts" in values:
            values["hosts"] = {host: HostLimit(**limit) for host, limit in values["hosts"].items()}
        return cls(**values)


_HOST = Fields({"concurrency": Number(int, 1, 10_000), "min_interval": float})
_KINDS = {"float": float, "int": int, "str": str, "list[str]": ListOf(str), "HostLimit": _HOST,
          "dict[str, HostLimit]": MapOf(_HOST)}
# the declared type of each field, not its default's: `timeout_connect: float = 5` takes 1.5
_SPEC = {f.name: ListOf(Regex) if f.name == "exclude" else _KINDS[str(f.type)]
         for f in fields(LinksSettings)}
# the services' documented maxima: arXiv's API answers at most 2000 results a call (its user
# manual), GraphQL's nodes(ids:) takes at most 100 ids, Semantic Scholar's batch endpoint 500
_SPEC.update({"arxiv_batch": Number(int, 1, 2000), "github_batch": Number(int, 1, 100),
              "semantic_scholar_batch": Number(int, 1, 500)})


def validate_section(data: dict, path: str, lines: dict[str, int] | None = None) -> None:
    """bot.config's hook: raise ConfigError (with the line of the offending key) for a bad `links:`."""
    LinksSettings.from_mapping(data, path, lines)
