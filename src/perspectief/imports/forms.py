"""The upload form of every kind of import, and the form of a column mapping."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from .kinds import Kind
from .models import ColumnMapping

MAX_UPLOAD_BYTES = 50 * 1024 * 1024


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File (CSV or XLSX)"),
        help_text=_("The standard template, or another layout with a saved column mapping."),
    )
    sheet = forms.CharField(
        label=_("Sheet (XLSX with several sheets)"), required=False, max_length=100
    )
    mapping = forms.ModelChoiceField(
        label=_("Column mapping"),
        queryset=ColumnMapping.objects.none(),
        required=False,
        empty_label=_("standard template"),
    )

    def __init__(self, *args: Any, organisation: Any, kind: type[Kind], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if kind.pages.mappings:
            mapping = cast(forms.ModelChoiceField, self.fields["mapping"])
            mapping.queryset = ColumnMapping.objects.filter(organisation=organisation)
        else:
            del self.fields["mapping"]  # this kind comes in the standard template only
        if kind.pages.upload_help:
            self.fields["file"].help_text = kind.pages.upload_help

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 50 MB; split it."))
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        return upload


class MappingForm(forms.Form):
    """Another file layout: for each standard column, the header used in the source's files."""

    name = forms.CharField(
        label=_("Name of the source"),
        max_length=100,
        help_text=_("For example: Suite4Sociaal export, Sonar export."),
    )

    def __init__(self, *args: Any, organisation: Any, kind: type[Kind], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.kind = kind
        for column in kind.columns:
            self.fields[f"col_{column}"] = forms.CharField(
                label=column,
                required=column in kind.required,
                max_length=100,
                help_text=_("Header in the file (empty: not in the file)."),
            )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if ColumnMapping.objects.filter(organisation=self.organisation, name=name).exists():
            raise forms.ValidationError(_("A mapping with this name already exists."))
        return name

    def columns(self) -> dict[str, str]:
        return {
            column: self.cleaned_data[f"col_{column}"].strip()
            for column in self.kind.columns
            if self.cleaned_data.get(f"col_{column}", "").strip()
        }
