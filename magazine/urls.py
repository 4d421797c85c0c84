from django.urls import path

from magazine import views

app_name = "magazine"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("mon-espace/", views.ReaderSpaceView.as_view(), name="reader-space"),
    path(
        "mon-espace/numeros/<int:number>/pdf/",
        views.IssueDownloadView.as_view(),
        name="download",
    ),
    path(
        "numeros/telechargement/<str:token>/",
        views.DownloadLinkView.as_view(),
        name="download-link",
    ),
    path("abonnements/", views.SubscriptionsView.as_view(), name="subscriptions"),
    path("abonnements/renouveler/<str:token>/", views.RenewView.as_view(), name="renew"),
    path("abonnements/<int:pk>/offrir/", views.GiftSubscriptionView.as_view(), name="gift"),
    path("lettre/", views.NewsletterSignupView.as_view(), name="newsletter"),
    path(
        "lettre/confirmer/<str:token>/",
        views.NewsletterConfirmView.as_view(),
        name="newsletter-confirm",
    ),
    path(
        "lettre/desinscription/<str:token>/",
        views.NewsletterUnsubscribeView.as_view(),
        name="newsletter-unsubscribe",
    ),
]
