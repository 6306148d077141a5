"""Writes of a region's matching configuration (#18): the region's programme manager saves
a new version — the weight of every criterion in points, the minimum score to be shown, and
why. Every change is checked before anything is saved: each weight within the platform's
bounds, together 100 points, not all zero, a minimum score of 0 to 60, a reason, and a
setting that leaves some open place of the region within reach of someone. A version is
never changed afterwards. The version and its audit event are one transaction."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from perspectief.audit import services as audit
from perspectief.core.authz import Actor, Permission
from perspectief.core.exceptions import PermissionDeniedError
from perspectief.regions.models import Region

from ..constants import CONFIGURATION_REASON_MAX_LENGTH, CRITERIA_TEXT, MIN_SCORE_MAX
from ..models import MatchingConfiguration
from ..selectors.configuration import (
    CRITERIA,
    Setting,
    best_shown_score,
    bounds_in_points,
    current,
)


@dataclass
class ConfigurationInput:
    #: Points per criterion (the keys of ``WEIGHT_BOUNDS``); None: not given.
    weights: dict[str, int | None] = field(default_factory=dict)
    min_score: int | None = 0
    reason: str = ""
    #: The version the change was made on (0: the platform's defaults), so that a change
    #: made meanwhile by someone else is not overwritten unseen.
    based_on: int = 0


def _as_points(value) -> int | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return int(number) if number.is_integer() else None


def _check_weights(errors: dict, given: dict) -> dict[str, int]:
    unknown = sorted(set(given) - set(CRITERIA))
    if unknown:
        errors["weights"] = [
            _("Unknown criterion: %(names)s.") % {"names": ", ".join(str(u)[:40] for u in unknown)}
        ]
        return {}
    points: dict[str, int] = {}
    for name in CRITERIA:
        label = CRITERIA_TEXT[name][0]
        value = _as_points(given.get(name))
        if value is None:
            errors[name] = [
                _("Give the weight of %(criterion)s in whole points.") % {"criterion": label}
            ]
        else:
            points[name] = value
    if len(points) < len(CRITERIA):
        return points
    if not any(points.values()):
        errors["weights"] = [_("All weights are zero: give the criteria that count a weight.")]
        return points
    for name, value in points.items():
        low, high = bounds_in_points(name)
        if not low <= value <= high:
            errors[name] = [
                _("The weight of %(criterion)s must be between %(low)s and %(high)s points.")
                % {"criterion": CRITERIA_TEXT[name][0], "low": low, "high": high}
            ]
    total = sum(points.values())
    if total != 100:
        errors["weights"] = [
            _("The weights add up to %(total)s points; together they must be 100.")
            % {"total": total}
        ]
    return points


def _check_min_score(errors: dict, value) -> int:
    points = _as_points(value)
    if points is None or not 0 <= points <= MIN_SCORE_MAX:
        errors["min_score"] = [
            _("The minimum score is a whole number of points from 0 to %(max)s.")
            % {"max": MIN_SCORE_MAX}
        ]
        return 0
    return points


def _check_reason(errors: dict, reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = [_("Say why you change the setting: the reason is kept with it.")]
    elif len(reason) > CONFIGURATION_REASON_MAX_LENGTH:
        errors["reason"] = [
            _("Keep the reason to %(max)s characters.") % {"max": CONFIGURATION_REASON_MAX_LENGTH}
        ]
    return reason


def _check_reach(region_id, proposed: Setting) -> None:
    """Refuse a setting under which no person reaches the minimum score for any open place
    of the region (over the sample ``best_shown_score`` takes)."""
    if not proposed.min_score:
        return
    best = best_shown_score(region_id, proposed)
    if best is not None and best < proposed.min_score:
        raise ValidationError(
            {
                "min_score": [
                    _(
                        "With a minimum score of %(min)s points no open place of the region "
                        "would get anyone: the best score now is %(best)s points. Choose a "
                        "lower minimum."
                    )
                    % {"min": proposed.min_score, "best": best}
                ]
            }
        )


def _changes(before: Setting, after: MatchingConfiguration, reason: str) -> dict[str, list]:
    changes: dict[str, list] = {"version": [before.version, after.version]}
    for name in CRITERIA:
        if before.points[name] != after.weights[name]:
            changes[f"weight.{name}"] = [before.points[name], after.weights[name]]
    if before.min_score != after.min_score:
        changes["min_score"] = [before.min_score, after.min_score]
    changes["reason"] = [None, reason]
    return changes


@transaction.atomic
def configuration_save(*, actor: Actor, data: ConfigurationInput) -> MatchingConfiguration:
    """Save a new version of the actor's region's configuration, or refuse it whole."""
    if not actor.has_perm(Permission.CONFIGURE_MATCHING) or not actor.region_id:
        raise PermissionDeniedError()
    # One change at a time per region: the region's row is the lock.
    Region.objects.select_for_update().filter(pk=actor.region_id).first()
    before = Setting.of(current(actor.region_id))
    errors: dict[str, list] = {}
    points = _check_weights(errors, dict(data.weights or {}))
    min_score = _check_min_score(errors, data.min_score)
    reason = _check_reason(errors, data.reason)
    if (before.version or 0) != data.based_on:
        errors["__all__"] = [
            _(
                "The setting was changed meanwhile (it is now version %(version)s). Look at "
                "it and make your change again."
            )
            % {"version": before.version}
        ]
    if errors:
        raise ValidationError(errors)
    if points == before.points and min_score == before.min_score:
        raise ValidationError(
            {"__all__": [_("Nothing changed: the weights and the minimum score are the same.")]}
        )
    _check_reach(actor.region_id, Setting(None, points, min_score))
    configuration = MatchingConfiguration(
        region_id=actor.region_id,
        version=(before.version or 0) + 1,
        weights=points,
        min_score=min_score,
        reason=reason,
        changed_by=actor.user,
        changed_for=actor.organisation,
    )
    configuration.full_clean(exclude=["region", "changed_by", "changed_for"])
    try:
        with transaction.atomic():
            configuration.save()
    except IntegrityError:
        raise ValidationError(
            {"__all__": [_("The setting was changed meanwhile. Look at it and try again.")]}
        ) from None
    audit.record(
        "matching_configuration.created",
        actor=actor,
        target=configuration,
        changes=_changes(before, configuration, reason),
    )
    return configuration
