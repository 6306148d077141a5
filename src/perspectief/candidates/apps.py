from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CandidatesConfig(AppConfig):
    name = "perspectief.candidates"
    label = "candidates"
    verbose_name = _("Job seekers")

    def ready(self):
        # Imported here, not at the top: models and what uses them load only once the app
        # registry is ready.
        from perspectief.audit import subjects
        from perspectief.audit.constants import SubjectType
        from perspectief.core.contributions import Panel
        from perspectief.imports import kinds

        from . import inbox
        from .importers import CandidateImport
        from .models import Candidate
        from .panels import PERSON_DATA, PERSON_MANAGE, DataPart
        from .selectors import access_log, corrections, document, export
        from .services import invitations
        from .views import invitations as invitation_views

        kinds.register(CandidateImport)
        # Job seekers' invitations to Mijn Perspectief (accounts.hooks), and their block on
        # the person's page.
        invitations.register()
        PERSON_MANAGE.register(
            "invitation",
            Panel("candidates/invitations/person_panel.html", invitation_views.invitation_panel),
            order=10,
        )
        inbox.register()  # what waits in the inbox from job seekers' records

        subjects.register(
            SubjectType.CANDIDATE,
            lambda actor, uuid: Candidate.objects.visible_to(actor).filter(uuid=uuid).exists(),
            describe=access_log.describe_for_access_log,
            find=access_log.find_for_access_request,
        )
        # This app's own parts of the person's data, between those of other apps (panels.py).
        PERSON_DATA.register(
            "journey",
            DataPart("journey", export.journey_export, document.journey_sections),
            order=30,
        )
        PERSON_DATA.register(
            "functional_limitations",
            DataPart("functional_limitations", export.health_export, document.health_sections),
            order=60,
        )
        PERSON_DATA.register(
            "corrections",
            DataPart("corrections", corrections.export_part, corrections.document_part),
            order=65,
        )
        PERSON_DATA.register(
            "processings",
            DataPart("processings", export.processings_export, document.processing_sections),
            order=70,
        )
