from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VacanciesConfig(AppConfig):
    name = "perspectief.vacancies"
    label = "vacancies"
    verbose_name = _("Places")

    def ready(self):
        # The import of places imports the models: registered once the registry is ready.
        from perspectief.imports import kinds

        from .importers import PlaceImport

        kinds.register(PlaceImport)
