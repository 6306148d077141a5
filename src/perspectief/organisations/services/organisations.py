"""Writes on the directory of participating organisations; every change is audited."""

from django.db import transaction

from perspectief.audit import services as audit
from perspectief.core.authz import Actor

from ..models import Organisation


@transaction.atomic
def organisation_create(
    *, actor: Actor, name: str, kind: str, region=None, municipality=None
) -> Organisation:
    if municipality is not None and region is None:
        region = municipality.region
    organisation = Organisation(
        name=name.strip(), kind=kind, region=region, municipality=municipality
    )
    organisation.full_clean()
    organisation.save()
    audit.record(
        "organisation.created",
        actor=actor,
        target=organisation,
        changes=audit.diff(
            {},
            {
                "name": organisation.name,
                "kind": kind,
                "region": region,
                "municipality": municipality,
            },
        ),
    )
    return organisation
