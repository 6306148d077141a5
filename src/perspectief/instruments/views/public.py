"""The public Regelingenwijzer on the Werkgeversservicepunt's pages: an employer answers a
few questions about a job and a person (no name, nothing stored) and sees which
instruments may apply, why, for how much, and whom to call.

A GET form, so an answer is a link that can be shared; no account, no cookie needed. The
checks an address may run are limited per hour, like the WSP's request form.
"""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from perspectief.accounts.throttling import client_ip
from perspectief.core import ratelimit
from perspectief.core.policies import public

from ..forms.public import RegelingenForm
from ..selectors import public as selectors

#: Checks per client address per hour (a person tries a few variants; a scraper many).
CHECK_LIMIT = 120
TEMPLATE = "instruments/public/regelingenwijzer.html"


def _groups(rows):
    """The answers in three groups, in this order: may apply, can't tell yet, does not."""
    return [
        (state, [row for row in rows if row["eligible"] is value])
        for state, value in (("yes", True), ("unknown", None), ("no", False))
    ]


@public
@require_GET
def regelingenwijzer_view(request):
    """The questions; with answers given, what may apply, instrument by instrument."""
    form = RegelingenForm(request.GET or None)
    context = {"form": form}
    if not form.is_bound:
        return render(request, TEMPLATE, context)
    if not ratelimit.consume(
        "instrument-check", client_ip(request), limit=CHECK_LIMIT, window=3600
    ):
        return render(request, TEMPLATE, {**context, "flood": True}, status=429)
    if not form.is_valid():
        return render(request, TEMPLATE, context)
    region, municipality = form.place_found["region"], form.place_found["municipality"]
    start = form.cleaned_data.get("start")
    answers = selectors.answers_for(
        form.facts,
        region=region,
        municipality=municipality,
        on=start or timezone.localdate(),
        start=start,
    )
    rows = selectors.order([selectors.present(item, municipality) for item in answers])
    context.update(
        region=region,
        municipality=municipality,
        start=start,
        groups=_groups(rows),
        count=len(rows),
    )
    return render(request, TEMPLATE, context)
