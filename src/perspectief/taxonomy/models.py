"""ESCO occupations and skills, Dutch education levels, SBI sectors."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .constants import CbsEducationLevel, ConceptKind, SkillRelation


class LabelledConcept(models.Model):
    """An ESCO concept with Dutch and English labels; other languages live in ConceptLabel."""

    uri = models.CharField(_("ESCO URI"), max_length=200, unique=True)
    label_nl = models.CharField(_("Dutch label"), max_length=300, blank=True)
    label_en = models.CharField(_("English label"), max_length=300, blank=True)
    alt_labels_nl = models.TextField(_("Dutch alternative labels"), blank=True)
    alt_labels_en = models.TextField(_("English alternative labels"), blank=True)
    description_nl = models.TextField(_("Dutch description"), blank=True)
    description_en = models.TextField(_("English description"), blank=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.label

    @property
    def esco_id(self) -> str:
        """The UUID at the end of the ESCO URI, used in our URLs."""
        return self.uri.rsplit("/", 1)[-1]

    @property
    def label(self) -> str:
        """The label in the active language, falling back to the other one."""
        if (get_language() or "nl").startswith("en"):
            return self.label_en or self.label_nl
        return self.label_nl or self.label_en

    @property
    def label_is_english(self) -> bool:
        """:attr:`label` is English on a Dutch page: ESCO has no Dutch label for it (pages
        mark it as English). Not called ``english_only``: the suggestions API sets that
        attribute on the concepts it answers."""
        return not self.label_nl and bool(self.label_en) and not _english_page()


def _english_page() -> bool:
    return (get_language() or "nl").startswith("en")


class IscoGroup(LabelledConcept):
    code = models.CharField(_("ISCO code"), max_length=4, unique=True)

    class Meta:
        verbose_name = _("ISCO group")
        verbose_name_plural = _("ISCO groups")
        ordering = ["code"]


class Occupation(LabelledConcept):
    code = models.CharField(_("ESCO code"), max_length=40, blank=True)
    isco_group = models.ForeignKey(
        IscoGroup,
        verbose_name=_("ISCO group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="occupations",
    )
    skills = models.ManyToManyField(
        "taxonomy.Skill", through="taxonomy.OccupationSkill", related_name="occupations"
    )

    class Meta:
        verbose_name = _("occupation")
        verbose_name_plural = _("occupations")
        ordering = ["label_nl"]


class Skill(LabelledConcept):
    skill_type = models.CharField(_("skill type"), max_length=40, blank=True)
    reuse_level = models.CharField(_("reuse level"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        ordering = ["label_en"]


class OccupationSkill(models.Model):
    occupation = models.ForeignKey(
        Occupation, on_delete=models.CASCADE, related_name="skill_relations"
    )
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="occupation_relations")
    relation = models.CharField(_("relation"), max_length=10, choices=SkillRelation.choices)

    class Meta:
        verbose_name = _("occupation skill")
        verbose_name_plural = _("occupation skills")
        constraints = [
            models.UniqueConstraint(
                fields=["occupation", "skill"], name="occupationskill_unique_pair"
            )
        ]

    def __str__(self):
        return f"{self.occupation_id} {self.relation} {self.skill_id}"


class ConceptLabel(models.Model):
    """Labels in any ESCO language, as imported from an official ESCO CSV export."""

    kind = models.CharField(_("kind"), max_length=12, choices=ConceptKind.choices)
    uri = models.CharField(_("ESCO URI"), max_length=200)
    language = models.CharField(_("language"), max_length=10)
    preferred_label = models.CharField(_("preferred label"), max_length=300)
    alt_labels = models.TextField(_("alternative labels"), blank=True)

    class Meta:
        verbose_name = _("concept label")
        verbose_name_plural = _("concept labels")
        constraints = [
            models.UniqueConstraint(fields=["uri", "language"], name="conceptlabel_unique_language")
        ]

    def __str__(self):
        return f"{self.preferred_label} ({self.language})"


class EducationLevel(models.Model):
    """A Dutch diploma with its NLQF/EQF level and whether it is a startkwalificatie."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    school_type = models.CharField(_("type of education"), max_length=60)
    nlqf = models.CharField(_("NLQF level"), max_length=4, blank=True)
    eqf = models.PositiveSmallIntegerField(_("EQF level"), null=True, blank=True)
    cbs_level = models.CharField(_("CBS level"), max_length=12, choices=CbsEducationLevel.choices)
    startkwalificatie = models.BooleanField(_("startkwalificatie"))
    note = models.TextField(_("note"), blank=True)
    rank = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("education level")
        verbose_name_plural = _("education levels")
        ordering = ["rank"]

    def __str__(self):
        return self.name


class Sector(models.Model):
    """An SBI 2008 section (A-U)."""

    code = models.CharField(_("SBI section"), max_length=1, unique=True)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    division_from = models.CharField(_("first division"), max_length=2)
    division_to = models.CharField(_("last division"), max_length=2)

    class Meta:
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"
