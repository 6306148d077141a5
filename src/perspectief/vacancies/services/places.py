"""Writes on places. The employer's own users and the region's account managers and
intermediaries may create and change them; every change is audited."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from perspectief.audit import services as audit
from perspectief.core import bulk, codes
from perspectief.core.authz import Actor, Permission
from perspectief.core.exceptions import NotFoundError, PermissionDeniedError
from perspectief.organisations.models import EmployerAccount
from perspectief.taxonomy.constants import SkillRelation, Support, WorkDemand

from ..constants import OUTSIDE_REASONS, OutsideReason, VacancyStatus
from ..models import OutsideFill, Vacancy, VacancySkill
from ..selectors.places import hires

FIELDS = (
    "title",
    "reference",
    "place_type",
    "occupation",
    "description",
    "hours_per_week",
    "contract",
    "wage_min",
    "wage_max",
    "postcode",
    "places",
    "min_education",
    "dutch_level",
    "driving_licence",
    "start_date",
    "closing_date",
    "min_hours_per_week",
    "physical_load",
    "support_offered",
    "work_demands",
)

#: Fields kept as several codes in one column (``core.codes``): given as a list or as text.
CODE_LISTS = {"support_offered": Support.values, "work_demands": WorkDemand.values}


@dataclass
class NewPlace:
    """A place for :func:`vacancies_create`: built by :func:`vacancy_build`, its skills as
    the form takes them, and the status it gets (draft, open or closed)."""

    vacancy: Vacancy
    essential: list = field(default_factory=list)
    optional: list = field(default_factory=list)
    teachable: list = field(default_factory=list)
    status: str = VacancyStatus.OPEN


#: Allowed status commands: from → to.
TRANSITIONS = {
    "open": ({VacancyStatus.DRAFT, VacancyStatus.CLOSED}, VacancyStatus.OPEN),
    "close": (
        {VacancyStatus.DRAFT, VacancyStatus.OPEN, VacancyStatus.FILLED},
        VacancyStatus.CLOSED,
    ),
}


def _employer_for(actor: Actor, employer: EmployerAccount) -> EmployerAccount:
    if not actor.has_perm(Permission.MANAGE_PLACES):
        raise PermissionDeniedError()
    found = EmployerAccount.objects.visible_to(actor).filter(pk=employer.pk).first()
    if found is None:
        raise NotFoundError(_("Employer not found."))
    return found


def place_for_change(actor: Actor, vacancy: Vacancy) -> Vacancy:
    """The place locked for a change, when the actor may manage its employer's places."""
    _employer_for(actor, vacancy.employer)
    return Vacancy.objects.select_for_update().get(pk=vacancy.pk)


def _assign(vacancy: Vacancy, data: dict) -> None:
    """The form's values on the place (a list of codes joined as the place stores it)."""
    for name in FIELDS:
        if name in data:
            value = data[name]
            if name in CODE_LISTS and isinstance(value, list | tuple | set):
                value = codes.join(value, CODE_LISTS[name])
            setattr(vacancy, name, value)


def _set_skills(vacancy, essential, optional, teachable) -> dict:
    before = sorted(
        (s.skill.uri, s.relation, s.teachable) for s in vacancy.skills.select_related("skill")
    )
    rows = _skill_rows(vacancy, essential, optional, teachable)
    after = sorted((r.skill.uri, r.relation, r.teachable) for r in rows.values())
    if before == after:
        return {}
    vacancy.skills.all().delete()
    VacancySkill.objects.bulk_create(rows.values())
    return {"skills": [len(before), len(after)]}


def _skill_rows(vacancy, essential, optional, teachable) -> dict[int, VacancySkill]:
    """The place's skills by skill: essential ones first, an optional one only when it is
    not essential too; either may be teachable."""
    teach = {s.pk for s in teachable or []}
    rows = {
        s.pk: VacancySkill(
            vacancy=vacancy, skill=s, relation=SkillRelation.ESSENTIAL, teachable=s.pk in teach
        )
        for s in essential or []
    }
    for skill in optional or []:
        rows.setdefault(
            skill.pk,
            VacancySkill(
                vacancy=vacancy,
                skill=skill,
                relation=SkillRelation.OPTIONAL,
                teachable=skill.pk in teach,
            ),
        )
    return rows


def _check_part_time(vacancy: Vacancy) -> None:
    """The fewest hours accepted lie between 1 and the place's hours (also a constraint of
    the table; checked here to name the field)."""
    low, hours = vacancy.min_hours_per_week, vacancy.hours_per_week
    if low is None or hours is None:
        return
    if low < 1:
        raise ValidationError({"min_hours_per_week": _("At least 1 hour per week.")})
    if low > hours:
        raise ValidationError(
            {
                "min_hours_per_week": _(
                    "The fewest hours accepted (%(low)d) cannot be more than the hours per "
                    "week of the place (%(hours)d)."
                )
                % {"low": low, "hours": hours}
            }
        )


def vacancy_save(**kwargs) -> Vacancy:
    """Create a place for the employer, or change one. ``data`` holds model field values."""
    return vacancy_save_changes(**kwargs)[0]


@transaction.atomic
def vacancy_save_changes(
    *,
    actor: Actor,
    employer: EmployerAccount,
    data: dict,
    vacancy: Vacancy | None = None,
    essential=(),
    optional=(),
    teachable=(),
) -> tuple[Vacancy, dict]:
    """:func:`vacancy_save`, also answering what changed (empty: nothing)."""
    employer = _employer_for(actor, employer)
    if vacancy is not None:
        vacancy = place_for_change(actor, vacancy)
        if vacancy.employer_id != employer.pk:
            raise NotFoundError(_("Place not found."))
        before = {name: getattr(vacancy, name) for name in FIELDS}
    else:
        vacancy, before = Vacancy(employer=employer), {}
    _assign(vacancy, data)
    _check_part_time(vacancy)
    if vacancy.places is not None and vacancy.places_filled > vacancy.places:
        raise ValidationError({"places": _("There are already more places filled.")})
    if vacancy.pk and vacancy.places is not None:
        phased = sum(vacancy.phases.values_list("places", flat=True))
        if phased > vacancy.places:
            raise ValidationError(
                {"places": _("The intake phases already ask %(n)d people.") % {"n": phased}}
            )
    vacancy.full_clean()
    vacancy.save()
    changes = audit.diff(before, {name: getattr(vacancy, name) for name in FIELDS})
    changes.update(_set_skills(vacancy, essential, optional, teachable))
    if changes:
        audit.record(
            "vacancy.created" if not before else "vacancy.updated",
            actor=actor,
            target=vacancy,
            changes=changes,
        )
    return vacancy, changes


def vacancy_build(*, employer: EmployerAccount, data: dict) -> Vacancy:
    """A new place, not saved, with every check of :func:`vacancy_save_changes` that needs
    no query (the fields, part time); raises ValidationError as it does. The table's own
    constraints are checked when :func:`vacancies_create` writes it."""
    vacancy = Vacancy(employer=employer)
    _assign(vacancy, data)
    _check_part_time(vacancy)
    # The reference's uniqueness and the table's checks: by the database on insert. A
    # foreign key given a row read from the database (the employer, the postcode, the
    # occupation …: an import reads them in bulk) is not looked up again, a query each:
    # its foreign key constraint checks it on insert too.
    loaded = [
        f.name
        for f in Vacancy._meta.concrete_fields
        if f.is_relation
        and f.name in vacancy._state.fields_cache
        and getattr(vacancy, f.attname) is not None
    ]
    vacancy.full_clean(exclude=loaded, validate_unique=False, validate_constraints=False)
    return vacancy


@transaction.atomic
def vacancies_create(*, actor: Actor, places: list[NewPlace]) -> None:
    """Write many new places built by :func:`vacancy_build` at once (an import): one
    insert, their skills, and the audit events the form writes (created; the status it was
    given from draft). Raises IntegrityError, writing nothing, when a place breaks a
    constraint of the table: the caller saves them one by one to say which."""
    if not actor.has_perm(Permission.MANAGE_PLACES):
        raise PermissionDeniedError()
    employers = {p.vacancy.employer_id for p in places}
    visible = EmployerAccount.objects.visible_to(actor).filter(pk__in=employers)
    if len(employers) != visible.count():
        raise NotFoundError(_("Employer not found."))
    for place in places:
        # A new place is a draft: open and close are both allowed from there (TRANSITIONS).
        place.vacancy.status = place.status
    bulk.insert([p.vacancy for p in places])
    skills: list[VacancySkill] = []
    events = []
    for place in places:
        vacancy = place.vacancy
        rows = _skill_rows(vacancy, place.essential, place.optional, place.teachable)
        skills += rows.values()
        changes = audit.diff({}, {name: getattr(vacancy, name) for name in FIELDS})
        if rows:
            changes["skills"] = [0, len(rows)]
        events.append(audit.build("vacancy.created", actor=actor, target=vacancy, changes=changes))
        if place.status != VacancyStatus.DRAFT:
            events.append(
                audit.build(
                    "vacancy.status_changed",
                    actor=actor,
                    target=vacancy,
                    changes={"status": [VacancyStatus.DRAFT, place.status]},
                )
            )
    bulk.insert(skills)
    bulk.insert(events)


@transaction.atomic
def vacancy_command(*, actor: Actor, vacancy: Vacancy, command: str) -> Vacancy:
    """open / close a place."""
    vacancy = place_for_change(actor, vacancy)
    if command not in TRANSITIONS:
        raise ValidationError({"command": _("Unknown command.")})
    allowed, target = TRANSITIONS[command]
    if vacancy.status not in allowed:
        raise ValidationError(
            {
                "status": _("This place is %(status)s: that is not possible now.")
                % {"status": vacancy.get_status_display()}
            }
        )
    old = vacancy.status
    vacancy.status = target
    vacancy.save(update_fields=["status", "updated_at"])
    audit.record(
        "vacancy.status_changed", actor=actor, target=vacancy, changes={"status": [old, target]}
    )
    return vacancy


def _set_filled(*, actor: Actor, vacancy: Vacancy, pending: int = 0) -> Vacancy:
    """Count the fill of a locked row again from its records — the hires (``pending``: a
    hire being recorded in this transaction) and the places filled outside the platform —
    all filled → status filled, fewer → open; and the audit."""
    old = vacancy.places_filled
    outside = vacancy.outside_fills.aggregate(n=Sum("places"))["n"] or 0
    filled = len(hires(vacancy)) + pending + outside
    vacancy.places_filled = filled
    if filled >= vacancy.places:
        vacancy.status = VacancyStatus.FILLED
    elif vacancy.status == VacancyStatus.FILLED:
        vacancy.status = VacancyStatus.OPEN
    vacancy.save(update_fields=["places_filled", "status", "updated_at"])
    audit.record(
        "vacancy.filled", actor=actor, target=vacancy, changes={"places_filled": [old, filled]}
    )
    return vacancy


@transaction.atomic
def vacancy_fill_one(*, actor: Actor, vacancy: Vacancy) -> Vacancy:
    """One more place filled by a hire being recorded (the caller checked who may record
    it and saves the hire in the same transaction)."""
    vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
    if vacancy.places_open < 1:
        raise ValidationError({"places_filled": _("All places of this vacancy are filled.")})
    return _set_filled(actor=actor, vacancy=vacancy, pending=1)


@transaction.atomic
def outside_fill_record(
    *, actor: Actor, vacancy: Vacancy, places: int, filled_on, reason: str, explanation: str = ""
) -> OutsideFill:
    """Places filled without a hire in the platform (the employer recruited someone itself,
    an agency did), recorded with the date and the reason by someone who may manage the
    place. They count in the fill, apart from the hires; they are no matches."""
    vacancy = place_for_change(actor, vacancy)
    explanation = (explanation or "").strip()[:300]
    errors = {}
    if places is None or places < 1:
        errors["places"] = _("At least one place.")
    elif places > vacancy.places_open:
        errors["places"] = _("Only %(n)d places of this vacancy are still open.") % {
            "n": vacancy.places_open
        }
    if filled_on is None:
        errors["filled_on"] = _("Give the date the places were filled.")
    elif filled_on > timezone.localdate():
        errors["filled_on"] = _("The date cannot be in the future.")
    if reason not in dict(OUTSIDE_REASONS):
        errors["reason"] = _("Choose why the places were filled outside the platform.")
    elif reason == OutsideReason.OTHER and not explanation:
        errors["explanation"] = _("Explain how the places were filled.")
    if errors:
        raise ValidationError(errors)
    fill = OutsideFill.objects.create(
        vacancy=vacancy,
        places=places,
        filled_on=filled_on,
        reason=reason,
        explanation=explanation,
        recorded_by=getattr(actor, "user", None),
        recorded_for=actor.organisation,
    )
    audit.record(
        "vacancy.filled_outside",
        actor=actor,
        target=vacancy,
        changes={"outside_fill": [None, f"{places} ({filled_on.isoformat()}, {reason})"]},
    )
    _set_filled(actor=actor, vacancy=vacancy)
    return fill
