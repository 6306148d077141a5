"""Every condition of every shipped instrument, on both sides of its threshold.

The rules are read from the shipped file and evaluated as the platform does; a row names
the facts that differ from a base case and the answer expected: eligible (True), not
eligible (False) or can't tell yet (None), with the category that counts (LKV categories
do not stack: only the highest).
"""

import datetime
import json

import pytest
from django.utils import translation

from perspectief.core.loading import DEFAULT_DATA_DIR
from perspectief.core.rules import facts_of
from perspectief.instruments.evaluate import answer
from perspectief.instruments.loaders import INSTRUMENTS_FILE

SHIPPED = {
    item["code"]: item
    for item in json.loads((DEFAULT_DATA_DIR / INSTRUMENTS_FILE).read_text())["instruments"]
}

BASE = {
    "person.age": 57,
    "person.benefit": "ww",
    "person.targetGroups": [],
    "person.structuralFunctionalLimitation": False,
    "person.wageValuePercent": 50,
    "person.employedByThisEmployerInLast6Months": False,
    "person.weeksOnBenefit": 60,
    "job.hoursPerWeek": 32,
    "job.contractMonths": 12,
    "job.permanent": False,
    "job.hourlyWage": 15.0,
    "job.bbl": False,
    "job.trialPlacementMonths": 2,
    "job.shelteredWork": False,
    "job.reinstatement": False,
    "employer.recognisedTrainingCompany": False,
    "employer.intendsContractMonths": 6,
}
YOUNG_BIJSTAND = {"person.age": 30, "person.benefit": "bijstand"}

CASES = [
    # LKV: the older employee, 56 up to the state pension age, with WW/IOW/AO benefit.
    ("LKV", {}, True, "oudere_werknemer"),
    ("LKV", {"person.age": 56}, True, "oudere_werknemer"),
    ("LKV", {"person.age": 55}, False, None),
    ("LKV", {"person.age": 66}, True, "oudere_werknemer"),
    ("LKV", {"person.age": 67}, False, None),
    ("LKV", {"person.benefit": "iow"}, True, "oudere_werknemer"),
    ("LKV", {"person.benefit": "ziektewet"}, False, None),
    ("LKV", {"person.benefit": "bijstand"}, False, None),
    # General conditions: six months before at this employer, sheltered work.
    ("LKV", {"person.employedByThisEmployerInLast6Months": True}, False, None),
    ("LKV", {"job.shelteredWork": True}, False, None),
    # Occupational disability: an AO benefit, any age.
    ("LKV", {**YOUNG_BIJSTAND, "person.benefit": "wia"}, True, "arbeidsgehandicapt"),
    ("LKV", {**YOUNG_BIJSTAND, "person.benefit": "wajong"}, True, "arbeidsgehandicapt"),
    ("LKV", YOUNG_BIJSTAND, False, None),
    # Banenafspraak and scholingsbelemmerden.
    ("LKV", {**YOUNG_BIJSTAND, "person.targetGroups": ["banenafspraak"]}, True, "banenafspraak"),
    (
        "LKV",
        {**YOUNG_BIJSTAND, "person.targetGroups": ["scholingsbelemmerd"]},
        True,
        "banenafspraak",
    ),
    ("LKV", {**YOUNG_BIJSTAND, "person.targetGroups": ["statushouder"]}, False, None),
    # Reinstating an own employee.
    ("LKV", {**YOUNG_BIJSTAND, "job.reinstatement": True}, True, "herplaatsen"),
    # Stacking: older employee and banenafspraak: only the highest counts.
    ("LKV", {"person.targetGroups": ["banenafspraak"]}, True, "oudere_werknemer"),
    # Not known: the answer is "can't tell yet", never a guess.
    ("LKV", {"person.age": None}, None, "oudere_werknemer"),
    ("LKV", {"person.employedByThisEmployerInLast6Months": None}, None, "oudere_werknemer"),
    # LKS: Participatiewet (or banenafspraak) and a wage value under 100% WML.
    ("LKS", YOUNG_BIJSTAND, True, None),
    ("LKS", {**YOUNG_BIJSTAND, "person.wageValuePercent": 99}, True, None),
    ("LKS", {**YOUNG_BIJSTAND, "person.wageValuePercent": 100}, False, None),
    ("LKS", {**YOUNG_BIJSTAND, "person.wageValuePercent": None}, None, None),
    ("LKS", {**YOUNG_BIJSTAND, "person.benefit": "geen"}, True, None),
    ("LKS", {}, False, None),
    ("LKS", {"person.targetGroups": ["banenafspraak"]}, True, None),
    # No-riskpolis: a disability (benefit, register or limitation), or older unemployed.
    ("NO_RISK", {}, True, "oudere_werkloze"),
    ("NO_RISK", {"person.weeksOnBenefit": 52}, True, "oudere_werkloze"),
    ("NO_RISK", {"person.weeksOnBenefit": 51}, False, None),
    ("NO_RISK", {"person.weeksOnBenefit": None}, None, "oudere_werkloze"),
    ("NO_RISK", {"person.age": 56}, True, "oudere_werkloze"),
    ("NO_RISK", {"person.age": 55}, False, None),
    ("NO_RISK", {**YOUNG_BIJSTAND, "person.benefit": "wia"}, True, "arbeidsbeperking"),
    (
        "NO_RISK",
        {**YOUNG_BIJSTAND, "person.targetGroups": ["banenafspraak"]},
        True,
        "arbeidsbeperking",
    ),
    (
        "NO_RISK",
        {**YOUNG_BIJSTAND, "person.structuralFunctionalLimitation": True},
        True,
        "arbeidsbeperking",
    ),
    ("NO_RISK", YOUNG_BIJSTAND, False, None),
    # Proefplaatsing: a UWV benefit, a promised contract of 6 months, not worked there before.
    ("PROEFPLAATSING", {}, True, None),
    ("PROEFPLAATSING", {"person.benefit": "wajong"}, True, None),
    ("PROEFPLAATSING", {"person.benefit": "bijstand"}, False, None),
    ("PROEFPLAATSING", {"employer.intendsContractMonths": 6}, True, None),
    ("PROEFPLAATSING", {"employer.intendsContractMonths": 5}, False, None),
    ("PROEFPLAATSING", {"person.employedByThisEmployerInLast6Months": True}, False, None),
    ("PROEFPLAATSING", {"employer.intendsContractMonths": None}, None, None),
    # Jobcoach: limitation, 6 months, 12 hours, wage value 35%.
    ("JOBCOACH", {"person.structuralFunctionalLimitation": True}, True, None),
    ("JOBCOACH", {"person.structuralFunctionalLimitation": False}, False, None),
    (
        "JOBCOACH",
        {"person.structuralFunctionalLimitation": True, "job.contractMonths": 6},
        True,
        None,
    ),
    (
        "JOBCOACH",
        {"person.structuralFunctionalLimitation": True, "job.contractMonths": 5},
        False,
        None,
    ),
    (
        "JOBCOACH",
        {
            "person.structuralFunctionalLimitation": True,
            "job.contractMonths": None,
            "job.permanent": True,
        },
        True,
        None,
    ),
    (
        "JOBCOACH",
        {"person.structuralFunctionalLimitation": True, "job.hoursPerWeek": 12},
        True,
        None,
    ),
    (
        "JOBCOACH",
        {"person.structuralFunctionalLimitation": True, "job.hoursPerWeek": 11},
        False,
        None,
    ),
    (
        "JOBCOACH",
        {"person.structuralFunctionalLimitation": True, "person.wageValuePercent": 35},
        True,
        None,
    ),
    (
        "JOBCOACH",
        {"person.structuralFunctionalLimitation": True, "person.wageValuePercent": 34},
        False,
        None,
    ),
    (
        "JOBCOACH",
        {"person.structuralFunctionalLimitation": True, "person.wageValuePercent": None},
        None,
        None,
    ),
    # Praktijkleren: a recognised training company and a BBL job.
    ("PRAKTIJKLEREN", {"employer.recognisedTrainingCompany": True, "job.bbl": True}, True, None),
    ("PRAKTIJKLEREN", {"employer.recognisedTrainingCompany": False, "job.bbl": True}, False, None),
    ("PRAKTIJKLEREN", {"employer.recognisedTrainingCompany": True, "job.bbl": False}, False, None),
]


def _answer(code, changes):
    with translation.override("nl"):
        return answer(SHIPPED[code]["rules"], {**BASE, **changes})


@pytest.mark.parametrize(("code", "changes", "eligible", "category"), CASES)
def test_each_condition_on_both_sides_of_its_threshold(code, changes, eligible, category):
    result = _answer(code, changes)
    assert result.eligible is eligible, [(c.text, c.met) for c in result.conditions]
    assert (result.category.code if result.category else None) == category
    if eligible is None:
        assert result.missing, "an unknown answer names the fact it misses"
        assert set(result.missing) <= {name for name, value in changes.items() if value is None}
    if eligible is False:
        assert any(condition.met is False for condition in result.conditions)


def test_every_shipped_condition_is_covered_by_the_table():
    """Each fact a shipped condition asks about is changed in at least one row."""
    changed = {(code, name) for code, changes, *_ in CASES for name in changes}
    for code, item in SHIPPED.items():
        rules = item["rules"]
        conditions = rules.get("conditions", []) + [
            c for category in rules.get("categories", []) for c in category["conditions"]
        ]
        for name in {n for condition in conditions for n in facts_of(condition)}:
            assert (code, name) in changed, f"{code}: no row changes {name}"


def test_lkv_older_employee_amounts_yearly_maximum_and_three_years():
    result = _answer("LKV", {})
    assert result.amount_per_year == pytest.approx(32 * 52 * 3.05)
    assert result.duration_months == 36
    assert result.amount_total == pytest.approx(32 * 52 * 3.05 * 3)
    capped = _answer("LKV", {"job.hoursPerWeek": 40})
    assert capped.amount_per_year == 6000
    assert capped.amount_total == 18000


def test_lkv_stacking_counts_only_the_highest_category_but_shows_the_others():
    result = _answer("LKV", {"person.targetGroups": ["banenafspraak"], "job.hoursPerWeek": 40})
    assert result.category.code == "oudere_werknemer"
    assert result.amount_per_year == 6000
    eligible = {c.code for c in result.categories if c.eligible}
    assert eligible == {"oudere_werknemer", "banenafspraak"}
    low = _answer("LKV", {**YOUNG_BIJSTAND, "person.targetGroups": ["banenafspraak"]})
    assert low.amount_per_year == pytest.approx(32 * 52 * 1.01)


def test_lks_amount_follows_the_wage_value_and_employer_costs():
    result = _answer("LKS", {**YOUNG_BIJSTAND, "person.wageValuePercent": 60})
    expected = 32 * 52 / 12 * 14.40 * 0.40 * 1.235
    assert result.amount_per_month == pytest.approx(expected, abs=0.01)
    unknown = _answer("LKS", {**YOUNG_BIJSTAND, "person.wageValuePercent": None})
    assert unknown.amount_per_year is None
    assert "person.wageValuePercent" in unknown.missing


def test_lkv_deadline_is_three_months_after_the_start():
    result = answer(SHIPPED["LKV"]["rules"], BASE, dates={"start": datetime.date(2027, 1, 15)})
    (deadline,) = result.deadlines
    assert deadline.key == "doelgroepverklaring"
    assert deadline.due_on == datetime.date(2027, 4, 15)


def test_unverified_instruments_say_what_was_not_confirmed():
    for code, item in SHIPPED.items():
        assert item["sources"], f"{code} ships without sources"
        assert item["verified"] == (not item["verifyNote"]), code
    assert SHIPPED["PROEFPLAATSING"]["verified"] is True
    assert SHIPPED["LKV"]["verified"] is False
