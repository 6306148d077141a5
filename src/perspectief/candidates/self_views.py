"""Pages for the job seeker: their own profile, consent and data; and the klantmanager's
data-quality overview, export and erasure."""

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from perspectief.core.authz import Permission
from perspectief.core.exceptions import NotFoundError
from perspectief.core.ids import parse_uuid
from perspectief.core.policies import requires

from . import consent_statements, selectors, services
from .constants import ConsentMethod, ConsentScope
from .models import Candidate


def _json_download(data: dict, name: str) -> HttpResponse:
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.json"'
    response["Cache-Control"] = "no-store"
    return response


def _own(request) -> Candidate:
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
            }
        )
        # The person's own route and support at work (routes app; seen through its rule).
        from perspectief.routes.models import Route, SupportPlan

        route = Route.objects.visible_to(request.actor).select_related("organisation").first()
        context["route"] = route
        if route is not None:
            context["route_steps"] = route.steps.select_related("owner")
        context["support_plans"] = SupportPlan.objects.visible_to(request.actor).select_related(
            "employer", "organisation", "jobcoach"
        )
    return render(request, "candidates/self.html", context)


@requires(Permission.VIEW_OWN_PROFILE)
@require_POST
def self_consent_view(request):
    candidate = _own(request)
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
    candidate = _own(request)
    data = services.candidate_export(actor=request.actor, candidate=candidate)
    return _json_download(data, "mijn-gegevens")


def _document(request, candidate, *, own: bool) -> HttpResponse:
    document = services.candidate_document(actor=request.actor, candidate=candidate)
    response = render(
        request,
        "candidates/data_document.html",
        {
            "candidate": candidate,
            "sections": document,
            "own": own,
            "made_on": timezone.localdate(),
        },
    )
    response["Cache-Control"] = "no-store"
    return response


@requires(Permission.VIEW_OWN_PROFILE)
@require_GET
def self_document_view(request):
    """The person's data as a readable document that prints well (AVG art. 15)."""
    return _document(request, _own(request), own=True)


@requires(Permission.MANAGE_CANDIDATES)
@require_GET
def candidate_document_view(request, uuid):
    """The same document, printed by the klantmanager for a person who asks for it."""
    try:
        candidate, _level = selectors.candidate_get_for_actor(actor=request.actor, uuid=uuid)
        return _document(request, candidate, own=False)
    except NotFoundError:
        raise Http404 from None


@requires(Permission.MANAGE_CANDIDATES)
@require_GET
def candidate_export_view(request, uuid):
    try:
        candidate, _level = selectors.candidate_get_for_actor(actor=request.actor, uuid=uuid)
        data = services.candidate_export(actor=request.actor, candidate=candidate)
    except NotFoundError:
        raise Http404 from None
    return _json_download(data, f"gegevens-{candidate.uuid}")


@requires(Permission.MANAGE_CANDIDATES)
@require_POST
def candidate_erase_view(request, uuid):
    try:
        candidate, _level = selectors.candidate_get_for_actor(actor=request.actor, uuid=uuid)
        services.candidate_erase(actor=request.actor, candidate=candidate)
    except NotFoundError:
        raise Http404 from None
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The person's data have been anonymised."))
    return redirect("candidates:detail", uuid=candidate.uuid)


@requires(Permission.MANAGE_CANDIDATES)
@require_GET
def quality_view(request):
    """How complete and current the organisation's picture of its job seekers is."""
    overview = selectors.quality_overview(request.actor.organisation)
    may_list = request.actor.has_perm(Permission.VIEW_CANDIDATES)
    return render(request, "candidates/quality.html", {"q": overview, "may_list": may_list})
