"""The one query rule per model (``visible_to``) and the filters built on it.

The models import these QuerySets, so this module names the models it filters on through
the app registry (``_model``) rather than importing them: the import would be circular."""

from datetime import timedelta
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import timezone

from perspectief.core.authz import Actor, Permission, Role

from .constants import LOOKING_FOR_WORK, ConsentScope, JourneyStatus


def _model(name: str) -> Any:
    """A model of this app, looked up when a query is built (see the module); typed Any,
    as the model classes cannot be imported here (they import this module)."""
    return apps.get_model("candidates", name)


class ConsentQuerySet(models.QuerySet):
    def active(self, scope=ConsentScope.REGIONAL_PROFILE):
        """Given, agreed by the klantmanager (double opt-in) and not withdrawn."""
        return self.filter(scope=scope, approved_at__isnull=False, revoked_at__isnull=True)


class CandidateQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        """As Django's, and gives every new person their partner code (as ``save`` does)."""
        objs = list(objs)
        for obj in objs:
            if not obj.label:
                obj.label = obj.partner_label
        return super().bulk_create(objs, *args, **kwargs)

    def matchable(self):
        """People matching may propose: current, in view or further (in training too: a
        near miss may be what the course prepares for), not at work or gone,
        and with availability confirmed within the reconfirmation period."""
        since = timezone.now() - timedelta(days=settings.CANDIDATE_RECONFIRM_DAYS)
        return self.filter(
            merged_into__isnull=True,
            anonymised_at__isnull=True,
            availability_confirmed_at__gte=since,
            status__in=[
                JourneyStatus.IN_VIEW,
                JourneyStatus.WORK_READY,
                JourneyStatus.IN_TRAINING,
                JourneyStatus.PLACEABLE,
                JourneyStatus.DROPPED_OUT,
            ],
        )

    def reconfirmation_due(self, *, now=None):
        """People still looking for work whose availability was not confirmed within the
        reconfirmation period (or never): the 90-day cycle asks them (not merged away, not
        anonymised)."""
        return self.filter(
            reconfirmation_due(now), merged_into__isnull=True, anonymised_at__isnull=True
        )

    def served_by(self, organisation):
        return self.filter(served_by(organisation.pk))

    def with_health_for(self, actor: Actor):
        """Each person with ``health_visible`` — whether the actor may use their functional
        limitations: it holds the health permission and its organisation serves them — and
        ``limitation_codes``: the codes of those limitations (``HealthInformation.limitations``)
        for exactly those people, None for everyone else. In the same query; nothing of the
        others' health data leaves the database."""
        organisation = getattr(actor, "organisation", None)
        if organisation is None or not actor.has_perm(Permission.VIEW_HEALTH):
            return self.annotate(
                health_visible=models.Value(False, output_field=models.BooleanField()),
                limitation_codes=models.Value(None, output_field=models.CharField()),
            )
        visible = served_by(organisation.pk)
        return self.annotate(
            health_visible=models.ExpressionWrapper(visible, output_field=models.BooleanField()),
            limitation_codes=models.Case(
                models.When(visible, then=models.F("health__limitations")),
                default=models.Value(None, output_field=models.CharField()),
                output_field=models.CharField(),
            ),
        )

    def with_regional_consent(self, region_id):
        return self.filter(regional_consent(region_id))

    def visible_to(self, actor: Actor):
        """The one rule for who sees which job seeker:

        - the organisations that serve the person (legal task: Participatiewet, SUWI) see
          the full record;
        - other partners in the person's region (intermediaries, schools, other gemeenten'
          and UWV staff) see a partner view of people who gave consent for a regional
          profile that their klantmanager agreed to (double opt-in);
        - the person sees their own record;
        - a functioneel beheerder can find people of their region only to answer a request
          for access (AVG inzage), never the profile itself.
        """
        if actor is None:
            return self.none()
        # A merged record lives on in another; an anonymised one is nobody any more.
        current = self.filter(merged_into__isnull=True, anonymised_at__isnull=True)
        if actor.role == Role.CANDIDATE:
            return current.filter(user_id=actor.user.pk)
        if actor.role == Role.FUNCTIONAL_ADMIN:
            return current.filter(region_id=actor.region_id) if actor.region_id else self.none()
        if not actor.has_perm(Permission.VIEW_CANDIDATES):
            return self.none()
        # EXISTS, not joins: one row per person, so no DISTINCT and no sort of every row.
        return current.filter(served_by(actor.organisation.pk) | regional_consent(actor.region_id))


def served_by(organisation_id) -> models.Q:
    """People the organisation serves (an active serving), as a filter without a join."""
    return models.Q(
        models.Exists(
            _model("CandidateOrganisation").objects.filter(
                candidate_id=models.OuterRef("pk"),
                organisation_id=organisation_id,
                is_active=True,
            )
        )
    )


def regional_consent(region_id) -> models.Q:
    """People of the region with an agreed, not withdrawn consent for a regional profile."""
    if region_id is None:
        return models.Q(pk__in=[])
    return models.Q(region_id=region_id) & models.Q(
        models.Exists(
            _model("Consent")
            .objects.filter(candidate_id=models.OuterRef("pk"))
            .active(ConsentScope.REGIONAL_PROFILE)
        )
    )


def reconfirmation_due(now=None) -> models.Q:
    """Still looking for work, and availability not confirmed within the reconfirmation
    period (or never), as a filter."""
    since = (now or timezone.now()) - timedelta(days=settings.CANDIDATE_RECONFIRM_DAYS)
    return models.Q(status__in=LOOKING_FOR_WORK) & (
        models.Q(availability_confirmed_at__isnull=True)
        | models.Q(availability_confirmed_at__lt=since)
    )
