"""Demo of the Werkgeversservicepunt's queue: two employers who asked for help through the
public form, one of them waiting longer than the region's promise, so the account
managers' inbox ("Mijn werkvoorraad") shows work from the first sign-in."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from perspectief.demo.credentials import refuse_in_production
from perspectief.regions.models import Postcode
from perspectief.vacancies.models import EmployerRequest
from perspectief.vacancies.services.requests import request_submit

#: (company, contact, e-mail, postcode, question, days since it came in)
REQUESTS = (
    (
        "Bakkerij Het Volle Korenaar (demo)",
        "Fenna Hoekstra",
        "personeel@korenaar.demo.invalid",
        "1055",
        "Wij zoeken twee inpakkers voor de vroege ochtend. Kunnen jullie helpen? Wij hebben "
        "ervaring met mensen met een afstand tot de arbeidsmarkt.",
        5,
    ),
    (
        "Groenvoorziening Noorderpark (demo)",
        "Ruud Verhoeven",
        "ruud@noorderpark.demo.invalid",
        "1031",
        "Wij willen een leerwerkplek hovenier aanbieden, met begeleiding. Wat is er mogelijk?",
        0,
    ),
)


@transaction.atomic
def create_demo_requests() -> int:
    """Idempotent: a request already in the queue is not filed again. Returns how many
    were filed (none where the postcodes are not loaded, as in the tests' geography)."""
    refuse_in_production()
    filed = 0
    for company, contact, email, code, question, days in REQUESTS:
        postcode = Postcode.objects.filter(code=code).first()
        if postcode is None or EmployerRequest.objects.filter(company_name=company).exists():
            continue
        request = request_submit(
            data={
                "company_name": company,
                "kvk_number": "",
                "contact_name": contact,
                "email": email,
                "phone": "020 555 0101",
                "postcode": postcode,
                "message": question,
            }
        )
        if days:
            came_in = timezone.now() - timedelta(days=days)
            EmployerRequest.objects.filter(pk=request.pk).update(
                created_at=came_in, due_at=came_in + timedelta(days=2)
            )
        filed += 1
    return filed
