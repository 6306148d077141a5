"""Serializers that read what people type through the same rules as forms and imports."""

from rest_framework import serializers

from perspectief.candidates import parsing


class ParsingSerializerMixin:
    """Gives a serializer a per-request look-up cache and turns the parsers' bilingual
    ValueError into a field error."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.resolver = parsing.Resolver()

    @staticmethod
    def _parse(parser, value):
        try:
            return parser(value)
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from None
