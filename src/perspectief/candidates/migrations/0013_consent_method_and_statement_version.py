"""Consent records how it was given (``method``) and which text the person saw (the version
no longer defaults to "1"). The next migration fills both for existing consents."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("candidates", "0012_transition_causes_presumed_correction"),
    ]

    operations = [
        migrations.AddField(
            model_name="consent",
            name="method",
            field=models.CharField(
                choices=[
                    ("in_person", "in person, in a conversation"),
                    ("phone", "by phone"),
                    ("writing", "in writing (letter, form or email)"),
                    ("self", "by the person in their own account"),
                    ("unknown", "not recorded (given before the method was kept)"),
                ],
                default="unknown",
                max_length=12,
                verbose_name="how consent was given",
            ),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="consent",
            name="statement_version",
            field=models.CharField(
                help_text="The version of the consent text the person was shown (consent_statements).",
                max_length=20,
                verbose_name="statement version",
            ),
        ),
    ]
