"""listkeeper: checks and fixes for awesome lists of research papers."""

__version__ = "0.1.0"
