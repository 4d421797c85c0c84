from django.urls import path

from donations import views

app_name = "donations"

urlpatterns = [
    path("don/", views.DonateView.as_view(), name="donate"),
    path("don/paiement/", views.DonationPaymentView.as_view(), name="payment"),
    path("don/paiement/carte/", views.CardSetupView.as_view(), name="card-setup"),
    path("don/paiement/payer/", views.CardPayView.as_view(), name="card-pay"),
    path("don/paiement/terminer/", views.CardCompleteView.as_view(), name="card-complete"),
    path("don/merci/", views.ThanksView.as_view(), name="thanks"),
    path("don/recus/<str:token>/", views.DonorReceiptsView.as_view(), name="donor-receipts"),
    path(
        "don/recus/<str:token>/<str:number>.pdf",
        views.DonorReceiptDownloadView.as_view(),
        name="donor-receipt",
    ),
    path(
        "don/mensuel/<str:token>/arreter/",
        views.StopMonthlyGiftView.as_view(),
        name="stop-monthly-gift",
    ),
    path("accounts/dons/", views.AccountDonationsView.as_view(), name="account"),
    path(
        "accounts/dons/recus/<str:number>.pdf",
        views.AccountReceiptDownloadView.as_view(),
        name="account-receipt",
    ),
    path(
        "accounts/dons/mensuel/<int:pk>/arreter/",
        views.AccountStopMonthlyGiftView.as_view(),
        name="account-stop-monthly-gift",
    ),
]
