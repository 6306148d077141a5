from django.db import models
from django.utils.translation import gettext_lazy as _


class SkillRelation(models.TextChoices):
    ESSENTIAL = "essential", _("essential")
    OPTIONAL = "optional", _("optional")


class CbsEducationLevel(models.TextChoices):
    LOW = "laag", _("low")
    MIDDLE = "middelbaar", _("intermediate")
    HIGH = "hoog", _("high")


class ConceptKind(models.TextChoices):
    OCCUPATION = "occupation", _("occupation")
    SKILL = "skill", _("skill")
    ISCO_GROUP = "isco_group", _("ISCO group")
