"""The treasurer's ZIP archives of a year's receipts: started, followed, downloaded."""

from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views import View

from donations.models import ReceiptArchive
from donations.services.archives import request_receipts_archive
from donations.views.dashboard import TreasurerOnlyMixin, YearMixin


class ArchiveStartView(TreasurerOnlyMixin, YearMixin, View):
    def post(self, request):
        archive = request_receipts_archive(self.year, request.user)
        return redirect(f"{reverse('donations-dashboard:treasury')}?year={archive.year}#archives")


class ArchiveProgressView(TreasurerOnlyMixin, View):
    """What the progress bar polls."""

    def get(self, request, pk):
        archive = get_object_or_404(ReceiptArchive, pk=pk)
        done = archive.status == ReceiptArchive.Status.DONE and bool(archive.file)
        return JsonResponse(
            {
                "status": archive.status,
                "status_label": str(archive.get_status_display()),
                "done": archive.done,
                "total": archive.total,
                "percent": archive.percent,
                "download_url": (
                    reverse("donations-dashboard:archive-download", args=[archive.pk])
                    if done
                    else None
                ),
            }
        )


class ArchiveDownloadView(TreasurerOnlyMixin, View):
    def get(self, request, pk):
        archive = get_object_or_404(ReceiptArchive, pk=pk, status=ReceiptArchive.Status.DONE)
        if not archive.file:
            raise Http404
        return FileResponse(
            archive.file.open("rb"),
            as_attachment=True,
            filename=f"recus-fiscaux-{archive.year}.zip",
            content_type="application/zip",
        )
