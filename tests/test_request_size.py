"""#20 "Bad input and faults": a 2 GB upload is refused before it is read."""

import io

import pytest
from django.urls import reverse

from perspectief.imports.models import ImportJob

from .conftest import sign_in


class Unreadable(io.RawIOBase):
    """A request body that fails the test when anyone reads it."""

    def read(self, *args):
        raise AssertionError("the body of a refused request was read")

    readinto = read


@pytest.mark.django_db
def test_a_two_gigabyte_upload_is_refused_unread(client, make_member):
    member = make_member("klantmanager")
    sign_in(client, member.user)
    response = client.generic(
        "POST",
        reverse("candidates:import"),
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(2 * 1024**3),
        **{"wsgi.input": Unreadable()},
    )
    assert response.status_code == 413
    assert response["Connection"] == "close"
    text = response.content.decode()
    assert "te groot" in text and "64 MB" in text
    assert not ImportJob.objects.exists()


@pytest.mark.django_db
def test_the_api_refuses_it_as_a_problem(client):
    response = client.generic(
        "POST",
        "/api/v1/candidates",
        content_type="application/json",
        CONTENT_LENGTH=str(2 * 1024**3),
        **{"wsgi.input": Unreadable()},
    )
    assert response.status_code == 413
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 413


@pytest.mark.django_db
def test_a_body_within_the_limit_is_read_as_before(client, settings):
    settings.MAX_REQUEST_BYTES = 100
    response = client.post(reverse("accounts:login"), {"username": "x" * 200, "password": "y"})
    assert response.status_code == 413  # over the (lowered) limit: refused
    settings.MAX_REQUEST_BYTES = 10_000
    response = client.post(reverse("accounts:login"), {"username": "x" * 200, "password": "y"})
    assert response.status_code == 200  # read and answered by the form
