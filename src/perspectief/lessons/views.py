"""The leeragenda's pages: search the lessons, read one with its activity's numbers,
reactions and the regions that took it over; write, share, react and take over."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from perspectief.candidates import personal_data
from perspectief.candidates.constants import TargetGroup
from perspectief.core import codes, params
from perspectief.core.authz import Permission
from perspectief.core.exceptions import DomainError, user_message
from perspectief.core.policies import deny, requires
from perspectief.taxonomy.models import Sector

from . import selectors
from .constants import TEXT_FIELDS, TEXT_MAX_LENGTH, Pillar
from .forms import AdoptionForm, LessonForm, ReactionForm, SearchForm
from .models import Lesson
from .services import lessons as lesson_services
from .services import responses

PER_PAGE = 20


@requires(Permission.VIEW_LESSONS)
@require_GET
def lesson_list_view(request):
    form = params.form(request, SearchForm)
    filters = form.filters() if form.is_bound else selectors.Filters()
    page = params.page(request, selectors.search(actor=request.actor, filters=filters), PER_PAGE)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "lessons/lesson_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "may_write": lesson_services.may_write(request.actor, request.actor.region_id),
        },
    )


def _tags(lesson: Lesson) -> list[tuple[str, list[str]]]:
    """(what, labels) of the lesson's tags, for the page."""
    sectors = dict(Sector.objects.values_list("code", "name"))
    instruments = dict(selectors.instrument_choices(lesson.region_id))
    rows = [
        (_("Pillars"), codes.labels(lesson.pillars, Pillar)),
        (_("Target groups"), codes.labels(lesson.target_groups, TargetGroup)),
        (_("Sectors"), [sectors.get(c, c) for c in codes.split(lesson.sectors)]),
        (_("Instruments"), [instruments.get(c, c) for c in codes.split(lesson.instruments)]),
        (
            _("Kind of activity"),
            [lesson.get_activity_kind_display()] if lesson.activity_kind else [],
        ),
    ]
    return [(what, labels) for what, labels in rows if labels]


def _visible_lesson(request, uuid) -> Lesson:
    return get_object_or_404(
        Lesson.objects.visible_to(request.actor).select_related(
            "region", "organisation", "author", "activity__plan"
        ),
        uuid=uuid,
    )


def _detail(request, lesson: Lesson, *, reaction_form=None, adoption_form=None, status=200):
    """The lesson's page; a refused reaction or adoption comes back in its bound form (the
    typed text kept, the refusal under its field)."""
    actor = request.actor
    may_write = lesson_services.may_write(actor, lesson.region_id)
    may_adopt = (
        responses.may_adopt(actor, lesson)
        and not lesson.adoptions.filter(region_id=actor.region_id).exists()
    )
    if reaction_form is None and actor.has_perm(Permission.WRITE_LESSONS):
        reaction_form = ReactionForm()
    if adoption_form is None and may_adopt:
        adoption_form = AdoptionForm()
    return render(
        request,
        "lessons/lesson_detail.html",
        {
            "lesson": lesson,
            "numbers": selectors.activity_numbers(lesson),
            "tags": _tags(lesson),
            "municipalities": lesson.municipalities.order_by("name"),
            "reactions": lesson.reactions.select_related("region", "organisation"),
            "adoptions": lesson.adoptions.select_related("region", "organisation"),
            "may_write": may_write,
            "may_adopt": may_adopt,
            "reaction_form": reaction_form,
            "adoption_form": adoption_form if may_adopt else None,
        },
        status=status,
    )


@requires(Permission.VIEW_LESSONS)
@require_GET
def lesson_detail_view(request, uuid):
    return _detail(request, _visible_lesson(request, uuid))


def _refused(form: forms.Form, exc: ValidationError | DomainError) -> None:
    """The service's refusal under its field in the form (or above it)."""
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, user_message(exc))


def _again(request, lesson: Lesson, **form):
    """The page again with the refused form: its errors under its fields and on top too
    (the forms are at the page's foot; the refusals name their field)."""
    for errors in next(iter(form.values())).errors.values():
        messages.error(request, " ".join(str(e) for e in errors))
    return _detail(request, lesson, status=400, **form)


def _check_personal_data(form: LessonForm, region_id) -> None:
    """A form refused for another reason is read for personal data too, so a name or a BSN is
    marked in the same round, not only after the rest is put right."""
    texts = {
        name: str(form.data.get(name) or "")
        for name in TEXT_FIELDS
        if name in form.fields and not form.has_error(name)
    }
    # Over-long texts are left to the save's own length check (the lookup stays cheap).
    texts = {name: text for name, text in texts.items() if len(text) <= TEXT_MAX_LENGTH}
    try:
        personal_data.check(texts, labels=lesson_services.labels(), region_ids=[region_id])
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            form.add_error(field, errors)


def _save(request, lesson: Lesson | None = None):
    region_id = request.actor.region_id
    initial = LessonForm.initial_for(lesson) if lesson is not None else None
    form = LessonForm(request.POST or None, initial=initial, region_id=region_id)
    if request.method == "POST" and form.is_valid():
        try:
            saved = lesson_services.lesson_save(
                actor=request.actor, data=form.cleaned_data, lesson=lesson
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("The lesson is saved."))
            return redirect("lessons:detail", uuid=saved.uuid)
    elif request.method == "POST":
        _check_personal_data(form, region_id)
    return render(request, "lessons/lesson_form.html", {"form": form, "lesson": lesson})


@requires(Permission.WRITE_LESSONS)
def lesson_create_view(request):
    if not lesson_services.may_write(request.actor, request.actor.region_id):
        # The support team writes no region's lesson (a lesson belongs to a region).
        deny(request, "not_own_region", Permission.WRITE_LESSONS)
    return _save(request)


def _own_lesson(request, uuid) -> Lesson:
    """A lesson of the writer's own region (another's answers 404)."""
    if not lesson_services.may_write(request.actor, request.actor.region_id):
        return get_object_or_404(Lesson.objects.none(), uuid=uuid)
    return get_object_or_404(Lesson.objects.filter(region_id=request.actor.region_id), uuid=uuid)


@requires(Permission.WRITE_LESSONS)
def lesson_edit_view(request, uuid):
    return _save(request, _own_lesson(request, uuid))


@requires(Permission.WRITE_LESSONS)
@require_POST
def lesson_action_view(request, uuid):
    """Share the lesson, react to it, or mark it taken over by the actor's region. A refused
    reaction or adoption shows the page again with what was typed (nothing saved)."""
    lesson = _visible_lesson(request, uuid)
    action = request.POST.get("action")
    if action == "react":
        form = ReactionForm(request.POST)
        try:
            if form.is_valid():
                responses.reaction_add(actor=request.actor, lesson=lesson, **form.cleaned_data)
        except (ValidationError, DomainError) as exc:
            _refused(form, exc)
        if not form.is_valid():
            return _again(request, lesson, reaction_form=form)
        messages.success(request, _("Your reaction is added."))
    elif action == "adopt":
        form = AdoptionForm(request.POST)
        try:
            if form.is_valid():
                responses.adoption_add(
                    actor=request.actor, lesson=lesson, note=form.cleaned_data["note"]
                )
        except (ValidationError, DomainError) as exc:
            _refused(form, exc)
        if not form.is_valid():
            return _again(request, lesson, adoption_form=form)
        messages.success(request, _("Marked as taken over by your region."))
    elif action == "share":
        try:
            lesson_services.lesson_share(actor=request.actor, lesson=_own_lesson(request, uuid))
        except (ValidationError, DomainError) as exc:
            messages.error(request, user_message(exc))
        else:
            messages.success(request, _("The lesson is shared with every region."))
    else:
        messages.error(request, _("Unknown action."))
    return redirect("lessons:detail", uuid=lesson.uuid)
