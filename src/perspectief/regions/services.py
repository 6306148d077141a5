from django.db import transaction

from perspectief.audit import services as audit
from perspectief.core.authz import Actor
from perspectief.core.exceptions import PermissionDeniedError

from .models import Municipality, Region


@transaction.atomic
def region_set_centrumgemeente(
    *, actor: Actor, region: Region, municipality: Municipality | None
) -> Region:
    """Set the region's centrumgemeente. Only the region's own administrators may."""
    if actor.region_id != region.pk:
        raise PermissionDeniedError()
    region = Region.objects.select_for_update().get(pk=region.pk)
    before = {"centrumgemeente": region.centrumgemeente.code if region.centrumgemeente else None}
    region.centrumgemeente = municipality
    region.full_clean()
    region.save(update_fields=["centrumgemeente"])
    audit.record(
        "region.centrumgemeente_set",
        actor=actor,
        target=region,
        changes=audit.diff(
            before, {"centrumgemeente": municipality.code if municipality else None}
        ),
    )
    return region
