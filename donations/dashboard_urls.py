from django.urls import path

from donations import dashboard_views as views

app_name = "donations-dashboard"

urlpatterns = [
    path("association/", views.AssociationUpdateView.as_view(), name="association"),
    path("receipts/", views.ReceiptListView.as_view(), name="receipts"),
    path("receipts/<str:number>/", views.ReceiptDetailView.as_view(), name="receipt"),
    path("receipts/<str:number>.pdf", views.ReceiptDownloadView.as_view(), name="receipt-pdf"),
]
