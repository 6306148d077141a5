"""Which kinds of person the access log knows, and who may inspect a person's log.

Apps register per subject type a resolver, which answers whether the actor may see the person
with that UUID through that model's ``visible_to`` rule, and optionally a describer (how the
inspection page names the person) and a finder (to find people by BSN, or by name and date of
birth, for a request for access).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from perspectief.core.authz import Actor


@dataclass(frozen=True)
class Person:
    """A person as the access-log pages name them: never with a BSN."""

    subject_type: str
    uuid: str
    name: str
    date_of_birth: date | None = None
    detail: str = ""


_RESOLVERS: dict[str, Callable[[object, str], bool]] = {}
_DESCRIBERS: dict[str, Callable[[object, str], Person | None]] = {}
_FINDERS: dict[str, Callable[..., list[Person]]] = {}


def register(
    subject_type: str,
    is_visible: Callable[[object, str], bool],
    *,
    describe: Callable[[object, str], Person | None] | None = None,
    find: Callable[..., list[Person]] | None = None,
) -> None:
    _RESOLVERS[str(subject_type)] = is_visible
    if describe is not None:
        _DESCRIBERS[str(subject_type)] = describe
    if find is not None:
        _FINDERS[str(subject_type)] = find


def resolve(actor: Actor, person_uuid: str) -> str | None:
    """The subject type of a person visible to the actor, or None (absent or not theirs)."""
    for subject_type, is_visible in _RESOLVERS.items():
        if is_visible(actor, person_uuid):
            return subject_type
    return None


def describe(actor: Actor, subject_type: str, person_uuid: str) -> Person | None:
    describer = _DESCRIBERS.get(str(subject_type))
    return describer(actor, person_uuid) if describer else None


def find(actor: Actor, *, bsn: str | None, last_name: str, first_name: str, date_of_birth) -> list:
    """People visible to the actor with this BSN (exact, through the blind index), or with
    this last name and date of birth (and first name, when given)."""
    found: list[Person] = []
    for finder in _FINDERS.values():
        found.extend(
            finder(
                actor,
                bsn=bsn,
                last_name=last_name,
                first_name=first_name,
                date_of_birth=date_of_birth,
            )
        )
    return found
