from django.views.generic import TemplateView

from magazine import selectors


class HomeView(TemplateView):
    template_name = "magazine/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["issues"] = selectors.issues_on_sale()
        context["subscriptions"] = selectors.subscriptions_on_sale()
        return context
