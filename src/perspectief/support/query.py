"""Who sees what of the support team's work. The team (``SUPPORT_REGIONS``) sees every
region's questionnaires, submitted responses and requests; a region's programme manager
(``REPORT_PROGRESS``) the progress questionnaires and the region's own responses and
requests; a region's partners (``REFLECT``) the region's reflection rounds. Nobody else
sees any of it. None of it is about a person."""

from django.db import models

from perspectief.core.authz import Actor, Permission


def is_team(actor: Actor | None) -> bool:
    """The national support team."""
    return actor is not None and actor.has_perm(Permission.SUPPORT_REGIONS)


def in_region(actor: Actor | None, permission: str) -> bool:
    """Someone of a region with the permission (the programme manager: ``REPORT_PROGRESS``;
    the region's partners: ``REFLECT``)."""
    return actor is not None and bool(actor.region_id) and actor.has_perm(permission)


class QuestionnaireQuerySet(models.QuerySet):
    def visible_to(self, actor: Actor | None):
        if actor is None:
            return self.none()
        if is_team(actor):
            return self.all()
        allowed = models.Q(pk__in=[])
        if in_region(actor, Permission.REPORT_PROGRESS):
            allowed |= models.Q(kind="voortgang", status="gepubliceerd")
        if in_region(actor, Permission.REFLECT):
            allowed |= models.Q(kind="reflectie", region_id=actor.region_id)
        return self.filter(allowed)


class ResponseQuerySet(models.QuerySet):
    def visible_to(self, actor: Actor | None):
        """The team: submitted responses of every region (a draft is the region's own);
        the region: its own progress responses (programme manager) and its reflection
        responses (partners: the submitted ones and their organisation's own draft)."""
        if actor is None:
            return self.none()
        if is_team(actor):
            return self.filter(status="ingediend")
        allowed = models.Q(pk__in=[])
        if in_region(actor, Permission.REPORT_PROGRESS):
            allowed |= models.Q(questionnaire__kind="voortgang", region_id=actor.region_id)
        if in_region(actor, Permission.REFLECT):
            allowed |= models.Q(questionnaire__kind="reflectie", region_id=actor.region_id) & (
                models.Q(status="ingediend") | models.Q(organisation_id=actor.organisation.pk)
            )
        return self.filter(allowed)


class RequestQuerySet(models.QuerySet):
    def visible_to(self, actor: Actor | None):
        if actor is None:
            return self.none()
        if is_team(actor):
            return self.all()
        if in_region(actor, Permission.REPORT_PROGRESS):
            return self.filter(region_id=actor.region_id)
        return self.none()
