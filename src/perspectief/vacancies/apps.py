from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VacanciesConfig(AppConfig):
    name = "perspectief.vacancies"
    label = "vacancies"
    verbose_name = _("Places")

    def ready(self):
        # The import of places, the inbox source and the employer page's panel use the
        # models: registered once the registry is ready.
        from perspectief.imports import kinds

        from . import inbox, panels
        from .importers import PlaceImport

        kinds.register(PlaceImport)
        # Employers' requests waiting for a first contact, in the WSP's inbox.
        inbox.register()
        # The employer's places and requests on its page (organisations.panels).
        panels.register_employer_panels()
