"""Fixtures for the link checker tests: the misbehaving local servers live in linkfarm.py."""

from __future__ import annotations

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(os.path.dirname(HERE)))
sys.path.insert(0, HERE)

from linkfarm import closed_port, farm, farm_factory, hanging  # noqa: F401
