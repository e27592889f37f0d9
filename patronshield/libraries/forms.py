"""The policy's choices as a plain form (no JavaScript): areas one per line, who approves,
the exceptions, retention, counsel, the statement of values."""

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from patronshield.records.forms import DateInput, Form

AREA_HELP = _("One per line.")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class PolicyForm(Form):
    public_areas = forms.CharField(
        label=_("Public areas"),
        help_text=_("One per line. Officers may be here, like anyone else."),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
    )
    nonpublic_areas = forms.CharField(
        label=_("Non-public areas"),
        help_text=_("One per line. Officers need judicial process to enter."),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
    )
    approver = forms.ChoiceField(
        label=_("Who approves access or the release of records"),
        choices=[
            ("director_or_designee", _("The director or a designee")),
            ("director", _("The director only")),
        ],
        widget=forms.RadioSelect,
    )
    safety = forms.BooleanField(
        label=_("Allow the exception for the library's safety and security (an emergency)"),
        required=False,
    )
    consent = forms.BooleanField(
        label=_("Allow release with the patron's written consent"), required=False
    )
    encounters_days = forms.IntegerField(
        label=_("Keep the record of a visit (days)"),
        validators=[MinValueValidator(1), MaxValueValidator(36500)],
    )
    documents_days = forms.IntegerField(
        label=_("Keep photos of documents (days)"),
        validators=[MinValueValidator(1), MaxValueValidator(36500)],
    )
    requests_days = forms.IntegerField(
        label=_("Keep records requests after they close (days)"),
        validators=[MinValueValidator(1), MaxValueValidator(36500)],
    )
    counsel_name = forms.CharField(label=_("Legal counsel"), max_length=200, required=False)
    counsel_phone = forms.CharField(label=_("Counsel's phone"), max_length=32, required=False)
    counsel_email = forms.EmailField(label=_("Counsel's e-mail"), required=False)
    values = forms.CharField(
        label=_("Statement of values"),
        help_text=_("Why the library protects its patrons' privacy, in its own words."),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        required=False,
    )

    def clean(self):
        data = super().clean()
        public = {n.casefold() for n in _lines(data.get("public_areas"))}
        both = [n for n in _lines(data.get("nonpublic_areas")) if n.casefold() in public]
        if both:
            raise forms.ValidationError(
                _("An area cannot be both public and non-public: %(names)s"),
                params={"names": ", ".join(both)},
            )
        return data

    @classmethod
    def initial_from(cls, choices: dict) -> dict:
        return {
            "public_areas": "\n".join(choices["areas"]["public"]),
            "nonpublic_areas": "\n".join(choices["areas"]["nonpublic"]),
            "approver": choices["approver"],
            **choices["exceptions"],
            **choices["retention"],
            **{f"counsel_{k}": v for k, v in choices["counsel"].items()},
            "values": choices["values"],
        }

    def choices(self) -> dict:
        d = self.cleaned_data
        return {
            "areas": {
                "public": _lines(d["public_areas"]),
                "nonpublic": _lines(d["nonpublic_areas"]),
            },
            "approver": d["approver"],
            "exceptions": {"safety": d["safety"], "consent": d["consent"]},
            "retention": {k: d[k] for k in ("encounters_days", "documents_days", "requests_days")},
            "counsel": {k: d[f"counsel_{k}"] for k in ("name", "phone", "email")},
            "values": d["values"],
        }


class AdoptForm(Form):
    board_date = forms.DateField(label=_("Date the board adopted it"), widget=DateInput())
