"""Whom matching tells that work waits, and where the link goes.

Each function is called inside the transaction of the action that causes it;
:func:`perspectief.notifications.services.notify` sends after the commit. A message names
nobody: it carries the kind and a link with UUIDs only, and the recipient sees on the linked
page what they may see there.

Recipients:

- **the employer**: the active memberships in role *werkgever* of the employer's
  organisation, linked to the employer's page of the place (``#proposal-<uuid>``); only
  for a proposal the employer may see (:func:`~..selectors.proposals.proposals_for_employer`);
- **the proposer**: the adviser who made the proposal, in the organisation they made it
  for (when that membership has ended: the advisers of that organisation);
- **the person's klantmanager(s)**: the person's own klantmanager when one is named and
  still works for an organisation that serves the person, otherwise the klantmanagers and
  intermediaries of every organisation that serves the person.

Advisers are linked to the person's page (``#proposals``), where the proposal is acted on.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse

from perspectief.accounts.models import Membership
from perspectief.accounts.selectors import members_of
from perspectief.candidates.models import Candidate
from perspectief.core.authz import Role
from perspectief.notifications.constants import Kind
from perspectief.notifications.services import notify
from perspectief.organisations.constants import OrganisationKind
from perspectief.organisations.models import Organisation

from ..constants import SERVING_ROLES
from ..models import MatchRun, Proposal
from ..selectors.proposals import proposals_for_employer

#: Roles that propose people (the fallback when the proposer's membership has ended).
PROPOSING_ROLES = (Role.ACCOUNTMANAGER, Role.KLANTMANAGER, Role.INTERMEDIARY)


def employer_url(proposal: Proposal) -> str:
    """The employer's page of the place, at this proposal."""
    url = reverse("employer:place", kwargs={"uuid": proposal.vacancy.uuid})
    return f"{url}#proposal-{proposal.uuid}"


def person_url(proposal: Proposal) -> str:
    """The person's page, at the proposals (where advisers act on them)."""
    return reverse("candidates:detail", kwargs={"uuid": proposal.candidate.uuid}) + "#proposals"


def employer_members(proposal: Proposal):
    return members_of(proposal.vacancy.employer.organisation, roles=[Role.EMPLOYER])


def proposer_members(proposal: Proposal) -> list[Membership]:
    """The adviser who proposed the person (none when the employer asked for them)."""
    organisation = proposal.proposed_for
    if organisation.kind == OrganisationKind.EMPLOYER:
        return []
    members = members_of(organisation, roles=PROPOSING_ROLES)
    if proposal.proposed_by_id is not None:
        own = list(members.filter(user_id=proposal.proposed_by_id))
        if own:
            return own
    return list(members)


def serving_members(candidate: Candidate) -> list[Membership]:
    """The person's klantmanager, or the advisers of the organisations serving them."""
    organisations = Organisation.objects.filter(
        pk__in=candidate.servings.filter(is_active=True).values("organisation_id")
    )
    everyone: list[Membership] = []
    for organisation in organisations:
        everyone.extend(members_of(organisation, roles=SERVING_ROLES))
    own = [m for m in everyone if m.user_id == candidate.klantmanager_id]
    return own or everyone


def _notify_advisers(kind: str, proposal: Proposal, memberships: Iterable[Membership]) -> None:
    notify(kind=kind, memberships=memberships, url=person_url(proposal))


def proposal_new(proposal: Proposal) -> None:
    """A person was proposed: the employer's users, once the employer may see it."""
    employer = proposal.vacancy.employer
    if proposals_for_employer(employer).filter(pk=proposal.pk).exists():
        notify(
            kind=Kind.PROPOSAL_NEW,
            memberships=employer_members(proposal),
            url=employer_url(proposal),
        )


def proposal_reminder(proposal: Proposal) -> None:
    """An unanswered proposal: the employer's users, while the employer may see it."""
    employer = proposal.vacancy.employer
    if proposals_for_employer(employer).filter(pk=proposal.pk).exists():
        notify(
            kind=Kind.PROPOSAL_REMINDER,
            memberships=employer_members(proposal),
            url=employer_url(proposal),
        )


def proposal_closing(proposal: Proposal) -> None:
    """A proposal closes soon without an answer: its proposer."""
    _notify_advisers(Kind.PROPOSAL_CLOSING, proposal, proposer_members(proposal))


def employer_answer(proposal: Proposal) -> None:
    """The employer answered, asked to meet the person, or recorded the outcome: the
    proposer and the person's klantmanager(s), each once."""
    memberships = {m.user_id: m for m in proposer_members(proposal)}
    memberships.update({m.user_id: m for m in serving_members(proposal.candidate)})
    _notify_advisers(Kind.EMPLOYER_ANSWER, proposal, memberships.values())


def run_finished(run: MatchRun) -> None:
    """A matching run finished: who started it and the region's account managers."""
    memberships = Membership.objects.active().filter(
        user__is_active=True,
        role=Role.ACCOUNTMANAGER,
        organisation__region_id=run.region_id,
    )
    starter = Membership.objects.active().filter(
        user_id=run.started_by_id, organisation_id=run.started_for_id, user__is_active=True
    )
    recipients = list(starter.select_related("user", "organisation")) + list(
        memberships.select_related("user", "organisation")
    )
    notify(
        kind=Kind.RUN_REVIEW,
        memberships=recipients,
        url=reverse("matching:run", kwargs={"uuid": run.uuid}),
    )
