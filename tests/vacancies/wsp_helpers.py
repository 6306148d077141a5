"""Employer requests as the public form files them, for the WSP tests."""

from __future__ import annotations

from perspectief.vacancies.services import requests as wsp


def file_request(world, django_capture_on_commit_callbacks, **extra):
    """A request filed through the public form's service (its mail sent), in AM18 unless
    ``postcode`` says otherwise."""
    data = {
        "company_name": "Bakkerij Jansen",
        "kvk_number": "",
        "contact_name": "Marja Smit",
        "email": "marja@bakkerij-jansen.example",
        "phone": "020 123 4567",
        "postcode": world.amsterdam.postcodes.first(),
        "message": "Wij zoeken twee leerling-bakkers\nLiefst per maart, 32 uur.",
        **extra,
    }
    with django_capture_on_commit_callbacks(execute=True):
        return wsp.request_submit(data=data)
