"""Which kinds of person the access log knows, and who may inspect a person's log.

Apps register a resolver per subject type (accounts: users; candidates: job seekers). A
resolver answers whether the actor may see the person with that UUID, through that model's
``visible_to`` rule.
"""

from __future__ import annotations

from collections.abc import Callable

_RESOLVERS: dict[str, Callable[[object, str], bool]] = {}


def register(subject_type: str, is_visible: Callable[[object, str], bool]) -> None:
    _RESOLVERS[str(subject_type)] = is_visible


def resolve(actor, person_uuid: str) -> str | None:
    """The subject type of a person visible to the actor, or None (absent or not theirs)."""
    for subject_type, is_visible in _RESOLVERS.items():
        if is_visible(actor, person_uuid):
            return subject_type
    return None
