"""The person's data as a readable document (AVG art. 15), next to the machine-readable file
(art. 20, ``services.candidate_export``): every field with its label, dates as dates, yes/no
for booleans, choices, occupations and skills by their names, and the processings of the
access log in words. The same facts as the JSON, for a person to read and print."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from perspectief.audit.constants import (
    ACTIVITY_IN_WORDS,
    OPERATION_DONE,
    AccessResult,
    SubjectType,
)
from perspectief.core import bsn as bsn_lib

from .constants import Barrier
from .models import Candidate

EMPTY = "—"


@dataclass
class Section:
    title: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    note: str = ""
    empty: str = ""


def text(value) -> str:
    """A value in words, in the active language."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value), "j F Y, H:i")
    if isinstance(value, date):
        return formats.date_format(value, "j F Y")
    if isinstance(value, (list, tuple)):
        return ", ".join(text(v) for v in value) or EMPTY
    label = getattr(value, "label", None)  # ESCO occupations and skills
    if isinstance(label, str):
        return label
    return str(value)


def _label(model, name: str) -> str:
    return capfirst(str(model._meta.get_field(name).verbose_name))


def _value(obj, name: str) -> str:
    model_field = obj._meta.get_field(name)
    if model_field.choices and getattr(obj, name) not in (None, ""):
        return text(getattr(obj, f"get_{name}_display")())
    return text(getattr(obj, name))


def _fields(obj, names) -> list[tuple[str, str]]:
    return [(_label(type(obj), name), _value(obj, name)) for name in names]


def _table(model, names, objects) -> tuple[list[str], list[list[str]]]:
    headers = [_label(model, name) for name in names]
    rows = [[_value(obj, name) for name in names] for obj in objects]
    return headers, rows


def sections(candidate: Candidate, *, with_health: bool = True) -> list[Section]:
    """The document, section by section; without ``with_health`` (a reader without the
    health permission) the functional limitations are left out."""
    from perspectief.audit.models import AccessRecord

    out = []
    person = Section(_("Personal details"))
    person.fields = [
        *_fields(candidate, ["first_name", "last_name"]),
        (
            _("BSN"),
            bsn_lib.decrypt(candidate.bsn_encrypted) if candidate.bsn_encrypted else EMPTY,
        ),
        *_fields(candidate, ["date_of_birth", "email", "phone"]),
        (_label(Candidate, "postcode"), candidate.postcode.code if candidate.postcode else EMPTY),
        (_label(Candidate, "region"), candidate.region.name),
        (
            _label(Candidate, "klantmanager"),
            (candidate.klantmanager.get_full_name() or candidate.klantmanager.username)
            if candidate.klantmanager
            else EMPTY,
        ),
        (_("Registered on"), text(candidate.created_at)),
    ]
    out.append(person)

    profile = Section(_("Profile"))
    profile.fields = [
        *_fields(candidate, ["status", "benefit"]),
        (
            _label(Candidate, "education_level"),
            candidate.education_level.name if candidate.education_level else EMPTY,
        ),
        *_fields(
            candidate,
            [
                "dutch_level",
                "driving_licence",
                "transport",
                "hours_per_week",
                "available_from",
                "max_travel_km",
                "work_experience",
                "work_readiness",
            ],
        ),
        (
            _label(Candidate, "barriers"),
            text([Barrier(b).label if b in Barrier.values else b for b in candidate.barrier_list]),
        ),
        *_fields(candidate, ["motivation", "capacity", "availability_confirmed_at"]),
        (
            _("Target groups"),
            text([row.get_group_display() for row in candidate.target_group_rows.all()]),
        ),
        (_label(Candidate, "occupations"), text(list(candidate.occupations.all()))),
    ]
    out.append(profile)

    from .models import CandidateOrganisation, CandidateSkill, Consent, JourneyTransition

    skills = Section(_("Skills"), empty=_("No skills recorded."))
    skills.headers, skills.rows = _table(
        CandidateSkill, ["skill", "source"], candidate.skills.select_related("skill")
    )
    out.append(skills)

    servings = Section(_("Organisations that support you"))
    servings.headers, servings.rows = _table(
        CandidateOrganisation,
        ["organisation", "legal_basis", "created_at", "is_active"],
        candidate.servings.select_related("organisation"),
    )
    servings.headers[2] = _("Since")
    out.append(servings)

    consents = Section(_("Consent"), empty=_("No consent recorded."))
    consents.headers = [
        *(_label(Consent, n) for n in ("scope", "employer", "method", "granted_at")),
        _label(Consent, "statement_version"),
        *(_label(Consent, n) for n in ("approved_at", "revoked_at")),
    ]
    for c in candidate.consents.select_related("employer__organisation").order_by("granted_at"):
        consents.rows.append(
            [
                _value(c, "scope"),
                c.employer.organisation.name if c.employer_id else EMPTY,
                _value(c, "method"),
                _value(c, "granted_at"),
                f"{c.statement_version}: {c.statement.text()}"
                if c.statement
                else c.statement_version,
                _value(c, "approved_at"),
                _value(c, "revoked_at"),
            ]
        )
    out.append(consents)

    proposals = Section(_("Proposals to employers"), empty=_("No proposals."))
    proposals.headers = [_("Place"), _("Employer"), _("Proposed by"), _("Status"), _("Date")]
    proposals.rows = [
        [
            p.vacancy.title,
            p.vacancy.employer.organisation.name,
            p.proposed_for.name,
            p.get_status_display(),
            text(p.created_at),
        ]
        for p in candidate.proposals.select_related(
            "vacancy__employer__organisation", "proposed_for"
        )
    ]
    out.append(proposals)

    cohorts = Section(_("Group vacancies (cohorts)"), empty=_("No group vacancies."))
    cohorts.headers = [_("Place"), _("Employer"), _("Stage"), _("Preparation"), _("Intake")]
    cohorts.rows = [
        [
            m.vacancy.title,
            m.vacancy.employer.organisation.name,
            m.get_stage_display(),
            text(m.preparation),
            text(m.phase.starts_on) if m.phase_id else EMPTY,
        ]
        for m in candidate.cohorts.select_related("vacancy__employer__organisation", "phase")
    ]
    out.append(cohorts)

    journey = Section(_("Your steps in the programme"), empty=_("No steps recorded."))
    journey.headers, journey.rows = _table(
        JourneyTransition,
        ["occurred_on", "from_status", "to_status", "cause", "reason", "organisation"],
        candidate.journey.select_related("organisation").order_by("occurred_on", "id"),
    )
    out.append(journey)

    out.append(_route_section(candidate))
    out.extend(_support_sections(candidate))

    health = getattr(candidate, "health", None) if with_health else None
    if health is not None:
        limits = Section(_("Functional limitations"))
        limits.fields = _fields(health, ["functional_limitations", "adjustments"])
        out.append(limits)

    processings = Section(
        _("Who processed your data, and why"),
        note=_(
            "Every time someone looked at or changed your data. Refused attempts, in which "
            "nothing was shown, are not listed; the machine-readable file has them too."
        ),
        empty=_("No processings recorded."),
    )
    processings.headers = [
        _("When"),
        _("Organisation"),
        _("Which data"),
        _("What happened"),
        _("For which purpose"),
    ]
    records = (
        AccessRecord.objects.for_subject(SubjectType.CANDIDATE, candidate.uuid)
        .filter(result=AccessResult.OK)
        .order_by("started_at", "id")
    )
    for r in records.iterator():
        what, why = ACTIVITY_IN_WORDS.get(r.activity, (r.get_activity_display(), ""))
        processings.rows.append(
            [
                text(r.started_at),
                r.organisation_name or _("the platform itself"),
                str(what),
                str(OPERATION_DONE.get(r.operation, r.get_operation_display())),
                str(why),
            ]
        )
    out.append(processings)
    return out


def _route_section(candidate) -> Section:
    from perspectief.routes.models import RouteStep

    section = Section(_("Your route to work"), empty=_("No route has been planned yet."))
    route = getattr(candidate, "route", None)
    if route is None:
        return section
    section.note = _("Planned by %(org)s.") % {"org": route.organisation.name}
    section.headers = [
        _label(RouteStep, "title"),
        _label(RouteStep, "kind"),
        _label(RouteStep, "owner"),
        _("Planned"),
        _("Actually"),
        _label(RouteStep, "status"),
        _label(RouteStep, "stop_reason"),
    ]
    for s in route.steps.select_related("owner"):
        section.rows.append(
            [
                s.title,
                s.get_kind_display(),
                s.owner.name,
                f"{text(s.planned_start)} – {text(s.planned_end)}",
                f"{text(s.actual_start)} – {text(s.actual_end)}" if s.actual_start else EMPTY,
                s.get_status_display(),
                text(s.stop_reason),
            ]
        )
    return section


def _support_sections(candidate) -> list[Section]:
    from perspectief.routes.models import CheckIn

    out = []
    for plan in candidate.support_plans.select_related("employer", "organisation"):
        section = Section(_("Support at work: %(work)s") % {"work": plan.job_title})
        section.fields = _fields(
            plan,
            ["employer", "organisation", "started_on", "status", "ended_on", "drop_out_reason"],
        )
        section.headers, section.rows = _table(
            CheckIn,
            ["month", "due_on", "held_on", "with_person", "with_employer", "outcome", "note"],
            plan.check_ins.all(),
        )
        out.append(section)
    if not out:
        out.append(Section(_("Support at work"), empty=_("No support at work recorded.")))
    return out
