"""`manage.py load_demo` gives the same data however many times it runs."""

from decimal import Decimal

from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory
from oscar.core.loading import get_model

from donations.selectors import get_association

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")

DEMO_MODELS = [
    "catalogue.Product",
    "catalogue.ProductClass",
    "catalogue.ProductAttributeValue",
    "catalogue.ProductImage",
    "catalogue.Category",
    "catalogue.ProductCategory",
    "partner.Partner",
    "partner.StockRecord",
    "address.Country",
    "auth.User",
    "auth.Group",
    "auth.Group_permissions",
    "donations.Association",
    "sites.Site",
]


def snapshot():
    """Every row of the demo's models, but for "last modified" timestamps."""
    rows = {}
    for label in DEMO_MODELS:
        model = apps.get_model(label)
        fields = [
            f.attname for f in model._meta.concrete_fields if not getattr(f, "auto_now", False)
        ]
        rows[label] = sorted(map(repr, model.objects.values(*fields)))
    return rows


def test_load_demo_twice_gives_the_same_data(demo):
    first = snapshot()
    call_command("load_demo", stdout=None)
    assert snapshot() == first


def test_demo_catalogue(demo):
    print_issues = Product.objects.filter(product_class__slug="numero-papier")
    pdf_issues = Product.objects.filter(product_class__slug="numero-numerique")
    assert print_issues.count() == 3
    assert pdf_issues.count() == 3
    for product in print_issues:
        assert product.product_class.requires_shipping
        record = StockRecord.objects.get(product=product)
        assert record.num_in_stock > 0
        assert record.price == Decimal("9.50")
        assert record.price_currency == "EUR"
        assert product.primary_image().original
    for product in pdf_issues:
        assert not product.product_class.requires_shipping
        assert StockRecord.objects.get(product=product).price == Decimal("6.00")
    subscriptions = Product.objects.filter(product_class__slug__startswith="abonnement")
    assert sorted(p.attr.term_in_issues for p in subscriptions) == [4, 4, 4]
    assert sorted(p.product_class.slug for p in subscriptions) == [
        "abonnement-numerique",
        "abonnement-papier",
        "abonnement-papier-numerique",
    ]


def test_demo_accounts_and_association(demo):
    request = RequestFactory().post("/accounts/login/")  # the lockout backend wants one
    treasurer = authenticate(
        request, username="tresorier@kiosque.example", password="demo-tresorier"
    )
    staff = authenticate(request, username="equipe@kiosque.example", password="demo-equipe")
    assert treasurer is not None and treasurer.is_staff
    assert treasurer.groups.filter(name="Trésorerie").exists()
    assert staff is not None and staff.is_staff
    association = get_association()
    assert association.name
    assert association.siren or association.rna
    assert association.signatory_name and association.signatory_role
    assert association.signature


def test_each_demo_monthly_gift_exists_once_however_many_loads(demo):
    from donations.demo import DONORS
    from donations.models import Donation, MonthlyGift, Receipt

    monthly_donors = [donor for donor in DONORS if donor[5]]
    assert MonthlyGift.objects.count() == len(monthly_donors)
    assert MonthlyGift.objects.values("donor").distinct().count() == len(monthly_donors)
    counts = [Model.objects.count() for Model in (MonthlyGift, Donation, Receipt)]
    call_command("load_demo", stdout=None)
    assert [Model.objects.count() for Model in (MonthlyGift, Donation, Receipt)] == counts


def test_the_demo_s_gifts_are_spread_over_the_year_and_receipted_in_date_order(demo):
    from django.utils import timezone

    from donations.models import Donation, Receipt

    now = timezone.now()
    today = timezone.localdate(now)
    gifts = Donation.objects.filter(paid_at__year=today.year)
    months = {timezone.localdate(gift.paid_at).month for gift in gifts}
    assert len(months) >= min(10, today.month - (today.day <= 5))
    assert months >= set(range(1, today.month))  # every month gone by has its gifts
    assert not Donation.objects.filter(paid_at__gte=now).exists()  # none still to come
    receipts = list(Receipt.objects.filter(year=today.year).order_by("sequence"))
    assert receipts and all(receipt.issued_at <= now for receipt in receipts)
    receipt_months = {timezone.localdate(receipt.issued_at).month for receipt in receipts}
    assert len(receipt_months) >= min(10, today.month - (today.day <= 5))
    for receipt in receipts:  # dated with its gift
        (paid,) = [timezone.localdate(gift.paid_at) for gift in receipt.donations.all()]
        assert timezone.localdate(receipt.issued_at) == paid
    dates = [receipt.issued_at for receipt in receipts]
    assert dates == sorted(dates)  # numbers increase with dates
