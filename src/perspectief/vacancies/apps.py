from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VacanciesConfig(AppConfig):
    name = "perspectief.vacancies"
    label = "vacancies"
    verbose_name = _("Places")

    def ready(self):
        from . import importing  # noqa: F401  registers the import of places
