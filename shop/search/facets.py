from oscar.apps.search.facets import *  # noqa: F403
from oscar.apps.search.facets import base_sqs as oscar_base_sqs


def base_sqs():
    """Oscar's search, with each page's products loaded in one query and its prefetches
    (Oscar's base queryset) instead of one query per result: a catalogue page costs the same
    number of queries whatever the catalogue's size."""
    return oscar_base_sqs().load_all()
