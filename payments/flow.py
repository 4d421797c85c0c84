"""The one set-up / pay / complete flow of every payment page (the shop's checkout, the
donations), driven by static/kiosque/js/card-payment.js and templates/kiosque/card_form.html:

1. set up: a SetupIntent whose client secret the page confirms with Stripe.js when the card
   is kept for later payments (``saves_card``: a monthly gift); its id waits in the session
   for the paying step, with its customer;
2. pay: the app charges what it sells (``charge``), with the set-up's id, or, for a one-off
   payment, with the card token the page made (Stripe.js ``createToken``) instead of
   confirming the SetupIntent: the PaymentIntent is confirmed at once with that card, so a
   3-D Secure card is challenged once, at the payment, not at a set-up then again;
3. complete: after 3-D Secure in the page, or while the bank is processing (``confirm``).

Each endpoint answers JSON the script knows: ``{"client_secret"}`` (set up),
``{"redirect"}``, ``{"requires_action", "client_secret"}``, ``{"processing"}`` or
``{"error", "code"}`` (402 refused, 503 Stripe unavailable, 429 too many attempts).
An app's three views subclass ``PaymentFlowMixin`` and say what differs. The payment method
(payments.methods) is the payer's choice among the view's ``methods_offered``: the page sends
it with the set-up (``method``), and it is kept in the session with the set-up's id. A SEPA
debit is always set up in the page (IBAN, holder's name, mandate), never a token.
"""

from django.http import JsonResponse
from django.utils.translation import gettext as _

from kiosque import ratelimit
from payments import card_attempts, facade, gateway, methods
from payments.outcomes import NeedsAuthentication, Outcome, Paid, Refused, Subscribed


class PaymentFlowMixin:
    methods_offered: tuple[methods.PaymentMethod, ...] = (methods.CARD,)
    method: methods.PaymentMethod = methods.CARD  # the payer's choice, once known
    setup_session_key: str  # where the set-up's id waits between steps 1 and 2

    # --- What the app says --------------------------------------------------------------

    def payer_email(self) -> str:
        raise NotImplementedError

    def before_setup(self) -> JsonResponse | None:
        """A response instead of a set-up (nothing left to pay), or None."""
        return None

    def before_charge(self) -> JsonResponse | None:
        return None

    def saves_card(self) -> bool:
        """Whether the card is kept for later payments (a monthly gift): then the page sets
        it up (SetupIntent, 3-D Secure there once) before the first payment. A one-off
        payment's page sends a card token instead, so that 3-D Secure comes once, at the
        payment."""
        return False

    def charge(self, setup_id: str, token: str = "") -> Outcome | JsonResponse:
        raise NotImplementedError

    def confirm(self) -> Outcome | JsonResponse:
        raise NotImplementedError

    def is_paid(self, outcome: Outcome) -> bool:
        return isinstance(outcome, Paid | Subscribed)

    def paid_response(self) -> JsonResponse:
        raise NotImplementedError

    def awaiting(self, outcome: Outcome) -> None:
        """The payment awaits 3-D Secure or the bank: what the app keeps meanwhile."""

    def refused_response(self, refused: Refused) -> JsonResponse:
        # Stripe's refusal is counted against card testing when Stripe reports it
        # (payments.card_attempts), as are those of the card tried without the site.
        return JsonResponse({"error": refused.message, "code": refused.code}, status=402)

    def unavailable_response(self, failure: gateway.StripeUnavailable, *, step: str):
        """Stripe could not be asked (``step`` "pay" or "complete"): nothing was done."""
        return JsonResponse({"error": failure.message, "code": failure.code}, status=503)

    def payment_form_context(self) -> dict:
        """What the payment page's form needs, besides its three URLs."""
        context = self.method.form_context(self.payer_email())
        context["payment_form_template"] = self.method.template
        context["payment_methods"] = [method.code for method in self.methods_offered]
        return context

    def setup_customer(self) -> str:
        """The Stripe customer the method is set up for (a monthly gift's, for a new card or
        account); "" for a new customer. May call Stripe (StripeUnavailable: 503)."""
        return ""

    def sets_up(self) -> bool:
        """Whether the page sets the method up (SetupIntent) rather than sending a card token."""
        return self.method is not methods.CARD or self.saves_card()

    def _method_key(self) -> str:
        return f"{self.setup_session_key}:method"

    # --- The three steps ----------------------------------------------------------------

    def setup_response(self) -> JsonResponse:
        """Step 1. Each card attempt starts here, so this is where card testers are stopped:
        the set-up is recorded with the client's address and the email, for counting
        Stripe's refusals of it (payments.card_attempts)."""
        if early := self.before_setup():
            return early
        offered = {method.code: method for method in self.methods_offered}
        chosen = self.request.POST.get("method") or methods.CARD.code
        if chosen not in offered:
            return JsonResponse({"error": _("Please choose a payment method.")}, status=400)
        self.method = offered[chosen]
        request, email = self.request, self.payer_email() or ""
        if ratelimit.card_failures_exhausted(request, email) or not ratelimit.allow(request, email):
            return ratelimit.too_many_attempts_json()
        try:
            setup = facade.start_setup(
                email=email, method=self.method, customer_id=self.setup_customer()
            )
        except gateway.StripeUnavailable as failure:
            return JsonResponse({"error": failure.message, "code": failure.code}, status=503)
        card_attempts.record_setup(
            setup_intent_id=setup.setup_id,
            customer_id=setup.customer_id,
            client_ip=ratelimit.client_ip(request),
            email=email,
        )
        request.session[self.setup_session_key] = setup.setup_id
        request.session[self._method_key()] = self.method.code
        return JsonResponse(
            {"client_secret": setup.client_secret, "card_token": not self.sets_up()}
        )

    def pay_response(self) -> JsonResponse:
        """Step 2: the set-up the page confirmed (its id, as the session knows it) is charged;
        or, for a one-off payment, the card of the token the page sent, on the set-up's
        customer."""
        if early := self.before_charge():
            return early
        setup_id = self.request.session.pop(self.setup_session_key, None)
        chosen = self.request.session.pop(self._method_key(), methods.CARD.code)
        self.method = next((m for m in self.methods_offered if m.code == chosen), methods.CARD)
        token = self.request.POST.get("token", "")
        if token and (self.sets_up() or not token.startswith("tok_")):
            token = ""  # a card kept for later (or a debit) is set up, never a token
        if not setup_id or not (token or self.request.POST.get("setup_intent") == setup_id):
            message = (
                _("Your card could not be read. Please try again.")
                if self.method is methods.CARD
                else _("Your bank details could not be read. Please try again.")
            )
            return JsonResponse({"error": message}, status=400)
        try:
            outcome = self.charge(setup_id, token)
        except gateway.StripeUnavailable as failure:
            return self.unavailable_response(failure, step="pay")
        return self.respond(outcome)

    def complete_response(self) -> JsonResponse:
        try:
            outcome = self.confirm()
        except gateway.StripeUnavailable as failure:
            return self.unavailable_response(failure, step="complete")
        return self.respond(outcome)

    def respond(self, outcome: Outcome | JsonResponse) -> JsonResponse:
        if isinstance(outcome, JsonResponse):
            return outcome
        if isinstance(outcome, Refused):
            return self.refused_response(outcome)
        if self.is_paid(outcome):
            return self.paid_response()
        self.awaiting(outcome)
        if isinstance(outcome, NeedsAuthentication):
            return JsonResponse({"requires_action": True, "client_secret": outcome.client_secret})
        return JsonResponse({"processing": True})
