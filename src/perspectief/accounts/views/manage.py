"""Functional administrators manage the users and memberships of their region."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from perspectief.audit import access
from perspectief.audit.constants import ProcessingActivity, SubjectType
from perspectief.core import params
from perspectief.core.authz import Actor, Permission
from perspectief.core.exceptions import NotFoundError
from perspectief.core.policies import requires
from perspectief.organisations.models import Organisation

from ..constants import InvitationPurpose
from ..forms import InvitationForm, MembershipForm, UserCreateForm
from ..models import Invitation, Membership, User
from ..selectors import invitations_to_manage
from ..services import invitations
from ..services import users as services


def region_organisations(actor: Actor):
    return Organisation.objects.managed_by(actor).filter(is_active=True).order_by("name")


def _visible_user(actor: Actor, uuid):
    return get_object_or_404(User.objects.visible_to(actor), uuid=uuid)


def _render_user(request, user, *, password_link: str | None = None, status=200):
    """The user page; a fresh one-time password link is shown once, never stored."""
    actor = request.actor
    memberships = user.memberships.filter(organisation__region_id=actor.region_id)
    response = render(
        request,
        "accounts/manage/user_detail.html",
        {
            "subject": user,
            "memberships": memberships.select_related("organisation__region"),
            "form": MembershipForm(organisations=region_organisations(actor)),
            "password_link": request.build_absolute_uri(password_link) if password_link else None,
            "can_reset": User.objects.managed_by(actor).filter(pk=user.pk).exists(),
            "region_id": actor.region_id,
        },
        status=status,
    )
    if password_link:
        add_never_cache_headers(response)
    return response


@requires(Permission.MANAGE_USERS)
@require_GET
def user_list_view(request):
    return render_user_list(request)


def render_user_list(request, *, invite_form=None):
    """The region's users, the form to invite a colleague (bound, with its errors, when the
    invitation was refused) and the open and expired invitations of colleagues."""
    actor = request.actor
    qs = (
        User.objects.visible_to(actor)
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(
                    organisation__region_id=actor.region_id
                ).select_related("organisation"),
                to_attr="region_memberships",
            )
        )
        .order_by("username")
    )
    q = (request.GET.get("q") or "").strip()[:100]
    if q:
        qs = qs.filter(
            Q(username__icontains=q) | Q(first_name__icontains=q) | Q(last_name__icontains=q)
        )
    page = params.page(request, qs, 50)
    for user in page:
        access.record(
            actor=actor,
            activity=ProcessingActivity.ACCOUNT_MANAGE,
            subject_type=SubjectType.USER,
            subject_id=user.uuid,
        )
    return render(
        request,
        "accounts/manage/user_list.html",
        {
            "page": page,
            "q": q,
            "invite_form": invite_form or InvitationForm(organisations=region_organisations(actor)),
            "invitations": invitations_to_manage(actor, purpose=InvitationPurpose.STAFF),
        },
    )


@requires(Permission.MANAGE_USERS)
def user_create_view(request):
    actor = request.actor
    form = UserCreateForm(request.POST or None, organisations=region_organisations(actor))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                user = services.user_create(
                    actor=actor,
                    username=data["username"],
                    email=data["email"],
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                )
                services.membership_create(
                    actor=actor, user=user, organisation=data["organisation"], role=data["role"]
                )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("User %(name)s created.") % {"name": user.username})
            link = services.password_link_issue(actor=actor, user=user)
            return _render_user(request, user, password_link=link, status=201)
    return render(request, "accounts/manage/user_form.html", {"form": form})


@requires(Permission.MANAGE_USERS)
@require_GET
def user_detail_view(request, uuid):
    actor = request.actor
    user = _visible_user(actor, uuid)
    access.record(
        actor=actor,
        activity=ProcessingActivity.ACCOUNT_MANAGE,
        subject_type=SubjectType.USER,
        subject_id=user.uuid,
    )
    # The administrator who invited this colleague has seen that they accepted (inbox).
    invitations.invitation_acceptances_seen(
        actor=actor,
        invitations=Invitation.objects.filter(purpose=InvitationPurpose.STAFF, accepted_user=user),
    )
    return _render_user(request, user)


@requires(Permission.MANAGE_USERS)
@require_POST
def membership_add_view(request, uuid):
    actor = request.actor
    user = _visible_user(actor, uuid)
    form = MembershipForm(request.POST, organisations=region_organisations(actor))
    if form.is_valid():
        try:
            services.membership_create(actor=actor, user=user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Role added."))
    else:
        messages.error(request, _("Choose an organisation of your region and a role."))
    return redirect("accounts:manage-user", uuid=user.uuid)


@requires(Permission.MANAGE_USERS)
@require_POST
def membership_deactivate_view(request, uuid):
    actor = request.actor
    membership = get_object_or_404(
        Membership.objects.filter(organisation__region_id=actor.region_id), uuid=uuid
    )
    if membership.user_id == actor.user.pk and membership.role == actor.role:
        messages.error(request, _("You cannot take away your own administrator role."))
    else:
        services.membership_deactivate(actor=actor, membership=membership)
        messages.success(request, _("Role withdrawn; the user's API tokens for it are revoked."))
    return redirect("accounts:manage-user", uuid=membership.user.uuid)


@requires(Permission.MANAGE_USERS)
@require_POST
def password_link_view(request, uuid):
    user = _visible_user(request.actor, uuid)
    try:
        link = services.password_link_issue(actor=request.actor, user=user)
    except NotFoundError:
        # Visible (a role in this region) but also active elsewhere: not this admin's call.
        messages.error(
            request,
            _("This user also works in another region; only they can change their password."),
        )
        return redirect("accounts:manage-user", uuid=user.uuid)
    return _render_user(request, user, password_link=link)


@requires(Permission.MANAGE_USERS)
@require_POST
def user_active_view(request, uuid):
    """Deactivate an account (``active=0``) or activate it again (``active=1``)."""
    user = _visible_user(request.actor, uuid)
    active = request.POST.get("active")
    if active not in ("0", "1"):
        messages.error(request, _("Choose whether the account is active."))
        return redirect("accounts:manage-user", uuid=user.uuid)
    try:
        services.user_set_active(actor=request.actor, user=user, active=active == "1")
    except NotFoundError:
        messages.error(
            request,
            _("This user also works in another region; ask its administrator as well."),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if active == "1":
            messages.success(request, _("The account is active again."))
        else:
            messages.success(
                request,
                _("The account is deactivated: signed out everywhere, API tokens revoked."),
            )
    return redirect("accounts:manage-user", uuid=user.uuid)
