from django.core.management.base import BaseCommand

from shop.demo import STAFF, TREASURER, load_demo


class Command(BaseCommand):
    help = "Load (or bring back) the demonstration data. Safe to run again."

    def handle(self, *args, **options):
        load_demo()
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        for account in (TREASURER, STAFF):
            self.stdout.write(f"  {account.email} / {account.password}")
