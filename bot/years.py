"""The year of a paper: from its venue label, its venue link, or its arXiv ID."""

from __future__ import annotations

import re

from . import ids
from .model import Entry

# proceedings.mlr.press volume -> year (ICML, AISTATS, CoRL, COLT, UAI, ACML, L4DC, CLeaR, LoG)
PMLR_VOLUMES = {
    28: 2013, 32: 2014, 37: 2015, 48: 2016, 70: 2017, 80: 2018, 97: 2019, 119: 2020, 139: 2021,
    162: 2022, 202: 2023, 235: 2024, 267: 2025,  # ICML
    54: 2017, 84: 2018, 89: 2019, 108: 2020, 130: 2021, 151: 2022, 206: 2023, 238: 2024,  # AISTATS
    78: 2017, 87: 2018, 100: 2019, 155: 2020, 164: 2021, 205: 2022, 229: 2023, 270: 2024,  # CoRL
    65: 2017, 75: 2018, 99: 2019, 125: 2020, 134: 2021, 178: 2022, 195: 2023, 247: 2024,  # COLT
    115: 2019, 124: 2020, 161: 2021, 180: 2022, 216: 2023, 244: 2024,  # UAI
    198: 2022, 231: 2023,  # LoG
}

_LABEL_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)|[’'`](\d{2})\b")
_URL_YEARS = (
    re.compile(r"aclanthology\.org/(?:anthology/)?(\d{4})\.[a-z]", re.I),
    re.compile(r"/virtual/(\d{4})/", re.I),  # nips.cc, neurips.cc, icml.cc, iclr.cc
    re.compile(r"/Conferences/(\d{4})/", re.I),
    re.compile(r"openaccess\.thecvf\.com/content/[A-Za-z]+(\d{4})", re.I),
    re.compile(r"openaccess\.thecvf\.com/content_[A-Za-z]+_(\d{4})", re.I),
    re.compile(r"ijcai\.org/proceedings/(\d{4})/", re.I),
    re.compile(r"ecva\.net/papers/eccv_(\d{4})/", re.I),
    re.compile(r"(?:papers\.nips\.cc|proceedings\.neurips\.cc)/paper(?:_files/paper)?/(\d{4})/",
               re.I),
    re.compile(r"(?:nips|neurips|icml|iclr)\.cc/(\d{4})/", re.I),
)
_ACL_OLD = re.compile(r"(?:aclanthology\.org|aclweb\.org/anthology)/([A-Z])(\d{2})-\d{4}", re.I)
_PMLR = re.compile(r"proceedings\.mlr\.press/v(\d+)/", re.I)


def label_year(label: str | None) -> int | None:
    """A year written in a venue label: ``ICLR 2024``, ``NeurIPS'23``, ``CVPR2023``."""
    if not label:
        return None
    for m in _LABEL_YEAR.finditer(label):
        if m.group(1):
            return int(m.group(1))
        return 2000 + int(m.group(2))
    return None


def url_year(url: str | None) -> int | None:
    """The publication year a known proceedings URL encodes, or None."""
    if not url or "://" not in url:
        return None
    host = url.strip().split("://", 1)[1].split("/", 1)[0].lower()
    if not host or host.endswith("arxiv.org"):
        return None
    for pattern in _URL_YEARS:
        m = pattern.search(url)
        if m:
            year = int(m.group(1))
            return year if 1980 <= year <= 2100 else None
    m = _ACL_OLD.search(url)
    if m:
        return 2000 + int(m.group(2)) if int(m.group(2)) < 80 else 1900 + int(m.group(2))
    m = _PMLR.search(url)
    if m:
        return PMLR_VOLUMES.get(int(m.group(1)))
    return None


def arxiv_year(identifier: str | None) -> int | None:
    """The year of an arXiv ID (``2402.04291`` -> 2024)."""
    if not identifier:
        return None
    yymm = ids.arxiv_yymm(identifier)
    return yymm[0] if yymm else None


def venue_year(entry: Entry) -> tuple[int, str] | None:
    """The publication year of an entry and where it came from (label, then venue link)."""
    year = label_year(entry.venue)
    if year:
        return year, "label"
    venue_url = entry.venue_link.url if entry.venue_link else None
    for url in (venue_url, entry.paper_url):
        year = url_year(url)
        if year:
            return year, "link"
        if entry.paper_url == venue_url:
            break  # most venue links are the paper link: one read
    return None


def paper_year(entry: Entry) -> int | None:
    """The best year the entry itself gives: its label or venue link, its arXiv ID, then a year
    written in its text."""
    found = venue_year(entry)
    if found:
        return found[0]
    return arxiv_year(entry.arxiv_id) or entry.year
