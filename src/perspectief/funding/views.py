"""Pages of "Waar zit wat": the region's funding pots, one pot with what is committed to
it, keeping the region's own pots, and "which pot can pay for this course for this
person?"."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from perspectief.audit import access
from perspectief.audit.constants import ProcessingActivity
from perspectief.candidates.models import Candidate
from perspectief.candidates.query import served_by
from perspectief.core import params
from perspectief.core.authz import Permission
from perspectief.core.ids import parse_uuid
from perspectief.core.policies import requires

from . import selectors, services
from .conditions import in_words
from .facts import offer_facts, person_facts
from .forms import PotForm, QuestionForm
from .models import FundingPot


@requires(Permission.VIEW_FUNDING)
@require_GET
def overview_view(request):
    today = timezone.localdate()
    return render(
        request,
        "funding/overview.html",
        {
            "groups": selectors.overview(request.actor, on=today),
            "today": today,
            "may_keep": request.actor.has_perm(Permission.MANAGE_FUNDING),
        },
    )


@requires(Permission.VIEW_FUNDING)
@require_GET
def pot_view(request, uuid):
    pot = get_object_or_404(selectors.pots_for(request.actor), uuid=uuid)
    today = timezone.localdate()
    period, open_now = selectors.current_period(pot, today)
    return render(
        request,
        "funding/pot_detail.html",
        {
            "pot": pot,
            "money": selectors.money_of([pot], region_id=request.actor.region_id)[pot.pk],
            "period": period,
            "open_now": open_now,
            "periods": pot.periods.all(),
            "conditions": [in_words(rule) for rule in pot.rules],
            "commitments": selectors.commitment_lines(request.actor, pot),
            "may_edit": FundingPot.objects.kept_by(request.actor).filter(pk=pot.pk).exists(),
        },
    )


def _save(request, pot=None):
    initial = PotForm.initial_for(pot) if pot is not None else None
    form = PotForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.pot_save(actor=request.actor, data=form.pot_input(), pot=pot)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("The pot is saved."))
            return redirect("funding:pot", uuid=saved.uuid)
    return render(request, "funding/pot_form.html", {"form": form, "pot": pot})


@requires(Permission.MANAGE_FUNDING)
def pot_create_view(request):
    return _save(request)


@requires(Permission.MANAGE_FUNDING)
def pot_edit_view(request, uuid):
    return _save(request, get_object_or_404(FundingPot.objects.kept_by(request.actor), uuid=uuid))


def _person(actor, value: str) -> Candidate | None:
    """A person the actor's organisation serves (only they see the facts the rules ask
    about: age, benefit, target groups), by their uuid or the code partners know."""
    people = Candidate.objects.visible_to(actor).filter(served_by(actor.organisation.pk))
    found = parse_uuid(value)
    if found is not None:
        return people.filter(uuid=found).first()
    return people.filter(label=value.strip().upper()).first()


@requires(Permission.VIEW_FUNDING)
@require_GET
def question_view(request):
    actor = request.actor
    form = params.form(request, QuestionForm, region_id=actor.region_id)
    context = {"form": form, "answers": None}
    if form.is_bound:
        person = _person(actor, form.cleaned_data["person"])
        if person is None:
            form.add_error("person", _("No person with this code among the people you serve."))
        else:
            access.record_candidate(actor, person, ProcessingActivity.ROUTE_PLAN)
            offer = form.cleaned_data["offer"]
            today = timezone.localdate()
            facts = {**person_facts(person, on=today), **offer_facts(offer)}
            context.update(
                person=person,
                offer=offer,
                answers=selectors.question(actor, facts=facts, on=today, price=offer.cost),
            )
    return render(request, "funding/question.html", context)
