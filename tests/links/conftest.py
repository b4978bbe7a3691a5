"""Fixtures for the link checker tests: the misbehaving local servers live in linkfarm.py."""

from __future__ import annotations

from tests.links.linkfarm import closed_port, farm, farm_factory, hanging, trickle  # noqa: F401
from tests.links.scholarfarm import scholar  # noqa: F401
