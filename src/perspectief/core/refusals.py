"""A parser's refusal of what a person typed, in the reader's language or in both.

Parsers (postcodes, dates, the profile values of ``candidates/parsing.py``) raise
``ValueError`` whose message is translated when it is read: ``str(exc)`` is in the active
language (a form, an API answer), :func:`both` gives Dutch and English (an import rejection
is stored in both). The import's own checks and stored errors write ``"nl / en"`` instead;
:func:`pair` splits such a text and :func:`in_language` picks the reader's half.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from django.utils import translation
from django.utils.functional import Promise
from django.utils.text import format_lazy

if TYPE_CHECKING:  # the stubs' name for a lazy translated text
    from django_stubs_ext import StrPromise


def refusal(message: str | StrPromise, **values: object) -> ValueError:
    """A parser's refusal: an English msgid with its values, translated when it is read."""
    return ValueError(format_lazy(message, **values))


def in_both_languages(render: Callable[[], object]) -> tuple[str, str]:
    """``render()`` read in Dutch and in English."""
    with translation.override("nl"):
        nl = str(render())
    with translation.override("en"):
        return nl, str(render())


def pair(message: str) -> tuple[str, str]:
    """A text written as ``"nl / en"`` as (Dutch, English); one without the separator is
    the same in both."""
    nl, _sep, en = message.partition(" / ")
    return nl, en or nl


def both(exc: Exception) -> tuple[str, str]:
    """A refusal in Dutch and English, for what is stored in both (an import rejection). A
    message written as ``"nl / en"`` (the import's own checks) is split."""
    message = exc.args[0] if exc.args else ""
    if isinstance(message, Promise):
        return in_both_languages(partial(str, message))
    return pair(str(message))


def chosen(nl: str, en: str) -> str:
    """Of a reason kept in both languages, the one of the active language (Dutch first)."""
    return en if (translation.get_language() or "nl").startswith("en") else nl


def in_language(message: object) -> str:
    """A refusal or a stored ``"nl / en"`` text in the active language only."""
    if isinstance(message, Exception) and message.args and isinstance(message.args[0], Promise):
        return str(message)
    return chosen(*pair(str(message)))
