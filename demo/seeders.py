"""The demonstration data of `make run`: each app seeds its own (``<app>/demo.py``), here in
the order they need each other (the catalogue's helpers, then what is sold, then the gifts
and their receipts, then the staff). Safe to run again: it brings the data back."""

from django.db import transaction

from accounts import demo as accounts_demo
from donations import demo as donations_demo
from magazine import demo as magazine_demo
from shop import demo as shop_demo

SEEDERS = (shop_demo.seed, magazine_demo.seed, donations_demo.seed, accounts_demo.seed)
ACCOUNTS = (accounts_demo.TREASURER, accounts_demo.STAFF)


@transaction.atomic
def load_demo() -> None:
    for seed in SEEDERS:
        seed()
