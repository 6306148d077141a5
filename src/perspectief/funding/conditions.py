"""A pot's conditions as people write them in the form, one per line, and back.

A line is ``<fact> <comparison> <value> | <the condition in words>``, for example::

    person.age >= 27 | De persoon is 27 jaar of ouder
    offer.kind in mbo, bbl, nt2 | Alleen opleidingen
    person.targetGroups has_any statushouder, 50plus | Statushouders of 50-plussers

Each line becomes a :mod:`perspectief.core.rules` condition over
:data:`perspectief.funding.facts.VOCABULARY`, checked when it is saved, so a rule that
cannot be evaluated is refused with the line and the reason."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from perspectief.core.rules import OPERATORS, RuleError, describe, localised, validate_condition

from .facts import VOCABULARY

_OPS = sorted(OPERATORS, key=len, reverse=True)
_LINE = re.compile(
    r"^\s*(?P<fact>[A-Za-z][\w.]*)\s+(?P<op>"
    + "|".join(re.escape(op) for op in _OPS)
    + r")\s+(?P<value>[^|]*?)\s*(?:\|\s*(?P<text>.*?))?\s*$"
)
_LISTS = ("in", "not_in", "has_any", "has_none")
_TRUE, _FALSE = {"ja", "yes", "true", "waar"}, {"nee", "no", "false", "onwaar"}


def rule_message(exc: RuleError) -> str:
    """The reason of a refused rule in the reader's language."""
    return exc.text()


def _value(kind: str, op: str, raw: str) -> Any:
    parts = [part.strip() for part in raw.split(",") if part.strip()]
    if kind == "number":
        try:
            numbers = [float(p.replace(" ", "")) for p in parts]
        except ValueError:
            return raw
        numbers_out = [int(n) if n.is_integer() else n for n in numbers]
        return numbers_out[0] if len(numbers_out) == 1 else numbers_out
    if kind == "bool":
        word = raw.strip().lower()
        return True if word in _TRUE else False if word in _FALSE else raw
    if op in _LISTS:
        return parts
    return parts[0] if len(parts) == 1 else parts


def parse_line(line: str) -> dict[str, Any]:
    """One written line as a condition; raises :class:`RuleError` with the reason."""
    found = _LINE.match(line)
    if found is None:
        raise RuleError(
            "schrijf: gegeven, vergelijking, waarde | uitleg",
            "write: fact, comparison, value | explanation",
        )
    fact = VOCABULARY.get(found["fact"])
    if fact is None:
        raise RuleError(f"onbekend gegeven {found['fact']!r}", f"unknown fact {found['fact']!r}")
    condition: dict[str, Any] = {
        "fact": fact.name,
        "op": found["op"],
        "value": _value(fact.kind, found["op"], found["value"]),
    }
    if found["text"]:
        condition["text"] = found["text"]
    validate_condition(condition, VOCABULARY)
    return condition


def parse_rules(text: str, *, field: str = "rules") -> list[dict[str, Any]]:
    """All lines of the form's field; refused with every wrong line named."""
    rules, errors = [], []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            rules.append(parse_line(line))
        except RuleError as exc:
            errors.append(_("Line %(n)s: %(reason)s.") % {"n": number, "reason": rule_message(exc)})
    if errors:
        raise ValidationError({field: errors})
    return rules


def validate_rules(rules: Any, *, field: str = "rules") -> list[dict[str, Any]]:
    """Rules given as data (the API, the reference file): a list of valid conditions."""
    if not isinstance(rules, list):
        raise ValidationError({field: [_("The rules are a list of conditions.")]})
    for number, rule in enumerate(rules, start=1):
        try:
            validate_condition(rule, VOCABULARY, path=f"{field}[{number}]")
        except RuleError as exc:
            raise ValidationError(
                {field: [_("Rule %(n)s: %(reason)s.") % {"n": number, "reason": rule_message(exc)}]}
            ) from None
    return rules


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, list):
        return ", ".join(_shown(item) for item in value)
    return str(value)


def format_rules(rules: list[Mapping[str, Any]]) -> str:
    """The rules as lines for the form (the reverse of :func:`parse_rules`)."""
    lines = []
    for rule in rules:
        if "fact" not in rule:  # a group (only in shipped data): shown in words
            lines.append(f"# {in_words(rule)}")
            continue
        line = f"{rule['fact']} {rule['op']} {_shown(rule.get('value'))}"
        text = localised(rule.get("text")) if rule.get("text") else ""
        lines.append(f"{line} | {text}" if text else line)
    return "\n".join(lines)


def in_words(rule: Mapping[str, Any]) -> str:
    """The condition as a sentence (its own text, or one built from its parts)."""
    return describe(rule, VOCABULARY)
