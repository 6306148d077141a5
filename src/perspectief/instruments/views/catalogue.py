"""The instruments catalogue for staff: the region's instruments with the version valid
today, an instrument's page with that version in full and its history."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from perspectief.core.authz import Permission
from perspectief.core.policies import requires

from ..constants import VersionStatus
from ..forms.authoring import EndForm
from ..models import InstrumentVersion
from ..selectors import catalogue as selectors


def _may_manage(actor) -> bool:
    return actor.has_perm(Permission.MANAGE_INSTRUMENTS) and bool(actor.region_id)


@requires(Permission.VIEW_INSTRUMENTS)
@require_GET
def catalogue_view(request):
    today = timezone.localdate()
    rows = selectors.catalogue(request.actor, today)
    return render(
        request,
        "instruments/catalogue/list.html",
        {
            "today": today,
            "current": [row for row in rows if row.version is not None],
            "without": [row for row in rows if row.version is None],
            "may_manage": _may_manage(request.actor),
        },
    )


@requires(Permission.VIEW_INSTRUMENTS)
@require_GET
def instrument_view(request, uuid):
    instrument = get_object_or_404(
        selectors.visible_instruments(request.actor).select_related("region"), uuid=uuid
    )
    today = timezone.localdate()
    version = selectors.current_version(instrument, today)
    history = selectors.history(request.actor, instrument)
    labels = selectors.target_labels(history)
    manage = _may_manage(request.actor)
    return render(
        request,
        "instruments/catalogue/detail.html",
        {
            "instrument": instrument,
            "today": today,
            "words": selectors.version_words(version) if version else None,
            "history": history,
            "events": [
                (event, selectors.event_words(event), labels.get(event.target_id, ""))
                for event in history.events
            ],
            "may_manage": manage,
            "may_edit": manage and instrument.region_id == request.actor.region_id,
        },
    )


@requires(Permission.VIEW_INSTRUMENTS)
@require_GET
def version_view(request, uuid):
    version = get_object_or_404(
        InstrumentVersion.objects.filter(
            instrument__in=selectors.visible_instruments(request.actor)
        ).select_related("instrument", "created_by", "published_by"),
        uuid=uuid,
    )
    manage = _may_manage(request.actor)
    own = manage and version.instrument.region_id == request.actor.region_id
    return render(
        request,
        "instruments/catalogue/version.html",
        {
            "version": version,
            "instrument": version.instrument,
            "words": selectors.version_words(version),
            "may_edit": own,
            "is_draft": version.status == VersionStatus.DRAFT,
            "end_form": EndForm()
            if own and version.is_published and version.valid_until is None
            else None,
        },
    )
