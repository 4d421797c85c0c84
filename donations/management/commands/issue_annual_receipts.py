from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import ngettext

from donations.amounts import euros
from donations.services.annual import issue_annual_receipts


class Command(BaseCommand):
    help = (
        "Issue the summary tax receipts of a year's monthly gifts (Celery beat runs it on "
        "15 January for the year before) and email them to the donors."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "year",
            type=int,
            nargs="?",
            default=timezone.localdate().year - 1,
            help="the civil year of the gifts (default: last year)",
        )

    def handle(self, *args, year, **options):
        run = issue_annual_receipts(year)
        message = ngettext(
            "%(count)d summary receipt issued for %(year)s (%(total)s €).",
            "%(count)d summary receipts issued for %(year)s (%(total)s €).",
            run.count,
        )
        self.stdout.write(message % {"count": run.count, "year": year, "total": euros(run.total)})
