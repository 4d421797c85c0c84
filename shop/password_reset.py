"""Oscar's password reset page (Django's view), limited against email floods: requests per
client address (a French 429, the form keeping what was typed) and emails per address (then
nothing is sent, and the answer is the same as when it is, known account or not)."""

from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.urls import reverse_lazy
from oscar.core.loading import get_class

from kiosque import ratelimit

PasswordResetForm = get_class("customer.forms", "PasswordResetForm")


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    success_url = reverse_lazy("password-reset-done")
    template_name = "oscar/registration/password_reset_form.html"

    def form_valid(self, form):
        if not ratelimit.allow_email_request(self.request, "password-reset"):
            form.add_error(None, ratelimit.too_many_requests_message())
            return self.render_to_response(self.get_context_data(form=form), status=429)
        if not ratelimit.allow_email_to(form.cleaned_data["email"], "password-reset"):
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)
