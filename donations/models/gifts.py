"""Donors and their gifts: one-off donations and monthly gifts."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from donations.models.identity import GiftIdentity, PostalIdentity


class Method(models.TextChoices):
    """How a gift is paid. Cerfa n°11580 groups these in one box: "virement, prélèvement,
    carte bancaire"; the receipt names the one used."""

    CARD = "card", _("Credit card")
    DIRECT_DEBIT = "direct_debit", _("Direct debit")
    TRANSFER = "transfer", _("Bank transfer")


class Donor(PostalIdentity):
    """Someone who gives, known by their email; the name and address of their latest gift
    paid (see ``GiftIdentity``: an unpaid form never changes them).

    Receipts copy the name and address when they are issued: a later gift with another
    address changes this row, never an issued receipt.
    """

    email = models.EmailField(_("email"), unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="donors",
    )
    language = models.CharField(_("language"), max_length=10, default=settings.LANGUAGE_CODE)
    newsletter_consent_at = models.DateTimeField(
        _("newsletter consent given at"), null=True, blank=True
    )
    stripe_customer_id = models.CharField(_("Stripe customer"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("donor")
        verbose_name_plural = _("donors")
        ordering = ["last_name", "first_name"]

    def __str__(self):
        return f"{self.first_name} {self.last_name} <{self.email}>"

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)


class MonthlyGift(models.Model):
    """A monthly donation: a Stripe subscription to a monthly plan of its amount.

    Each paid invoice of the subscription is one ``Donation``. Paid by card or by SEPA direct
    debit (``method``; ``mandate`` for a debit); a refused payment makes it lapse
    (``lapsed_at``) until a payment goes through again (``recovered_at``); after
    ``FAILURES_BEFORE_STOP`` refusals in a row it stops.
    """

    FAILURES_BEFORE_STOP = 3

    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting the card")
        ACTIVE = "active", _("active")
        STOPPED = "stopped", _("stopped")
        FAILED = "failed", _("not started")

    donor = models.ForeignKey(Donor, on_delete=models.PROTECT, related_name="monthly_gifts")
    amount = models.DecimalField(_("monthly amount"), max_digits=10, decimal_places=2)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    language = models.CharField(_("language"), max_length=10, default=settings.LANGUAGE_CODE)
    identity = models.ForeignKey(
        GiftIdentity,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="monthly_gifts",
        help_text=_("The name and address given when it was set up: every month's receipt."),
    )
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("placed by"),
        help_text=_(
            "The account signed in when it was set up: it sees it before verifying its email."
        ),
    )
    stripe_subscription_id = models.CharField(
        _("Stripe subscription"), max_length=255, unique=True, null=True, blank=True
    )
    method = models.CharField(
        _("payment method"), max_length=16, choices=Method.choices, default=Method.CARD
    )
    payment_label = models.CharField(
        _("paid with"),
        max_length=64,
        blank=True,
        help_text=_("The card or the account, masked: Visa •••• 4242, FR•• •••• •••• 1234."),
    )
    mandate = models.ForeignKey(
        "donations.Mandate",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="monthly_gifts",
        verbose_name=_("SEPA mandate"),
    )
    failed_payments = models.PositiveSmallIntegerField(_("payments refused in a row"), default=0)
    lapsed_at = models.DateTimeField(
        _("lapsed at"), null=True, blank=True, help_text=_("Its latest payment was refused.")
    )
    recovered_at = models.DateTimeField(
        _("recovered at"),
        null=True,
        blank=True,
        help_text=_("A payment went through again after a refusal."),
    )
    paused_until = models.DateField(_("paused until"), null=True, blank=True)
    error_code = models.CharField(_("error code"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    stopped_at = models.DateTimeField(_("stopped at"), null=True, blank=True)

    class Meta:
        verbose_name = _("monthly gift")
        verbose_name_plural = _("monthly gifts")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.amount} €/mois, {self.donor} ({self.status})"


class Donation(models.Model):
    """One gift of money, paid once: a one-off gift, or one month of a monthly gift.

    It becomes ``paid`` only on Stripe's word, once per payment: the PaymentIntent (one-off)
    and the invoice (monthly) are unique.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting payment")
        # A SEPA debit: the bank answers days later; no receipt before it is paid.
        PROCESSING = "processing", _("debit in progress")
        PAID = "paid", _("paid")
        FAILED = "failed", _("failed")
        REFUNDED = "refunded", _("refunded")
        DISPUTED = "disputed", _("reversed by the bank")

    Method = Method

    donor = models.ForeignKey(Donor, on_delete=models.PROTECT, related_name="donations")
    monthly_gift = models.ForeignKey(
        MonthlyGift,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="donations",
    )
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2)
    amount_refunded = models.DecimalField(
        _("amount refunded"), max_digits=10, decimal_places=2, default=0
    )
    method = models.CharField(
        _("method"), max_length=16, choices=Method.choices, default=Method.CARD
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    language = models.CharField(_("language"), max_length=10, default=settings.LANGUAGE_CODE)
    identity = models.ForeignKey(
        GiftIdentity,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="donations",
        help_text=_("The name and address given with this gift, as its receipt prints them."),
    )
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("placed by"),
        help_text=_(
            "The account signed in when it was given: it sees it before verifying its email."
        ),
    )
    payment_intent_id = models.CharField(
        _("Stripe PaymentIntent"), max_length=255, unique=True, null=True, blank=True
    )
    invoice_id = models.CharField(
        _("Stripe invoice"), max_length=255, unique=True, null=True, blank=True
    )
    mandate = models.ForeignKey(
        "donations.Mandate",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="donations",
        verbose_name=_("SEPA mandate"),
        help_text=_("The mandate this gift was debited under."),
    )
    error_code = models.CharField(_("error code"), max_length=255, blank=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True, db_index=True)
    receipt = models.ForeignKey(
        "Receipt",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="donations",
        help_text=_("The receipt in force for this gift (cancelled ones are kept apart)."),
    )
    receipt_eligible = models.BooleanField(
        _("eligible for a tax receipt"),
        default=True,
        help_text=_("Off once a receipt was cancelled because the gift was not eligible."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("donation")
        verbose_name_plural = _("donations")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(receipt_eligible=True) | models.Q(receipt__isnull=True),
                name="no_receipt_for_an_ineligible_gift",
            ),
        ]

    def __str__(self):
        return f"{self.amount} € {self.donor} ({self.status})"

    @property
    def is_monthly(self) -> bool:
        return self.monthly_gift_id is not None

    @property
    def amount_kept(self):
        """What the association keeps, i.e. what a receipt may certify."""
        return self.amount - self.amount_refunded
