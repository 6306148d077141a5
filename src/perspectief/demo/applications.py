"""Demo instrument applications in Groot Amsterdam, made through the services so that each
is dated, audited and has its deadlines as in real use:

- on the four hires of the demo routes (``demo/routes.py``): loonkostensubsidie granted and
  running with monthly payments (its wage-value reassessment still open), jobcoaching
  granted with payments, LKV granted (its target group statement done), and a
  no-riskpolis applied for;
- a new hire of a person of 56 or older, found outside the platform about ten weeks ago,
  with an LKV application (oudere werknemer) for which the WSP account manager
  (``am.amsterdam``) acts: the target group statement is due three months after the
  start, within the next weeks, so it stands in their inbox.

Idempotent: nothing happens when applications exist or the instruments are not loaded.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from perspectief.accounts.actor import actor_for
from perspectief.accounts.models import Membership
from perspectief.candidates.models import Candidate
from perspectief.core.dates import add_months
from perspectief.demo.credentials import refuse_in_production
from perspectief.instruments.models import Application, InstrumentVersion
from perspectief.instruments.selectors.applications import Hire, versions_for
from perspectief.instruments.services import applications as services
from perspectief.matching.models import OutsideHire, Proposal
from perspectief.matching.services import hires


def _member(username: str, role: str) -> Membership | None:
    return (
        Membership.objects.filter(user__username=username, role=role, is_active=True)
        .select_related("organisation", "user")
        .first()
    )


def _hires(organisation) -> list[Hire]:
    """The organisation's hires, oldest start first."""
    found = [
        Hire(proposal=p)
        for p in Proposal.objects.filter(status="hired", proposed_for=organisation)
        .exclude(start_date__isnull=True)
        .select_related("candidate", "vacancy__employer__organisation")
    ]
    found += [
        Hire(outside_hire=h)
        for h in OutsideHire.objects.filter(recorded_for=organisation).select_related("candidate")
    ]
    return sorted(found, key=lambda h: h.start_date or date.max)


def _version(actor, hire: Hire, code: str) -> InstrumentVersion | None:
    return next((v for v in versions_for(actor, hire) if v.instrument.code == code), None)


def _apply(actor, hire: Hire, code: str, *, category="", responsible=None, days_after=3):
    version = _version(actor, hire, code)
    if version is None or hire.start_date is None:
        return None
    applied = min(hire.start_date + timedelta(days=days_after), timezone.localdate())
    return services.application_record(
        actor=actor,
        hire=hire,
        version=version,
        category=category,
        applied_on=applied,
        responsible=responsible or actor.membership,
        reference=f"DEMO-{code}-{hire.start_date:%Y%m}",
    )


def _grant(actor, application, amount: str, *, months: int, running: bool, paid: list[str]):
    start = application.applied_on
    decided = min(start + timedelta(days=21), timezone.localdate())
    services.application_status(
        actor=actor,
        application=application,
        status="toegekend",
        decided_on=decided,
        amount_granted=Decimal(amount),
        period_start=start,
        period_end=add_months(start, months) - timedelta(days=1),
    )
    if running:
        services.application_status(actor=actor, application=application, status="lopend")
    for index, value in enumerate(paid):
        day = min(add_months(decided, index + 1), timezone.localdate())
        services.payment_record(
            actor=actor, application=application, paid_on=day, amount=Decimal(value)
        )


def _older_person(organisation, today: date) -> Candidate | None:
    """A person of 56 or older the office serves who is not placed and has no route."""
    return (
        Candidate.objects.served_by(organisation)
        .filter(
            merged_into__isnull=True,
            anonymised_at__isnull=True,
            user__isnull=True,
            route__isnull=True,
            date_of_birth__lte=add_months(today, -56 * 12),
            date_of_birth__gte=add_months(today, -64 * 12),
        )
        .exclude(status__in=["geplaatst", "duurzaam", "uitgestroomd"])
        .order_by("pk")
        .first()
    )


@transaction.atomic
def create_demo_applications() -> int:
    """Returns the applications made."""
    refuse_in_production()
    km_member = _member("km.amsterdam", "klantmanager")
    am_member = _member("am.amsterdam", "accountmanager")
    if km_member is None or am_member is None or Application.objects.exists():
        return 0
    if not InstrumentVersion.objects.filter(instrument__code="LKV").exists():
        return 0
    km = actor_for(km_member)
    today = timezone.localdate()
    made = []
    existing = _hires(km_member.organisation)
    if len(existing) >= 4:
        oldest, second, third, newest = existing[:4]
        lks = _apply(km, oldest, "LKS", days_after=-10)
        if lks is not None:
            _grant(km, lks, "9600.00", months=12, running=True, paid=["800.00"] * 6)
        coach = _apply(km, second, "JOBCOACH")
        if coach is not None:
            _grant(km, coach, "5200.00", months=6, running=True, paid=["1300.00", "1300.00"])
        lkv = _apply(km, third, "LKV", category="oudere_werknemer", days_after=20)
        if lkv is not None:
            _grant(km, lkv, "6000.00", months=12, running=False, paid=[])
            for deadline in lkv.deadlines.filter(done_on__isnull=True, due_on__lte=today):
                services.deadline_done(actor=km, deadline=deadline, done_on=deadline.due_on)
        made += [lks, coach, lkv, _apply(km, newest, "NO_RISK", category="arbeidsbeperking")]
    made.append(_new_hire_with_lkv(km, am_member, today))
    return len([a for a in made if a is not None])


def _new_hire_with_lkv(km, am_member: Membership, today: date) -> Application | None:
    """A hire about ten weeks ago of a person of 56+, with LKV applied for: its target
    group statement is due in about two weeks, in the account manager's inbox."""
    person = _older_person(km.organisation, today)
    if person is None:
        return None
    start = add_months(today, -3) + timedelta(days=16)
    hire = hires.outside_hire_record(
        actor=km,
        candidate=person,
        employer_name="Hoveniersbedrijf Groenrijk (demo)",
        job_title="Hovenier",
        contract="tijdelijk",
        start_date=start,
        note="Via het netwerk van de accountmanager; LKV aangevraagd.",
    )
    return _apply(
        km, Hire(outside_hire=hire), "LKV", category="oudere_werknemer", responsible=am_member
    )
