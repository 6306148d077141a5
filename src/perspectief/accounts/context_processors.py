"""Navigation per role and the context switcher, for every page."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from perspectief.core.authz import Permission
from perspectief.regions.models import Region

#: (url name, label, what it is for, required permission — or a tuple of permissions that are
#: all required — or None for any signed-in actor)
NAVIGATION = [
    ("home", _("Home"), "", None),
    (
        "candidates:list",
        _("Job seekers"),
        _("The people your organisation serves, and regional profiles shared with consent."),
        Permission.VIEW_CANDIDATES,
    ),
    (
        "candidates:self",
        _("My data"),
        _("What is recorded about you, sharing your profile, and all your data."),
        Permission.VIEW_OWN_PROFILE,
    ),
    (
        "conversations:own",
        _("Messages"),
        _("Write to the people who help you find work, and read their answers."),
        Permission.VIEW_OWN_PROFILE,
    ),
    (
        "organisations:employers",
        _("Employers"),
        _("The region's employers and who is their single point of contact."),
        Permission.VIEW_EMPLOYERS,
    ),
    (
        "vacancies:list",
        _("Places"),
        _("Jobs, learning-working places, basisbanen and adjusted places of the region."),
        Permission.VIEW_EMPLOYERS,
    ),
    (
        "vacancies:requests",
        _("Employer requests"),
        _("Questions of employers to the Werkgeversservicepunt, with the date to call back."),
        Permission.MANAGE_EMPLOYERS,
    ),
    (
        "matching:runs",
        _("Matching"),
        _("Match all open places of the region at once and review the suggestions."),
        (Permission.VIEW_CANDIDATES, Permission.VIEW_EMPLOYERS),
    ),
    (
        "matching:fairness",
        _("Fairness of the matching"),
        _("Exposure and outcomes per target group and age band (aggregates only)."),
        Permission.MATCHING_REPORT,
    ),
    (
        "matching:configuration",
        _("Matching setting"),
        _("How much each criterion counts in the region's matching, and the minimum score."),
        Permission.CONFIGURE_MATCHING,
    ),
    (
        "routes:offers",
        _("Services and training"),
        _("The region's catalogue: werkfit, NT2, MBO courses, BBL, trial placements, coaching."),
        Permission.VIEW_CATALOGUE,
    ),
    (
        "instruments:catalogue",
        _("Employer instruments"),
        _("LKV, loonkostensubsidie, no-riskpolis and the region's own: rules, sources, history."),
        Permission.VIEW_INSTRUMENTS,
    ),
    (
        "route:home",
        _("Routes"),
        _("Routes of the people you serve, steps handed to your organisation, support at work."),
        Permission.VIEW_ROUTES,
    ),
    (
        "route:stuck",
        _("Stuck routes"),
        _("Steps of the region's routes that are overdue or not accepted (doorbraak)."),
        Permission.VIEW_STUCK,
    ),
    (
        "funding:overview",
        _("Where is what"),
        _("The pots the region can draw on, what is committed to them, and which can pay."),
        Permission.VIEW_FUNDING,
    ),
    (
        "monitoring:dashboard",
        _("PoW-dashboard"),
        _("The region's results against its action plan: matches, durable work, budget."),
        Permission.VIEW_INDICATORS,
    ),
    (
        "monitoring:national",
        _("Regions compared"),
        _("Results of the 35 regions side by side (aggregates only)."),
        Permission.NATIONAL_INDICATORS,
    ),
    (
        "lessons:list",
        _("Leeragenda"),
        _("What regions tried and how it turned out: what worked and what failed alike."),
        Permission.VIEW_LESSONS,
    ),
    (
        "support:team",
        _("Support team"),
        _("The regions' quarterly progress, reflection, bottlenecks and requests for support."),
        Permission.SUPPORT_REGIONS,
    ),
    (
        "support:region",
        _("Reflection and progress"),
        _("What works, what doesn't, what we need; the quarterly progress questionnaire."),
        Permission.REFLECT,
    ),
    (
        "employer:home",
        _("Candidates for us"),
        _("People proposed for your places, and anonymous profiles of the region."),
        Permission.EMPLOYER_PORTAL,
    ),
    (
        "organisations:list",
        _("Organisations"),
        _("Who takes part in the regions: gemeenten, UWV, employers, schools, intermediaries."),
        Permission.VIEW_ORGANISATIONS,
    ),
    (
        "regions:list",
        _("Regions"),
        _("The 35 labour-market regions with their municipalities and centrumgemeente."),
        Permission.VIEW_REFERENCE_DATA,
    ),
    (
        "occupations",
        _("Occupations"),
        _("Look up an occupation (ESCO) and the skills it asks for."),
        Permission.VIEW_REFERENCE_DATA,
    ),
    (
        "accounts:manage-users",
        _("Users"),
        _("Add colleagues of your region, give and withdraw roles."),
        Permission.MANAGE_USERS,
    ),
    (
        "notifications:mail-log",
        _("Sent e-mail"),
        _("Every e-mail the platform sent to your region's users and every invitation."),
        Permission.MANAGE_USERS,
    ),
    (
        "access-log",
        _("Access log"),
        _("Who processed a person's data, when and why (AVG inzage)."),
        Permission.VIEW_ACCESS_LOG,
    ),
    (
        "api:docs",
        _("API"),
        _("Connect your organisation's systems; create a token on your profile page."),
        Permission.MANAGE_OWN_TOKENS,
    ),
]


def role_in_name(actor) -> bool:
    """Whether the organisation's name already says the role ("Landelijk
    ondersteuningsteam" of "Landelijk ondersteuningsteam Perspectief op Werk"): then the
    header and the home page name the organisation only, not the same words twice."""
    membership = getattr(actor, "membership", None)
    organisation = getattr(actor, "organisation", None)
    if membership is None or organisation is None:
        return False
    role = str(membership.get_role_display()).casefold()
    return bool(role) and organisation.name.casefold().startswith(role)


#: Where a request keeps its navigation once made (see :func:`navigation`).
_MADE = "_perspectief_navigation"


def navigation(request):
    """The header's navigation, made once per request: a page that renders its panels
    (each a template of its own, with the request) would otherwise make it once a panel."""
    made = getattr(request, _MADE, None)
    if made is None:
        made = _navigation(request)
        setattr(request, _MADE, made)
    return made


def _navigation(request):
    actor = getattr(request, "actor", None)
    if actor is None:
        return {"nav_items": [], "actor": None}
    path = request.path
    items = []
    for name, label, description, permission in NAVIGATION:
        required = permission if isinstance(permission, tuple) else (permission,)
        if not all(p is None or actor.has_perm(p) for p in required):
            continue
        url = reverse(name)
        items.append({"url": url, "label": label, "description": description, "current": False})
    # The current item is the one whose address is the longest prefix of the path, so that
    # /organisations/employers/ marks "Employers", not also "Organisations".
    matches = [i for i in items if (path == "/" if i["url"] == "/" else path.startswith(i["url"]))]
    if matches:
        max(matches, key=lambda i: len(i["url"]))["current"] = True
    memberships = getattr(request, "memberships", None)
    if memberships is None:  # an API-token actor: no session memberships were loaded
        memberships = list(
            actor.user.memberships.active()
            .select_related("organisation__region")
            .order_by("organisation__name", "role")
        )
    return {
        "actor": actor,
        "role_in_name": role_in_name(actor),
        "nav_items": items,
        "switch_memberships": memberships if len(memberships) > 1 else [],
        "switch_regions": Region.objects.all() if actor.is_national else [],
    }
