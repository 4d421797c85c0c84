"""The donations' models, one module per concern; Django finds them all here."""

from donations.models.association import Association
from donations.models.disputes import Dispute
from donations.models.gifts import Donation, Donor, MonthlyGift
from donations.models.identity import GiftIdentity, PostalIdentity
from donations.models.mandates import Mandate
from donations.models.order_gifts import OrderGift
from donations.models.receipts import Receipt, ReceiptArchive, ReceiptSequence
from donations.models.treasury import TreasuryLog

__all__ = [
    "Association",
    "Dispute",
    "Donation",
    "Donor",
    "GiftIdentity",
    "Mandate",
    "MonthlyGift",
    "OrderGift",
    "PostalIdentity",
    "Receipt",
    "ReceiptArchive",
    "ReceiptSequence",
    "TreasuryLog",
]
