from django.contrib import admin

from .models import Area, Branch, Library


class BranchInline(admin.TabularInline):
    model = Branch
    extra = 0


class AreaInline(admin.TabularInline):
    model = Area
    extra = 0
    fields = ["name", "public", "position"]


@admin.register(Library)
class LibraryAdmin(admin.ModelAdmin):
    list_display = ["name", "state", "time_zone"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "slug", "state", "time_zone", "languages", "address"]}),
        ("Legal counsel", {"fields": ["counsel_name", "counsel_phone", "counsel_email"]}),
    ]
    inlines = [BranchInline, AreaInline]
