from django.urls import path

from donations import views

app_name = "donations-dashboard"

urlpatterns = [
    path("association/", views.AssociationUpdateView.as_view(), name="association"),
]
