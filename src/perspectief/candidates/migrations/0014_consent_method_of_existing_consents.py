"""Consent records how it was given and which text the person saw.

Existing consents: given by the person in their own account (recorded by their own user)
become method ``self``; the others ``unknown`` (the klantmanager recorded them before the
method was kept). Regional-profile consents keep version 1, the text then shown on "Mijn
gegevens"; introductions get version 0 (no fixed text was shown before)."""

from django.db import migrations


def record_method_and_version(apps, schema_editor):
    Consent = apps.get_model("candidates", "Consent")
    Candidate = apps.get_model("candidates", "Candidate")
    own_users = dict(Candidate.objects.filter(user__isnull=False).values_list("pk", "user_id"))
    for consent in Consent.objects.all().only("pk", "candidate_id", "recorded_by_id", "scope"):
        own = (
            consent.recorded_by_id is not None
            and own_users.get(consent.candidate_id) == consent.recorded_by_id
        )
        Consent.objects.filter(pk=consent.pk).update(
            method="self" if own else "unknown",
            statement_version="0" if consent.scope == "introduction" else "1",
        )


class Migration(migrations.Migration):
    dependencies = [
        ("candidates", "0013_consent_method_and_statement_version"),
    ]

    operations = [
        migrations.RunPython(record_method_and_version, migrations.RunPython.noop),
    ]
