"""The import page's forms: the upload, and one column choice per field of ours."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby
from typing import Any

from django import forms

from crm.office.importing.presets import FIELDS, PRESET_CHOICES

NOT_IMPORTED = "— not imported —"


class ImportUploadForm(forms.Form):
    """A CSV file and, optionally, the system that exported it."""

    file = forms.FileField(
        label="CSV file", widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"})
    )
    preset = forms.ChoiceField(
        label="Exported from", required=False,
        choices=[("", "Detect from the header row"), *PRESET_CHOICES],
    )  # fmt: skip


class ImportMappingForm(forms.Form):
    """Which column of the file fills each of our fields; the stored file's token rides along."""

    token = forms.CharField(widget=forms.HiddenInput, max_length=2000)

    def __init__(self, *args: Any, headers: Sequence[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Columns are checked against the file by the service (mapping_check), so a posted
        # form needs no headers; they give the page its choices.
        choices = [("", NOT_IMPORTED), *((header, header) for header in headers)]
        for field in FIELDS:
            self.fields[f"map_{field.key}"] = forms.CharField(
                label=field.label, required=False, max_length=1000,
                widget=forms.Select(choices=choices),
            )  # fmt: skip

    def groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The column choices grouped as the page shows them (customer, appliance, job)."""
        by_group: list[tuple[str, list[forms.BoundField]]] = []
        for group, fields in groupby(FIELDS, key=lambda field: field.group):
            by_group.append((group, [self[f"map_{field.key}"] for field in fields]))
        return by_group

    def mapping(self) -> dict[str, str]:
        """{our field: column} of the valid form's non-empty choices."""
        return {
            name.removeprefix("map_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("map_") and value
        }


def mapping_initial(mapping: dict[str, str]) -> dict[str, str]:
    """A mapping as the form's initial choices."""
    return {f"map_{key}": column for key, column in mapping.items()}
