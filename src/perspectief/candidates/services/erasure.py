"""Erasure on request (AVG art. 17): the person's record is anonymised, unless a legal task
still requires the data. What other apps hold about the person is cleared by label through
the app registry (this app imports none of them); the dated facts the monitoring counts stay,
without words."""

from __future__ import annotations

from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from perspectief.audit import access
from perspectief.audit import services as audit
from perspectief.audit.constants import Operation, ProcessingActivity
from perspectief.audit.models import AuditEvent
from perspectief.core.authz import Actor, Permission
from perspectief.core.exceptions import NotFoundError, PermissionDeniedError

from ..completeness import completeness_of
from ..constants import DuplicateStatus, JourneyStatus, LegalBasis
from ..models import (
    Candidate,
    CandidateOrganisation,
    CandidateTargetGroup,
    Consent,
    DuplicatePair,
    HealthInformation,
    JourneyTransition,
    ProfileCorrection,
)
from ..selectors.people import serves
from .people import REDACTED


class RetentionDutyError(ValidationError):
    """Erasure is refused while a legal task requires keeping the data."""


@transaction.atomic
def candidate_erase(*, actor: Actor, candidate: Candidate) -> Candidate:
    """Anonymise the person on request, unless a legal task still requires the data: while
    a gemeente or UWV serves the person on its legal task and the person has not left the
    programme, the data must be kept (the request is refused with that reason)."""
    if not actor.has_perm(Permission.MANAGE_CANDIDATES):
        raise PermissionDeniedError()
    if not serves(actor, candidate):
        raise NotFoundError(_("Job seeker not found."))
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    _refuse_during_legal_task(candidate)
    records = [candidate, *Candidate.objects.filter(merged_into=candidate)]
    ids = [c.pk for c in records]
    _clear_own_records(actor, ids)
    _clear_other_apps(ids)
    _close_duplicates(actor, ids)
    _redact_audit(records)
    for merged in records[1:]:
        _anonymise(merged, actor)
    _anonymise(candidate, actor)
    audit.record("candidate.anonymised", actor=actor, target=candidate)
    access.record_candidate(actor, candidate, ProcessingActivity.CANDIDATE_ERASE, Operation.DELETE)
    return candidate


def _refuse_during_legal_task(candidate: Candidate) -> None:
    """A gemeente or UWV that serves the person on its legal task must keep the data until
    the person has left the programme: refuse, naming who."""
    legal = candidate.servings.filter(
        is_active=True, legal_basis__in=[LegalBasis.PARTICIPATIEWET, LegalBasis.SUWI]
    ).select_related("organisation")
    if candidate.status != JourneyStatus.LEFT and legal.exists():
        names = ", ".join(s.organisation.name for s in legal)
        raise RetentionDutyError(
            _(
                "Not erased: %(orgs)s must keep these data for its legal task while the "
                "person takes part. Set the status to “left the programme” first."
            )
            % {"orgs": names}
        )


def _clear_own_records(actor: Actor, ids: list[int]) -> None:
    """This app's records of the person (and of records merged into them): health data,
    proposed corrections and target groups go, consents end, the journey keeps its dates
    without reasons, the servings end without their client numbers (so a later import
    never matches them)."""
    HealthInformation.objects.filter(candidate_id__in=ids).delete()
    ProfileCorrection.objects.filter(candidate_id__in=ids).delete()
    Consent.objects.filter(candidate_id__in=ids, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=actor.user
    )
    CandidateTargetGroup.objects.filter(candidate_id__in=ids).delete()
    JourneyTransition.objects.filter(candidate_id__in=ids).update(reason="")
    CandidateOrganisation.objects.filter(candidate_id__in=ids).update(reference="", is_active=False)


def _clear_other_apps(ids: list[int]) -> None:
    """What employers and other partners held of the person: proposals (with employers'
    notes), cohort places (with preparation notes), the employers' pseudonyms, the notes
    between partners and the person's messages go. The
    route with its steps goes; what counts for the monitoring stays without words: the
    support plans' outcome, not the reasons or check-in notes."""
    for label in ("matching.Proposal", "vacancies.CohortMember", "matching.EmployerPseudonym"):
        django_apps.get_model(label).objects.filter(candidate_id__in=ids).delete()
    django_apps.get_model("routes.Route").objects.filter(candidate_id__in=ids).delete()
    # Notes between partners about the person and the person's messages go with their words.
    django_apps.get_model("conversations.Note").objects.filter(person_id__in=ids).delete()
    django_apps.get_model("conversations.Conversation").objects.filter(person_id__in=ids).delete()
    django_apps.get_model("routes.CheckIn").objects.filter(plan__candidate_id__in=ids).update(
        note=""
    )
    django_apps.get_model("routes.SupportPlan").objects.filter(candidate_id__in=ids).update(
        drop_out_reason="", jobcoach=None
    )
    django_apps.get_model("routes.WorkConfirmation").objects.filter(
        plan__candidate_id__in=ids
    ).update(note="")
    django_apps.get_model("matching.OutsideHire").objects.filter(candidate_id__in=ids).update(
        note=""
    )


def _close_duplicates(actor: Actor, ids: list[int]) -> None:
    """Open duplicate pairs with the person are decided: kept apart (nobody is left to merge)."""
    DuplicatePair.objects.filter(
        models.Q(first_id__in=ids) | models.Q(second_id__in=ids), status=DuplicateStatus.OPEN
    ).update(status=DuplicateStatus.KEPT_APART, decided_by=actor.user, decided_at=timezone.now())


def _redact_audit(records: list[Candidate]) -> None:
    """Earlier audit entries keep which fields changed, not the values."""
    for event in AuditEvent.objects.filter(target_id__in=[str(c.uuid) for c in records]):
        event.changes = {key: [REDACTED, REDACTED] for key in event.changes}
        event.save(update_fields=["changes"])


def _anonymise(candidate: Candidate, actor: Actor) -> None:
    candidate.first_name, candidate.last_name = "—", "—"
    candidate.date_of_birth = None
    candidate.email = candidate.phone = candidate.work_experience = ""
    candidate.postcode = None
    candidate.bsn_encrypted, candidate.bsn_index = "", None
    candidate.user = None
    candidate.anonymised_at = timezone.now()
    candidate.completeness = completeness_of(candidate)
    candidate.save()
