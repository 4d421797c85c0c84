"""Donations: the writes, one module per concern, one function per use case.

Callers name the module (``from donations.services import receipts``): nothing is
re-exported here, so that the modules import one another without a circle.
"""
