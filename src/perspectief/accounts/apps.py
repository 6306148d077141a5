from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "perspectief.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from perspectief.audit import subjects
        from perspectief.audit.constants import SubjectType

        from .models import User

        def describe(actor, uuid):
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
