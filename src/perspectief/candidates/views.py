"""Pages for job seekers: list, register, profile, edit, status, consent, health."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from perspectief.audit import access
from perspectief.audit.constants import Operation, ProcessingActivity
from perspectief.core import params
from perspectief.core.authz import Permission
from perspectief.core.exceptions import DomainError, NotFoundError
from perspectief.core.ids import parse_uuid
from perspectief.core.policies import requires

from . import consent_statements, selectors, services
from .completeness import missing
from .constants import STAFF_CONSENT_METHODS, ConsentScope
from .forms import CandidateForm, FilterForm, StatusForm, initial_from
from .models import CandidateMerge, HealthInformation

#: How staff record consent the person gave them (labels translated when shown).
CONSENT_METHOD_CHOICES = [(m.value, m.label) for m in STAFF_CONSENT_METHODS]


def _get(request, uuid):
    try:
        return selectors.candidate_get_for_actor(actor=request.actor, uuid=uuid)
    except NotFoundError:
        raise Http404 from None


def _form_errors(form, exc: ValidationError):
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@requires(Permission.VIEW_CANDIDATES)
@require_GET
def candidate_list_view(request):
    actor = request.actor
    form = params.form(request, FilterForm, actor=actor)
    filters = form.cleaned_data if form.is_bound else {}
    page = params.page(request, selectors.candidate_list(actor=actor, filters=filters), 25)
    rows = selectors.annotate_access(actor, page.object_list)
    return render(
        request,
        "candidates/candidate_list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "can_manage": actor.has_perm(Permission.MANAGE_CANDIDATES),
            "query": request.GET.copy().urlencode() if request.GET else "",
        },
    )


@requires(Permission.MANAGE_CANDIDATES)
def candidate_create_view(request):
    form = CandidateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            candidate, created = services.candidate_register(
                actor=request.actor, data=form.to_input()
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            if created:
                messages.success(request, _("The job seeker has been registered."))
            else:
                messages.info(
                    request,
                    _(
                        "This person was already known (same BSN). Your organisation now "
                        "serves them too; the profile has been updated."
                    ),
                )
            return redirect("candidates:detail", uuid=candidate.uuid)
    return render(request, "candidates/candidate_form.html", {"form": form, "registering": True})


@requires(Permission.VIEW_CANDIDATES)
@require_GET
def candidate_detail_view(request, uuid):
    candidate, level = _get(request, uuid)
    actor = request.actor
    context = {
        "candidate": candidate,
        "level": level,
        "age": selectors.age(candidate),
        "target_groups": candidate.target_group_rows.all(),
        "occupations": candidate.occupations.all(),
        "skills": candidate.skills.select_related("skill"),
        "needs_reconfirmation": selectors.needs_reconfirmation(candidate),
    }
    context["contact_organisations"] = [
        s.organisation
        for s in candidate.servings.filter(is_active=True).select_related("organisation")
    ]
    if actor.has_perm(Permission.VIEW_EMPLOYERS):
        context.update(_proposal_context(actor, candidate, level))
    if level == selectors.FULL:
        context.update(
            {
                "has_open_consent": candidate.consents.filter(
                    scope=ConsentScope.REGIONAL_PROFILE, revoked_at__isnull=True
                ).exists(),
                "merges": CandidateMerge.objects.filter(
                    survivor=candidate, undone_at__isnull=True
                ).select_related("merged", "merged_by"),
                "servings": candidate.servings.select_related("organisation"),
                "consents": candidate.consents.select_related("recorded_by", "approved_by"),
                "has_regional_consent": candidate.consents.filter(
                    scope=ConsentScope.REGIONAL_PROFILE
                ).exists(),
                "introductions": candidate.consents.filter(
                    scope=ConsentScope.INTRODUCTION
                ).select_related("employer__organisation"),
                "missing": missing(candidate),
                "status_form": StatusForm(initial={"status": candidate.status}),
                "placed_without_hire": selectors.placed_without_hire(candidate),
                "can_manage": actor.has_perm(Permission.MANAGE_CANDIDATES),
                "can_see_health": actor.has_perm(Permission.VIEW_HEALTH),
                "statement": consent_statements.current(ConsentScope.REGIONAL_PROFILE),
                "consent_methods": CONSENT_METHOD_CHOICES,
            }
        )
    return render(request, "candidates/candidate_detail.html", context)


def _proposal_context(actor, candidate, level) -> dict:
    """Places the person can be proposed for, and the proposals so far."""
    from perspectief.matching.selectors.proposals import proposals_visible
    from perspectief.vacancies.constants import Contract, VacancyStatus
    from perspectief.vacancies.models import Vacancy

    # The person's page logged reading the person already.
    proposals, _hidden = proposals_visible(actor=actor, candidate=candidate, log=False)
    introduced = set(
        candidate.consents.active(ConsentScope.INTRODUCTION).values_list("employer_id", flat=True)
    )
    return {
        "can_propose": True,
        "contracts": Contract.choices,
        "can_introduce": level == selectors.FULL and actor.has_perm(Permission.MANAGE_CANDIDATES),
        "introduction_statement": consent_statements.current(ConsentScope.INTRODUCTION),
        "consent_methods": CONSENT_METHOD_CHOICES,
        "proposals": [(p, p.vacancy.employer_id in introduced) for p in proposals],
        "open_places": Vacancy.objects.visible_to(actor)
        .filter(status=VacancyStatus.OPEN)
        .select_related("employer__organisation")
        .order_by("title", "id")[:500],
    }


@requires(Permission.MANAGE_CANDIDATES)
def candidate_edit_view(request, uuid):
    candidate, level = _get(request, uuid)
    if level != selectors.FULL:
        raise Http404
    form = CandidateForm(request.POST or None, registering=False, initial=initial_from(candidate))
    if request.method == "POST" and form.is_valid():
        try:
            changes = services.candidate_update(
                actor=request.actor, candidate=candidate, data=form.to_input()
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Saved.") if changes else _("Nothing changed."))
            return redirect("candidates:detail", uuid=candidate.uuid)
    return render(
        request,
        "candidates/candidate_form.html",
        {"form": form, "registering": False, "candidate": candidate},
    )


@requires(Permission.MANAGE_CANDIDATES)
@require_POST
def candidate_status_view(request, uuid):
    candidate, _level = _get(request, uuid)
    form = StatusForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose a status."))
        services.candidate_change_status(
            actor=request.actor, candidate=candidate, status=form.cleaned_data["status"]
        )
    except NotFoundError:
        raise Http404 from None
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The status has been changed."))
    return redirect("candidates:detail", uuid=candidate.uuid)


@requires(Permission.MANAGE_CANDIDATES)
@require_POST
def candidate_confirm_view(request, uuid):
    candidate, level = _get(request, uuid)
    if level != selectors.FULL:
        raise Http404
    services.availability_confirm(actor=request.actor, candidate=candidate)
    messages.success(request, _("Availability confirmed."))
    return redirect("candidates:detail", uuid=candidate.uuid)


@requires(Permission.MANAGE_CANDIDATES)
@require_POST
def candidate_consent_view(request, uuid):
    """Record the person's consent, agree to it (double opt-in) or withdraw it."""
    candidate, _level = _get(request, uuid)
    action = request.POST.get("action")
    try:
        if action == "grant":
            services.consent_grant(
                actor=request.actor,
                candidate=candidate,
                method=request.POST.get("method", ""),
                statement_version=request.POST.get("statement_version", ""),
            )
            messages.success(request, _("Consent recorded. Agree to it to make it take effect."))
        elif action in ("approve", "revoke"):
            consent = candidate.consents.filter(
                uuid=parse_uuid(request.POST.get("consent"))
            ).first()
            # An introduction is recorded already agreed; it can only be withdrawn.
            if consent is None or (
                action == "approve" and consent.scope != ConsentScope.REGIONAL_PROFILE
            ):
                raise NotFoundError()
            if action == "approve":
                services.consent_approve(actor=request.actor, consent=consent)
                messages.success(request, _("You agreed: the regional profile is now visible."))
            else:
                services.consent_revoke(actor=request.actor, consent=consent)
                messages.success(request, _("Consent withdrawn: the profile is no longer shared."))
        else:
            messages.error(request, _("Unknown action."))
    except NotFoundError:
        raise Http404 from None
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("candidates:detail", uuid=candidate.uuid)


@requires(Permission.VIEW_HEALTH)
def candidate_health_view(request, uuid):
    """Functional limitations: their own permission and processing activity."""
    candidate, level = _get(request, uuid)
    if level != selectors.FULL:
        raise Http404
    health, _created = HealthInformation.objects.get_or_create(candidate=candidate)
    access.record_candidate(
        request.actor,
        candidate,
        ProcessingActivity.CANDIDATE_HEALTH,
        Operation.CHANGE if request.method == "POST" else Operation.READ,
    )
    if request.method == "POST":
        services.health_update(
            actor=request.actor,
            candidate=candidate,
            functional_limitations=request.POST.get("functional_limitations", "")[:5000],
            adjustments=request.POST.get("adjustments", "")[:5000],
        )
        messages.success(request, _("Saved."))
        return redirect("candidates:health", uuid=candidate.uuid)
    return render(
        request, "candidates/candidate_health.html", {"candidate": candidate, "health": health}
    )
