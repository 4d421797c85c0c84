from django.db import transaction

# Countries the association posts to (print issues and subscriptions).
SHIPPING_COUNTRIES = ("FR", "BE", "LU", "CH", "MC", "DE", "ES", "IT", "NL", "PT", "GB", "CA")


@transaction.atomic
def ensure_countries() -> int:
    """Create Oscar's countries from ISO 3166 with French names; returns how many were added.

    Addresses need them. Existing rows are left alone so that staff's choices stay.
    """
    import gettext

    import pycountry
    from oscar.core.loading import get_model

    Country = get_model("address", "Country")
    french = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"])
    existing = set(Country.objects.values_list("iso_3166_1_a2", flat=True))
    new = [
        Country(
            iso_3166_1_a2=country.alpha_2,
            iso_3166_1_a3=country.alpha_3,
            iso_3166_1_numeric=country.numeric,
            printable_name=french.gettext(country.name),
            name=french.gettext(getattr(country, "official_name", country.name)),
            is_shipping_country=country.alpha_2 in SHIPPING_COUNTRIES,
            display_order=1 if country.alpha_2 == "FR" else 0,
        )
        for country in pycountry.countries
        if country.alpha_2 not in existing
    ]
    Country.objects.bulk_create(new)
    return len(new)
