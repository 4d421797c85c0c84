"""The admin's part of the permission matrix's table (tests/project/test_permission_matrix.py):
per registered model, what staff get on each of its pages."""

# The admin: non-staff are sent to its sign-in page; per page, what staff get.
# (team, treasurer, superuser) for the changelist, add, history, delete, change pages and the
# bare object URL (which redirects to the change page).
_ALL = ("200", "200", "200")
_SUPER = ("403", "403", "200")
_TREASURY = ("403", "200", "200")
_NOBODY = ("403", "403", "403")
_TO_CHANGE = ("302", "302", "302")
_SUPER_NO_ROW = ("403", "403", "302")
_PAGES = ("changelist", "add", "history", "delete", "change", "object")


def _pages(*cells):
    return dict(zip(_PAGES, cells, strict=True))


ADMIN_RULES = {
    # The team's models (the demo's Équipe group has every permission on them).
    "team": _pages(_ALL, _ALL, _ALL, _ALL, _ALL, _TO_CHANGE),
    # No row in the fixtures: the change, delete and history pages redirect to the list.
    "team, no row": _pages(_ALL, _ALL, _TO_CHANGE, _TO_CHANGE, _TO_CHANGE, _TO_CHANGE),
    # Nobody's but the superusers'.
    "superuser": _pages(_SUPER, _SUPER, _SUPER, _SUPER, _SUPER, _TO_CHANGE),
    "superuser, no row": _pages(
        _SUPER, _SUPER, _TO_CHANGE, _SUPER_NO_ROW, _SUPER_NO_ROW, _TO_CHANGE
    ),
    "superuser, read-only": _pages(_SUPER, _NOBODY, _SUPER, _SUPER, _SUPER, _TO_CHANGE),
    "superuser, read-only, no row": _pages(
        _SUPER, _NOBODY, _TO_CHANGE, _SUPER_NO_ROW, _SUPER_NO_ROW, _TO_CHANGE
    ),
    # The treasury's (TreasurerOnlyAdminMixin): the team is refused whatever it was granted.
    "treasury": _pages(_TREASURY, _SUPER, _TREASURY, _SUPER, _TREASURY, _TO_CHANGE),
    "treasury, read-only": _pages(_TREASURY, _NOBODY, _TREASURY, _NOBODY, _TREASURY, _TO_CHANGE),
    "treasury, no add": _pages(_TREASURY, _NOBODY, _TREASURY, _SUPER, _TREASURY, _TO_CHANGE),
}
ADMIN_RULES["users"] = _pages(_ALL, _SUPER, _ALL, _SUPER, _ALL, _TO_CHANGE)
ADMIN_RULES["team, no row, no add"] = {**ADMIN_RULES["team, no row"], "add": _NOBODY}

ADMIN_MODELS = {
    # The treasury's: donor data, receipts, their log, the outbox and Stripe's payloads.
    "donations.association": "treasury",
    "donations.donor": "treasury",
    "donations.donation": "treasury, read-only",
    "donations.monthlygift": "treasury, read-only",
    "donations.receipt": "treasury, read-only",
    "donations.treasurylog": "treasury, read-only",
    "kiosque.outboxemail": "treasury, no add",
    "payments.stripeevent": "treasury, no add",
    # Copies of emails sent to accounts (password-reset links): superusers only.
    "communication.email": "superuser, read-only",
    # The templates that write them (a saved one replaces Oscar's file): superusers only.
    "communication.communicationeventtype": "superuser",
    "auth.user": "users",
    "auth.group": "superuser",
    "sites.site": "superuser",
    "axes.accessattempt": "superuser, read-only, no row",
    "axes.accessfailurelog": "superuser, read-only, no row",
    "axes.accesslog": "superuser, read-only",
    "address.country": "superuser",
    "address.useraddress": "superuser",
    "analytics.productrecord": "superuser",
    "analytics.userrecord": "superuser",
    "analytics.usersearch": "superuser, no row",
    "analytics.userproductview": "superuser, no row",
    "basket.basket": "superuser",
    "basket.line": "superuser",
    "basket.lineattribute": "superuser, no row",
    "customer.productalert": "superuser",
    "magazine.issue": "superuser",
    "magazine.subscription": "superuser",
    "magazine.entitlement": "superuser",
    "magazine.newslettersubscriber": "superuser, no row",
    "magazine.servedissue": "superuser, no row",
    "magazine.renewalreminder": "superuser, no row",
    "kiosque_shop.cardpayment": "team, no row, no add",
    **dict.fromkeys(
        (
            "flatpages.flatpage", "shipping.weightbased", "catalogue.productclass",
            "catalogue.product", "catalogue.productattribute", "catalogue.productattributevalue",
            "catalogue.attributeoptiongroup", "catalogue.option", "catalogue.productimage",
            "catalogue.category", "catalogue.productcategory", "reviews.productreview",
            "communication.notification",
            "partner.partner", "partner.stockrecord", "offer.conditionaloffer", "offer.condition",
            "offer.benefit", "offer.range", "order.order", "order.ordernote",
            "order.shippingaddress", "order.line", "order.lineprice", "voucher.voucher",
            "wishlists.wishlist", "wishlists.line",
        ),
        "team",
    ),
    **dict.fromkeys(
        (
            "shipping.orderanditemcharges", "reviews.vote", "payment.source", "payment.sourcetype",
            "payment.transaction", "payment.bankcard", "order.orderstatuschange",
            "order.shippingevent", "order.shippingeventtype", "order.paymentevent",
            "order.paymenteventtype", "order.lineattribute", "order.orderdiscount",
            "order.communicationevent", "order.billingaddress", "order.surcharge",
            "voucher.voucherapplication", "wishlists.wishlistsharedemail",
        ),
        "team, no row",
    ),
}  # fmt: skip
