from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConversationsConfig(AppConfig):
    """Notes between partners about a person, and messages between a job seeker and the
    professionals who serve them."""

    name = "perspectief.conversations"
    label = "conversations"
    verbose_name = _("Notes and messages")

    def ready(self):
        # Imported here, not at the top: the panels and the inbox use models, which load
        # only once the app registry is ready.
        from . import inbox, panels

        # The sections of the person's pages and the parts of their data
        # (perspectief.candidates.panels), and the inbox's sources
        # (perspectief.notifications.inbox).
        panels.register()
        inbox.register()
