from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InstrumentsConfig(AppConfig):
    """The employer instruments (LKV, LKS, no-riskpolis, …) as versioned rules: what an
    employer can get for hiring a person, and the applications followed to the money."""

    name = "perspectief.instruments"
    label = "instruments"
    verbose_name = _("Employer instruments")

    def ready(self):
        # Loaders import the models, which the app registry only allows once it is ready.
        from perspectief.core import reference

        from .loaders import load_instruments

        reference.register(load_instruments)

        # "Wat kan de werkgever krijgen?" linked from the person's page, the support plan,
        # the cohort of a bulk request and the employer's proposals (#17 check).
        from . import check_panels

        check_panels.register()
        # Applications followed to the money: the hires' applications on a person's page
        # (candidates.panels) and the deadlines in the inbox (notifications.inbox).
        from . import inbox as application_inbox
        from . import panels as application_panels

        application_panels.register()
        application_inbox.register()
