"""The klantmanager records the person's consent, agrees to it or withdraws it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from perspectief.core.authz import Permission
from perspectief.core.exceptions import NotFoundError
from perspectief.core.ids import parse_uuid
from perspectief.core.policies import requires

from ..constants import ConsentScope
from ..services import consent as services
from .people import person_or_404


@requires(Permission.MANAGE_CANDIDATES)
@require_POST
def candidate_consent_view(request, uuid):
    """Record the person's consent, agree to it (double opt-in) or withdraw it."""
    candidate, _level = person_or_404(request, uuid)
    action = request.POST.get("action")
    try:
        if action == "grant":
            services.consent_grant(
                actor=request.actor,
                candidate=candidate,
                method=request.POST.get("method", ""),
                statement_version=request.POST.get("statement_version", ""),
            )
            messages.success(request, _("Consent recorded. Agree to it to make it take effect."))
        elif action in ("approve", "revoke"):
            consent = candidate.consents.filter(
                uuid=parse_uuid(request.POST.get("consent"))
            ).first()
            # An introduction is recorded already agreed; it can only be withdrawn.
            if consent is None or (
                action == "approve" and consent.scope != ConsentScope.REGIONAL_PROFILE
            ):
                raise NotFoundError()
            if action == "approve":
                services.consent_approve(actor=request.actor, consent=consent)
                messages.success(request, _("You agreed: the regional profile is now visible."))
            else:
                services.consent_revoke(actor=request.actor, consent=consent)
                messages.success(request, _("Consent withdrawn: the profile is no longer shared."))
        else:
            messages.error(request, _("Unknown action."))
    except NotFoundError:
        raise Http404 from None
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("candidates:detail", uuid=candidate.uuid)
