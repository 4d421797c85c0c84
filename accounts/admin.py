"""Django admin's user form refuses an email another account has (whatever its case), as
the registration and profile forms do; the database's unique index would otherwise answer
with an error page."""

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.utils.translation import gettext as _

from accounts.selectors import email_taken

User = get_user_model()


class UniqueEmailUserChangeForm(UserChangeForm):
    def clean_email(self):
        email = self.cleaned_data.get("email", "")
        if email and email_taken(email, exclude=self.instance if self.instance.pk else None):
            raise forms.ValidationError(_("Another account already uses this email address."))
        return email


class KiosqueUserAdmin(UserAdmin):
    form = UniqueEmailUserChangeForm


if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, KiosqueUserAdmin)
