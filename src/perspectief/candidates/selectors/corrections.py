"""Reads of profile corrections: a field's value in the fixed text form a correction keeps,
that value in words, the open corrections on a person's page, and the person's own."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.utils import formats
from django.utils.translation import gettext as _

from perspectief.core.authz import Actor, Permission
from perspectief.taxonomy.models import EducationLevel, Occupation

from ..constants import CorrectionField, CorrectionStatus, LanguageLevel, Transport
from ..models import Candidate, ProfileCorrection
from .document import Section, text
from .people import serves

F = CorrectionField

#: How many decided corrections a page shows (the newest).
DECIDED_SHOWN = 10


def stored_value(candidate: Candidate, field: str) -> str:
    """The person's current value of ``field`` as a correction keeps it: a PC4 code, an ISO
    date, a choice's code, ``ja``/``nee``, an education level's code, ESCO URIs separated
    by spaces; empty when nothing is recorded."""
    if field == F.OCCUPATIONS:
        return " ".join(sorted(o.uri for o in candidate.occupations.all()))
    if field == F.POSTCODE:
        return candidate.postcode.code if candidate.postcode else ""
    if field == F.EDUCATION:
        return candidate.education_level.code if candidate.education_level else ""
    value = getattr(candidate, field)
    if value is None:
        return ""
    if field == F.DRIVING_LICENCE:
        return "ja" if value else "nee"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def in_words(field: str, stored: str) -> str:
    """A stored value as the person and the klantmanager read it."""
    if not stored:
        return "—"
    if field == F.AVAILABLE_FROM:
        return formats.date_format(date.fromisoformat(stored), "j F Y")
    if field == F.DRIVING_LICENCE:
        return _("yes") if stored == "ja" else _("no")
    if field == F.TRANSPORT:
        return str(Transport(stored).label) if stored in Transport.values else stored
    if field == F.DUTCH:
        return str(LanguageLevel(stored).label) if stored in LanguageLevel.values else stored
    if field == F.EDUCATION:
        level = EducationLevel.objects.filter(code=stored).first()
        return level.name if level else stored
    if field == F.OCCUPATIONS:
        found = {o.uri: o.label for o in Occupation.objects.filter(uri__in=stored.split())}
        return ", ".join(found.get(uri, uri) for uri in stored.split())
    return stored


def with_words(corrections) -> list[ProfileCorrection]:
    """The corrections with ``proposed_words``, ``current_words`` (at the time) and
    ``field_label`` for a page."""
    rows = list(corrections)
    for c in rows:
        c.proposed_words = in_words(c.field, c.proposed_value)
        c.current_words = in_words(c.field, c.current_value)
    return rows


def may_decide(actor: Actor, candidate: Candidate) -> bool:
    """A klantmanager of an organisation that serves the person decides on corrections."""
    return actor.has_perm(Permission.MANAGE_CANDIDATES) and serves(actor, candidate)


def for_person_page(actor: Actor, candidate: Candidate) -> dict:
    """The open corrections (each with the value recorded now) and the last decided ones,
    for who may decide on them; empty for anyone else."""
    if not may_decide(actor, candidate):
        return {}
    corrections = candidate.corrections.select_related("decided_by", "decided_for")
    open_ = with_words(corrections.filter(status=CorrectionStatus.PROPOSED).order_by("created_at"))
    for c in open_:
        c.now_words = in_words(c.field, stored_value(candidate, c.field))
    decided = with_words(
        corrections.exclude(status=CorrectionStatus.PROPOSED).order_by("-decided_at", "-id")[
            :DECIDED_SHOWN
        ]
    )
    return {"open_corrections": open_, "decided_corrections": decided}


def own_corrections(candidate: Candidate) -> list[ProfileCorrection]:
    """The person's open corrections and the last decided ones, newest first."""
    corrections = candidate.corrections.order_by("-created_at", "-id")
    open_ = list(corrections.filter(status=CorrectionStatus.PROPOSED))
    decided = list(corrections.exclude(status=CorrectionStatus.PROPOSED)[:DECIDED_SHOWN])
    return with_words(open_ + decided)


def open_for(actor: Actor) -> QuerySet[ProfileCorrection]:
    """Open corrections of the people the actor may manage (their organisation serves
    them), oldest first: the klantmanager's inbox."""
    if not actor.has_perm(Permission.MANAGE_CANDIDATES):
        return ProfileCorrection.objects.none()
    people = Candidate.objects.visible_to(actor).served_by(actor.organisation)
    return (
        ProfileCorrection.objects.filter(status=CorrectionStatus.PROPOSED, candidate__in=people)
        .select_related("candidate")
        .order_by("created_at", "id")
    )


@dataclass(frozen=True)
class Detail:
    """One line of the person's details on their own page: the value in words and, for a
    field the person may correct, the field and what they proposed (still open)."""

    label: str
    value: str
    field: str = ""
    pending: str = ""


def own_details(candidate: Candidate) -> dict[str, list[Detail]]:
    """The person's details in two short groups (about you; about the work you want), each
    correctable field with its open proposal."""
    pending = {
        c.field: c.proposed_value
        for c in candidate.corrections.filter(status=CorrectionStatus.PROPOSED)
    }

    def fixed(label: str, value: str) -> Detail:
        return Detail(label, value or "—")

    def correctable(field: str) -> Detail:
        return Detail(
            str(F(field).label),
            in_words(field, stored_value(candidate, field)),
            field,
            in_words(field, pending[field]) if field in pending else "",
        )

    born = candidate.date_of_birth
    skills = ", ".join(s.skill.label for s in candidate.skills.select_related("skill"))
    return {
        "about_you": [
            fixed(_("Name"), candidate.full_name),
            fixed(_("Date of birth"), formats.date_format(born, "j F Y") if born else ""),
            correctable(F.POSTCODE),
            correctable(F.EMAIL),
            correctable(F.PHONE),
        ],
        "about_work": [
            correctable(F.OCCUPATIONS),
            correctable(F.HOURS),
            correctable(F.AVAILABLE_FROM),
            correctable(F.TRAVEL),
            correctable(F.TRANSPORT),
            correctable(F.DRIVING_LICENCE),
            correctable(F.EDUCATION),
            correctable(F.DUTCH),
            fixed(_("Skills"), skills),
            fixed(_("Status"), candidate.get_status_display()),
        ],
    }


def export_part(candidate: Candidate, *, with_health: bool) -> list[dict]:
    """The person's proposed corrections for the file of their data (part "corrections")."""
    return [
        {
            "field": c.field,
            "proposed": c.proposed_value,
            "recorded_when_proposed": c.current_value,
            "explanation": c.reason,
            "status": c.status,
            "proposed_on": c.created_at.isoformat(),
            "decided_on": c.decided_at.isoformat() if c.decided_at else None,
            "reason_declined": c.decline_reason,
        }
        for c in candidate.corrections.order_by("created_at", "id")
    ]


def document_part(candidate: Candidate, *, with_health: bool) -> list[Section]:
    """The same, in words, for the readable document."""
    section = Section(_("Changes you asked for"), empty=_("You have not asked for any changes."))
    section.headers = [_("What"), _("Asked for"), _("When"), _("Answer")]
    for c in with_words(candidate.corrections.order_by("created_at", "id")):
        answer = c.get_status_display()
        if c.decline_reason:
            answer = f"{answer}: {c.decline_reason}"
        section.rows.append([c.get_field_display(), c.proposed_words, text(c.created_at), answer])
    return [section]
