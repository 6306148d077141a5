"""What higher apps link to a plan's activities: the contribution point
:data:`ACTIVITY_ABOUT`, declared here (monitoring may not import the apps above it) and
registered into by, e.g., the leeragenda (``lessons``: "lessons about this activity").

A contribution gives a heading and a function that, for the actor and the plan's
activities, returns per activity id the links to show (only what the actor may see: the
contributing app applies its own ``visible_to`` rules). The plan's page shows them under
each activity's result."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.functional import Promise

from perspectief.core.authz import Actor
from perspectief.core.contributions import Contributions

from .models import PlanActivity


@dataclass(frozen=True)
class ActivityLink:
    text: str
    url: str = ""


@dataclass(frozen=True)
class ActivityAbout:
    heading: str | Promise
    links: Callable[[Actor, Sequence[PlanActivity]], dict[int, list[ActivityLink]]]


#: What other apps link to a plan's activities (e.g. lessons about an activity).
ACTIVITY_ABOUT = Contributions[ActivityAbout]("what other apps link to a plan's activities")


def about_activities(actor: Actor, activities: Sequence[PlanActivity]) -> dict[int, list[tuple]]:
    """Per activity id: (heading, links) of every contribution that has links for it."""
    out: dict[int, list[tuple]] = {}
    for about in ACTIVITY_ABOUT:
        for activity_id, links in about.links(actor, activities).items():
            if links:
                out.setdefault(activity_id, []).append((str(about.heading), links))
    return out
