import oscar.apps.checkout.apps as apps
from django.urls import path
from oscar.core.loading import get_class


class CheckoutConfig(apps.CheckoutConfig):
    name = "shop.checkout"

    def ready(self):
        super().ready()
        self.card_setup_view = get_class("checkout.views", "CardSetupView")
        self.card_pay_view = get_class("checkout.views", "CardPayView")
        self.card_complete_view = get_class("checkout.views", "CardCompleteView")

    def get_urls(self):
        urls = [
            path("card/setup/", self.card_setup_view.as_view(), name="card-setup"),
            path("card/pay/", self.card_pay_view.as_view(), name="card-pay"),
            path("card/complete/", self.card_complete_view.as_view(), name="card-complete"),
        ]
        return super().get_urls() + self.post_process_urls(urls)
