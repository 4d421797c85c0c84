from django.urls import path

from donations import dashboard_views as views

app_name = "donations-dashboard"

urlpatterns = [
    path("association/", views.AssociationUpdateView.as_view(), name="association"),
    path("association/signature/", views.SignatureView.as_view(), name="signature"),
    path("treasury/", views.TreasuryView.as_view(), name="treasury"),
    path("treasury/log/", views.TreasuryLogView.as_view(), name="log"),
    path("treasury/donations/", views.DonationListView.as_view(), name="donations"),
    path("treasury/donors/<int:pk>/", views.DonorHistoryView.as_view(), name="donor"),
    path("treasury/donors.csv", views.DonorsExportView.as_view(), name="donors-export"),
    path("treasury/annual-receipts/", views.AnnualReceiptsView.as_view(), name="annual"),
    path("treasury/archives/", views.ArchiveStartView.as_view(), name="archive-start"),
    path(
        "treasury/archives/<int:pk>/progress/",
        views.ArchiveProgressView.as_view(),
        name="archive-progress",
    ),
    path(
        "treasury/archives/<int:pk>/download/",
        views.ArchiveDownloadView.as_view(),
        name="archive-download",
    ),
    path("receipts/", views.ReceiptListView.as_view(), name="receipts"),
    path("receipts/export.<str:format>", views.ExportView.as_view(), name="receipts-export"),
    path("receipts/<str:number>/", views.ReceiptDetailView.as_view(), name="receipt"),
    path("receipts/<str:number>.pdf", views.ReceiptDownloadView.as_view(), name="receipt-pdf"),
]
