"""Organisations a job seeker may exchange messages with besides those serving them.

A conversation is between the person and one organisation that serves them (an active
``CandidateOrganisation``). Some organisations help the person without serving them: the
jobcoach of an organisation that supports the person at work (``routes``, a layer above
this app). Such a higher app registers a :class:`Partner` in ``PARTNERS`` from its
``AppConfig.ready()``; this app then treats those organisations like serving ones **for
messages only**: the person can write to them, their staff read and answer, and the inbox
and the e-mail find them. Notes and the person's page keep to ``Candidate.visible_to``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import models

from perspectief.accounts.models import Membership
from perspectief.candidates.models import Candidate
from perspectief.core.authz import Actor
from perspectief.core.contributions import Contributions
from perspectief.organisations.models import Organisation


@dataclass(frozen=True)
class Partner:
    """One kind of organisation a person may message besides those serving them.

    - ``organisations(person)``: the organisations (a queryset of ``Organisation``) the
      person may write to now;
    - ``people(actor)``: the ids of the people (a queryset of ``values()``, used as a
      subquery) whose conversation with the actor's organisation the actor reads and
      answers; empty for an actor who may not;
    - ``waiting(actor)``: the ids of those people whose unread messages wait in the actor's
      inbox (a part of ``people``), by the same rule as ``recipients``;
    - ``recipients(person, organisation)``: the memberships told of a message from the
      person;
    - ``urls(organisation, people)``: where the organisation's staff read each person's
      conversation, by person id (a uuid in the path, never a name);
    - ``activity``: the processing activity of the organisation's staff reading and writing
      (the access log).
    """

    organisations: Callable[[Candidate], models.QuerySet]
    people: Callable[[Actor], models.QuerySet]
    waiting: Callable[[Actor], models.QuerySet]
    recipients: Callable[[Candidate, Organisation], Iterable[Membership]]
    urls: Callable[[Organisation, list[Candidate]], dict[int, str]]
    activity: str


PARTNERS = Contributions[Partner]("organisations the person may message besides those serving them")

NOBODY = models.Q(pk__in=[])


def partner_organisations(candidate: Candidate) -> models.Q:
    """Organisations (as a filter on ``Organisation``) the person may write to besides those
    serving them."""
    rule = NOBODY
    for partner in PARTNERS:
        rule |= models.Q(pk__in=partner.organisations(candidate).values("pk"))
    return rule


def partnered(actor: Actor, field: str = "person_id") -> models.Q:
    """The people (``field`` leads to the person's id) whose conversation with the actor's
    organisation the actor reads and answers as a partner."""
    rule = NOBODY
    for partner in PARTNERS:
        rule |= models.Q(**{f"{field}__in": partner.people(actor)})
    return rule


def partner_waiting(actor: Actor, field: str = "person_id") -> models.Q:
    """The people whose unread messages to the actor's partner organisation wait for the
    actor."""
    rule = NOBODY
    for partner in PARTNERS:
        rule |= models.Q(**{f"{field}__in": partner.waiting(actor)})
    return rule


def partner_of(candidate: Candidate, organisation: Organisation) -> Partner | None:
    """The partner rule by which the organisation may message the person now, if any."""
    for partner in PARTNERS:
        if partner.organisations(candidate).filter(pk=organisation.pk).exists():
            return partner
    return None


def partner_urls(organisation: Organisation, people: list[Candidate]) -> dict[int, str]:
    """Where the organisation's staff read the conversations with ``people`` as a partner."""
    urls: dict[int, str] = {}
    for partner in reversed(list(PARTNERS)):
        urls.update(partner.urls(organisation, people))
    return urls
