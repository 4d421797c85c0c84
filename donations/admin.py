from django.contrib import admin

from donations.models import Association


@admin.register(Association)
class AssociationAdmin(admin.ModelAdmin):
    list_display = ("name", "city", "siren", "rna")
