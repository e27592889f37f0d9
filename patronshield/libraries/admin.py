import zoneinfo

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from patronshield.accounts.admin_scope import LibraryScopedAdmin

from .models import PATRON_LANGUAGES, Area, Branch, Library

US_TIME_ZONES = sorted(
    tz for tz in zoneinfo.available_timezones() if tz.startswith(("America/", "Pacific/"))
)


class LibraryForm(forms.ModelForm):
    languages = forms.MultipleChoiceField(
        label=_("languages offered"),
        choices=PATRON_LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    time_zone = forms.ChoiceField(label=_("time zone"), choices=[(t, t) for t in US_TIME_ZONES])

    class Meta:
        model = Library
        fields = [
            "name",
            "slug",
            "state",
            "time_zone",
            "languages",
            "address",
            "counsel_name",
            "counsel_phone",
            "counsel_email",
            "store_document_files",
            "retain_encounters_days",
            "retain_documents_days",
            "retain_requests_days",
            "card_number_pattern",
        ]


class BranchInline(admin.TabularInline):
    model = Branch
    extra = 0


class AreaInline(admin.TabularInline):
    model = Area
    extra = 0
    fields = ["name", "public", "position"]


@admin.register(Library)
class LibraryAdmin(LibraryScopedAdmin):
    library_field = "pk"
    for_operator = True
    form = LibraryForm
    list_display = ["name", "state", "time_zone"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "slug", "state", "time_zone", "languages", "address"]}),
        (_("Legal counsel"), {"fields": ["counsel_name", "counsel_phone", "counsel_email"]}),
        (_("Documents shown at the desk"), {"fields": ["store_document_files"]}),
        (
            _("Retention and privacy"),
            {
                "fields": [
                    "retain_encounters_days",
                    "retain_documents_days",
                    "retain_requests_days",
                    "card_number_pattern",
                ]
            },
        ),
    ]

    def has_add_permission(self, request):
        return request.user.is_superuser or self._operator(request)  # a new library

    def has_change_permission(self, request, obj=None):  # an operator adds, then only reads
        return super().has_change_permission(request, obj) and not self._operator(request)

    def has_delete_permission(self, request, obj=None):
        return False  # its records must outlive it

    inlines = [BranchInline, AreaInline]
