from django.core.management import call_command
from django.core.management.base import BaseCommand

from demo.seeders import ACCOUNTS, load_demo


class Command(BaseCommand):
    help = "Load (or bring back) the demonstration data. Safe to run again."

    def handle(self, *args, **options):
        load_demo()
        # The catalogue is browsed through the search index: bring it in line with the data.
        call_command("update_index", remove=True, verbosity=0)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        for account in ACCOUNTS:
            self.stdout.write(f"  {account.email} / {account.password}")
