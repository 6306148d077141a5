from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    """The national support team and the regions' reflection: questionnaires per period,
    answered by the regions, compared over time and across regions."""

    name = "perspectief.support"
    label = "support"
    verbose_name = _("Support team")

    def ready(self):
        # The questionnaires, reflection rounds and requests waiting for someone, in the
        # inbox (notifications.inbox); imported here because it reads the models.
        from . import inbox

        inbox.register()
