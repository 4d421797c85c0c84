from django.urls import path

from magazine import dashboard_views as views

app_name = "magazine-dashboard"

urlpatterns = [
    path("issues/", views.IssueListView.as_view(), name="issues"),
    path("issues/new/", views.IssueCreateView.as_view(), name="issue-create"),
    path("issues/<int:number>/", views.IssueUpdateView.as_view(), name="issue-update"),
    path("issues/<int:number>/publish/", views.IssuePublishView.as_view(), name="issue-publish"),
    path("issues/<int:number>/routing/", views.RoutingListView.as_view(), name="routing"),
    path(
        "issues/<int:number>/routing.<str:format>",
        views.RoutingExportView.as_view(),
        name="routing-export",
    ),
    path("newsletter.csv", views.NewsletterExportView.as_view(), name="newsletter-export"),
]
