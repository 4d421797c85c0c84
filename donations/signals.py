"""The donations app's own signals: what a service tells another that it may not import
(services import no sibling that imports them back: import-linter's no-circles rule)."""

from django.dispatch import Signal

# A month of a running monthly gift taken back by the donor's bank (``gift``): the account
# holder does not want it debited; donations.receivers stops the gift.
monthly_gift_disputed = Signal()
