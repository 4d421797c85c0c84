from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path(
        "accounts/email/confirmer/<str:token>/",
        views.ConfirmEmailView.as_view(),
        name="confirm-email",
    ),
    path(
        "accounts/email/envoyer-le-lien/",
        views.SendConfirmationView.as_view(),
        name="send-confirmation",
    ),
    # Oscar's profile page, whose email change now waits for the new email's confirmation.
    path("accounts/profile/edit/", views.ProfileUpdateView.as_view(), name="profile-update"),
]
