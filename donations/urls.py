from django.urls import path

from donations.views import (
    donor,
    monthly_manage,
    monthly_method,
    order_gift,
    payment,
    public,
)

app_name = "donations"

urlpatterns = [
    path("don/", public.DonateView.as_view(), name="donate"),
    path("don/paiement/", payment.DonationPaymentView.as_view(), name="payment"),
    path("don/paiement/carte/", payment.CardSetupView.as_view(), name="card-setup"),
    path("don/paiement/payer/", payment.CardPayView.as_view(), name="card-pay"),
    path("don/paiement/terminer/", payment.CardCompleteView.as_view(), name="card-complete"),
    path("don/commande/", order_gift.AddOrderGiftView.as_view(), name="order-gift"),
    path(
        "don/commande/retirer/",
        order_gift.RemoveOrderGiftView.as_view(),
        name="order-gift-remove",
    ),
    path("don/merci/", public.ThanksView.as_view(), name="thanks"),
    path("don/recus/<str:token>/", donor.DonorReceiptsView.as_view(), name="donor-receipts"),
    path(
        "don/recus/<str:token>/<str:number>.pdf",
        donor.DonorReceiptDownloadView.as_view(),
        name="donor-receipt",
    ),
    path("don/mensuel/<str:token>/", monthly_manage.MonthlyGiftView.as_view(), name="monthly-gift"),
    path(
        "don/mensuel/<str:token>/montant/",
        monthly_manage.ChangeAmountView.as_view(),
        name="monthly-gift-amount",
    ),
    path(
        "don/mensuel/<str:token>/pause/",
        monthly_manage.PauseView.as_view(),
        name="monthly-gift-pause",
    ),
    path(
        "don/mensuel/<str:token>/reprendre/",
        monthly_manage.ResumeView.as_view(),
        name="monthly-gift-resume",
    ),
    path(
        "don/mensuel/<str:token>/paiement/",
        monthly_method.PaymentMethodView.as_view(),
        name="monthly-payment-method",
    ),
    path(
        "don/mensuel/<str:token>/paiement/preparer/",
        monthly_method.MethodSetupView.as_view(),
        name="monthly-method-setup",
    ),
    path(
        "don/mensuel/<str:token>/paiement/enregistrer/",
        monthly_method.MethodPayView.as_view(),
        name="monthly-method-pay",
    ),
    path(
        "don/mensuel/<str:token>/paiement/terminer/",
        monthly_method.MethodCompleteView.as_view(),
        name="monthly-method-complete",
    ),
    path(
        "don/mensuel/<str:token>/arreter/",
        donor.StopMonthlyGiftView.as_view(),
        name="stop-monthly-gift",
    ),
    path("accounts/dons/", donor.AccountDonationsView.as_view(), name="account"),
    path(
        "accounts/dons/recus/<str:number>.pdf",
        donor.AccountReceiptDownloadView.as_view(),
        name="account-receipt",
    ),
    path(
        "accounts/dons/mensuel/<int:pk>/arreter/",
        donor.AccountStopMonthlyGiftView.as_view(),
        name="account-stop-monthly-gift",
    ),
]
