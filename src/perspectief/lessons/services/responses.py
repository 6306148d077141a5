"""What other professionals do with a lesson: react to it ("wij probeerden dit ook", a
question, an addition) and mark it taken over by their region ("overgenomen door"), once per
region. Both are checked for personal data like the lesson itself, and audited."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from perspectief.audit import services as audit
from perspectief.candidates import personal_data
from perspectief.core.authz import NATIONAL_ROLES, Actor, Permission
from perspectief.core.exceptions import NotFoundError, PermissionDeniedError

from ..constants import TEXT_MAX_LENGTH, ReactionKind
from ..models import Adoption, Lesson, Reaction


def _visible(actor: Actor, lesson: Lesson) -> Lesson:
    """The lesson as the actor sees it, or not found; refused without the permission."""
    if not actor.has_perm(Permission.WRITE_LESSONS):
        raise PermissionDeniedError()
    found = Lesson.objects.visible_to(actor).filter(pk=lesson.pk).first()
    if found is None:
        raise NotFoundError(_("Lesson not found."))
    return found


def _regions(actor: Actor, lesson: Lesson) -> list:
    """Whose people a text must not name: the lesson's region and the writer's."""
    return [lesson.region_id, None if actor.role in NATIONAL_ROLES else actor.region_id]


@transaction.atomic
def reaction_add(*, actor: Actor, lesson: Lesson, kind: str, text: str) -> Reaction:
    lesson = _visible(actor, lesson)
    text = (text or "").strip()
    label = capfirst(str(Reaction._meta.get_field("text").verbose_name))
    if kind not in ReactionKind.values:
        raise ValidationError({"kind": _("Choose the kind of reaction.")})
    if not text:
        raise ValidationError({"text": _("Write your reaction.")})
    if len(text) > TEXT_MAX_LENGTH:
        raise ValidationError({"text": _("At most %(max)d characters.") % {"max": TEXT_MAX_LENGTH}})
    personal_data.check({"text": text}, labels={"text": label}, region_ids=_regions(actor, lesson))
    reaction = Reaction.objects.create(
        lesson=lesson,
        region_id=None if actor.role in NATIONAL_ROLES else actor.region_id,
        organisation=actor.organisation,
        author=actor.user,
        kind=kind,
        text=text,
    )
    audit.record(
        "lesson.reaction_added",
        actor=actor,
        target=lesson,
        changes={"reaction": [None, str(reaction.uuid)], "kind": [None, kind]},
    )
    return reaction


def may_adopt(actor: Actor, lesson: Lesson) -> bool:
    """A writer of another region than the lesson's, for a shared lesson."""
    return (
        actor.has_perm(Permission.WRITE_LESSONS)
        and actor.role not in NATIONAL_ROLES
        and bool(actor.region_id)
        and actor.region_id != lesson.region_id
        and lesson.is_shared
    )


@transaction.atomic
def adoption_add(*, actor: Actor, lesson: Lesson, note: str = "") -> Adoption:
    """The actor's region took the lesson over: once per region, never its own lesson."""
    lesson = _visible(actor, lesson)
    if not may_adopt(actor, lesson):
        raise ValidationError({"note": _("Only another region can take a shared lesson over.")})
    note = (note or "").strip()
    if len(note) > TEXT_MAX_LENGTH:
        raise ValidationError({"note": _("At most %(max)d characters.") % {"max": TEXT_MAX_LENGTH}})
    personal_data.check(
        {"note": note},
        labels={"note": capfirst(str(Adoption._meta.get_field("note").verbose_name))},
        region_ids=_regions(actor, lesson),
    )
    # Locked: two colleagues marking it at once make one adoption (and a clear refusal).
    Lesson.objects.select_for_update().filter(pk=lesson.pk).first()
    if Adoption.objects.filter(lesson=lesson, region_id=actor.region_id).exists():
        raise ValidationError(
            {"note": _("Your region has already marked this lesson as taken over.")}
        )
    adoption = Adoption.objects.create(
        lesson=lesson,
        region_id=actor.region_id,
        organisation=actor.organisation,
        author=actor.user,
        note=note,
    )
    audit.record(
        "lesson.adopted",
        actor=actor,
        target=lesson,
        changes={"adopted_by": [None, str(actor.region.code)]},
    )
    return adoption
