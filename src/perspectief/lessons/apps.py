from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LessonsConfig(AppConfig):
    """The leeragenda: what a region tried, for whom, how it turned out (failures with the
    same weight as successes), shared with the programme's professionals of every region."""

    name = "perspectief.lessons"
    label = "lessons"
    verbose_name = _("Leeragenda")

    def ready(self):
        # Registering imports the models, which the app registry only allows once ready.
        from . import contributions

        contributions.register()
