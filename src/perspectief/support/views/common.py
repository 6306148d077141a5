"""What the support pages share: a posted form handed to a service, its refusal shown on the
form — a field's error at the field, any other at the top — and nothing saved; and the form
that answers a questionnaire (progress or reflection)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from perspectief.core.exceptions import DomainError, user_message

from ..forms import AnswersForm
from ..models import Questionnaire, Response
from ..services import responses as answering

T = TypeVar("T")


def errors_to_form(form: forms.Form, exc: ValidationError) -> None:
    """A service's refusal on the form: at the field it names, else at the top."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def save_posted(request: HttpRequest, form: forms.Form, save: Callable[[], T]) -> T | None:
    """``save()``'s result when the request posts a valid form and the service accepts it;
    None otherwise (a GET, an invalid form, or a refusal, which is put on the form)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return save()
    except ValidationError as exc:
        errors_to_form(form, exc)
    except DomainError as exc:
        form.add_error(None, user_message(exc))
    return None


def answer_form(
    request: HttpRequest, questionnaire: Questionnaire, response: Response | None, *, submit: bool
) -> tuple[AnswersForm, Response | None]:
    """The form answering the questionnaire for the actor (filled with the response so far),
    and the response saved from it when it was posted and accepted (``submit``: final)."""
    initial = {}
    if response is not None:
        for answer in response.answers.select_related("question"):
            field = answering.field_name(answer.question)
            initial[field] = answer.text if answer.number is None else str(answer.number)
    questions = list(questionnaire.questions.order_by("order", "id"))
    form = AnswersForm(request.POST or None, initial=initial, questions=questions)
    saved = save_posted(
        request,
        form,
        lambda: answering.response_save(
            actor=request.actor,  # type: ignore[attr-defined]
            questionnaire=questionnaire,
            answers=form.cleaned_data,
            submit=submit,
        ),
    )
    return form, saved
