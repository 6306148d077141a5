"""A questionnaire's default title was stored in the language of whoever made it ("Progress
Q3 2026" in a Dutch page); it is now said at display time from the kind and period, and only
a typed title is stored. Existing default titles (in either language) become empty; a title
the team typed stays."""

from django.db import migrations, models

PROGRESS = ("Progress", "Voortgang")
REFLECTION = ("Reflection", "Reflectie")


def _day(day) -> str:
    return f"{day.day}-{day.month}-{day.year}"  # core.dates.short_date, as stored then


def _defaults(questionnaire) -> set[str]:
    if questionnaire.kind == "voortgang":
        return {f"{word} Q{questionnaire.quarter} {questionnaire.year}" for word in PROGRESS}
    region = questionnaire.region.name if questionnaire.region_id else ""
    period = f"{_day(questionnaire.period_start)} – {_day(questionnaire.period_end)}"
    return {f"{word} {region} {period}" for word in REFLECTION}


def forget_default_titles(apps, schema_editor):
    Questionnaire = apps.get_model("support", "Questionnaire")
    for questionnaire in Questionnaire.objects.select_related("region").exclude(title=""):
        if questionnaire.title in _defaults(questionnaire):
            Questionnaire.objects.filter(pk=questionnaire.pk).update(title="")


def store_dutch_titles(apps, schema_editor):
    """Back: the title was required; the Dutch default (the product's language) is stored."""
    Questionnaire = apps.get_model("support", "Questionnaire")
    for questionnaire in Questionnaire.objects.select_related("region").filter(title=""):
        if questionnaire.kind == "voortgang":
            title = f"{PROGRESS[1]} Q{questionnaire.quarter} {questionnaire.year}"
        else:
            region = questionnaire.region.name if questionnaire.region_id else ""
            period = f"{_day(questionnaire.period_start)} – {_day(questionnaire.period_end)}"
            title = f"{REFLECTION[1]} {region} {period}"
        Questionnaire.objects.filter(pk=questionnaire.pk).update(title=title)


class Migration(migrations.Migration):
    dependencies = [
        ("support", "0001_support"),
    ]

    operations = [
        migrations.AlterField(
            model_name="questionnaire",
            name="title",
            field=models.CharField(blank=True, max_length=200, verbose_name="title"),
        ),
        migrations.RunPython(forget_default_titles, store_dutch_titles),
    ]
