"""From a skill gap or a bulk request to a course: the one-action buttons that put a start
of a course on a person's route, or on the routes of a bulk request's cohort."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from perspectief.candidates.models import Candidate
from perspectief.catalogue.models import OfferEdition
from perspectief.core.authz import Permission
from perspectief.core.exceptions import DomainError, user_message
from perspectief.core.ids import parse_uuid
from perspectief.core.policies import requires
from perspectief.vacancies.models import Vacancy

from ..services import courses


@requires(Permission.PLAN_ROUTES)
@require_POST
def course_add_view(request, uuid):
    """One action from a skill gap: the course's start on the person's route."""
    candidate = Candidate.objects.served_by(request.actor.organisation).filter(uuid=uuid).first()
    edition = OfferEdition.objects.filter(uuid=parse_uuid(request.POST.get("edition"))).first()
    if candidate is None or edition is None:
        raise Http404()
    try:
        step = courses.course_add(actor=request.actor, candidate=candidate, edition=edition)
    except (ValidationError, DomainError) as exc:
        messages.error(request, user_message(exc))
        back = request.POST.get("next", "")
        if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
            return redirect(back)
        return redirect("candidates:detail", uuid=candidate.uuid)
    messages.success(
        request,
        _("“%(course)s” is on the route, handed to %(org)s for acceptance.")
        % {"course": step.title, "org": step.owner.name},
    )
    return redirect("route:detail", uuid=step.route.uuid)


@requires(Permission.PLAN_ROUTES)
@require_POST
def cohort_course_view(request, uuid):
    vacancy = get_object_or_404(Vacancy.objects.visible_to(request.actor), uuid=uuid)
    edition = OfferEdition.objects.filter(uuid=parse_uuid(request.POST.get("edition"))).first()
    if edition is None:
        messages.error(request, _("Choose a start of a course."))
        return redirect("vacancies:detail", uuid=vacancy.uuid)
    try:
        result = courses.cohort_course(actor=request.actor, vacancy=vacancy, edition=edition)
    except (ValidationError, DomainError) as exc:
        messages.error(request, user_message(exc))
    else:
        messages.success(
            request,
            _(
                "Planned on “%(course)s” for %(planned)s people of the cohort (already on it: "
                "%(already)s; served by other organisations: %(others)s)."
            )
            % {"course": edition.offer.title, **result},
        )
    return redirect("vacancies:detail", uuid=vacancy.uuid)
