from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConversationsConfig(AppConfig):
    """Notes between partners about a person, and messages between a job seeker and the
    professionals who serve them."""

    name = "perspectief.conversations"
    label = "conversations"
    verbose_name = _("Notes and messages")
