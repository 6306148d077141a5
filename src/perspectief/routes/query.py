from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from perspectief.core.authz import Actor, Permission, Role

from .constants import OPEN_STEPS, HandOff


def _current(qs, prefix: str):
    """Merged and anonymised people drop out, as in Candidate.visible_to."""
    return qs.filter(
        **{f"{prefix}merged_into__isnull": True, f"{prefix}anonymised_at__isnull": True}
    )


def _person_rule(qs, actor: Actor, also):
    """The frame both rules share: nobody without an actor; the person their own; staff
    with the route permission what the organisations serving the person see, plus what
    ``also(organisation_id)`` (a Q) lets the actor's organisation see."""
    if actor is None:
        return qs.none()
    current = _current(qs, "candidate__")
    if actor.role == Role.CANDIDATE:
        return current.filter(candidate__user_id=actor.user.pk)
    if not actor.has_perm(Permission.VIEW_ROUTES):
        return qs.none()
    org = actor.organisation.pk
    served = models.Q(candidate__servings__organisation_id=org, candidate__servings__is_active=True)
    ids = current.filter(served | also(org)).values("pk")
    return current.filter(pk__in=ids)


class RouteQuerySet(models.QuerySet):
    def visible_to(self, actor: Actor):
        """The one rule for who sees a person's route:

        - the organisations that serve the person (legal task) see and plan it;
        - an organisation a step was handed to sees the route while that step waits for its
          answer or is accepted and open, and for ``ROUTE_STEP_ACCESS_DAYS`` after it ended
          (it carries out that step on the serving organisation's behalf);
        - the person sees their own route.
        """
        since = timezone.localdate() - timedelta(days=settings.ROUTE_STEP_ACCESS_DAYS)

        def handed(org):
            return models.Q(
                steps__owner_id=org, steps__handoff__in=[HandOff.PENDING, HandOff.ACCEPTED]
            ) & (models.Q(steps__status__in=OPEN_STEPS) | models.Q(steps__actual_end__gte=since))

        return _person_rule(self, actor, handed)


class SupportPlanQuerySet(models.QuerySet):
    def visible_to(self, actor: Actor):
        """Support plans: the organisations that serve the person and the organisation that
        supports the person at work (its jobcoaches); the person their own."""
        return _person_rule(self, actor, lambda org: models.Q(organisation_id=org))
