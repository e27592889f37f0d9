from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .content import VERSION
from .models import Event, Resource, TranslationReview


@admin.register(TranslationReview)
class TranslationReviewAdmin(admin.ModelAdmin):
    list_display = ["language", "status", "version", "reviewed_on", "reviewed_by", "current"]
    list_filter = ["status"]

    @admin.display(boolean=True, description=_("covers the current text"))
    def current(self, obj):
        return obj.version == VERSION

    def get_changeform_initial_data(self, request):
        return {"version": VERSION, **super().get_changeform_initial_data(request)}


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "library", "phone", "languages", "free", "sample"]
    list_filter = ["library", "kind", "free", "sample"]
    search_fields = ["name", "languages", "description"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "library", "starts_at", "location", "sample"]
    list_filter = ["library", "kind", "sample"]
    date_hierarchy = "starts_at"
