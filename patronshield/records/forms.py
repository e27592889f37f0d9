from functools import partial

from django import forms
from django.utils.translation import gettext_lazy as _

from patronshield.desk.models import Agency
from patronshield.uploads import validate_upload_size

from .models import Advice, Asked, Kind, NoticeMethod, Release, Requester


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("validators", [validate_upload_size])  # by size, before it is read
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class Form(forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class Checked(Form):
    """A form with free text checked for patron data: after a warning, the person typing
    may keep the text as written."""

    confirmed = forms.BooleanField(
        label=_("Keep it as written: it does not identify a patron, or it must"),
        required=False,
    )
    warned = False


TEXTAREA = {"rows": 4}


class ReceiveForm(Checked):
    kind = forms.ChoiceField(
        label=_("What document is it?"), choices=Kind.choices, widget=forms.RadioSelect
    )
    requester = forms.ChoiceField(
        label=_("Who is asking?"),
        choices=Requester.choices,
        widget=forms.RadioSelect,
        initial=Requester.OFFICER,
        required=False,  # not answered: law enforcement, as before the question was asked
    )
    agency = forms.ChoiceField(
        label=_("From which agency?"),
        choices=[("", _("Not given")), *Agency.choices],
        required=False,
    )
    officer = forms.CharField(
        label=_("Officer or official"),
        help_text=_("Name, title, badge number, contact: as on the document."),
        max_length=200,
        required=False,
    )
    reference = forms.CharField(label=_("Case or document number"), max_length=200, required=False)
    asked = forms.ChoiceField(
        label=_("What does it ask for?"),
        choices=Asked.choices,
        widget=forms.RadioSelect,
        initial=Asked.RECORDS,
    )
    description = forms.CharField(
        label=_("Describe what is asked for"),
        help_text=_(
            "Without naming the patron: “borrowing records of one account, January to "
            "June”, not a name or a card number."
        ),
        widget=forms.Textarea(attrs=TEXTAREA),
        max_length=2000,
    )
    received_on = forms.DateField(label=_("Received on"), widget=DateInput())
    deadline = forms.DateField(label=_("Deadline to respond"), widget=DateInput(), required=False)
    nondisclosure_order = forms.BooleanField(
        label=_("A court ordered the library not to tell anyone (a nondisclosure order)"),
        help_text=_("A National Security Letter or a FISA order always carries one."),
        required=False,
    )
    nondisclosure_ends = forms.DateField(
        label=_("The nondisclosure order ends on"),
        help_text=_("Leave empty if it names no date."),
        widget=DateInput(),
        required=False,
    )
    encounter = forms.TypedChoiceField(
        label=_("Linked to a visit at the desk"), coerce=int, required=False, empty_value=None
    )
    files = MultipleFileField(
        label=_("The document (photos or PDF)"),
        help_text=_("Kept only encrypted. Photos are stored without their location data."),
        required=False,
    )

    field_order = [
        "kind", "requester", "agency", "officer", "reference", "asked", "description",
        "received_on", "deadline", "nondisclosure_order", "nondisclosure_ends", "encounter",
        "files",
        "confirmed",
    ]  # fmt: skip

    def __init__(self, *args, encounters=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["encounter"].choices = [("", _("No")), *encounters]


class AdviceForm(Checked):
    advice = forms.ChoiceField(
        label=_("Counsel's advice"), choices=Advice.choices, widget=forms.RadioSelect
    )
    notes = forms.CharField(
        label=_("Counsel's notes"),
        widget=forms.Textarea(attrs=TEXTAREA),
        max_length=4000,
        required=False,
    )
    counsel_name = forms.CharField(
        label=_("Counsel whose advice this is"),
        help_text=_("You are recording counsel's advice for them: name them."),
        max_length=200,
        required=False,
    )
    field_order = ["advice", "notes", "counsel_name", "confirmed"]


class DecisionForm(Checked):
    release = forms.ChoiceField(
        label=_("Your decision"), choices=Release.choices, widget=forms.RadioSelect
    )
    legal_basis = forms.CharField(
        label=_("Legal basis"),
        help_text=_("Proposed from the policy and the state's law; edit it to say why."),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=4000,
    )
    citations = forms.CharField(
        label=_("Policy and statutes cited"),
        help_text=_("One per line."),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=6000,
    )
    field_order = ["release", "legal_basis", "citations", "confirmed"]

    def clean_citations(self):
        return [line.strip() for line in self.cleaned_data["citations"].splitlines()]


class ReleaseForm(Checked):
    what = forms.CharField(
        label=_("What was released"), widget=forms.Textarea(attrs=TEXTAREA), max_length=2000
    )
    recipient = forms.CharField(label=_("To whom"), max_length=200)
    under = forms.CharField(label=_("Under which document"), max_length=200, required=False)
    released_on = forms.DateField(label=_("Released on"), widget=DateInput())
    files = MultipleFileField(
        label=_("The files released"),
        help_text=_("Only their SHA-256 is kept, never the files."),
        required=False,
        validators=[
            partial(
                validate_upload_size,
                message=_(
                    "%(name)s is too large to upload (the limit is %(mb)s MB): give its "
                    "SHA-256 below instead."
                ),
            )
        ],
    )
    hashes = forms.CharField(
        label=_("Or their SHA-256, one per line"),
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        required=False,
    )
    field_order = ["what", "recipient", "under", "released_on", "files", "hashes", "confirmed"]

    def clean_hashes(self):
        return [h.strip() for h in self.cleaned_data["hashes"].split()]


class NoticeForm(Checked):
    notified_on = forms.DateField(label=_("The patron was notified on"), widget=DateInput())
    method = forms.ChoiceField(
        label=_("How"), choices=NoticeMethod.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Remarks"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )
    field_order = ["notified_on", "method", "note", "confirmed"]


class EmptyForm(Form):
    pass


class HoldForm(Form):
    reason = forms.CharField(
        label=_("Why it is held"),
        help_text=_("The case or the request that needs it kept."),
        max_length=300,
        required=False,
    )


class GrantForm(Form):
    designee = forms.TypedChoiceField(label=_("Counsel or designee"), coerce=int)

    def __init__(self, *args, designees=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["designee"].choices = list(designees)
