"""A database migrated from before gift identities moves forward with nothing lost: each gift
gets the identity it was receipted with (else its donor's), and gifts whose receipt was
cancelled by hand without correction are not receipted again (issue 16, items 2 and 15)."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("donations", "0003_treasury")]
AFTER = [("donations", "0005_backfill_gift_identities_and_eligibility")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_existing_gifts_and_cancellations_are_carried_forward():
    old = migrate(BEFORE)
    Donor, Donation = old.get_model("donations", "Donor"), old.get_model("donations", "Donation")
    MonthlyGift, Receipt = (
        old.get_model("donations", "MonthlyGift"),
        old.get_model("donations", "Receipt"),
    )
    donor = Donor.objects.create(
        email="marie@example.org",
        first_name="Marie",
        last_name="Curie",
        line1="11 rue Pierre et Marie Curie",
        postcode="75005",
        city="Paris",
        country="France",
    )
    paid_at = timezone.make_aware(datetime.datetime(2025, 3, 5, 12))
    frozen = {
        "donor": donor,
        "issued_at": paid_at,
        "donor_last_name": "Curie",
        "donor_first_names": "Marie",
        "donor_address": ["36 quai de Béthune", "Bâtiment B", "75004 Paris", "France"],
        "amount": Decimal("50.00"),
        "payments": [{"date": "2025-03-05", "amount": "50.00", "method": "card"}],
    }
    receipted_then = Receipt.objects.create(number="2025-000001", year=2025, sequence=1, **frozen)
    old_gift = Donation.objects.create(
        donor=donor, amount=Decimal("50"), status="paid", paid_at=paid_at, receipt=receipted_then
    )
    not_a_gift = Donation.objects.create(
        donor=donor, amount=Decimal("20"), status="paid", paid_at=paid_at
    )
    Receipt.objects.create(
        number="2025-000002",
        year=2025,
        sequence=2,
        status="cancelled",
        cancellation_reason="Contrepartie",
        **(
            frozen
            | {
                "amount": Decimal("20.00"),
                "payments": [{**frozen["payments"][0], "amount": "20.00"}],
            }
        ),
    )
    monthly = MonthlyGift.objects.create(donor=donor, amount=Decimal("10"), status="active")
    unreceipted = Donation.objects.create(
        donor=donor, monthly_gift=monthly, amount=Decimal("10"), status="paid", paid_at=paid_at
    )

    new = migrate(AFTER)

    Donation = new.get_model("donations", "Donation")
    gift = Donation.objects.get(pk=old_gift.pk)
    assert (gift.identity.line1, gift.identity.line2, gift.identity.postcode) == (
        "36 quai de Béthune",
        "Bâtiment B",
        "75004",
    )
    assert Donation.objects.get(pk=unreceipted.pk).identity.line1 == "11 rue Pierre et Marie Curie"
    assert new.get_model("donations", "MonthlyGift").objects.get().identity.postcode == "75005"
    assert not Donation.objects.get(pk=not_a_gift.pk).receipt_eligible
    assert Donation.objects.get(pk=unreceipted.pk).receipt_eligible
    cancelled = new.get_model("donations", "Receipt").objects.get(number="2025-000002")
    assert cancelled.gifts_eligible is False
    assert Donor.objects.get().line1 == "11 rue Pierre et Marie Curie"  # unchanged

    migrate(executor_leaf())


def executor_leaf():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()
