"""A region writes its own instruments and variations without code: draft → published, a
published version never changed in place, refusals with the reason, every write audited."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from perspectief.audit.models import AuditEvent
from perspectief.core.exceptions import DomainError, NotFoundError, PermissionDeniedError
from perspectief.core.loading import DEFAULT_DATA_DIR
from perspectief.instruments.loaders import INSTRUMENTS_FILE, import_instruments
from perspectief.instruments.models import Instrument, InstrumentVersion, Variation
from perspectief.instruments.services import authoring as services
from perspectief.instruments.services.authoring import VariationInput, VersionInput

from ..conftest import sign_in

START = datetime.date(2026, 1, 1)
RULES = {
    "params": {"amount": 2500},
    "conditions": [
        {"fact": "job.contractMonths", "op": ">=", "value": 6, "text": "Contract van 6 maanden"}
    ],
    "amount": {"per": "once", "formula": "params.amount"},
    "documents": ["Arbeidsovereenkomst"],
    "deadlines": [{"key": "aanvraag", "text": "Aanvragen", "anchor": "start", "months": 6}],
}


def version_input(**changes) -> VersionInput:
    values = {
        "name": "Duurzame plaatsingsbijdrage",
        "executing_body": "Gemeente Amsterdam",
        "decided_by": "De gemeente",
        "valid_from": START,
        "rules": RULES,
        "sources": ["https://example.org/regeling"],
    }
    return VersionInput(**{**values, **changes})


def load_national() -> Instrument:
    """The shipped national instruments; returns LKV."""
    import_instruments(DEFAULT_DATA_DIR / INSTRUMENTS_FILE)
    return Instrument.objects.get(code="LKV")


@pytest.fixture
def national(db):
    return load_national()


@pytest.fixture
def manager(actor_as):
    return actor_as("programmamanager")


@pytest.fixture
def draft(manager):
    return services.instrument_create(actor=manager, code="dpb", data=version_input())


def test_a_region_instrument_gets_the_region_code_and_starts_as_an_audited_draft(manager, draft):
    assert draft.instrument.code == "AM18-DPB"
    assert draft.instrument.region_id == manager.region_id
    assert (draft.number, draft.status) == (1, "draft")
    events = set(AuditEvent.objects.values_list("event", flat=True))
    assert {"instrument.created", "instrument_version.created"} <= events
    created = AuditEvent.objects.get(event="instrument_version.created")
    assert created.changes["name"] == [None, "Duurzame plaatsingsbijdrage"]


def test_publish_then_never_changed_in_place_and_a_new_version_copies_it(manager, draft):
    services.version_publish(actor=manager, version=draft)
    draft.refresh_from_db()
    assert draft.status == "published" and draft.published_by == manager.user
    assert AuditEvent.objects.filter(event="instrument_version.published").exists()
    with pytest.raises(DomainError, match=r"nooit gewijzigd|never changed"):
        services.version_save(actor=manager, version=draft, data=version_input(name="Anders"))
    draft.refresh_from_db()
    assert draft.name == "Duurzame plaatsingsbijdrage"
    copy = services.version_copy(actor=manager, version=draft)
    assert (copy.number, copy.status, copy.rules) == (2, "draft", RULES)


def test_publishing_an_overlapping_period_is_refused_with_the_reason(manager, draft):
    services.version_publish(actor=manager, version=draft)
    copy = services.version_copy(actor=manager, version=draft)
    end = timezone.localdate() + datetime.timedelta(days=30)
    services.version_save(
        actor=manager, version=copy, data=version_input(valid_from=end + datetime.timedelta(1))
    )
    with translation.override("en"), pytest.raises(DomainError) as refused:
        services.version_publish(actor=manager, version=copy)
    assert "overlaps" in str(refused.value) and "2026-01-01" in str(refused.value)
    copy.refresh_from_db()
    assert copy.status == "draft"
    # The open period of version 1 gets its end; then version 2 follows it.
    services.version_end(actor=manager, version=draft, valid_until=end)
    services.version_publish(actor=manager, version=copy)
    copy.refresh_from_db()
    assert copy.status == "published"
    with pytest.raises(DomainError):  # an end date is set once
        services.version_end(actor=manager, version=draft, valid_until=end)


def test_an_end_date_in_the_past_is_refused(manager, draft):
    services.version_publish(actor=manager, version=draft)
    with pytest.raises(ValidationError):
        services.version_end(
            actor=manager, version=draft, valid_until=timezone.localdate() - datetime.timedelta(1)
        )


@pytest.mark.parametrize(
    ("rules", "fragment"),
    [
        ({**RULES, "amount": {"per": "once", "formula": "1000 / job.hoursPerWeek"}}, "nul"),
        ({**RULES, "conditions": [{"fact": "person.shoeSize", "op": "=", "value": 1}]}, "onbekend"),
        ({**RULES, "amount": {"per": "once", "formula": "params.missing"}}, "parameter"),
    ],
)
def test_rules_that_cannot_be_evaluated_are_refused_on_save_and_publish(
    manager, draft, rules, fragment
):
    with translation.override("nl"), pytest.raises(ValidationError) as refused:
        services.version_save(actor=manager, version=draft, data=version_input(rules=rules))
    assert fragment in str(refused.value.message_dict["rules"])
    # A draft written around the form (an import, an old row) is still refused on publish.
    InstrumentVersion.objects.filter(pk=draft.pk).update(rules=rules)
    with translation.override("en"), pytest.raises(DomainError, match="Not published"):
        services.version_publish(actor=manager, version=draft)


def test_withdraw_a_draft_but_not_a_published_version(manager, draft):
    services.version_withdraw(actor=manager, version=draft)
    draft.refresh_from_db()
    assert draft.status == "withdrawn"
    assert AuditEvent.objects.filter(event="instrument_version.withdrawn").exists()
    with pytest.raises(DomainError):
        services.version_publish(actor=manager, version=draft)


def test_another_region_cannot_touch_the_instrument(actor_as, draft):
    other = actor_as("programmamanager", "AM22")
    with pytest.raises(NotFoundError):
        services.version_save(actor=other, version=draft, data=version_input(name="Overgenomen"))
    with pytest.raises(NotFoundError):
        services.version_publish(actor=other, version=draft)


def test_a_region_cannot_edit_a_national_instrument(manager, national):
    version = national.versions.get(number=1)
    with pytest.raises(PermissionDeniedError, match=r"variant|variation"):
        services.version_save(actor=manager, version=version, data=version_input())
    with pytest.raises(PermissionDeniedError):
        services.version_copy(actor=manager, version=version)


def test_only_managers_write(actor_as, draft):
    with pytest.raises(PermissionDeniedError):
        services.version_publish(actor=actor_as("accountmanager"), version=draft)


# --- the pages -------------------------------------------------------------------------------


def _form(**changes):
    data = {
        "code": "wpa",
        "name": "Werkplekaanpassing",
        "summary": "Een budget voor aanpassingen",
        "executing_body": "Regio Groot Amsterdam",
        "decided_by": "Het WSP",
        "valid_from": "2026-01-01",
        "params": "budget = 5000",
        "amount_per": "once",
        "amount_formula": "params.budget",
        "duration": "",
        "condition_rows": "3",
        "cond_0_fact": "person.structuralFunctionalLimitation",
        "cond_0_op": "=",
        "cond_0_value": "ja",
        "cond_0_text": "Heeft een structurele functionele beperking",
        "cond_1_fact": "person.benefit",
        "cond_1_op": "in",
        "cond_1_value": "ww, wia",
        "cond_1_group": "A",
        "cond_2_fact": "person.targetGroups",
        "cond_2_op": "has",
        "cond_2_value": "banenafspraak",
        "cond_2_group": "A",
        "group_A_text": "Heeft WW of WIA, of staat in het doelgroepregister",
        "deadline_rows": "2",
        "deadline_0_key": "offerte",
        "deadline_0_text": "Offerte van de aanpassing",
        "deadline_0_anchor": "before_start",
        "deadline_0_months": "0",
        "documents": "Offerte\nAdvies van de jobcoach",
        "sources": "https://example.org/wpa",
        "verify_note": "Bedrag nog niet vastgesteld",
    }
    data.update(changes)
    return data


def test_a_manager_writes_an_instrument_in_the_form_with_rows_and_an_any_group(client_as):
    client, _membership = client_as("programmamanager")
    response = client.post(reverse("instruments:instrument-create"), _form())
    assert response.status_code == 302, response.context["form"].errors
    version = InstrumentVersion.objects.get(instrument__code="AM18-WPA")
    rules = version.rules
    assert rules["params"] == {"budget": 5000}
    assert rules["conditions"][0] == {
        "fact": "person.structuralFunctionalLimitation",
        "op": "=",
        "value": True,
        "text": "Heeft een structurele functionele beperking",
    }
    group = rules["conditions"][1]
    assert group["text"].startswith("Heeft WW of WIA")
    assert [c["value"] for c in group["any"]] == [["ww", "wia"], ["banenafspraak"]]
    assert rules["deadlines"][0]["anchor"] == "before_start"
    assert rules["documents"] == ["Offerte", "Advies van de jobcoach"]
    assert version.sources == ["https://example.org/wpa"] and version.verified is False
    # The draft opens in the same rows again, and saves without loss.
    edit = reverse("instruments:version-edit", kwargs={"uuid": version.uuid})
    form = client.get(edit).context["form"]
    assert form["cond_2_group"].value() == "A" and not form["advanced"].value()
    data = {k: v for k, v in _form(name="Werkplekaanpassing 2026").items() if k != "code"}
    assert client.post(edit, data).status_code == 302
    version.refresh_from_db()
    assert version.rules == rules and version.name == "Werkplekaanpassing 2026"


def test_a_formula_dividing_by_a_fact_that_can_be_zero_is_named_on_its_field(client_as):
    client, _m = client_as("programmamanager")
    response = client.post(
        reverse("instruments:instrument-create"),
        _form(amount_formula="params.budget / job.hoursPerWeek"),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "deelt door nul" in errors["amount_formula"][0]
    assert not Instrument.objects.filter(code="AM18-WPA").exists()
    client.cookies.load({"django_language": "en"})
    response = client.post(
        reverse("instruments:instrument-create"),
        _form(amount_formula="params.budget / job.hoursPerWeek"),
    )
    assert "divides by zero" in response.context["form"].errors["amount_formula"][0]


def test_bad_rows_and_json_are_named_on_their_field(client_as):
    client, _m = client_as("programmamanager")
    client.cookies.load({"django_language": "en"})
    url = reverse("instruments:instrument-create")
    response = client.post(url, _form(cond_0_value="misschien"))
    assert "ja or nee" in response.context["form"].errors["cond_0_value"][0]
    response = client.post(url, _form(cond_1_value="ww, pensioen"))
    assert "pensioen" in response.context["form"].errors["cond_1_value"][0]
    response = client.post(url, _form(params="budget: 5000"))
    assert "Line 1" in response.context["form"].errors["params"][0]
    rules = '{"conditions": [{"fact": "x.y", "op": "=", "value": 1}]}'
    response = client.post(url, _form(advanced="on", rules_json=rules))
    assert "unknown fact" in response.context["form"].errors["rules_json"][0]
    response = client.post(url, _form(sources="no-address"))
    assert "web address" in response.context["form"].errors["sources"][0]
    assert not Instrument.objects.filter(code="AM18-WPA").exists()


def test_the_pages_refuse_editing_published_national_and_other_regions_versions(
    client_as, manager, draft, national
):
    client, _m = client_as("programmamanager")
    services.version_publish(actor=manager, version=draft)
    edit = reverse("instruments:version-edit", kwargs={"uuid": draft.uuid})
    response = client.post(edit, {"name": "Stiekem"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.name == "Duurzame plaatsingsbijdrage"
    lkv = national.versions.get(number=1)
    assert (
        client.get(reverse("instruments:version-edit", kwargs={"uuid": lkv.uuid})).status_code
        == 404
    )
    client.post(
        reverse("instruments:version-action", kwargs={"uuid": lkv.uuid}), {"action": "copy"}
    )
    assert national.versions.count() == 1
    other, _o = client_as("programmamanager", "AM22")
    assert other.get(edit).status_code == 404
    action = reverse("instruments:version-action", kwargs={"uuid": draft.uuid})
    assert other.post(action, {"action": "copy"}).status_code == 404


def test_publish_and_new_version_through_the_page(client_as, manager, draft):
    client, _m = client_as("programmamanager")
    action = reverse("instruments:version-action", kwargs={"uuid": draft.uuid})
    client.post(action, {"action": "publish"})
    draft.refresh_from_db()
    assert draft.status == "published"
    response = client.post(action, {"action": "copy"})
    copy = InstrumentVersion.objects.get(instrument=draft.instrument, number=2)
    assert response.url == reverse("instruments:version-edit", kwargs={"uuid": copy.uuid})
    copy_action = reverse("instruments:version-action", kwargs={"uuid": copy.uuid})
    client.cookies.load({"django_language": "en"})
    response = client.post(copy_action, {"action": "publish"}, follow=True)
    assert "overlaps a published version" in response.content.decode()
    copy.refresh_from_db()
    assert copy.status == "draft"


# --- variations --------------------------------------------------------------------------------


def test_a_variation_of_a_national_instrument_draft_to_published(manager, national):
    variation = services.variation_create(
        actor=manager,
        instrument=national,
        data=VariationInput(scope="GM0363", valid_from=START, params={"maxPerYear": 5000}),
    )
    assert (variation.status, variation.region_id) == ("draft", manager.region_id)
    services.variation_publish(actor=manager, variation=variation)
    assert AuditEvent.objects.filter(event="instrument_variation.published").exists()
    with pytest.raises(DomainError, match=r"nooit gewijzigd|never changed"):
        services.variation_save(
            actor=manager,
            variation=variation,
            data=VariationInput(scope="GM0363", valid_from=START),
        )
    second = services.variation_copy(actor=manager, variation=variation)
    with pytest.raises(DomainError):  # same instrument and scope, overlapping period
        services.variation_publish(actor=manager, variation=second)
    uwv = services.variation_create(
        actor=manager,
        instrument=national,
        data=VariationInput(scope="UWV", valid_from=START, offered=False, note="Via UWV"),
    )
    services.variation_publish(actor=manager, variation=uwv)  # another scope: no overlap
    assert Variation.objects.filter(status="published").count() == 2


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (VariationInput(scope="GM0599", valid_from=START), "scope"),
        (VariationInput(scope="GM0363", valid_from=START, params={"bonus": 1}), "params"),
        (
            VariationInput(
                scope="GM0363",
                valid_from=START,
                conditions=[{"fact": "person.age", "op": ">=", "value": 500}],
            ),
            "conditions",
        ),
        (
            VariationInput(scope="GM0363", valid_from=START, valid_until=datetime.date(2025, 1, 1)),
            "valid_until",
        ),
    ],
)
def test_a_bad_variation_is_refused_on_its_field(manager, national, data, field):
    with pytest.raises(ValidationError) as refused:
        services.variation_create(actor=manager, instrument=national, data=data)
    assert field in refused.value.message_dict
    assert not Variation.objects.exists()


def test_a_variation_of_another_regions_instrument_is_not_found(actor_as, draft):
    other = actor_as("programmamanager", "AM22")
    with pytest.raises(NotFoundError):
        services.variation_create(
            actor=other, instrument=draft.instrument, data=VariationInput("UWV", START)
        )


def test_variation_form_on_the_page(client_as, national):
    client, _m = client_as("programmamanager")
    url = reverse("instruments:variation-create", kwargs={"uuid": national.uuid})
    response = client.post(
        url,
        {
            "scope": "GM0363",
            "offered": "1",
            "params": "maxPerYear = 4000",
            "condition_rows": "3",
            "cond_0_fact": "job.hoursPerWeek",
            "cond_0_op": ">=",
            "cond_0_value": "20",
            "valid_from": "2026-01-01",
            "note": "Amsterdam betaalt minder, voor minstens 20 uur",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    variation = Variation.objects.get()
    assert variation.params == {"maxPerYear": 4000}
    assert variation.conditions == [{"fact": "job.hoursPerWeek", "op": ">=", "value": 20}]
    page = client.get(reverse("instruments:instrument", kwargs={"uuid": national.uuid}))
    assert "GM0363" in page.content.decode()


def test_harmonisation_status_is_saved_and_audited(manager, national):
    item = services.harmonisation_set(
        actor=manager, instrument=national, status="in_bespreking", note="Overleg in maart"
    )
    assert item.updated_by == manager.user and item.region_id == manager.region_id
    event = AuditEvent.objects.get(event="instrument_harmonisation.changed")
    assert event.changes["status"] == [None, "in_bespreking"]
    with pytest.raises(ValidationError):
        services.harmonisation_set(actor=manager, instrument=national, status="klaar")


def test_staff_page_signed_in(client, make_member, draft):
    membership = make_member("klantmanager")
    sign_in(client, membership.user)
    assert (
        client.get(reverse("instruments:version", kwargs={"uuid": draft.uuid})).status_code == 200
    )
    assert client.get(reverse("instruments:instrument-create")).status_code == 403


def test_a_draft_with_english_texts_opens_in_rows_and_keeps_its_english(client_as, manager):
    rules = {
        **RULES,
        "conditions": [
            {
                "fact": "job.contractMonths",
                "op": ">=",
                "value": 6,
                "text": {"nl": "Contract van 6 maanden", "en": "Contract of 6 months"},
            }
        ],
        "documents": [{"nl": "Arbeidsovereenkomst", "en": "Employment contract"}],
    }
    decided = {"nl": "De gemeente", "en": "The gemeente"}
    draft = services.instrument_create(
        actor=manager, code="eng", data=version_input(rules=rules, decided_by=decided)
    )
    client, _m = client_as("programmamanager")
    edit = reverse("instruments:version-edit", kwargs={"uuid": draft.uuid})
    form = client.get(edit).context["form"]
    assert not form["advanced"].value()
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items() if v is not False}
    data.update({"condition_rows": form.condition_count, "deadline_rows": form.deadline_count})
    data["valid_from"] = "2026-01-01"
    response = client.post(edit, data)
    assert response.status_code == 302, response.context["form"].errors
    draft.refresh_from_db()
    assert draft.rules == rules and draft.decided_by == decided


def test_a_service_without_conditions_or_amount_is_saved(client_as):
    client, _m = client_as("programmamanager")
    data = _form(params="", amount_per="none", amount_formula="", documents="", sources="")
    for key in [k for k in data if k.startswith(("cond_", "deadline_", "group_"))]:
        del data[key]
    response = client.post(reverse("instruments:instrument-create"), data)
    assert response.status_code == 302, response.context["form"].errors
    version = InstrumentVersion.objects.get(instrument__code="AM18-WPA")
    assert version.rules == {"amount": {"per": "none"}}
