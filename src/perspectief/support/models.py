"""The support team's questionnaires, the regions' answers and support requests.

One model holds both kinds of questionnaire: the team's quarterly progress collection (no
region: every region with a programme manager answers it, one response per region) and a
region's reflection round (its own region: each partner organisation answers once). A
questionnaire's questions are fixed once it is published; a response is a draft until it is
submitted, and a submission after the deadline is accepted and marked late. A
questionnaire's title is said in the reader's language from its kind and period
(:attr:`Questionnaire.display_title`) unless the team typed one."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from perspectief.accounts.fields import by_user, moment, when_and_who
from perspectief.core.dates import day_month_year, quarter_label
from perspectief.core.models import BaseModel

from .constants import (
    Figure,
    Pillar,
    QuestionKind,
    QuestionnaireKind,
    QuestionnaireStatus,
    QuestionTag,
    ReminderStage,
    RequestStatus,
    ResponseStatus,
)
from .query import QuestionnaireQuerySet, RequestQuerySet, ResponseQuerySet


class Questionnaire(BaseModel):
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionnaireKind.choices)
    #: The title the team typed; empty: :attr:`display_title` says it from kind and period.
    title = models.CharField(_("title"), max_length=200, blank=True)
    intro = models.TextField(_("introduction"), blank=True)
    #: A reflection round's region; ``None`` for the team's progress questionnaire.
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    year = models.PositiveIntegerField(_("year"), null=True, blank=True)
    quarter = models.PositiveSmallIntegerField(_("quarter"), null=True, blank=True)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("until"))
    deadline = models.DateField(_("deadline"))
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=QuestionnaireStatus.choices,
        default=QuestionnaireStatus.DRAFT,
    )
    created_by = by_user(_("made by"), blank=False)
    published_at, published_by = when_and_who(_("published at"), _("published by"))

    objects = QuestionnaireQuerySet.as_manager()

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["-period_start", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "quarter"],
                condition=models.Q(kind="voortgang"),
                name="support_one_progress_questionnaire_a_quarter",
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="support_questionnaire_period_in_order",
            ),
        ]

    def __str__(self):
        return self.display_title

    @property
    def quarter_label(self) -> str:
        """The progress questionnaire's quarter: "2026 K4" (nl); empty for a reflection."""
        return quarter_label(self.year, self.quarter) if self.year and self.quarter else ""

    @property
    def display_title(self) -> str:
        """The typed title, or one said in the active language from the kind and period
        ("Voortgang 2026 K3" in Dutch, "Progress 2026 Q3" in English)."""
        if self.title:
            return self.title
        if self.kind == QuestionnaireKind.PROGRESS:
            return gettext("Progress %(quarter)s") % {"quarter": self.quarter_label}
        return gettext("Reflection %(region)s %(start)s – %(end)s") % {
            "region": self.region.name if self.region is not None else "",
            "start": day_month_year(self.period_start),
            "end": day_month_year(self.period_end),
        }

    @property
    def is_published(self) -> bool:
        return self.status == QuestionnaireStatus.PUBLISHED

    @property
    def is_progress(self) -> bool:
        return self.kind == QuestionnaireKind.PROGRESS


class Question(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="questions"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    text = models.CharField(_("question"), max_length=300)
    help = models.CharField(_("explanation"), max_length=500, blank=True)
    kind = models.CharField(_("answered as"), max_length=10, choices=QuestionKind.choices)
    figure = models.CharField(
        _("figure from the platform"), max_length=10, choices=Figure.choices, blank=True
    )
    tag = models.CharField(
        _("read across regions as"), max_length=20, choices=QuestionTag.choices, blank=True
    )
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["questionnaire", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="platform", figure__gt="")
                | (~models.Q(kind="platform") & models.Q(figure="")),
                name="support_question_figure_iff_platform",
            )
        ]

    def __str__(self):
        return self.text

    @property
    def tag_badge(self) -> str:
        """The badge saying how the team reads the answers across regions, left out where
        it would only repeat the question ("Knelpunten [knelpunten]")."""
        label = str(self.get_tag_display()) if self.tag else ""
        return "" if label.casefold() == self.text.strip().casefold() else label


class Response(BaseModel):
    """What one region (progress) or one partner organisation (reflection) answered."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="responses"
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("answered for"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ResponseStatus.choices, default=ResponseStatus.DRAFT
    )
    submitted_at, submitted_by = when_and_who(_("submitted at"), _("submitted by"))
    #: The day the platform's figures were filled in.
    figures_on = models.DateField(_("figures computed on"), null=True, blank=True)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        ordering = ["questionnaire", "region__code", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "organisation"], name="support_response_once"
            )
        ]

    def __str__(self):
        return f"{self.questionnaire} — {self.organisation}"

    @property
    def is_submitted(self) -> bool:
        return self.status == ResponseStatus.SUBMITTED

    @property
    def late(self) -> bool:
        """Submitted after the deadline's day (in local time), computed from the recorded
        moment: "te laat ingediend"."""
        if self.submitted_at is None:
            return False
        return timezone.localdate(self.submitted_at) > self.questionnaire.deadline


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    text = models.TextField(_("answer"), blank=True)
    number = models.DecimalField(
        _("number"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    #: Filled in by the platform (not editable); ``suppressed``: a count too small to show.
    from_platform = models.BooleanField(_("from the platform"), default=False)
    suppressed = models.BooleanField(_("suppressed (x)"), default=False)
    computed_on = models.DateField(_("computed on"), null=True, blank=True)
    #: Shared lessons of the leeragenda the team linked to a bottleneck or good example.
    lessons = models.ManyToManyField(
        "lessons.Lesson", verbose_name=_("lessons"), blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["response", "question__order", "question_id"]
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="support_answer_once")
        ]

    def __str__(self):
        return f"{self.question}: {self.text or self.number}"


class SupportRequest(BaseModel):
    """A region asks the national support team for support; the team answers."""

    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("asked for"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    asked_by = by_user(_("asked by"), blank=False)
    subject = models.CharField(_("subject"), max_length=200)
    question = models.TextField(_("question"))
    pillar = models.CharField(_("pillar"), max_length=10, choices=Pillar.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=RequestStatus.choices, default=RequestStatus.OPEN
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_at, answered_by = when_and_who(_("answered at"), _("answered by"))
    #: When the region opened the answer (takes it out of the region's inbox).
    answer_seen_at = moment(_("answer read at"))

    objects = RequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("support request")
        verbose_name_plural = _("support requests")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.subject


class Reminder(models.Model):
    """That a region was told about a questionnaire at a stage: each stage once."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="reminders"
    )
    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+")
    stage = models.CharField(_("stage"), max_length=12, choices=ReminderStage.choices)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "region", "stage"], name="support_reminder_once"
            )
        ]

    def __str__(self):
        return f"{self.questionnaire_id}/{self.region_id}/{self.stage}"
