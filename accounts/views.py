from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from oscar.apps.customer.utils import CustomerDispatcher, get_password_reset_url
from oscar.apps.customer.views import ProfileUpdateView as OscarProfileUpdateView

from accounts import links, selectors, services
from kiosque import ratelimit
from kiosque.access import forbidden


def _language() -> str:
    return translation.get_language() or "fr"


def _may_send(request, email: str) -> bool:
    """Not an email flood: a few links per address and per client in the window."""
    if ratelimit.allow_email_request(
        request, what="email-confirmation"
    ) and ratelimit.allow_email_to(email, what="email-confirmation"):
        return True
    messages.error(
        request,
        _("A link was sent a moment ago: please look in your emails (and the spam folder) "
          "before asking again."),
    )  # fmt: skip
    return False


class ConfirmEmailView(LoginRequiredMixin, View):
    """The link of the confirmation email, followed while signed in to the account that
    asked for it (someone who did not ask cannot confirm an email for another account).
    The link opens a page whose button (POST) confirms: a GET changes nothing, since mail
    scanners and link previews follow links."""

    template_name = "accounts/confirm_email.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        confirmation = links.confirmation_of(kwargs["token"])
        if confirmation is None:
            return forbidden(
                request,
                _("This confirmation link has expired or is incomplete. You can ask for a "
                  "new one from your account."),
            )  # fmt: skip
        user_id, self.email = confirmation
        if user_id != request.user.pk:
            return forbidden(
                request,
                _("This confirmation link was sent for another account: sign in with the "
                  "account that asked for it."),
            )  # fmt: skip
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, token):
        return TemplateResponse(request, self.template_name, {"email": self.email})

    def post(self, request, token):
        email = self.email
        try:
            previous = services.confirm_email(user=request.user, email=email)
        except services.EmailTaken:
            return forbidden(request, _("Another account already uses this email address."))
        request.user.refresh_from_db()
        if previous.strip().lower() != email:
            self._tell_previous_address(request, previous)
            messages.success(request, _("Your email address is now %(email)s.") % {"email": email})
        else:
            messages.success(
                request,
                _("Your email address is confirmed: what you bought, gave or received with it "
                  "is now in your account."),
            )  # fmt: skip
        return redirect("magazine:reader-space")

    def _tell_previous_address(self, request, previous: str) -> None:
        """Oscar's "email changed" notice, to the old address (with a password reset link)."""
        user = request.user
        old_user = get_user_model().objects.get(pk=user.pk)
        old_user.email = previous
        CustomerDispatcher().send_email_changed_email_for_user(
            old_user,
            {
                "user": user,
                "reset_url": get_password_reset_url(user),
                "new_email": user.email,
                "request": request,
            },
        )


class SendConfirmationView(LoginRequiredMixin, View):
    """ "Send me the link again", from the account's pages."""

    def post(self, request):
        if selectors.verified_email(request.user) is None and _may_send(
            request, request.user.email
        ):
            services.request_email_confirmation(user=request.user, language=_language())
            messages.success(
                request,
                _("A confirmation link was sent to %(email)s.") % {"email": request.user.email},
            )
        back = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            back = "magazine:reader-space"
        return redirect(back)


class ProfileUpdateView(LoginRequiredMixin, OscarProfileUpdateView):
    """Oscar's profile form; a new email becomes the account's only once it is confirmed by
    the link sent to it: until then the account keeps its current email."""

    def form_valid(self, form):
        user = self.request.user
        current = get_user_model().objects.get(pk=user.pk).email
        new_email = (form.cleaned_data.get("email") or "").strip()
        if not new_email or new_email.lower() == current.strip().lower():
            return super().form_valid(form)
        form.instance.email = current
        form.save()
        if not _may_send(self.request, new_email):
            return redirect(self.get_success_url())
        services.request_email_confirmation(user=user, email=new_email, language=_language())
        messages.success(
            self.request,
            _("Profile updated. A link was sent to %(new)s: your email address stays %(current)s "
              "until you follow it.") % {"new": new_email, "current": current},
        )  # fmt: skip
        return redirect(self.get_success_url())
