"""/api/v1/candidates/{uuid}/notes: the notes between partners about a person, with the
same rules as the person's page (who may see the person reads them; reading is in the
access log; writing is audited and tells the addressees)."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response

from perspectief.api.pagination import PageNumberPagination
from perspectief.api.permissions import Requires, get_actor
from perspectief.candidates.selectors import people as candidate_selectors
from perspectief.core.authz import Permission

from ..constants import NOTE_MAX_LENGTH
from ..models import NoteRead, cleaned_text
from ..selectors.notes import addressable, notes_about, person_for_notes
from ..services.notes import EMPTY, TOO_LONG, note_add


class OrganisationRefSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    name = serializers.CharField()


class NoteSerializer(serializers.Serializer):
    uuid = serializers.UUIDField(read_only=True)
    text = serializers.CharField(
        allow_blank=True,
        trim_whitespace=False,
        help_text=f"The note, at most {NOTE_MAX_LENGTH} characters (white space around it "
        "is removed; an empty note is refused).",
    )
    addressedTo = serializers.UUIDField(
        source="addressed_to_uuid",
        required=False,
        allow_null=True,
        default=None,
        write_only=True,
        help_text="An organisation that may see the person; leave out or null for everyone "
        "who may see the person.",
    )
    to = OrganisationRefSerializer(
        source="addressed_to",
        read_only=True,
        allow_null=True,
        help_text="The organisation the note is for; null: everyone who may see the person.",
    )
    author = OrganisationRefSerializer(source="author_organisation", read_only=True)
    createdAt = serializers.DateTimeField(source="created_at", read_only=True)
    read = serializers.BooleanField(
        read_only=True, help_text="Whether the caller has opened the note on the person's page."
    )

    def validate_text(self, value):
        try:
            return cleaned_text(value, limit=NOTE_MAX_LENGTH, empty=EMPTY, too_long=TOO_LONG)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from None


@extend_schema(tags=["candidates"])
class CandidateNotes(generics.GenericAPIView):
    """The notes between partners about a person (newest first), for who may see the
    person; and adding one. Reading here is in the access log; it does not mark the notes
    read (that happens when a person opens them on the person's page)."""

    permission_classes = [Requires(Permission.VIEW_CANDIDATES)]
    pagination_class = PageNumberPagination
    serializer_class = NoteSerializer

    @extend_schema(
        summary="The notes about a person, newest first",
        description="For who may see the person (404 otherwise, as for a person that does "
        "not exist). In the access log; does not mark the notes read.",
        responses=NoteSerializer(many=True),
    )
    def get(self, request, uuid):
        actor = get_actor(request)
        candidate, level = person_for_notes(actor=actor, uuid=uuid)
        candidate_selectors.log_read(actor, candidate, level)
        page = self.paginate_queryset(notes_about(actor=actor, candidate=candidate))
        read = set(
            NoteRead.objects.filter(
                membership=actor.membership, note_id__in=[n.pk for n in page]
            ).values_list("note_id", flat=True)
        )
        for note in page:
            note.read = note.pk in read
        return self.get_paginated_response(NoteSerializer(page, many=True).data)

    @extend_schema(
        summary="Add a note about a person",
        description="To one organisation that may see the person (`addressedTo`), or to "
        "everyone who may. Audited and in the access log; the addressees are e-mailed that "
        "a note waits (the e-mail names nobody). An empty or too long note is a 400.",
        request=NoteSerializer,
        responses={201: NoteSerializer},
    )
    def post(self, request, uuid):
        actor = get_actor(request)
        candidate, _level = person_for_notes(actor=actor, uuid=uuid)
        serializer = NoteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        addressed_to = None
        wanted = serializer.validated_data.get("addressed_to_uuid")
        if wanted is not None:
            addressed_to = addressable(candidate).filter(uuid=wanted).first()
            if addressed_to is None:
                raise serializers.ValidationError(
                    {
                        "addressedTo": [
                            _("This organisation may not see the person: choose another.")
                        ]
                    }
                )
        note = note_add(
            actor=actor,
            candidate=candidate,
            text=serializer.validated_data["text"],
            addressed_to=addressed_to,
        )
        note.read = True
        return Response(NoteSerializer(note).data, status=status.HTTP_201_CREATED)
