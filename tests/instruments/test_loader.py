"""The national instruments ship as reference data: loaded once, never changed in place."""

import copy
import datetime
import json
import shutil

import pytest

from perspectief.core.loading import DEFAULT_DATA_DIR, ReferenceDataError
from perspectief.instruments.check import check, published_versions
from perspectief.instruments.constants import VersionStatus
from perspectief.instruments.loaders import INSTRUMENTS_FILE, load_instruments
from perspectief.instruments.models import InstrumentVersion

pytestmark = pytest.mark.django_db


@pytest.fixture
def data_dir(tmp_path):
    target = tmp_path / INSTRUMENTS_FILE
    target.parent.mkdir(parents=True)
    shutil.copy(DEFAULT_DATA_DIR / INSTRUMENTS_FILE, target)
    return tmp_path


def _write(data_dir, change):
    path = data_dir / INSTRUMENTS_FILE
    data = json.loads(path.read_text())
    change(data["instruments"])
    path.write_text(json.dumps(data))


def _lkv(items):
    return next(item for item in items if item["code"] == "LKV")


def test_shipped_instruments_load_published_with_sources_and_verify_status(data_dir):
    (result,) = load_instruments(data_dir=data_dir)
    assert result.counts == {"created": 6, "matched": 0}
    versions = InstrumentVersion.objects.select_related("instrument")
    assert {v.instrument.code for v in versions} == {
        "LKV",
        "LKS",
        "NO_RISK",
        "PROEFPLAATSING",
        "JOBCOACH",
        "PRAKTIJKLEREN",
    }
    assert all(v.status == VersionStatus.PUBLISHED and v.sources for v in versions)
    lkv = versions.get(instrument__code="LKV")
    assert lkv.verified is False and "controleer" in lkv.verify_note
    assert load_instruments(data_dir=data_dir)[0].status == "skipped"


def test_a_changed_published_version_is_refused(data_dir):
    load_instruments(data_dir=data_dir)
    _write(data_dir, lambda items: _lkv(items)["rules"]["params"].update(perHour=9.99))
    with pytest.raises(ReferenceDataError, match="nieuwe versie"):
        load_instruments(data_dir=data_dir)
    assert InstrumentVersion.objects.get(instrument__code="LKV").rules["params"]["perHour"] == 3.05


def test_a_new_year_is_a_new_version_and_past_dates_keep_the_old_rules(data_dir):
    load_instruments(data_dir=data_dir)

    def new_year(items):
        old = _lkv(items)
        old["validUntil"] = "2026-12-31"
        new = copy.deepcopy(old)
        new.update(version=2, validFrom="2027-01-01", validUntil=None)
        new["rules"]["params"]["perHour"] = 3.20
        items.append(new)

    _write(data_dir, new_year)
    (result,) = load_instruments(data_dir=data_dir)
    assert result.counts == {"created": 1, "matched": 6}
    old, new = InstrumentVersion.objects.filter(instrument__code="LKV").order_by("number")
    assert old.valid_until == datetime.date(2026, 12, 31) and old.rules["params"]["perHour"] == 3.05
    assert new.valid_from == datetime.date(2027, 1, 1) and new.rules["params"]["perHour"] == 3.20

    def reopen(items):
        _lkv(items)["validUntil"] = None

    _write(data_dir, reopen)
    with pytest.raises(ReferenceDataError):
        load_instruments(data_dir=data_dir)


def test_overlapping_versions_in_the_file_are_refused(data_dir):
    def overlap(items):
        second = copy.deepcopy(_lkv(items))
        second.update(version=2, validFrom="2023-01-01")
        items.append(second)

    _write(data_dir, overlap)
    with pytest.raises(ReferenceDataError, match="overlapt"):
        load_instruments(data_dir=data_dir)
    assert not InstrumentVersion.objects.exists(), "nothing half-loaded"


def test_versions_are_chosen_by_the_date_of_the_case(data_dir):
    def two_periods(items):
        old = _lkv(items)
        old["validUntil"] = "2026-12-31"
        new = copy.deepcopy(old)
        new.update(version=2, validFrom="2027-01-01", validUntil=None)
        new["rules"]["params"]["perHour"] = 3.20
        items.append(new)

    _write(data_dir, two_periods)
    load_instruments(data_dir=data_dir)
    facts = {
        "person.age": 57,
        "person.benefit": "ww",
        "person.employedByThisEmployerInLast6Months": False,
        "job.shelteredWork": False,
        "job.hoursPerWeek": 10,
    }
    before = {
        a.code: a
        for a in check(facts, region_id=None, municipality_code=None, on=datetime.date(2026, 6, 1))
    }
    after = {
        a.code: a
        for a in check(facts, region_id=None, municipality_code=None, on=datetime.date(2027, 6, 1))
    }
    assert before["LKV"].version.number == 1
    assert before["LKV"].answer.amount_per_year == pytest.approx(10 * 52 * 3.05)
    assert after["LKV"].version.number == 2
    assert after["LKV"].answer.amount_per_year == pytest.approx(10 * 52 * 3.20)
    assert len(published_versions(None, datetime.date(2027, 6, 1))) == 6


def test_a_rule_that_cannot_be_evaluated_is_refused_with_its_place(data_dir):
    _write(
        data_dir,
        lambda items: (
            _lkv(items)["categories"]
            if False
            else _lkv(items)["rules"]["categories"][0]["amount"].update(
                formula="job.hoursPerWeek / person.wageValuePercent"
            )
        ),
    )
    with pytest.raises(ReferenceDataError) as error:
        load_instruments(data_dir=data_dir)
    assert "nul" in str(error.value)
    assert "categories[0]" in str(error.value)
