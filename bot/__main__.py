"""``python -m bot`` runs the listkeeper command."""

from .cli import run

run()
