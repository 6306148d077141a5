"""Mijn werkvoorraad, the e-mail settings, the sent-mail log and the demo's mail page."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from perspectief.core import params
from perspectief.core.authz import Permission
from perspectief.core.policies import public, requires, signed_in

from . import selectors, services
from .constants import Kind, Status
from .forms import InboxFilterForm, PreferencesForm, kinds_for_roles
from .freshness import cached_count, store_count
from .inbox import inbox_for, narrowed


def _roles(request) -> set[str]:
    return {m.role for m in getattr(request, "memberships", None) or [request.actor.membership]}


@signed_in
@require_GET
def inbox_view(request):
    everything = inbox_for(request.actor)
    store_count(request.actor, len(everything))
    # The kinds of this role (and any other that waits), so a filter never offers another
    # audience's work; an unknown kind in the address is a 400 naming the field.
    kinds = set(kinds_for_roles({request.actor.role})) | {item.kind for item in everything}
    form = params.form(request, InboxFilterForm, kinds=[k for k in Kind.values if k in kinds])
    items = everything
    if form.is_bound:
        items = narrowed(
            items, kind=form.cleaned_data["kind"], overdue_only=form.cleaned_data["overdue"]
        )
    return render(
        request,
        "notifications/inbox.html",
        {
            "form": form,
            "page": params.page(request, items, 50),
            "total": len(everything),
            "shown": len(items),
            "overdue": sum(1 for i in everything if i.overdue),
        },
    )


@signed_in
@require_GET
def inbox_count_view(request):
    """The count in the header, fetched after the page (htmx) so no page waits for it;
    kept for a minute, and recomputed after the person's own changes (freshness.py)."""
    count = cached_count(request.actor)
    if count is None:
        count = len(inbox_for(request.actor))
        store_count(request.actor, count)
    return render(request, "notifications/_count.html", {"count": count})


@signed_in
@require_http_methods(["GET", "POST"])
def preferences_view(request):
    kinds = kinds_for_roles(_roles(request))
    current = selectors.preferences_of(request.user)
    form = PreferencesForm(request.POST or None, kinds=kinds, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.preferences_save(actor=request.actor, choices=form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if changed:
                messages.success(request, _("Your e-mail settings are saved."))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


@requires(Permission.MANAGE_USERS)
@require_GET
def mail_log_view(request):
    status = params.choice(request, "status", Status.values, default="")
    log = selectors.mail_log(actor=request.actor, status=status)
    return render(
        request,
        "notifications/mail_log.html",
        {"page": params.page(request, log, 100), "status": status, "statuses": Status.choices},
    )


@public
@require_GET
def demo_mail_view(request, name: str | None = None):
    """The demo's page "Verzonden e-mail": what the platform would have sent. Only in the
    demo (which never runs in production), where the messages are the demo's own."""
    if not settings.DEMO_MODE:
        raise Http404
    if name is not None:
        mail = selectors.demo_mail(name)
        if mail is None:
            raise Http404
        return render(request, "notifications/demo_mail_detail.html", {"mail": mail})
    return render(request, "notifications/demo_mail.html", {"mails": selectors.demo_mails()})
