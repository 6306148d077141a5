"""People who moved along the journey before transitions were kept get one transition to
their current status, dated when their record last changed (cause ``earlier``), so that the
monitoring can count everyone."""

from django.db import migrations


def backfill(apps, schema_editor):
    Candidate = apps.get_model("candidates", "Candidate")
    JourneyTransition = apps.get_model("candidates", "JourneyTransition")
    rows = []
    for pk, status, changed in (
        Candidate.objects.exclude(status="aangemeld")
        .filter(journey__isnull=True)
        .values_list("pk", "status", "updated_at")
        .iterator()
    ):
        rows.append(
            JourneyTransition(
                candidate_id=pk,
                from_status="aangemeld",
                to_status=status,
                occurred_on=changed.date(),
                cause="earlier",
            )
        )
        if len(rows) >= 1000:
            JourneyTransition.objects.bulk_create(rows)
            rows = []
    JourneyTransition.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [("candidates", "0008_journey_transitions")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
