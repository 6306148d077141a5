from django.db import models

from perspectief.core.authz import Actor, Permission


class VacancyQuerySet(models.QuerySet):
    def visible_to(self, actor: Actor):
        """An employer's users see their own places; partners with the employer permission
        see the places of their region's employers."""
        if actor is None or not actor.has_perm(Permission.VIEW_EMPLOYERS):
            return self.none()
        if actor.organisation.kind == "employer":
            return self.filter(employer__organisation_id=actor.organisation.pk)
        if not actor.region_id:
            return self.none()
        return self.filter(employer__organisation__region_id=actor.region_id)
