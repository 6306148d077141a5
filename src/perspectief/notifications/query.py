"""Who may read which messages of the sent-mail log."""

from __future__ import annotations

from django.db import models

from perspectief.core.authz import Actor, Permission


class MessageQuerySet(models.QuerySet):
    def visible_to(self, actor: Actor):
        """The sent-mail log of the functioneel beheerder's region: messages to its
        organisations' users and invitations sent by them. Nobody else reads the log; a
        person sees their own messages in their inbox, not here."""
        if not actor.has_perm(Permission.MANAGE_USERS) or actor.region_id is None:
            return self.none()
        return self.filter(organisation__region_id=actor.region_id)
