"""Rules people write in the application, not in code: conditions and amount formulas.

A *condition* is plain JSON that a form can build and a person can read back:

* a comparison of one fact: ``{"fact": "person.age", "op": ">=", "value": 56, "text": …}``;
* a group: ``{"all": [...]}``, ``{"any": [...]}`` or ``{"not": {...}}``, with its own text.

Conditions are evaluated in three-valued (Kleene) logic: a fact that is not known makes
its comparison *unknown* (``None``), never a guess. ``all`` is false as soon as one part is
false, ``any`` true as soon as one part is true; otherwise an unknown part makes the group
unknown. Each outcome names the facts that were missing, so a page can say which fact to
find out.

A *formula* computes an amount from facts and the rule's parameters, e.g.
``min(job.hoursPerWeek * 52 * params.perHour, params.maxPerYear)``. Only numbers, the four
operators, brackets, ``min``/``max``/``round`` and known names are allowed: the formula is
parsed with :mod:`ast` and evaluated by walking the tree, never with ``eval``. A formula
that uses an unknown fact evaluates to ``None`` with that fact named.

The vocabulary of facts (their names, kinds and ranges) belongs to the app that uses the
rules; :func:`validate_condition` and :func:`validate_formula` check a rule against it when
it is saved, so a rule that cannot be evaluated is refused with the reason.
"""

from __future__ import annotations

import ast
import functools
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from django.utils.translation import get_language

from .refusals import chosen

FactKind = Literal["number", "bool", "code", "codes"]
Text = str | Mapping[str, str]

#: The comparisons a condition may use, by the kinds of fact they apply to.
OPERATORS: dict[str, tuple[FactKind, ...]] = {
    "=": ("number", "bool", "code"),
    "!=": ("number", "bool", "code"),
    "<": ("number",),
    "<=": ("number",),
    ">": ("number",),
    ">=": ("number",),
    "in": ("code",),
    "not_in": ("code",),
    "has": ("codes",),
    "has_any": ("codes",),
    "has_none": ("codes",),
}

#: What the comparisons are called on a page (Dutch first; English from ``en``).
OPERATOR_WORDS: dict[str, dict[str, str]] = {
    "=": {"nl": "is", "en": "is"},
    "!=": {"nl": "is niet", "en": "is not"},
    "<": {"nl": "kleiner dan", "en": "less than"},
    "<=": {"nl": "ten hoogste", "en": "at most"},
    ">": {"nl": "groter dan", "en": "more than"},
    ">=": {"nl": "ten minste", "en": "at least"},
    "in": {"nl": "is een van", "en": "is one of"},
    "not_in": {"nl": "is geen van", "en": "is none of"},
    "has": {"nl": "bevat", "en": "includes"},
    "has_any": {"nl": "bevat een van", "en": "includes one of"},
    "has_none": {"nl": "bevat geen van", "en": "includes none of"},
}

FUNCTIONS: dict[str, Callable[..., float]] = {"min": min, "max": max, "round": round}
MAX_FORMULA_LENGTH = 500


class RuleError(ValueError):
    """A rule that cannot be evaluated, with the reason in Dutch and English."""

    def __init__(self, message: str, message_en: str, *, path: str = "") -> None:
        self.message, self.message_en, self.path = message, message_en, path
        super().__init__(f"{path + ': ' if path else ''}{message} ({message_en})")

    def text(self) -> str:
        """The reason in the active language (Dutch unless the page is English)."""
        return chosen(self.message, self.message_en)


@dataclass(frozen=True)
class Fact:
    """One fact a rule may ask about."""

    name: str
    kind: FactKind
    label: Mapping[str, str]
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] = ()


@dataclass
class Outcome:
    """The result of a condition: met (``True``/``False``) or not known (``None``)."""

    met: bool | None
    missing: list[str] = field(default_factory=list)


def localised(text: Text | None, language: str | None = None) -> str:
    """A text written as a string or as ``{"nl": …, "en": …}``, in the active language."""
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    lang = (language or get_language() or "nl")[:2]
    return text.get(lang) or text.get("nl") or next(iter(text.values()), "")


# --- Conditions ---------------------------------------------------------------------------


def _compare(op: str, value: Any, expected: Any) -> bool:
    if op == "=":
        return bool(value == expected)
    if op == "!=":
        return bool(value != expected)
    if op == "<":
        return bool(value < expected)
    if op == "<=":
        return bool(value <= expected)
    if op == ">":
        return bool(value > expected)
    if op == ">=":
        return bool(value >= expected)
    if op == "in":
        return value in expected
    if op == "not_in":
        return value not in expected
    wanted = {expected} if isinstance(expected, str) else set(expected)
    if op == "has":
        return wanted <= set(value)
    if op == "has_any":
        return bool(wanted & set(value))
    if op == "has_none":
        return not wanted & set(value)
    raise RuleError(f"onbekende vergelijking {op!r}", f"unknown comparison {op!r}")


def evaluate(condition: Mapping[str, Any], facts: Mapping[str, Any]) -> Outcome:
    """Evaluate ``condition`` against ``facts`` (a missing or ``None`` fact is unknown)."""
    if "all" in condition or "any" in condition:
        parts = [evaluate(part, facts) for part in condition.get("all", condition.get("any"))]
        decisive = False if "all" in condition else True
        missing = [name for part in parts if part.met is None for name in part.missing]
        if any(part.met is decisive for part in parts):
            return Outcome(decisive)
        if any(part.met is None for part in parts):
            return Outcome(None, list(dict.fromkeys(missing)))
        return Outcome(not decisive)
    if "not" in condition:
        inner = evaluate(condition["not"], facts)
        return Outcome(None if inner.met is None else not inner.met, inner.missing)
    name = condition["fact"]
    value = facts.get(name)
    if value is None:
        return Outcome(None, [name])
    return Outcome(_compare(condition["op"], value, condition.get("value")))


def facts_of(condition: Mapping[str, Any]) -> list[str]:
    """The facts a condition asks about, in the order they appear."""
    if "all" in condition or "any" in condition:
        parts = condition.get("all", condition.get("any"))
        return list(dict.fromkeys(name for part in parts for name in facts_of(part)))
    if "not" in condition:
        return facts_of(condition["not"])
    return [condition["fact"]]


def validate_condition(
    condition: Any, vocabulary: Mapping[str, Fact], *, path: str = "condition"
) -> None:
    """Raise :class:`RuleError` unless ``condition`` is well-formed over ``vocabulary``."""
    if not isinstance(condition, Mapping):
        raise RuleError("een voorwaarde is geen object", "a condition is not an object", path=path)
    groups = [key for key in ("all", "any", "not") if key in condition]
    if len(groups) > 1:
        raise RuleError(
            "een voorwaarde heeft één soort groep", "a condition has one kind of group", path=path
        )
    if groups == ["not"]:
        validate_condition(condition["not"], vocabulary, path=f"{path}.not")
        return
    if groups:
        parts = condition[groups[0]]
        if not isinstance(parts, list) or not parts:
            raise RuleError(
                "een groep heeft minstens één voorwaarde",
                "a group needs at least one condition",
                path=path,
            )
        for number, part in enumerate(parts):
            validate_condition(part, vocabulary, path=f"{path}.{groups[0]}[{number}]")
        return
    _validate_comparison(condition, vocabulary, path)


def _validate_comparison(
    condition: Mapping[str, Any], vocabulary: Mapping[str, Fact], path: str
) -> None:
    fact = vocabulary.get(condition.get("fact", ""))
    if fact is None:
        raise RuleError(
            f"onbekend gegeven {condition.get('fact')!r}",
            f"unknown fact {condition.get('fact')!r}",
            path=path,
        )
    op = condition.get("op")
    if op not in OPERATORS or fact.kind not in OPERATORS[op]:
        raise RuleError(
            f"vergelijking {op!r} past niet bij {fact.name}",
            f"comparison {op!r} does not fit {fact.name}",
            path=path,
        )
    value = condition.get("value")
    values = value if isinstance(value, list) else [value]
    if op in ("in", "not_in", "has_any", "has_none") and not isinstance(value, list):
        raise RuleError("geef een lijst van waarden", "give a list of values", path=path)
    for item in values:
        _check_value(fact, item, path)


def _check_value(fact: Fact, value: Any, path: str) -> None:
    if fact.kind == "bool":
        ok = isinstance(value, bool)
    elif fact.kind == "number":
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        ok = ok and (fact.low is None or value >= fact.low)
        ok = ok and (fact.high is None or value <= fact.high)
    else:
        ok = isinstance(value, str) and (not fact.choices or value in fact.choices)
    if not ok:
        raise RuleError(
            f"waarde {value!r} past niet bij {fact.name}",
            f"value {value!r} does not fit {fact.name}",
            path=path,
        )


def describe(condition: Mapping[str, Any], vocabulary: Mapping[str, Fact]) -> str:
    """A readable sentence for a condition without its own text (built from the parts)."""
    if condition.get("text"):
        return localised(condition["text"])
    lang = (get_language() or "nl")[:2]
    if "all" in condition or "any" in condition:
        word = {"all": {"nl": " en ", "en": " and "}, "any": {"nl": " of ", "en": " or "}}
        key = "all" if "all" in condition else "any"
        joiner = word[key].get(lang, word[key]["nl"])
        return "(" + joiner.join(describe(part, vocabulary) for part in condition[key]) + ")"
    if "not" in condition:
        prefix = "niet" if lang == "nl" else "not"
        return f"{prefix} {describe(condition['not'], vocabulary)}"
    fact = vocabulary.get(condition["fact"])
    label = localised(fact.label, lang) if fact else condition["fact"]
    op = OPERATOR_WORDS.get(condition["op"], {}).get(lang, condition["op"])
    value = condition.get("value")
    shown = ", ".join(map(_word, value)) if isinstance(value, list) else _word(value)
    return f"{label} {op} {shown}"


def _word(value: Any) -> str:
    if isinstance(value, bool):
        lang = (get_language() or "nl")[:2]
        return (
            {True: "ja", False: "nee"}[value] if lang == "nl" else {True: "yes", False: "no"}[value]
        )
    return str(value)


# --- Formulas -----------------------------------------------------------------------------

_BINARY: dict[type[ast.operator], Callable[[float, float], float]] = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
}


class _Unknown(Exception):
    def __init__(self, name: str) -> None:
        self.name = name


def _dotted(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value)
        return f"{base}.{node.attr}" if base else None
    return None


def parse_formula(formula: str) -> ast.Expression:
    """Parse a formula, refusing anything but arithmetic over names and numbers."""
    if not isinstance(formula, str):
        raise RuleError("de formule is leeg", "the formula is empty")
    return _parsed(formula)


@functools.lru_cache(maxsize=2048)
def _parsed(formula: str) -> ast.Expression:
    """Parsed once per text: a published rule's formulas are evaluated for every case."""
    if not isinstance(formula, str) or not formula.strip():
        raise RuleError("de formule is leeg", "the formula is empty")
    if len(formula) > MAX_FORMULA_LENGTH:
        raise RuleError("de formule is te lang", "the formula is too long")
    try:
        tree = ast.parse(formula.strip(), mode="eval")
    except SyntaxError as exc:
        raise RuleError(
            f"de formule is onleesbaar ({exc.msg})", f"the formula cannot be read ({exc.msg})"
        ) from None
    for node in ast.walk(tree):
        allowed = isinstance(
            node,
            ast.Expression
            | ast.BinOp
            | ast.UnaryOp
            | ast.Constant
            | ast.Name
            | ast.Attribute
            | ast.Call
            | ast.Load
            | ast.USub
            | ast.UAdd
            | ast.operator,
        )
        if isinstance(node, ast.BinOp) and type(node.op) not in _BINARY:
            allowed = False
        if isinstance(node, ast.Attribute | ast.Name) and (
            getattr(node, "attr", getattr(node, "id", "")).startswith("_")
        ):
            allowed = False
        if isinstance(node, ast.Constant) and (
            isinstance(node.value, bool) or not isinstance(node.value, int | float)
        ):
            allowed = False
        if isinstance(node, ast.Call) and (
            not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS or node.keywords
        ):
            allowed = False
        if not allowed:
            raise RuleError(
                "de formule mag alleen getallen, gegevens, rekenen (plus, min, keer, delen) "
                "en min, max en round gebruiken",
                "the formula may only use numbers, facts, arithmetic (add, subtract, multiply, "
                "divide) and min, max and round",
            )
    return tree


def names_in(formula: str) -> list[str]:
    """The dotted names (facts and ``params.x``) a formula uses."""
    return list(_names(parse_formula(formula)))


@functools.lru_cache(maxsize=2048)
def _names(tree: ast.Expression) -> tuple[str, ...]:
    functions = _functions(tree)
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute | ast.Name) and id(node) not in functions:
            name = _dotted(node)
            if name and not any(other.startswith(name + ".") for other in names):
                names = [other for other in names if not name.startswith(other + ".")]
                names.append(name)
    return tuple(dict.fromkeys(names))


def _functions(tree: ast.AST) -> set[int]:
    """The ids of the nodes that name a function (``min`` in ``min(a, b)``)."""
    return {id(call.func) for call in ast.walk(tree) if isinstance(call, ast.Call)}


def _walk(node: ast.AST, values: Mapping[str, Any]) -> float:
    if isinstance(node, ast.Expression):
        return _walk(node.body, values)
    if isinstance(node, ast.Constant):
        assert isinstance(node.value, int | float)  # parse_formula allows only numbers
        return float(node.value)
    if isinstance(node, ast.UnaryOp):
        operand = _walk(node.operand, values)
        return -operand if isinstance(node.op, ast.USub) else operand
    if isinstance(node, ast.BinOp):
        left, right = _walk(node.left, values), _walk(node.right, values)
        if isinstance(node.op, ast.Div) and right == 0:
            raise RuleError("de formule deelt door nul", "the formula divides by zero")
        return float(_BINARY[type(node.op)](left, right))
    if isinstance(node, ast.Call):
        assert isinstance(node.func, ast.Name)
        args = [_walk(arg, values) for arg in node.args]
        if not args or (node.func.id == "round" and len(args) > 2):
            raise RuleError(
                f"{node.func.id} heeft de verkeerde argumenten",
                f"{node.func.id} has the wrong arguments",
            )
        if node.func.id == "round":
            return float(round(args[0], int(args[1]) if len(args) > 1 else 0))
        return float(FUNCTIONS[node.func.id](*args))
    name = _dotted(node)
    if name is None or name not in values:
        raise RuleError(f"onbekende naam {name!r}", f"unknown name {name!r}")
    value = values[name]
    if value is None:
        raise _Unknown(name)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise RuleError(f"{name} is geen getal", f"{name} is not a number")
    return float(value)


def compute(
    formula: str, facts: Mapping[str, Any], params: Mapping[str, Any]
) -> tuple[float | None, list[str]]:
    """The formula's value, or ``None`` with the unknown facts it needed.

    ``facts`` maps fact names (``person.age``) to values, ``None`` for unknown; parameters
    are reached as ``params.<name>``. Raises :class:`RuleError` on an unknown name, a
    division by zero or a result that is not a finite number.
    """
    tree = parse_formula(formula)
    names = _names(tree)
    values: dict[str, Any] = {f"params.{key}": value for key, value in params.items()}
    for name in names:
        if not name.startswith("params.") and name not in values:
            values[name] = facts.get(name)
    missing = [
        name for name in names if not name.startswith("params.") and values.get(name) is None
    ]
    if missing:
        _check_names(tree, values)
        return None, missing
    try:
        result = _walk(tree, values)
    except _Unknown as unknown:  # pragma: no cover - caught above, kept for safety
        return None, [unknown.name]
    if not math.isfinite(result):
        raise RuleError("de formule geeft geen eindig getal", "the formula gives no finite number")
    return result, []


def _check_names(tree: ast.Expression, values: Mapping[str, Any]) -> None:
    for name in _names(tree):
        if name.startswith("params.") and name not in values:
            raise RuleError(f"onbekende naam {name!r}", f"unknown name {name!r}")


def validate_formula(
    formula: str,
    vocabulary: Mapping[str, Fact],
    params: Mapping[str, Any],
    samples: Iterable[Mapping[str, Any]],
) -> None:
    """Refuse a formula that names unknown facts or parameters or does not evaluate.

    It is computed over ``samples`` (fact sets spanning each fact's range), so a formula
    that divides by a fact that can be zero is caught when it is saved, not when it is used.
    """
    for name in names_in(formula):
        if name.startswith("params."):
            key = name.removeprefix("params.")
            if key not in params:
                raise RuleError(f"onbekende parameter {key!r}", f"unknown parameter {key!r}")
            value = params[key]
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise RuleError(
                    f"parameter {key!r} is geen getal", f"parameter {key!r} is not a number"
                )
        elif name not in vocabulary or vocabulary[name].kind != "number":
            raise RuleError(
                f"{name!r} is geen getal dat de regels kennen", f"{name!r} is not a known number"
            )
    for sample in samples:
        compute(formula, sample, params)
