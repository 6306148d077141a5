"""Places where a higher app contributes to a lower app's page or process.

The layers point down: a person's page (``candidates``) may not import ``matching`` or
``routes``, yet it shows the person's proposals and routes. So the lower app declares a
:class:`Contributions` point ("the panels of a person's page", "the parts of a person's data
export", "what happens when a place closes") and the higher app registers what it adds in its
``AppConfig.ready()``. The lower app calls what is registered, in a fixed order, without
knowing who registered it. ``audit/subjects.py`` works the same way for the access log.

A :class:`Panel` is the common case: a block of a page with its own template and a function
that builds its context from the request, the actor and the page's object, or returns
``None`` when the block does not apply (the actor may not see it, or there is nothing to show).
Each panel keeps to the ``visible_to`` rules of what it shows: the page that renders it only
decides where it goes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

T = TypeVar("T")


class Contributions(Generic[T]):
    """An ordered, named set of contributions to one point of a lower app.

    ``register`` is idempotent per key (``ready()`` may run more than once in tests); the
    order is ``(order, key)``, so a page's panels stand in the same place every time.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self._items: dict[str, tuple[int, T]] = {}

    def register(self, key: str, item: T, *, order: int = 100) -> None:
        self._items[key] = (order, item)

    def __iter__(self) -> Iterator[T]:
        for _key, (_order, item) in sorted(self._items.items(), key=lambda kv: (kv[1][0], kv[0])):
            yield item

    def items(self) -> Iterator[tuple[str, T]]:
        for key, (_order, item) in sorted(self._items.items(), key=lambda kv: (kv[1][0], kv[0])):
            yield key, item

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"<Contributions {self.name}: {', '.join(key for key, _ in self.items())}>"


@dataclass(frozen=True)
class Panel:
    """A block on a page: ``context(request, **objects)`` returns the template's context,
    or ``None`` to leave the block out."""

    template: str
    context: Callable[..., dict[str, Any] | None]


def render_panels(
    panels: Contributions[Panel], request: HttpRequest, **objects: Any
) -> list[SafeString]:
    """The HTML of every panel that applies, in order (the page puts them in place)."""
    html = []
    for panel in panels:
        context = panel.context(request, **objects)
        if context is not None:
            # A rendered template is already safe HTML (autoescaped).
            html.append(render_to_string(panel.template, context, request))
    return html
