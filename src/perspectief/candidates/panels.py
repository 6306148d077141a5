"""Where higher apps add to a person's pages and data (see ``perspectief.core.contributions``).

A person's page, their own page ("Mijn gegevens"), the readable document and the file of
their data show what other apps hold about the person — proposals, cohorts, the route,
support at work — without this app importing those apps: ``matching`` and ``routes``
register their part in their ``AppConfig.ready()`` (``matching/panels.py``,
``routes/panels.py``). Each part keeps to the ``visible_to`` rule and the access logging of
what it shows; the page only decides where it goes.

The person's data (AVG art. 15 and 20) are one list of :class:`DataPart`, each with the
same facts for the file (JSON) and for the document, in this order: this app's own details
(identity, profile, skills, servings, consents) first, then the parts by ``order``. This
app's own later parts stand at 30 (the journey), 60 (functional limitations) and 70 (the
processings of the access log); the others fill in around them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from perspectief.core.contributions import Contributions, Panel

#: Buttons next to "Edit profile" on a person's page, for who manages the person; each
#: panel's context gets ``candidate`` and ``level``.
PERSON_BUTTONS = Contributions[Panel]("buttons on a person's page, for who manages the person")

#: Blocks under the status form on a person's page, for who manages the person.
PERSON_MANAGE = Contributions[Panel]("blocks under a person's status, for who manages them")

#: Sections of a person's page after the work profile, for every viewer of the page (a
#: panel returns ``None`` for a viewer it does not apply to).
PERSON_PAGE = Contributions[Panel]("sections of a person's page, after the work profile")

#: Sections of the job seeker's own page ("Mijn gegevens") after their details; the
#: context gets ``candidate``, the person's own record.
OWN_PAGE = Contributions[Panel]("sections of the job seeker's own page, after their details")


@dataclass(frozen=True)
class DataPart:
    """One part of the person's data, in both forms: ``export(candidate, with_health=…)``
    gives the value of ``key`` in the file for a computer (JSON: codes, ISO dates), and
    ``document(candidate, with_health=…)`` the sections of the readable document
    (``selectors.document.Section``: labels, dates and choices in words). ``with_health`` is
    False for a reader without the health permission: such a reader sees no health data."""

    key: str
    export: Callable[..., Any]
    document: Callable[..., list]


#: The parts of a person's data after this app's own details (see the module).
PERSON_DATA = Contributions[DataPart]("parts of a person's data (AVG art. 15 and 20)")
