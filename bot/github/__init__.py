"""Thin GitHub layer: fetch what the engine needs, turn findings into GitHub objects, post them.

Nothing here decides what is wrong; PyGithub is imported lazily inside functions so that
importing the CLI stays cheap.
"""
