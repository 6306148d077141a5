"""Rules written as form rows: conditions (a fact from the vocabulary, a comparison, a value,
a text), parameters as ``name = number`` lines, and the values typed into them.

Rows combine with "all"; rows marked with the same group letter form one "any" group ("one
of these"). What rows cannot say (nested groups, "not") is written as JSON in the version
form's advanced field.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from perspectief.core.rules import OPERATOR_WORDS, OPERATORS, Fact, RuleError, localised

from ..facts import FACTS, VOCABULARY
from ..services.authoring import rule_message

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
LIST_OPS = ("in", "not_in", "has", "has_any", "has_none")
GROUPS = ("A", "B")
MAX_ROWS = 30
YES = {"ja", "j", "yes", "y", "true", "waar", "1"}
NO = {"nee", "n", "no", "false", "onwaar", "0"}
NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _lang() -> str:
    return (get_language() or "nl")[:2]


def lines_of(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def to_number(raw: str) -> float | int:
    value = float(raw.strip().replace(",", "."))
    return int(value) if value.is_integer() else value


def shown(value: Any) -> str:
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, list):
        return ", ".join(shown(item) for item in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def nl_of(text: Any) -> str:
    if isinstance(text, Mapping):
        return str(text.get("nl") or "")
    return str(text or "")


def en_of(text: Any) -> str:
    return str(text.get("en") or "") if isinstance(text, Mapping) else ""


def text_of(nl: str, en: str = "") -> Any:
    nl, en = nl.strip(), en.strip()
    return {"nl": nl, "en": en} if en else nl


def parse_params(text: str) -> dict[str, float | int]:
    """``name = number`` per line → a dict; raises ValidationError naming the line."""
    params: dict[str, float | int] = {}
    for number, line in enumerate(lines_of(text), 1):
        name, sign, raw = line.partition("=")
        name = name.strip()
        try:
            if not sign or not NAME.match(name):
                raise ValueError(line)
            params[name] = to_number(raw)
        except ValueError:
            raise forms.ValidationError(
                _("Line %(n)s: write a name, “=” and a number, e.g. “maxPerYear = 6000”.")
                % {"n": number}
            ) from None
    return params


def params_text(params: Mapping[str, Any]) -> str:
    return "\n".join(f"{key} = {shown(value)}" for key, value in params.items())


def parse_value(fact: Fact, op: str, raw: str) -> Any:
    """A condition's value from what was typed, by the fact's kind (raises ValueError)."""
    raw = raw.strip()
    if op in LIST_OPS:
        return [part.strip() for part in raw.split(",") if part.strip()]
    if fact.kind == "bool":
        if raw.lower() in YES:
            return True
        if raw.lower() in NO:
            return False
        raise ValueError(raw)
    if fact.kind == "number":
        return to_number(raw)
    if not raw:
        raise ValueError(raw)
    return raw


class ConditionRows(forms.Form):
    """Rows of conditions (``cond_<n>_fact``, ``_op``, ``_value``, ``_text``, ``_group``).

    ``originals`` are the texts the item had (``{"nl", "en"}``): a Dutch text that is
    written back unchanged keeps its English (see :func:`keep_english`)."""

    rows_field = "condition_rows"
    with_groups = True

    def __init__(self, *args, condition_count: int = 0, originals: Any = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.originals = english_texts(originals)
        wanted = condition_count + 3
        if self.is_bound:
            try:
                wanted = int(self.data.get(self.rows_field) or wanted)
            except ValueError:
                pass
            if self.data.get("more_rows"):
                wanted += 3
        self.condition_count = max(1, min(wanted, MAX_ROWS))
        lang = _lang()
        facts = [("", "—")] + [(f.name, localised(f.label, lang)) for f in FACTS]
        ops = [("", "—")] + [(op, f"{OPERATOR_WORDS[op][lang]} ({op})") for op in OPERATORS]
        groups = [("", _("must hold"))] + [
            (letter, _("one of group %(letter)s") % {"letter": letter}) for letter in GROUPS
        ]
        for n in range(self.condition_count):
            self.fields[f"cond_{n}_fact"] = forms.ChoiceField(
                label=_("Fact (row %(n)s)") % {"n": n + 1}, choices=facts, required=False
            )
            self.fields[f"cond_{n}_op"] = forms.ChoiceField(
                label=_("Comparison (row %(n)s)") % {"n": n + 1}, choices=ops, required=False
            )
            self.fields[f"cond_{n}_value"] = forms.CharField(
                label=_("Value (row %(n)s)") % {"n": n + 1}, required=False, max_length=300
            )
            self.fields[f"cond_{n}_text"] = forms.CharField(
                label=_("In words (row %(n)s)") % {"n": n + 1}, required=False, max_length=300
            )
            if self.with_groups:
                self.fields[f"cond_{n}_group"] = forms.ChoiceField(
                    label=_("Combine (row %(n)s)") % {"n": n + 1}, choices=groups, required=False
                )
        if self.with_groups:
            for letter in GROUPS:
                self.fields[f"group_{letter}_text"] = forms.CharField(
                    label=_("Group %(letter)s in words") % {"letter": letter},
                    required=False,
                    max_length=300,
                    help_text=_("What the group says as a whole, e.g. “has WW or a WIA benefit”."),
                )

    def condition_table(self) -> list[list[forms.BoundField]]:
        parts = ("fact", "op", "value", "text") + (("group",) if self.with_groups else ())
        return [[self[f"cond_{n}_{part}"] for part in parts] for n in range(self.condition_count)]

    def group_fields(self) -> list[forms.BoundField]:
        return [self[f"group_{letter}_text"] for letter in GROUPS] if self.with_groups else []

    def build_conditions(self) -> tuple[list[dict[str, Any]], dict[str, str]]:
        """The conditions the rows say, and which field each rule path came from."""
        data = self.cleaned_data
        conditions: list[dict[str, Any]] = []
        paths: dict[str, str] = {}
        groups: dict[str, list[tuple[dict[str, Any], str]]] = {}
        for n in range(self.condition_count):
            name, op = data.get(f"cond_{n}_fact"), data.get(f"cond_{n}_op")
            raw, text = data.get(f"cond_{n}_value") or "", data.get(f"cond_{n}_text") or ""
            if not (name or op or raw.strip() or text.strip()):
                continue
            if not name or not op:
                self.add_error(
                    f"cond_{n}_fact" if not name else f"cond_{n}_op",
                    _("Choose the fact and the comparison, or empty the row."),
                )
                continue
            try:
                value = parse_value(VOCABULARY[name], op, raw)
            except ValueError:
                self.add_error(f"cond_{n}_value", _value_hint(VOCABULARY[name], op))
                continue
            condition: dict[str, Any] = {"fact": name, "op": op, "value": value}
            if text.strip():
                condition["text"] = text.strip()
            letter = data.get(f"cond_{n}_group") if self.with_groups else ""
            if letter:
                groups.setdefault(letter, []).append((condition, f"cond_{n}_value"))
            else:
                paths[f"conditions[{len(conditions)}]"] = f"cond_{n}_value"
                conditions.append(condition)
        for letter, members in groups.items():
            index = len(conditions)
            group: dict[str, Any] = {"any": [condition for condition, _f in members]}
            if (data.get(f"group_{letter}_text") or "").strip():
                group["text"] = data[f"group_{letter}_text"].strip()
            for number, (_condition, field) in enumerate(members):
                paths[f"conditions[{index}].any[{number}]"] = field
            paths[f"conditions[{index}]"] = members[0][1]
            conditions.append(group)
        return conditions, paths

    @staticmethod
    def rows_initial(conditions: list[Mapping[str, Any]]) -> dict[str, Any] | None:
        """The rows for ``conditions``, or ``None`` when rows cannot say them."""
        initial: dict[str, Any] = {}
        rows: list[tuple[Mapping[str, Any], str]] = []
        letters = iter(GROUPS)
        for condition in conditions:
            if "fact" in condition:
                rows.append((condition, ""))
            elif "any" in condition and all("fact" in part for part in condition["any"]):
                letter = next(letters, None)
                if letter is None:
                    return None
                initial[f"group_{letter}_text"] = nl_of(condition.get("text"))
                rows += [(part, letter) for part in condition["any"]]
            else:
                return None
        for n, (condition, letter) in enumerate(rows):
            initial[f"cond_{n}_fact"] = condition["fact"]
            initial[f"cond_{n}_op"] = condition["op"]
            initial[f"cond_{n}_value"] = shown(condition.get("value"))
            initial[f"cond_{n}_text"] = nl_of(condition.get("text"))
            initial[f"cond_{n}_group"] = letter
        initial["_count"] = len(rows)
        return initial

    def place_rule_error(self, exc: RuleError, paths: Mapping[str, str], fallback: str) -> None:
        """Put a rule's fault on the field it came from (the longest matching path)."""
        where = exc.path.lstrip(".")
        matches = [p for p in paths if p and (where == p or where.startswith((p + ".", p + "[")))]
        if matches:
            best = max(matches, key=len)
            exc = RuleError(exc.message, exc.message_en, path=where[len(best) :].lstrip("."))
            self.add_error(paths[best], rule_message(exc))
        else:
            self.add_error(fallback, rule_message(exc))


def _value_hint(fact: Fact, op: str) -> str:
    if op in LIST_OPS:
        return str(_("Give one or more codes, separated by commas."))
    if fact.kind == "bool":
        return str(_("Write ja or nee."))
    if fact.kind == "number":
        return str(_("Give a number."))
    return str(_("Give a code."))


def code_help() -> list[tuple[str, str]]:
    """For the form's help: the codes each code fact takes."""
    return [(localised(f.label), ", ".join(f.choices)) for f in FACTS if f.choices]


def english_texts(value: Any) -> dict[str, Mapping[str, Any]]:
    """Every ``{"nl": …, "en": …}`` text in ``value``, by its Dutch."""
    found: dict[str, Mapping[str, Any]] = {}
    if isinstance(value, Mapping):
        if isinstance(value.get("nl"), str) and value.get("en"):
            found[value["nl"]] = value
        for item in value.values():
            found.update(english_texts(item))
    elif isinstance(value, list):
        for item in value:
            found.update(english_texts(item))
    return found


def keep_english(value: Any, originals: Mapping[str, Mapping[str, Any]]) -> Any:
    """``value`` with each Dutch text that was not changed given back its English."""
    if isinstance(value, str):
        return originals.get(value, value)
    if isinstance(value, list):
        return [keep_english(item, originals) for item in value]
    if isinstance(value, Mapping):
        return {
            key: item
            if key in ("fact", "op", "value", "code", "key", "anchor", "per", "formula")
            else keep_english(item, originals)
            for key, item in value.items()
        }
    return value
