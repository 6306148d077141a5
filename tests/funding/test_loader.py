"""The national pots ship as reference data: descriptions without amounts, each with its
sources or a note saying what is not confirmed; a bad file loads nothing."""

import json

import pytest

from perspectief.core.loading import DEFAULT_DATA_DIR, ReferenceDataError
from perspectief.funding.loaders import POTS_FILE, load_pots
from perspectief.funding.models import FundingPot


@pytest.mark.django_db
def test_the_shipped_national_pots():
    (result,) = load_pots(force=True)
    assert (result.status, result.rows) == ("loaded", 4)
    pots = {pot.code: pot for pot in FundingPot.objects.all()}
    assert set(pots) == {"SBB_RVO_PRAKTIJKLEREN", "ESF_PLUS", "SECTOR_OO_FONDS", "SLIM"}
    for pot in pots.values():
        assert pot.region is None and pot.amount_available is None
        assert pot.purpose and pot.who_may_apply and pot.conditions_text
        assert pot.verified or pot.verify_note, pot.code  # the verify status is never hidden
        assert pot.sources or pot.verify_note
    assert {p.kind for p in pots.values()} >= {"praktijkleren", "esf", "sectorfonds"}
    # Loading again changes nothing it need not.
    (again,) = load_pots(force=True)
    assert again.counts == {"created": 0, "updated": 4}
    assert FundingPot.objects.count() == 4


@pytest.mark.django_db
def test_a_bad_file_loads_nothing(tmp_path):
    data = json.loads((DEFAULT_DATA_DIR / POTS_FILE).read_text(encoding="utf-8"))
    data["pots"][1]["rules"] = [{"fact": "person.shoeSize", "op": "=", "value": 42}]
    (tmp_path / "funding").mkdir()
    (tmp_path / POTS_FILE).write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ReferenceDataError) as refused:
        load_pots(data_dir=tmp_path, force=True)
    assert refused.value.line == 2 and refused.value.field == "rules"
    assert not FundingPot.objects.exists()
