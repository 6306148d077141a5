from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("candidates", "0014_consent_method_of_existing_consents"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="consent",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("statement_version", ""), _negated=True),
                    models.Q(("method", ""), _negated=True),
                ),
                name="consent_statement_and_method_recorded",
            ),
        ),
    ]
