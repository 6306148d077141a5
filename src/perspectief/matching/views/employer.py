"""The employer's own pages: its places and requests, the people proposed for each place
(anonymous until consent), a search of the region's anonymous profiles, and an export.
Templates get projections from :mod:`perspectief.matching.selectors.employer`, never a
record. The URLs are in :mod:`perspectief.matching.urls.employer` (under ``/werkgever/``)."""

import csv

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from perspectief.audit import services as audit
from perspectief.audit.constants import Operation
from perspectief.candidates.models import Candidate
from perspectief.core import params
from perspectief.core.authz import Permission
from perspectief.core.contributions import render_panels
from perspectief.core.exceptions import DomainError, RateLimitedError, user_message
from perspectief.core.ids import parse_uuid
from perspectief.core.policies import requires
from perspectief.core.spreadsheets import safe_cell
from perspectief.vacancies.constants import Contract, VacancyStatus
from perspectief.vacancies.models import EmployerRequest, Vacancy

from ..constants import EMPLOYER_NOTE_MAX_LENGTH, NotSuitable, ProposalStatus
from ..forms.employer import SearchForm
from ..panels import EMPLOYER_PROPOSAL
from ..selectors import employer as employer_side
from ..selectors import employer_search
from ..selectors.proposals import proposals_for_employer
from ..services.proposals import employer_ask, employer_respond
from .proposals import record_outcome


def _employer(request):
    """The signed-in employer's account; an employer organisation the WSP has not registered
    as an account yet has nothing to show here."""
    try:
        return employer_side.employer_of(request.actor)
    except DomainError:
        raise Http404 from None


@requires(Permission.EMPLOYER_PORTAL)
@require_GET
def home_view(request):
    employer = _employer(request)
    places = (
        Vacancy.objects.filter(employer=employer)
        .annotate(
            proposed=Count(
                "proposals", filter=~Q(proposals__status=ProposalStatus.WITHDRAWN), distinct=True
            ),
            phase_count=Count("phases", distinct=True),
        )
        .order_by("-created_at", "id")
    )
    # Anyone can type a KvK number on the public form: only questions the WSP has followed
    # up (first contact made) are shown here, so strangers cannot post into this page.
    requests = EmployerRequest.objects.filter(
        employer=employer, first_contact_at__isnull=False
    ).order_by("-created_at")[:20]
    owner = employer.owner
    return render(
        request,
        "matching/employer/home.html",
        {"employer": employer, "places": places, "requests": requests, "owner": owner},
    )


def _own_place(request, uuid):
    employer = _employer(request)
    return employer, get_object_or_404(Vacancy.objects.filter(employer=employer), uuid=uuid)


def _place_profiles(request, employer, vacancy, operation=Operation.READ):
    proposals = list(
        proposals_for_employer(employer).filter(vacancy=vacancy).order_by("created_at", "id")
    )
    candidates = employer_side.with_profile_data(
        Candidate.objects.filter(pk__in=[p.candidate_id for p in proposals])
    )
    shown = employer_side.profiles_for(
        request.actor, employer, candidates, vacancy=vacancy, operation=operation
    )
    for p in proposals:
        p.status_for_employer = STATUS_FOR_EMPLOYER.get(p.status, p.get_status_display())
    return [(p, shown[p.candidate_id]) for p in proposals if p.candidate_id in shown]


#: The proposal's status as the employer reads it (its own answers in the second person).
STATUS_FOR_EMPLOYER = {
    ProposalStatus.REQUESTED: gettext_lazy("you asked for this person"),
    ProposalStatus.PROPOSED: gettext_lazy("proposed to you"),
    ProposalStatus.INTERESTED: gettext_lazy("you would like to meet"),
    ProposalStatus.INTRODUCED: gettext_lazy("agreed to meet you"),
    ProposalStatus.INTERVIEW: gettext_lazy("interview"),
    ProposalStatus.HIRED: gettext_lazy("hired"),
    ProposalStatus.REJECTED: gettext_lazy("not hired"),
    ProposalStatus.NOT_INTERESTED: gettext_lazy("not suitable for you"),
    ProposalStatus.NO_ANSWER: gettext_lazy("closed: no answer"),
}


@requires(Permission.EMPLOYER_PORTAL)
@require_GET
def place_view(request, uuid):
    employer, vacancy = _own_place(request, uuid)
    rows = _place_profiles(request, employer, vacancy)
    for proposal, _profile in rows:
        proposal.panels = render_panels(EMPLOYER_PROPOSAL, request, proposal=proposal)
    return render(
        request,
        "matching/employer/place.html",
        {
            "vacancy": vacancy,
            "rows": rows,
            "contracts": Contract.choices,
            "not_suitable_reasons": NotSuitable.choices,
            "note_max": EMPLOYER_NOTE_MAX_LENGTH,
        },
    )


EXPORT_COLUMNS = [
    ("pseudonym", gettext_lazy("Code")),
    ("status", gettext_lazy("Status")),
    ("occupations", gettext_lazy("Wanted occupations")),
    ("skills", gettext_lazy("Skills")),
    ("educationLevel", gettext_lazy("Education level")),
    ("dutchLevel", gettext_lazy("Dutch language level")),
    ("drivingLicence", gettext_lazy("Driving licence")),
    ("hoursPerWeek", gettext_lazy("Hours per week")),
    ("availableFrom", gettext_lazy("Available from")),
    ("municipality", gettext_lazy("Municipality")),
    ("distance", gettext_lazy("Distance to the place")),
    ("name", gettext_lazy("Name")),
    ("email", gettext_lazy("Email address")),
    ("phone", gettext_lazy("Phone")),
    ("motivation", gettext_lazy("Why this candidate")),
]


@requires(Permission.EMPLOYER_PORTAL)
@require_GET
def place_export_view(request, uuid):
    """The same projection as the page, as CSV; rate-limited like a search."""
    employer, vacancy = _own_place(request, uuid)
    try:
        shown = proposals_for_employer(employer).filter(vacancy=vacancy).count()
        employer_side.charge_profiles(request.actor, employer, shown)
    except RateLimitedError as exc:
        return render(
            request, "matching/employer/rate_limited.html", {"message": exc.message}, status=429
        )
    rows = _place_profiles(request, employer, vacancy, operation=Operation.EXPORT)
    audit.record(
        "employer.exported",
        actor=request.actor,
        target=vacancy,
        changes={"rows": [None, len(rows)]},
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="voorgesteld-{vacancy.uuid}.csv"'
    response["Cache-Control"] = "no-store"
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow([str(label) for _key, label in EXPORT_COLUMNS])
    for proposal, data in rows:
        values = dict(data, status=proposal.get_status_display(), motivation=proposal.motivation)
        if values["drivingLicence"] is not None:
            values["drivingLicence"] = _("yes") if values["drivingLicence"] else _("no")
        writer.writerow(
            [
                safe_cell("; ".join(values[key]) if isinstance(values[key], list) else values[key])
                for key, _label in EXPORT_COLUMNS
            ]
        )
    return response


@requires(Permission.EMPLOYER_PORTAL)
@require_POST
def respond_view(request, uuid):
    employer = _employer(request)
    proposal = get_object_or_404(proposals_for_employer(employer), uuid=uuid)
    try:
        employer_respond(
            actor=request.actor,
            proposal=proposal,
            interested=request.POST.get("answer") == "yes",
            note=request.POST.get("note", ""),
            reason=request.POST.get("reason", ""),
        )
    except (ValidationError, DomainError) as exc:
        messages.error(request, user_message(exc))
    else:
        messages.success(request, _("Thank you. Your contact at the Werkgeversservicepunt knows."))
    return redirect("employer:place", uuid=proposal.vacancy.uuid)


@requires(Permission.EMPLOYER_PORTAL)
@require_GET
def search_view(request):
    """The region's anonymous profiles, ranked by the engine for one of the employer's
    places or an occupation (typed freely or chosen from the suggestions), a page at a time."""
    employer = _employer(request)
    places = list(Vacancy.objects.filter(employer=employer, status=VacancyStatus.OPEN))
    form = SearchForm(request.GET or None, region_id=employer.organisation.region_id, places=places)
    context = {"form": form, "places": places}
    if form.is_bound and not form.is_valid():
        if any(name not in form.fields or form[name].is_hidden for name in form.errors):
            # Not typed in the form (a link's paging or concept): the 400 page says which.
            params.form(
                request, SearchForm, region_id=employer.organisation.region_id, places=places
            )
        # What the employer typed: the form again, with the message at the field.
        return render(request, "matching/employer/search.html", context, status=400)
    if form.is_bound:
        try:
            result = employer_search.search_for(
                actor=request.actor, employer=employer, data=form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error("occupation", exc)
            return render(request, "matching/employer/search.html", context, status=400)
        except RateLimitedError as exc:
            return render(
                request, "matching/employer/rate_limited.html", {"message": exc.message}, status=429
            )
        query = request.GET.copy()
        query.pop("page", None)
        context.update(
            result=result,
            query=query.urlencode(),
            searched=bool(form.cleaned_data["occupation"]),
        )
    return render(request, "matching/employer/search.html", context)


@requires(Permission.EMPLOYER_PORTAL)
@require_POST
def ask_view(request):
    """Ask the WSP to introduce the person behind a code for one of the employer's places."""
    employer = _employer(request)
    vacancy = Vacancy.objects.filter(
        employer=employer, uuid=parse_uuid(request.POST.get("vacancy"))
    ).first()
    if vacancy is None:
        messages.error(request, _("Choose one of your open places."))
        return redirect("employer:search")
    try:
        employer_ask(actor=request.actor, code=request.POST.get("code", ""), vacancy=vacancy)
    except (ValidationError, DomainError) as exc:
        messages.error(request, user_message(exc))
        return redirect("employer:search")
    messages.success(
        request,
        _(
            "We asked the person's klantmanager. You will see the name as soon as the person "
            "agrees to meet you."
        ),
    )
    return redirect("employer:place", uuid=vacancy.uuid)


@requires(Permission.EMPLOYER_PORTAL)
@require_POST
def outcome_view(request, uuid):
    employer = _employer(request)
    proposal = get_object_or_404(proposals_for_employer(employer), uuid=uuid)
    try:
        record_outcome(request, proposal)
    except (ValidationError, DomainError) as exc:
        messages.error(request, user_message(exc))
    else:
        messages.success(request, _("Thank you. Your contact at the Werkgeversservicepunt knows."))
    return redirect("employer:place", uuid=proposal.vacancy.uuid)
