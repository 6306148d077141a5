from django.db import models

from perspectief.core.authz import Actor, Permission


class PotQuerySet(models.QuerySet):
    def visible_to(self, actor: Actor | None):
        """The pots of the actor's region and the national ones, for those who may see
        the funding overview; nothing for anyone else."""
        if actor is None or not actor.has_perm(Permission.VIEW_FUNDING) or not actor.region_id:
            return self.none()
        return self.filter(models.Q(region_id=actor.region_id) | models.Q(region=None))

    def kept_by(self, actor: Actor | None):
        """The pots the actor may change: their own region's (never a national one)."""
        if actor is None or not actor.has_perm(Permission.MANAGE_FUNDING) or not actor.region_id:
            return self.none()
        return self.filter(region_id=actor.region_id)

    def for_region(self, region_id):
        """The pots a route step or activity of the region may be paid from."""
        return self.filter(models.Q(region_id=region_id) | models.Q(region=None))
