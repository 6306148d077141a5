"""The job seeker's own page ("Mijn gegevens"): what is known about them (with corrections
they propose), the 90-day question "are you still looking for work?", sharing their
profile, introductions, who looked at their data, and all their data (AVG art. 15 and 20).

Written for the person at language level B1 and for a phone first: short sentences, one
task per section, big buttons."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from perspectief.core import params
from perspectief.core.authz import Permission
from perspectief.core.contributions import render_panels
from perspectief.core.ids import parse_uuid
from perspectief.core.policies import requires

from .. import consent_statements
from ..constants import ConsentMethod, ConsentScope
from ..models import Candidate
from ..panels import OWN_PAGE
from ..selectors import access_log
from ..selectors import people as selectors
from ..selectors.corrections import own_corrections, own_details
from ..services import consent as services
from ..services.export import candidate_export
from ..services.people import availability_confirm
from ..services.reconfirmation import ANCHOR
from .export import document_response, json_download


def own_or_404(request) -> Candidate:
    """The person's own record (404 when no record is linked to the account)."""
    candidate = Candidate.objects.visible_to(request.actor).first()
    if candidate is None:
        raise Http404
    return candidate


@requires(Permission.VIEW_OWN_PROFILE)
@require_GET
def self_view(request):
    """The job seeker sees what is known about them and decides about sharing it."""
    candidate = Candidate.objects.visible_to(request.actor).first()
    context = {"candidate": candidate}
    if candidate is not None:
        selectors.log_read(request.actor, candidate, selectors.SELF)
        context.update(
            {
                "details": own_details(candidate),
                "corrections": own_corrections(candidate),
                "reconfirm_due": selectors.reconfirmation_due(candidate),
                "reconfirm_anchor": ANCHOR,
                "servings": candidate.servings.filter(is_active=True).select_related(
                    "organisation"
                ),
                "consent": candidate.consents.filter(
                    scope=ConsentScope.REGIONAL_PROFILE, revoked_at__isnull=True
                ).first(),
                "introductions": candidate.consents.active(ConsentScope.INTRODUCTION)
                .select_related("employer__organisation")
                .order_by("granted_at"),
                "occupations": candidate.occupations.all(),
                "skills": candidate.skills.select_related("skill"),
                "age": selectors.age(candidate),
                "statement": consent_statements.current(ConsentScope.REGIONAL_PROFILE),
                # The person's own route and support at work (other apps; each seen
                # through its own rule).
                "panels": render_panels(OWN_PAGE, request, candidate=candidate),
            }
        )
    return render(request, "candidates/self.html", context)


@requires(Permission.VIEW_OWN_PROFILE)
@require_POST
def self_consent_view(request):
    candidate = own_or_404(request)
    if request.POST.get("action") == "grant":
        try:
            services.consent_grant(
                actor=request.actor,
                candidate=candidate,
                method=ConsentMethod.SELF,
                statement_version=request.POST.get("statement_version", ""),
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("Thank you. Your klantmanager will agree to it before your profile is shared."),
            )
    elif request.POST.get("action") == "revoke":
        for consent in candidate.consents.filter(
            scope=ConsentScope.REGIONAL_PROFILE, revoked_at__isnull=True
        ):
            services.consent_revoke(actor=request.actor, consent=consent)
        messages.success(
            request,
            _("Your profile is no longer shared. This has no consequences for your support."),
        )
    elif request.POST.get("action") == "revoke_introduction":
        consent = candidate.consents.filter(
            scope=ConsentScope.INTRODUCTION, uuid=parse_uuid(request.POST.get("consent"))
        ).first()
        if consent is not None:
            services.consent_revoke(actor=request.actor, consent=consent)
            messages.success(
                request,
                _("The employer no longer sees your name. This has no consequences for you."),
            )
    return redirect("candidates:self")


@requires(Permission.VIEW_OWN_PROFILE)
@require_GET
def self_export_view(request):
    candidate = own_or_404(request)
    data = candidate_export(actor=request.actor, candidate=candidate)
    return json_download(data, "mijn-gegevens")


@requires(Permission.VIEW_OWN_PROFILE)
@require_GET
def self_document_view(request):
    """The person's data as a readable document that prints well (AVG art. 15)."""
    return document_response(request, own_or_404(request), own=True)


@requires(Permission.VIEW_OWN_PROFILE)
@require_POST
def self_reconfirm_view(request):
    """The person says "Ja, ik zoek nog werk": confirms their availability with one click."""
    candidate = own_or_404(request)
    availability_confirm(actor=request.actor, candidate=candidate)
    messages.success(
        request,
        _("Thank you. We know you are still looking for work. We ask again in three months."),
    )
    return redirect("candidates:self")


#: Lines per page of the person's own access log.
PROCESSINGS_PER_PAGE = 30


@requires(Permission.VIEW_OWN_PROFILE)
@require_GET
def self_access_log_view(request):
    """Who looked at the person's data, and why: organisation, role and purpose in words."""
    candidate = own_or_404(request)
    page = params.page(request, access_log.own_processings(candidate), PROCESSINGS_PER_PAGE)
    selectors.log_read(request.actor, candidate, selectors.SELF)
    rows = [access_log.in_words(row) for row in page.object_list]
    return render(request, "candidates/own_access_log.html", {"page": page, "rows": rows})
