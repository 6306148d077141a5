"""What instrument applications add to a person's page (``candidates.panels.PERSON_PAGE``):
the person's hires the actor may see, each with its applications and a link to record one;
and to the person's data (``PERSON_DATA``, AVG art. 15 and 20): every application on their
hires with its decision, payments and deadlines. Registered in ``InstrumentsConfig.ready()``;
the person's page logged reading the person.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext as _

from perspectief.candidates.models import Candidate
from perspectief.candidates.panels import PERSON_DATA, PERSON_PAGE, DataPart
from perspectief.candidates.selectors.document import Section, text
from perspectief.candidates.selectors.export import plain
from perspectief.core.authz import Permission
from perspectief.core.contributions import Panel

from .models import Application
from .query import applications_visible_to
from .selectors.applications import category_name, hires_of


def hire_applications_panel(request, *, candidate: Candidate, level: str) -> dict | None:
    """The hires of the person with the number of instrument applications on each."""
    actor = request.actor
    if not actor.has_perm(Permission.RECORD_APPLICATIONS):
        return None
    hires = hires_of(actor, candidate)
    if not hires:
        return None
    counted = Counter(
        str(proposal or outside)
        for proposal, outside in applications_visible_to(actor)
        .filter(candidate=candidate)
        .values_list("proposal__uuid", "outside_hire__uuid")
    )
    return {"hires": [(hire, counted.get(str(hire.uuid), 0)) for hire in hires]}


def _applications(candidate: Candidate):
    return (
        Application.objects.filter(candidate=candidate)
        .select_related("version__instrument", "recorded_for")
        .annotate(amount_paid=Sum("payments__amount"))
        .order_by("applied_on", "id")
    )


def _money(value) -> str | None:
    return None if value is None else f"{Decimal(value):.2f}"


def applications_export(candidate: Candidate, *, with_health: bool) -> list[dict]:
    """The instruments applied for on the person's hires, for the file of their data."""
    return [
        {
            "instrument": a.version.instrument.code,
            "version": a.version.number,
            "category": a.category,
            "status": a.status,
            "applied_on": plain(a.applied_on),
            "decided_on": plain(a.decided_on),
            "period": [plain(a.period_start), plain(a.period_end)],
            "amount_granted": _money(a.amount_granted),
            "amount_paid": _money(a.amount_paid),
            "recorded_by": a.recorded_for.name,
            "deadlines": [
                {"key": d.key, "due_on": plain(d.due_on), "done_on": plain(d.done_on)}
                for d in a.deadlines.all()
            ],
        }
        for a in _applications(candidate)
    ]


def applications_document(candidate: Candidate, *, with_health: bool) -> list[Section]:
    """The instruments applied for on the person's hires, in words."""
    section = Section(_("Employer instruments applied for"), empty=_("No instrument applications."))
    section.headers = [
        _("Instrument"),
        _("Status"),
        _("Applied on"),
        _("Amount granted"),
        _("Amount paid"),
        _("Recorded by"),
    ]
    section.rows = [
        [
            " — ".join(filter(None, [a.version.name, category_name(a)])),
            a.get_status_display(),
            text(a.applied_on),
            text(_money(a.amount_granted)),
            text(_money(a.amount_paid)),
            a.recorded_for.name,
        ]
        for a in _applications(candidate)
    ]
    return [section]


def register() -> None:
    PERSON_PAGE.register(
        "instruments.applications",
        Panel("instruments/panels/person_applications.html", hire_applications_panel),
        order=120,
    )
    PERSON_DATA.register(
        "instrument_applications",
        DataPart("instrument_applications", applications_export, applications_document),
        order=52,
    )
