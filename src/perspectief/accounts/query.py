from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.utils import timezone

from perspectief.core.authz import Actor, Permission, Role

from .constants import InvitationPurpose


class UserQuerySet(models.QuerySet):
    def visible_to(self, actor: Actor):
        """A user sees their own account; a functional administrator sees the accounts
        that hold a membership in an organisation of their region."""
        if actor is None:
            return self.none()
        own = models.Q(pk=actor.user.pk)
        if actor.role == Role.FUNCTIONAL_ADMIN and actor.region_id:
            in_region = models.Q(
                memberships__organisation__region_id=actor.region_id,
                memberships__is_active=True,
            )
            return self.filter(pk__in=self.filter(own | in_region).values("pk"))
        return self.filter(own)

    def managed_by(self, actor: Actor):
        """Accounts an administrator may reset: every active role of the user lies in the
        administrator's region (so nobody takes over an account of another region)."""
        if actor is None or actor.role != Role.FUNCTIONAL_ADMIN or not actor.region_id:
            return self.none()
        elsewhere = models.Q(memberships__is_active=True) & ~models.Q(
            memberships__organisation__region_id=actor.region_id
        )
        return self.visible_to(actor).exclude(pk__in=self.filter(elsewhere).values("pk"))


# django-stubs cannot type a manager made by from_queryset() on its generic UserManager.
class UserManager(DjangoUserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    pass


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True, organisation__is_active=True)

    def visible_to(self, actor: Actor):
        """Own memberships; a functional administrator also sees those in the region."""
        if actor is None:
            return self.none()
        own = models.Q(user_id=actor.user.pk)
        if actor.role == Role.FUNCTIONAL_ADMIN and actor.region_id:
            return self.filter(own | models.Q(organisation__region_id=actor.region_id))
        return self.filter(own)


class InvitationQuerySet(models.QuerySet):
    def open(self):
        """Not accepted, not revoked, not expired: the link still works."""
        return self.filter(used_at=None, revoked_at=None, expires_at__gt=timezone.now())

    def expired(self):
        """Expired without being accepted or revoked (to send again, or to withdraw)."""
        return self.filter(used_at=None, revoked_at=None, expires_at__lte=timezone.now())

    def visible_to(self, actor: Actor):
        """Who manages which invitations:

        - a functional administrator: the invitations of staff into the organisations of
          their region;
        - an employer's account owner: the invitations of that employer's users;
        - a klantmanager: the job-seeker invitations of their own organisation. Which
          people those are, and whether the klantmanager still serves them, is for
          ``candidates`` to say; its pages check that before showing one.
        """
        if actor is None or actor.membership is None:
            return self.none()
        shown = models.Q(pk__in=[])
        if actor.has_perm(Permission.MANAGE_USERS) and actor.region_id:
            shown |= models.Q(
                purpose=InvitationPurpose.STAFF, organisation__region_id=actor.region_id
            )
        if actor.has_perm(Permission.MANAGE_EMPLOYERS):
            shown |= models.Q(
                purpose=InvitationPurpose.EMPLOYER_USER,
                organisation__employer_account__owner_id=actor.membership.pk,
            )
        if actor.has_perm(Permission.MANAGE_CANDIDATES):
            shown |= models.Q(
                purpose=InvitationPurpose.JOB_SEEKER, organisation_id=actor.organisation.pk
            )
        return self.filter(shown)
