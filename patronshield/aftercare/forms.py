from django import forms
from django.utils.translation import gettext_lazy as _

from patronshield.libraries.models import PATRON_LANGUAGES

from .models import Followed, SupportContact


def _area(rows=4):
    return forms.Textarea(attrs={"rows": rows, "autocomplete": "off"})


def _text(**attrs):
    return forms.TextInput(attrs={"autocomplete": "off", **attrs})


SAY_A_PATRON = _("Say “a patron”, never who: this review is part of the library's record.")


class DebriefForm(forms.Form):
    pii_fields = ("went_well", "went_badly", "policy_step", "to_change")
    went_well = forms.CharField(
        label=_("What went well?"),
        required=False,
        max_length=4000,
        widget=_area(),
        help_text=SAY_A_PATRON,
    )
    went_badly = forms.CharField(
        label=_("What did not go well?"), required=False, max_length=4000, widget=_area()
    )
    policy_followed = forms.ChoiceField(
        label=_("Was the policy followed?"),
        required=False,
        choices=Followed.choices,
        widget=forms.RadioSelect,
    )
    policy_step = forms.CharField(
        label=_("If partly or not: which step?"),
        required=False,
        max_length=300,
        help_text=_(
            "For example: “the director was not called before the officers went into the workroom”."
        ),
        widget=_text(),
    )
    to_change = forms.CharField(
        label=_("What should change?"), required=False, max_length=4000, widget=_area()
    )
    review_policy = forms.BooleanField(label=_("The policy should be reviewed"), required=False)
    review_training = forms.BooleanField(label=_("The training should be reviewed"), required=False)
    # fmt: skip


class TaskForm(forms.Form):
    pii_fields = ("title",)
    title = forms.CharField(label=_("What is to be done"), max_length=300, widget=_text())
    owner = forms.ModelChoiceField(label=_("Who does it"), queryset=None, empty_label=None)
    due = forms.DateField(
        label=_("Due"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        self.fields["owner"].label_from_instance = lambda u: u.display_name


class PresentForm(forms.Form):
    person = forms.ModelChoiceField(
        label=_("Who else was there"),
        queryset=None,
        help_text=_("Staff and volunteers with an account at this library. They are offered "
                    "a private check-in and told by e-mail."),
    )  # fmt: skip

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["person"].label_from_instance = lambda u: u.display_name


FEELINGS = [
    ("fine", _("I'm fine")),
    ("okay", _("Okay, a bit shaken")),
    ("struggling", _("Not good: it's still with me")),
    ("rather_not_say", _("I'd rather not say")),
]


class CheckInForm(forms.Form):
    feeling = forms.ChoiceField(
        label=_("How are you?"), choices=FEELINGS, required=False, widget=forms.RadioSelect
    )
    how = forms.CharField(
        label=_("Anything you want to say (only you will read it)"),
        required=False,
        max_length=4000,
        widget=_area(5),
    )
    referrals = forms.MultipleChoiceField(
        label=_("Would you like a referral?"),
        required=False,
        choices=SupportContact.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose none if you don't. The director sees only whether you asked for "
                    "help, so that someone can make sure you get it."),
    )  # fmt: skip


class ImpactForm(forms.Form):
    pii_fields = ("seen", "rumours", "groups")
    seen = forms.CharField(
        label=_("What the community may have seen"),
        required=False,
        max_length=4000,
        widget=_area(),
        help_text=SAY_A_PATRON,
    )
    rumours = forms.CharField(
        label=_("Rumours to correct"), required=False, max_length=4000, widget=_area()
    )
    groups = forms.CharField(
        label=_("Which groups to reach"), required=False, max_length=4000, widget=_area(),
        help_text=_("Community organisations, schools, congregations, partner agencies."),
    )  # fmt: skip


LANGUAGE_NAMES = dict(PATRON_LANGUAGES)


class StatementForm(forms.Form):
    def __init__(self, *args, languages, **kwargs):
        super().__init__(*args, **kwargs)
        for code in languages:
            self.fields[f"text_{code}"] = forms.CharField(
                label=LANGUAGE_NAMES.get(code, code),
                required=False,
                max_length=6000,
                widget=forms.Textarea(attrs={"rows": 14, "lang": code, "dir": "auto"}),
            )
        self.pii_fields = tuple(self.fields)

    def texts(self) -> dict[str, str]:
        return {k.removeprefix("text_"): v for k, v in self.cleaned_data.items()}


class ProgrammeForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, widget=_text())
    description = forms.CharField(label=_("Description"), required=False, widget=_area())
    date = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    time = forms.TimeField(
        label=_("Starts at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    minutes = forms.IntegerField(label=_("Length (minutes)"), min_value=15, max_value=600)
    location = forms.CharField(label=_("Where"), required=False, max_length=300, widget=_text())
    partner = forms.CharField(
        label=_("With (partner organisation)"), required=False, max_length=200, widget=_text()
    )
    languages = forms.CharField(
        label=_("Languages"), required=False, max_length=200, widget=_text()
    )
