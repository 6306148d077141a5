"""Pages for job seekers: the list, register, a person's page, edit, status, availability."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from perspectief.core import params
from perspectief.core.authz import Actor, Permission
from perspectief.core.contributions import render_panels
from perspectief.core.exceptions import DomainError, NotFoundError
from perspectief.core.policies import requires

from .. import consent_statements
from ..completeness import missing
from ..constants import CAPACITY_HOURS, STAFF_CONSENT_METHODS, ConsentScope
from ..forms.person_list import FilterForm
from ..forms.profile import CandidateForm, StatusForm, initial_from
from ..models import CandidateMerge
from ..panels import PERSON_BUTTONS, PERSON_MANAGE, PERSON_PAGE
from ..selectors import people as selectors
from ..selectors.corrections import for_person_page
from ..selectors.person_list import annotate_access, candidate_list
from ..services import journey, people

#: How staff record consent the person gave them (labels translated when shown).
CONSENT_METHOD_CHOICES = [(m.value, m.label) for m in STAFF_CONSENT_METHODS]


def person_or_404(request, uuid):
    """The person and the actor's access level (the read is logged); 404 when absent or not
    visible, alike."""
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
    page = params.page(request, candidate_list(actor=actor, filters=filters), 25)
    rows = annotate_access(actor, page.object_list)
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
            candidate, created = people.candidate_register(
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
    """A person's page: what the actor may see of the person, and the panels other apps add
    (proposals, the route, a hire outside the platform; ``panels.py``)."""
    candidate, level = person_or_404(request, uuid)
    actor = request.actor
    context = {
        "candidate": candidate,
        "level": level,
        "age": selectors.age(candidate),
        "target_groups": candidate.target_group_rows.all(),
        "occupations": candidate.occupations.all(),
        "skills": candidate.skills.select_related("skill"),
        "needs_reconfirmation": selectors.needs_reconfirmation(candidate),
        # No number given: the hours the matching reads from the capacity for work.
        "capacity_hours": CAPACITY_HOURS.get(candidate.capacity)
        if candidate.max_hours_per_week is None
        else None,
        "excluded_sectors": list(selectors.sector_labels(candidate.excluded_sector_list).values())
        if candidate.excluded_sectors
        else [],
    }
    context["contact_organisations"] = [
        s.organisation
        for s in candidate.servings.filter(is_active=True).select_related("organisation")
    ]
    context["panels"] = render_panels(PERSON_PAGE, request, candidate=candidate, level=level)
    if level == selectors.FULL:
        context.update(_full_context(actor, candidate))
        context.update(for_person_page(actor, candidate))
        if context["can_manage"]:
            context["manage_buttons"] = render_panels(
                PERSON_BUTTONS, request, candidate=candidate, level=level
            )
            context["manage_panels"] = render_panels(
                PERSON_MANAGE, request, candidate=candidate, level=level
            )
    return render(request, "candidates/candidate_detail.html", context)


def _full_context(actor: Actor, candidate) -> dict:
    """What an organisation that serves the person sees besides the profile: merges,
    servings, consents and introductions, what is missing, the status."""
    return {
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
        "introductions": candidate.consents.filter(scope=ConsentScope.INTRODUCTION).select_related(
            "employer__organisation"
        ),
        "missing": missing(candidate),
        "status_form": StatusForm(initial={"status": candidate.status}),
        "placed_without_hire": selectors.placed_without_hire(candidate),
        "can_manage": actor.has_perm(Permission.MANAGE_CANDIDATES),
        "can_see_health": actor.has_perm(Permission.VIEW_HEALTH),
        "statement": consent_statements.current(ConsentScope.REGIONAL_PROFILE),
        "consent_methods": CONSENT_METHOD_CHOICES,
    }


@requires(Permission.MANAGE_CANDIDATES)
def candidate_edit_view(request, uuid):
    candidate, level = person_or_404(request, uuid)
    if level != selectors.FULL:
        raise Http404
    form = CandidateForm(request.POST or None, registering=False, initial=initial_from(candidate))
    if request.method == "POST" and form.is_valid():
        try:
            changes = people.candidate_update(
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
    candidate, _level = person_or_404(request, uuid)
    form = StatusForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose a status."))
        journey.candidate_change_status(
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
    candidate, level = person_or_404(request, uuid)
    if level != selectors.FULL:
        raise Http404
    people.availability_confirm(actor=request.actor, candidate=candidate)
    messages.success(request, _("Availability confirmed."))
    return redirect("candidates:detail", uuid=candidate.uuid)
