"""Pages of the instruments app: check (see instruments/urls/__init__.py).

"Wat kan deze werkgever krijgen?" for a proposal, a hire outside the platform or a cohort
place (advisers), and for the employer's own proposal."""

from django.urls import path

from ..views import check

urlpatterns: list = [
    path("check/voorstel/<uuid:uuid>/", check.proposal_view, name="check-proposal"),
    path("check/plaatsing/<uuid:uuid>/", check.hire_view, name="check-hire"),
    path("check/cohort/<uuid:uuid>/", check.cohort_view, name="check-cohort"),
    path("werkgever/voorstel/<uuid:uuid>/", check.employer_view, name="employer-check"),
]
