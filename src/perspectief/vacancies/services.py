"""Writes on places. The employer's own users and the region's account managers and
intermediaries may create and change them; every change is audited."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from perspectief.accounts.constants import Permission
from perspectief.audit import services as audit
from perspectief.core.exceptions import NotFoundError, PermissionDeniedError
from perspectief.organisations.models import EmployerAccount
from perspectief.taxonomy.constants import SkillRelation

from .constants import VacancyStatus
from .models import FillEvent, Vacancy, VacancySkill

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
)

#: Allowed status commands: from → to.
TRANSITIONS = {
    "open": ({VacancyStatus.DRAFT, VacancyStatus.CLOSED}, VacancyStatus.OPEN),
    "close": (
        {VacancyStatus.DRAFT, VacancyStatus.OPEN, VacancyStatus.FILLED},
        VacancyStatus.CLOSED,
    ),
}


def _employer_for(actor, employer: EmployerAccount) -> EmployerAccount:
    if not actor.has_perm(Permission.MANAGE_PLACES):
        raise PermissionDeniedError()
    found = EmployerAccount.objects.visible_to(actor).filter(pk=employer.pk).first()
    if found is None:
        raise NotFoundError(_("Employer not found."))
    return found


def _editable(actor, vacancy: Vacancy) -> Vacancy:
    _employer_for(actor, vacancy.employer)
    return Vacancy.objects.select_for_update().get(pk=vacancy.pk)


def _set_skills(vacancy, essential, optional, teachable) -> dict:
    before = sorted(
        (s.skill.uri, s.relation, s.teachable) for s in vacancy.skills.select_related("skill")
    )
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
    after = sorted((r.skill.uri, r.relation, r.teachable) for r in rows.values())
    if before == after:
        return {}
    vacancy.skills.all().delete()
    VacancySkill.objects.bulk_create(rows.values())
    return {"skills": [len(before), len(after)]}


def vacancy_save(**kwargs) -> Vacancy:
    """Create a place for the employer, or change one. ``data`` holds model field values."""
    return vacancy_save_changes(**kwargs)[0]


@transaction.atomic
def vacancy_save_changes(
    *,
    actor,
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
        vacancy = _editable(actor, vacancy)
        if vacancy.employer_id != employer.pk:
            raise NotFoundError(_("Place not found."))
        before = {name: getattr(vacancy, name) for name in FIELDS}
    else:
        vacancy, before = Vacancy(employer=employer), {}
    for name in FIELDS:
        if name in data:
            setattr(vacancy, name, data[name])
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


@transaction.atomic
def vacancy_command(*, actor, vacancy: Vacancy, command: str) -> Vacancy:
    """open / close a place."""
    vacancy = _editable(actor, vacancy)
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


def _set_filled(*, actor, vacancy: Vacancy, filled: int) -> Vacancy:
    """Store the number filled on a locked row: all filled → status filled, fewer → open;
    a fill record for the fill rate over time, and the audit."""
    old = vacancy.places_filled
    vacancy.places_filled = filled
    if filled == vacancy.places:
        vacancy.status = VacancyStatus.FILLED
    elif vacancy.status == VacancyStatus.FILLED:
        vacancy.status = VacancyStatus.OPEN
    vacancy.save(update_fields=["places_filled", "status", "updated_at"])
    if filled != old:
        FillEvent.objects.create(vacancy=vacancy, recorded_at=timezone.now(), places_filled=filled)
    audit.record(
        "vacancy.filled", actor=actor, target=vacancy, changes={"places_filled": [old, filled]}
    )
    return vacancy


@transaction.atomic
def vacancy_fill(*, actor, vacancy: Vacancy, filled: int) -> Vacancy:
    """Record how many places are filled (by someone who may manage the place)."""
    from perspectief.matching.constants import ProposalStatus

    vacancy = _editable(actor, vacancy)
    if not 0 <= filled <= vacancy.places:
        raise ValidationError(
            {"places_filled": _("Between 0 and %(n)d places.") % {"n": vacancy.places}}
        )
    # Recorded hires are matches of the region: the number cannot go below them.
    hires = vacancy.proposals.filter(status=ProposalStatus.HIRED).count()
    if filled < hires:
        raise ValidationError(
            {
                "places_filled": _(
                    "%(n)d people were hired through the platform for this place: at least "
                    "%(n)d places are filled."
                )
                % {"n": hires}
            }
        )
    return _set_filled(actor=actor, vacancy=vacancy, filled=filled)


@transaction.atomic
def vacancy_fill_one(*, actor, vacancy: Vacancy) -> Vacancy:
    """One more place filled by a recorded hire (the caller checked who may record it)."""
    vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
    if vacancy.places_open < 1:
        raise ValidationError({"places_filled": _("All places of this vacancy are filled.")})
    return _set_filled(actor=actor, vacancy=vacancy, filled=vacancy.places_filled + 1)
