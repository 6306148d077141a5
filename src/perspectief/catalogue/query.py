from django.db import models

from perspectief.core.authz import Actor, Permission

from .constants import OfferStatus


class OfferQuerySet(models.QuerySet):
    def visible_to(self, actor: Actor):
        """The catalogue of the actor's region for those who may see it; a provider also
        sees its own archived offers."""
        if actor is None or not actor.region_id or not actor.has_perm(Permission.VIEW_CATALOGUE):
            return self.none()
        mine = models.Q(provider_id=actor.organisation.pk)
        shown = models.Q(region_id=actor.region_id, status=OfferStatus.ACTIVE)
        return self.filter(shown | mine)
