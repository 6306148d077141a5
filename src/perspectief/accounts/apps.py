from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from perspectief.core.authz import Actor


class AccountsConfig(AppConfig):
    name = "perspectief.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        # The access log's subjects, the panels, the purposes of invitations and the inbox
        # need the models, which the app registry allows only once it is ready.
        from perspectief.audit import subjects
        from perspectief.audit.constants import SubjectType

        from . import hooks, inbox, panels
        from .models import User

        panels.register_employer_panels()
        hooks.register()
        inbox.register()

        def describe(actor: Actor, uuid):
            user = User.objects.visible_to(actor).filter(uuid=uuid).first()
            if user is None:
                return None
            name = user.get_full_name() or user.username
            return subjects.Person(SubjectType.USER, str(user.uuid), name, detail=user.username)

        subjects.register(
            SubjectType.USER,
            lambda actor, uuid: User.objects.visible_to(actor).filter(uuid=uuid).exists(),
            describe=describe,
        )
