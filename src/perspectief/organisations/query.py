from django.db import models


class OrganisationQuerySet(models.QuerySet):
    def visible_to(self, actor):
        """The list of participating organisations is open to every signed-in actor:
        it is the directory partners use to find each other. It holds no personal data."""
        return self.filter(is_active=True) if actor is not None else self.none()

    def managed_by(self, actor):
        """Organisations a functional administrator manages: those of their region."""
        return self.filter(region_id=actor.region_id) if actor.region_id else self.none()
