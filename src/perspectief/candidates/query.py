from django.db import models

from perspectief.accounts.constants import Permission, Role

from .constants import ConsentScope


class ConsentQuerySet(models.QuerySet):
    def active(self, scope=ConsentScope.REGIONAL_PROFILE):
        """Given, agreed by the klantmanager (double opt-in) and not withdrawn."""
        return self.filter(scope=scope, approved_at__isnull=False, revoked_at__isnull=True)


class CandidateQuerySet(models.QuerySet):
    def matchable(self):
        """People matching may propose: current, in view or further (in training too: a
        near miss may be what the course prepares for), not at work or gone,
        and with availability confirmed within the reconfirmation period."""
        from datetime import timedelta

        from django.conf import settings
        from django.utils import timezone

        from .constants import JourneyStatus

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

    def served_by(self, organisation):
        return self.filter(servings__organisation=organisation, servings__is_active=True).distinct()

    def with_regional_consent(self, region_id):
        return self.filter(
            region_id=region_id,
            consents__scope=ConsentScope.REGIONAL_PROFILE,
            consents__approved_at__isnull=False,
            consents__revoked_at__isnull=True,
        ).distinct()

    def visible_to(self, actor):
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
        served = models.Q(servings__organisation_id=actor.organisation.pk, servings__is_active=True)
        consented = models.Q(
            region_id=actor.region_id,
            consents__scope=ConsentScope.REGIONAL_PROFILE,
            consents__approved_at__isnull=False,
            consents__revoked_at__isnull=True,
        )
        ids = current.filter(served | consented).values("pk")
        return current.filter(pk__in=ids)
