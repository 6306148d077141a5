from django.db import models

from perspectief.core.authz import Actor, Permission


class OrganisationQuerySet(models.QuerySet):
    def visible_to(self, actor: Actor):
        """The list of participating organisations is open to every signed-in actor:
        it is the directory partners use to find each other. It holds no personal data."""
        return self.filter(is_active=True) if actor is not None else self.none()

    def managed_by(self, actor: Actor):
        """Organisations a functional administrator manages: those of their region."""
        return self.filter(region_id=actor.region_id) if actor.region_id else self.none()


class EmployerAccountQuerySet(models.QuerySet):
    def visible_to(self, actor: Actor):
        """Partners with the employer permission see the employers of their region (and
        who owns them); an employer's own users see their own account."""
        if actor is None:
            return self.none()
        if actor.organisation.kind == "employer":
            return self.filter(organisation_id=actor.organisation.pk)
        if not actor.has_perm(Permission.VIEW_EMPLOYERS) or not actor.region_id:
            return self.none()
        return self.filter(organisation__region_id=actor.region_id)
