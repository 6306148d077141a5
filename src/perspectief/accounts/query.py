from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models

from .constants import Role


class UserQuerySet(models.QuerySet):
    def visible_to(self, actor):
        """A user sees their own account; a functional administrator sees the accounts
        that hold a membership in an organisation of their region."""
        if actor is None:
            return self.none()
        own = models.Q(pk=actor.user.pk)
        if actor.role == Role.FUNCTIONAL_ADMIN and actor.region_id:
            return self.filter(
                own | models.Q(memberships__organisation__region_id=actor.region_id)
            ).distinct()
        return self.filter(own)


class UserManager(DjangoUserManager.from_queryset(UserQuerySet)):
    pass


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True, organisation__is_active=True)

    def visible_to(self, actor):
        """Own memberships; a functional administrator also sees those in the region."""
        if actor is None:
            return self.none()
        own = models.Q(user_id=actor.user.pk)
        if actor.role == Role.FUNCTIONAL_ADMIN and actor.region_id:
            return self.filter(own | models.Q(organisation__region_id=actor.region_id))
        return self.filter(own)
