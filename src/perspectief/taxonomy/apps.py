from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TaxonomyConfig(AppConfig):
    name = "perspectief.taxonomy"
    label = "taxonomy"
    verbose_name = _("Taxonomy")

    def ready(self):
        # Loaders import the models, which the app registry only allows once it is ready.
        from perspectief.core import reference

        from .classifications import load_education_levels, load_sectors
        from .loaders import load_esco

        reference.register(load_esco, load_education_levels, load_sectors)

        # The search indexes are built from these rows: a change here builds them again.
        from django.db.models.signals import post_delete, post_save

        from . import search
        from .models import ConceptLabel, Occupation, Skill

        for model in (Occupation, Skill, ConceptLabel):
            post_save.connect(search.forget, sender=model, dispatch_uid=f"search-{model.__name__}")
            post_delete.connect(
                search.forget, sender=model, dispatch_uid=f"search-del-{model.__name__}"
            )
