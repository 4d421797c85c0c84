from django.urls import path

from donations.views import dashboard, dashboard_archives

app_name = "donations-dashboard"

urlpatterns = [
    path("association/", dashboard.AssociationUpdateView.as_view(), name="association"),
    path("association/signature/", dashboard.SignatureView.as_view(), name="signature"),
    path("treasury/", dashboard.TreasuryView.as_view(), name="treasury"),
    path("treasury/log/", dashboard.TreasuryLogView.as_view(), name="log"),
    path("treasury/donations/", dashboard.DonationListView.as_view(), name="donations"),
    path("treasury/monthly-gifts/", dashboard.MonthlyGiftListView.as_view(), name="monthly-gifts"),
    path("treasury/donors/<int:pk>/", dashboard.DonorHistoryView.as_view(), name="donor"),
    path("treasury/donors.csv", dashboard.DonorsExportView.as_view(), name="donors-export"),
    path("treasury/annual-receipts/", dashboard.AnnualReceiptsView.as_view(), name="annual"),
    path("treasury/archives/", dashboard_archives.ArchiveStartView.as_view(), name="archive-start"),
    path(
        "treasury/archives/<int:pk>/progress/",
        dashboard_archives.ArchiveProgressView.as_view(),
        name="archive-progress",
    ),
    path(
        "treasury/archives/<int:pk>/download/",
        dashboard_archives.ArchiveDownloadView.as_view(),
        name="archive-download",
    ),
    path("receipts/", dashboard.ReceiptListView.as_view(), name="receipts"),
    path("receipts/export.<str:format>", dashboard.ExportView.as_view(), name="receipts-export"),
    path("receipts/<str:number>/", dashboard.ReceiptDetailView.as_view(), name="receipt"),
    path("receipts/<str:number>.pdf", dashboard.ReceiptDownloadView.as_view(), name="receipt-pdf"),
]
