"""Key rotation for the BSN (security promise 9; #14 item 22): ``perspectief bsn_key`` makes a
key, ``perspectief rotate_bsn_keys`` re-encrypts every stored BSN and renews every blind index
under the new keys, in batches, resumably, and says how many it did."""

import re
from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command

from perspectief.candidates.models import Candidate
from perspectief.candidates.services import bsn_rotation as rotation
from perspectief.candidates.services.people import find_by_bsn
from perspectief.core import bsn as bsn_lib
from perspectief.imports.models import ImportJob, ImportRejection

from ..factories import CandidateFactory


def valid_bsns(n: int) -> list[str]:
    found, number = [], 100000000
    while len(found) < n:
        number += 1
        if bsn_lib.is_valid(str(number)):
            found.append(str(number))
    return found


def test_bsn_key_prints_a_new_fernet_key_each_time():
    keys = set()
    for _ in range(2):
        out = StringIO()
        call_command("bsn_key", stdout=out)
        key = out.getvalue().strip()
        Fernet(key)  # a valid Fernet key
        keys.add(key)
    assert len(keys) == 2


def test_bsn_key_index_prints_a_strong_index_key():
    from perspectief.conf.validation import _weak

    out = StringIO()
    call_command("bsn_key", "--index", stdout=out)
    key = out.getvalue().strip()
    assert len(key) >= 43 and not _weak(key) and "," not in key


OLD_KEY = bsn_lib.derive_fernet_key("old-bsn-key")
NEW_KEY = Fernet.generate_key().decode()
OLD_INDEX = "old-index-key-" + "q7Wm3Zr8Kp2Xv5Ty9Lb4" * 2
NEW_INDEX = "new-index-key-" + "Hd6Fj1Ns3Gc8Ue2Pa7Rk" * 2


@pytest.fixture
def old_keys(settings, world):
    settings.BSN_ENCRYPTION_KEYS = [OLD_KEY]
    settings.BSN_INDEX_KEY = OLD_INDEX
    settings.BSN_INDEX_OLD_KEYS = []
    bsns = valid_bsns(7)
    people = [CandidateFactory(bsn=bsn) for bsn in bsns]
    CandidateFactory()  # somebody without a BSN
    job = ImportJob.objects.create(
        organisation=_organisation(), filename="clients.csv", status="done"
    )
    rejection = ImportRejection.objects.create(
        job=job,
        line=2,
        reason_nl="x",
        reason_en="x",
        values={"first_name": "Anna", "bsn_encrypted": bsn_lib.encrypt_any("12345")},
    )
    return dict(zip(bsns, people, strict=True)), rejection


def _organisation():
    from ..factories import OrganisationFactory

    return OrganisationFactory()


def _rotate_to_new_keys(settings):
    """What an operator does: the new key in front, the old ones kept to decrypt."""
    settings.BSN_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    settings.BSN_INDEX_KEY = NEW_INDEX
    settings.BSN_INDEX_OLD_KEYS = [OLD_INDEX]


def _only_new_keys(settings):
    settings.BSN_ENCRYPTION_KEYS = [NEW_KEY]
    settings.BSN_INDEX_KEY = NEW_INDEX
    settings.BSN_INDEX_OLD_KEYS = []


def _assert_all_under_new_keys(settings, people, rejection):
    _only_new_keys(settings)
    for bsn, person in people.items():
        person.refresh_from_db()
        assert bsn_lib.decrypt(person.bsn_encrypted) == bsn
        assert person.bsn_index == bsn_lib.blind_index(bsn)
        assert find_by_bsn(bsn) == person
    rejection.refresh_from_db()
    assert bsn_lib.decrypt(rejection.values["bsn_encrypted"]) == "12345"
    assert rejection.values["first_name"] == "Anna"


@pytest.mark.django_db
def test_rotation_re_encrypts_every_bsn_and_index_and_counts(settings, old_keys):
    people, rejection = old_keys
    _rotate_to_new_keys(settings)
    # While the rotation has not run, the key ring still finds everybody by BSN.
    for bsn, person in people.items():
        assert find_by_bsn(bsn) == person
    out = StringIO()
    call_command("rotate_bsn_keys", "--batch-size", "3", stdout=out)
    text = out.getvalue()
    assert re.search(r"\b7 BSN", text), text
    assert re.search(r"\b1 afgewezen importregel", text), text
    assert "0 nog onder een oude sleutel" in text
    _assert_all_under_new_keys(settings, people, rejection)

    # A second run finds nothing left to do.
    _rotate_to_new_keys(settings)
    out = StringIO()
    call_command("rotate_bsn_keys", stdout=out)
    assert re.search(r"\b0 BSN", out.getvalue()), out.getvalue()
    assert re.search(r"7 al onder de nieuwe sleutels", out.getvalue()), out.getvalue()


@pytest.mark.django_db
def test_an_interrupted_rotation_resumes_and_finishes(settings, old_keys, monkeypatch):
    people, rejection = old_keys
    _rotate_to_new_keys(settings)
    real = rotation._rotate_candidates
    calls = {"n": 0}

    def dies_in_the_second_batch(rows):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt  # the operator's ^C, or a killed process
        return real(rows)

    monkeypatch.setattr(rotation, "_rotate_candidates", dies_in_the_second_batch)
    with pytest.raises(KeyboardInterrupt):
        call_command("rotate_bsn_keys", "--batch-size", "3", stdout=StringIO())
    monkeypatch.setattr(rotation, "_rotate_candidates", real)

    # The first batch is done and stays done; the rest is still under the old keys.
    done = [
        p
        for p in Candidate.objects.exclude(bsn_index=None)
        if p.bsn_index == bsn_lib.blind_index(bsn_lib.decrypt(p.bsn_encrypted))
    ]
    assert len(done) == 3
    assert rotation.remaining() == {"candidates": 4, "import_rejections": 1}

    out = StringIO()
    call_command("rotate_bsn_keys", "--batch-size", "3", stdout=out)
    text = out.getvalue()
    assert re.search(r"\b4 BSN", text), text
    assert "3 al onder de nieuwe sleutels" in text
    assert "0 nog onder een oude sleutel" in text
    _assert_all_under_new_keys(settings, people, rejection)


@pytest.mark.django_db
def test_rotation_without_the_old_key_stops_and_changes_nothing_more(settings, old_keys):
    from django.core.management.base import CommandError

    people, _rejection = old_keys
    settings.BSN_ENCRYPTION_KEYS = [NEW_KEY]  # the old key forgotten
    settings.BSN_INDEX_KEY = NEW_INDEX
    with pytest.raises(CommandError, match="PERSPECTIEF_BSN_KEYS"):
        call_command("rotate_bsn_keys", stdout=StringIO())
    person = next(iter(people.values()))
    person.refresh_from_db()
    settings.BSN_ENCRYPTION_KEYS = [OLD_KEY]
    assert bsn_lib.decrypt(person.bsn_encrypted) in people


@pytest.mark.django_db
def test_import_matches_a_known_person_by_an_old_index_during_rotation(settings, old_keys):
    from perspectief.candidates.import_writer import BatchWriter
    from perspectief.candidates.importers import RowParser

    people, _rejection = old_keys
    bsn, person = next(iter(people.items()))
    _rotate_to_new_keys(settings)
    writer = BatchWriter(actor=None, organisation=_organisation(), started_by=None)
    row = RowParser().parse(
        2,
        {"bsn": bsn, "voornaam": "Iemand", "achternaam": "Anders"},
    )
    assert row.bsn == bsn
    assert writer._match([row]) == {2: person}
