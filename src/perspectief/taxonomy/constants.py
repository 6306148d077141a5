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


# -- work as the soft factors of matching see it (#18) ---------------------------------------
# The codes are the engine's (``matching.engine.records.SUPPORT`` and ``DEMANDS``; a test
# keeps them equal). Several of them are kept in one text column (``core.codes``).


class PhysicalLoad(models.TextChoices):
    """How physically heavy work is, or what a person can carry."""

    LIGHT = "light", _("light")
    MEDIUM = "medium", _("medium")
    HEAVY = "heavy", _("heavy")


class Support(models.TextChoices):
    """Support at work a person may need and a place may offer."""

    ADJUSTED = "adjusted", _("an adjusted place")
    JOBCOACH = "jobcoach", _("a jobcoach")
    FLEXIBLE_HOURS = "flexible_hours", _("flexible working hours")


class WorkDemand(models.TextChoices):
    """What work can ask of a person that a functional limitation may rule out."""

    HEAVY_LIFTING = "heavy_lifting", _("heavy lifting")
    LONG_STANDING = "long_standing", _("standing or walking for long")
    NIGHT_SHIFTS = "night_shifts", _("night shifts")
    NOISE = "noise", _("noise")
    TIME_PRESSURE = "time_pressure", _("high pressure of work or time")
    CUSTOMER_CONTACT = "customer_contact", _("a lot of contact with customers")


#: The SBI 2008 sections (``Sector.code``): a person's excluded sectors are kept as these
#: letters, valid whether or not the sector list has been loaded.
SBI_SECTIONS = tuple("ABCDEFGHIJKLMNOPQRSTU")

#: Dutch words an import file may use for the codes above (the codes themselves are
#: accepted too, in any letter case).
DUTCH_CODES = {
    "licht": PhysicalLoad.LIGHT,
    "middel": PhysicalLoad.MEDIUM,
    "gemiddeld": PhysicalLoad.MEDIUM,
    "middelzwaar": PhysicalLoad.MEDIUM,
    "zwaar": PhysicalLoad.HEAVY,
    "aangepaste_plek": Support.ADJUSTED,
    "aangepast": Support.ADJUSTED,
    "flexibele_uren": Support.FLEXIBLE_HOURS,
    "flexibele_werktijden": Support.FLEXIBLE_HOURS,
    "zwaar_tillen": WorkDemand.HEAVY_LIFTING,
    "lang_staan": WorkDemand.LONG_STANDING,
    "lang_staan_of_lopen": WorkDemand.LONG_STANDING,
    "nachtdiensten": WorkDemand.NIGHT_SHIFTS,
    "nachtdienst": WorkDemand.NIGHT_SHIFTS,
    "lawaai": WorkDemand.NOISE,
    "tijdsdruk": WorkDemand.TIME_PRESSURE,
    "werkdruk": WorkDemand.TIME_PRESSURE,
    "klantcontact": WorkDemand.CUSTOMER_CONTACT,
}
