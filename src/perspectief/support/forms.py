"""Forms of the support team's pages; the rules live in the services."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from perspectief.core.dates import quarter_short
from perspectief.lessons.constants import Visibility
from perspectief.lessons.models import Lesson
from perspectief.monitoring.forms.dashboard import DATE

from .constants import Figure, Pillar, QuestionKind, QuestionTag
from .models import Question
from .services.questionnaires import ProgressInput, QuestionInput
from .services.reflection import RoundInput
from .services.requests import RequestInput
from .services.responses import field_name


class ProgressForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=_("Quarter"),
        choices=lambda: [(q, quarter_short(q)) for q in range(1, 5)],
        coerce=int,
    )
    deadline = forms.DateField(label=_("Deadline"), widget=DATE)
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("Empty: “Progress <year> Q<quarter>”, in the reader's language."),
    )
    intro = forms.CharField(
        label=_("Introduction for the regions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_deadline(self) -> date:
        """A deadline already passed would make every answer late: refused on the page.
        (The service still records a past quarter's questionnaire, as the demo does.)"""
        deadline = self.cleaned_data["deadline"]
        if deadline < timezone.localdate():
            raise forms.ValidationError(
                _("The deadline has passed already: choose today or a later day.")
            )
        return deadline

    def progress_input(self) -> ProgressInput:
        return ProgressInput(**self.cleaned_data)


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("Question"), max_length=300)
    help = forms.CharField(label=_("Explanation"), max_length=500, required=False)
    kind = forms.ChoiceField(label=_("Answered as"), choices=QuestionKind.choices)
    figure = forms.ChoiceField(
        label=_("Figure from the platform"),
        choices=[("", "—"), *Figure.choices],
        required=False,
        help_text=_("Only for a figure from the platform."),
    )
    tag = forms.ChoiceField(
        label=_("Read across regions as"),
        choices=QuestionTag.choices,
        required=False,
        help_text=_("Bottlenecks and good examples appear in the team's overview."),
    )
    required = forms.BooleanField(label=_("An answer is required"), required=False, initial=True)

    def question_input(self) -> QuestionInput:
        return QuestionInput(**self.cleaned_data)


class AnswersForm(forms.Form):
    """One field per question that is typed (a platform figure has none: it is filled in).
    Every field may stay empty in a draft; the service asks for the required ones on
    submission."""

    def __init__(self, *args, questions: list[Question], **kwargs):
        super().__init__(*args, **kwargs)
        for question in questions:
            if question.kind == QuestionKind.FIGURE:
                continue
            widget = (
                forms.TextInput(attrs={"inputmode": "decimal"})
                if question.kind == QuestionKind.NUMBER
                else forms.Textarea(attrs={"rows": 4})
            )
            label = question.text
            if not question.required:
                label = f"{label} ({gettext('optional')})"
            self.fields[field_name(question)] = forms.CharField(
                label=label,
                help_text=question.help,
                required=False,
                widget=widget,
                max_length=5000,
            )


class RoundForm(forms.Form):
    period_start = forms.DateField(label=_("Period from"), widget=DATE)
    period_end = forms.DateField(label=_("Period until"), widget=DATE)
    deadline = forms.DateField(label=_("Answer by"), widget=DATE)
    extra_question = forms.CharField(
        label=_("A question of the region's own"),
        max_length=300,
        required=False,
        help_text=_("Asked after the three standard questions; answering it is optional."),
    )

    def round_input(self) -> RoundInput:
        return RoundInput(**self.cleaned_data)


class RequestForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    #: Nothing chosen beforehand: a request sent without a look is not filed under a pillar.
    pillar = forms.ChoiceField(
        label=_("Pillar"),
        choices=[("", _("— choose a pillar —")), *Pillar.choices],
        error_messages={"required": _("Choose the pillar your question is about.")},
    )
    question = forms.CharField(
        label=_("What do you need support with?"), widget=forms.Textarea(attrs={"rows": 5})
    )

    def request_input(self) -> RequestInput:
        return RequestInput(**self.cleaned_data)


class AnswerRequestForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 6}))


class LinkLessonForm(forms.Form):
    lesson = forms.ModelChoiceField(
        label=_("Shared lesson"),
        queryset=Lesson.objects.filter(visibility=Visibility.SHARED),
        empty_label=_("— choose a shared lesson —"),
    )
