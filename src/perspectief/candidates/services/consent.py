"""The person's consent: given (by the person, or recorded by their klantmanager with how it
was given and the text shown), agreed to by the klantmanager (double opt-in), withdrawn."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from perspectief.audit import access
from perspectief.audit import services as audit
from perspectief.audit.constants import Operation, ProcessingActivity
from perspectief.core.authz import Actor, Permission
from perspectief.core.exceptions import NotFoundError

from .. import consent_statements
from ..constants import STAFF_CONSENT_METHODS, ConsentMethod, ConsentScope
from ..models import Candidate, Consent
from ..selectors.people import own_or_served, serves


@transaction.atomic
def consent_grant(
    *,
    actor: Actor,
    candidate: Candidate,
    method: str,
    statement_version: str,
    scope: str = ConsentScope.REGIONAL_PROFILE,
    employer=None,
) -> Consent:
    """The person gives consent: themself in their own account (method ``self``), or told to
    their klantmanager, who records how it was given (in person, by phone, in writing). Both
    name the version of the consent text the person was shown; it must be the version in
    force, so nobody consents to a text that has since changed. It takes effect when the
    klantmanager agrees (double opt-in, see docs/privacy.md). An introduction names the one
    employer the person agreed to meet."""
    own = own_or_served(actor, candidate)
    if (scope == ConsentScope.INTRODUCTION) != (employer is not None):
        raise ValidationError(_("An introduction is consented to for one employer."))
    if own:
        if method != ConsentMethod.SELF:
            raise ValidationError({"method": _("Consent in your own account is given by you.")})
    elif method not in STAFF_CONSENT_METHODS:
        raise ValidationError(
            {"method": _("Say how the person gave consent: in person, by phone or in writing.")}
        )
    if statement_version != consent_statements.current(scope).version:
        raise ValidationError(
            {
                "statement_version": _(
                    "The consent text has changed since it was shown. Read the new text "
                    "(with the person) and give consent again."
                )
            }
        )
    current = candidate.consents.filter(
        scope=scope, employer=employer, revoked_at__isnull=True
    ).first()
    if current is not None:
        return current
    consent = Consent.objects.create(
        candidate=candidate,
        scope=scope,
        employer=employer,
        method=method,
        statement_version=statement_version,
        granted_at=timezone.now(),
        recorded_by=actor.user,
        recorded_for=actor.organisation,
    )
    audit.record(
        "consent.granted",
        actor=actor,
        target=candidate,
        changes={
            "scope": [None, scope],
            "method": [None, method],
            "statement_version": [None, statement_version],
        },
    )
    access.record_candidate(
        actor, candidate, ProcessingActivity.CANDIDATE_CONSENT, Operation.CREATE
    )
    return consent


@transaction.atomic
def consent_approve(*, actor: Actor, consent: Consent) -> Consent:
    """The klantmanager agrees that the profile is shown beyond the public partners."""
    candidate = consent.candidate
    if not (actor.has_perm(Permission.MANAGE_CANDIDATES) and serves(actor, candidate)):
        raise NotFoundError(_("Job seeker not found."))
    if consent.revoked_at is not None:
        raise ValidationError(_("This consent has been withdrawn."))
    if consent.approved_at is None:
        consent.approved_at = timezone.now()
        consent.approved_by = actor.user
        consent.save(update_fields=["approved_at", "approved_by", "updated_at"])
        audit.record(
            "consent.approved",
            actor=actor,
            target=candidate,
            changes={"scope": [None, consent.scope]},
        )
        access.record_candidate(
            actor, candidate, ProcessingActivity.CANDIDATE_CONSENT, Operation.CHANGE
        )
    return consent


@transaction.atomic
def consent_revoke(*, actor: Actor, consent: Consent) -> Consent:
    """Withdrawn at once, everywhere: the next request no longer shows the profile.
    Withdrawing costs the person nothing: their service by gemeente/UWV goes on."""
    candidate = consent.candidate
    own_or_served(actor, candidate)
    if consent.revoked_at is None:
        # Every open consent for this scope ends (a merge can leave two).
        candidate.consents.filter(
            scope=consent.scope, employer_id=consent.employer_id, revoked_at__isnull=True
        ).update(revoked_at=timezone.now(), revoked_by=actor.user)
        consent.refresh_from_db()
        audit.record(
            "consent.revoked",
            actor=actor,
            target=candidate,
            changes={"scope": [consent.scope, None]},
        )
        access.record_candidate(
            actor, candidate, ProcessingActivity.CANDIDATE_CONSENT, Operation.CHANGE
        )
    return consent
