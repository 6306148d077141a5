"""Durable work is evidenced, not presumed (issue #14, item 1).

Until now a daily job made every running support plan *durable* at six months in work,
whether or not anyone had confirmed the person still worked there. No such plan has a
confirmation (they did not exist), so each is taken back:

- the plan runs again (``active``): past six months it shows as *not confirmed* to the
  jobcoach and in the indicators, until someone who knows confirms the work or its end;
- the transition to *duurzaam* the job wrote stays in the person's history, with the cause
  ``presumed`` (never counted as durable);
- a person still *duurzaam* through it goes back to *geplaatst*, with a dated transition
  (cause ``correction``) that says why; and every change is in the audit trail.

Placements without a hire (set by hand, or carried over from before transitions were kept)
are left as they are: the people stay *geplaatst* (they may well be at work: moving them
back would offer working people to employers), the monitoring does not count them as
matches, and the person's page asks for the hire to be recorded (docs/routes.md)."""

from django.db import migrations
from django.utils import timezone

REASON = (
    "Duurzaam werk werd na zes maanden aangenomen zonder bevestiging; "
    "het wacht nu op een bevestiging."
)


def take_back_presumed(apps, schema_editor):
    SupportPlan = apps.get_model("routes", "SupportPlan")
    Candidate = apps.get_model("candidates", "Candidate")
    JourneyTransition = apps.get_model("candidates", "JourneyTransition")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    today = timezone.localdate()
    confirmed = {
        str(u)
        for u in SupportPlan.objects.filter(confirmation__isnull=False).values_list(
            "uuid", flat=True
        )
    }

    def audit(event, target_type, target_id, changes):
        AuditEvent.objects.create(
            event=event,
            actor_display="system",
            channel="system",
            target_type=target_type,
            target_id=str(target_id),
            changes=changes,
        )

    # Every durable transition so far was the daily job's presumption.
    presumed = JourneyTransition.objects.filter(cause="durable").exclude(reference__in=confirmed)
    presumed.update(cause="presumed")
    for plan in SupportPlan.objects.filter(status="durable", confirmation__isnull=True):
        plan.status, plan.ended_on = "active", None
        plan.save(update_fields=["status", "ended_on"])
        audit(
            "support.durable_taken_back",
            "routes.supportplan",
            plan.uuid,
            {"status": ["durable", "active"], "reason": [None, REASON]},
        )
        person = Candidate.objects.get(pk=plan.candidate_id)
        if person.status != "duurzaam":
            continue
        person.status = "geplaatst"
        person.save(update_fields=["status"])
        JourneyTransition.objects.create(
            candidate=person,
            from_status="duurzaam",
            to_status="geplaatst",
            occurred_on=today,
            cause="correction",
            reason=REASON,
            reference=str(plan.uuid),
        )
        audit(
            "candidate.status_changed",
            "candidates.candidate",
            person.uuid,
            {"status": ["duurzaam", "geplaatst"], "reason": [None, REASON]},
        )


class Migration(migrations.Migration):
    dependencies = [
        ("routes", "0003_work_confirmation_and_outside_hire"),
        ("candidates", "0012_transition_causes_presumed_correction"),
        ("audit", "0009_route_activities"),
    ]

    operations = [migrations.RunPython(take_back_presumed, migrations.RunPython.noop)]
