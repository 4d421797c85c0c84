"""Who gives: the name and address, as a donor's stored identity and as given with a gift."""

from django.db import models
from django.utils.translation import gettext_lazy as _

IDENTITY_FIELDS = ("first_name", "last_name", "line1", "line2", "postcode", "city", "country")


class PostalIdentity(models.Model):
    """A person's names and postal address, as a tax receipt prints them."""

    first_name = models.CharField(_("first names"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150)
    line1 = models.CharField(_("address"), max_length=255)
    line2 = models.CharField(_("address (continued)"), max_length=255, blank=True)
    postcode = models.CharField(_("postcode"), max_length=20)
    city = models.CharField(_("city"), max_length=120)
    country = models.CharField(_("country"), max_length=120, default="France")

    class Meta:
        abstract = True

    @property
    def address_lines(self) -> list[str]:
        return [
            line
            for line in (self.line1, self.line2, f"{self.postcode} {self.city}", self.country)
            if line.strip()
        ]

    def identity_fields(self) -> dict:
        return {name: getattr(self, name) for name in IDENTITY_FIELDS}


class GiftIdentity(PostalIdentity):
    """The name and address typed with a gift (a one-off attempt, a monthly gift).

    Never changed once made. It travels with the gift and becomes the donor's only once that
    gift is paid; a receipt prints the identity given with the payments it covers. So a form
    sent with someone's email but never paid changes neither their stored identity nor any
    receipt of theirs.
    """

    donor = models.ForeignKey(
        "donations.Donor", on_delete=models.PROTECT, related_name="gift_identities"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("identity given with a gift")
        verbose_name_plural = _("identities given with gifts")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.first_name} {self.last_name}, {', '.join(self.address_lines)}"
