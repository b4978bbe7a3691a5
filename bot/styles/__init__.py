"""Entry styles: one reader per way paper lists write an entry, each in its own module.

A style module declares ``ID``, ``PRIORITY`` (readers are tried from the lowest), ``MULTILINE``
(whether its entries span lines by design), ``EXAMPLE`` (the shape, for docs and ``add``), and
two functions: ``claims(entry)``, true when the entry is written in this style, and
``read(entry)``, which fills the entry's venue, title and primary paper link, and
``format(paper, conventions)``, which writes a new entry in the style (``listkeeper add``;
``bot.styles._format`` has the two argument types). A new style is one new module in this
package; it is found by its file.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

from ..model import Entry


def _discover() -> list[ModuleType]:
    found = []
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_"):
            continue
        found.append(importlib.import_module(f"{__name__}.{info.name}"))
    return sorted(found, key=lambda m: (m.PRIORITY, m.ID))


READERS: list[ModuleType] = _discover()
STYLES: dict[str, ModuleType] = {m.ID: m for m in READERS}


def reader_for(entry: Entry) -> ModuleType:
    """The first style (by priority) that claims the entry; ``title-first`` claims anything."""
    for module in READERS:
        if module.claims(entry):
            return module
    return STYLES["title-first"]


def get(style_id: str) -> ModuleType:
    try:
        return STYLES[style_id]
    except KeyError:
        raise KeyError(f"unknown entry style '{style_id}' (known: {', '.join(STYLES)})") from None


def example(style_id: str) -> str:
    """The style's shape with placeholder words: ``[[Venue](url)] Title``."""
    return get(style_id).EXAMPLE.format(venue="Venue", url="url", title="Title", year="2024",
                                        name="Name", date="2023/05").replace("\n", " ")
