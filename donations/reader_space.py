"""The donor's tax receipts, as a section of the magazine's reader's space."""

from donations import selectors
from magazine import reader_space


def receipts_section(user) -> dict:
    return {"receipts": selectors.receipts_of_account(user)}


reader_space.add_section(
    template_name="donations/reader_space_receipts.html", context=receipts_section
)
