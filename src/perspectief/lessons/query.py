"""Who sees which lesson: the one rule every page, the API and the other apps read."""

from __future__ import annotations

from django.db import models

from perspectief.core.authz import NATIONAL_ROLES, Actor, Permission

from .constants import Visibility


def is_own_region(actor: Actor, region_id) -> bool:
    """Whether the actor works in the region itself (a national role that chose the region
    does not: it reads like another region)."""
    return bool(region_id) and actor.region_id == region_id and actor.role not in NATIONAL_ROLES


class LessonQuerySet(models.QuerySet):
    def visible_to(self, actor: Actor | None):
        """Every lesson of the actor's own region, and the shared lessons of all regions;
        the national roles see shared lessons only. Employers and job seekers none (they
        lack the permission)."""
        if actor is None or not actor.has_perm(Permission.VIEW_LESSONS):
            return self.none()
        shared = models.Q(visibility=Visibility.SHARED)
        if actor.role in NATIONAL_ROLES or not actor.region_id:
            return self.filter(shared)
        return self.filter(shared | models.Q(region_id=actor.region_id))
