"""The magazine: the writes, one function per use case.

A paid order becomes subscriptions and digital entitlements (``fulfil_order``, on Oscar's
``order_placed`` signal, inside the transaction that places the order); publishing an issue
records who was served and opens the PDF to digital subscribers; a daily job sends renewal
reminders; the newsletter keeps a double opt-in list.
"""

import json
import logging

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from oscar.core.loading import get_model

from accounts.selectors import owner_of, verified_email
from kiosque import ratelimit
from kiosque.services import send_templated_email
from magazine import links, selectors
from magazine.catalogue import (
    DIGITAL_ISSUE,
    DIGITAL_SUBSCRIPTION,
    GIFT_OPTION,
    PRINT_AND_DIGITAL_SUBSCRIPTION,
    PRINT_SUBSCRIPTION,
    RENEWS_OPTION,
)
from magazine.models import (
    Entitlement,
    Issue,
    NewsletterSubscriber,
    RenewalReminder,
    ServedIssue,
    Subscription,
)

logger = logging.getLogger(__name__)

Option = get_model("catalogue", "Option")

FORMATS = {
    PRINT_SUBSCRIPTION.slug: Subscription.Format.PRINT,
    DIGITAL_SUBSCRIPTION.slug: Subscription.Format.DIGITAL,
    PRINT_AND_DIGITAL_SUBSCRIPTION.slug: Subscription.Format.BOTH,
}


def _user_with_email(email: str):
    """The account that owns ``email``: only one that has verified it."""
    return owner_of(email)


def _line_option(line, code: str):
    attribute = line.attributes.filter(option__code=code).first()
    return attribute.value if attribute else None


def gift_option_value(*, name, email, line1, line2, postcode, city, country, message) -> str:
    """The basket line option of a gift subscription (see ``add_gift_to_basket``)."""
    return json.dumps(
        {
            "name": name,
            "email": email,
            "address": {
                "line1": line1,
                "line2": line2,
                "postcode": postcode,
                "city": city,
                "country": country,
            },
            "message": message,
        },
        ensure_ascii=False,
    )


def add_to_basket(basket, product, *, gift: str | None = None, renews: int | None = None):
    """Put a subscription in the basket, as a gift or as the renewal of ``renews``."""
    options = []
    if gift is not None:
        options.append({"option": Option.objects.get(code=GIFT_OPTION[0]), "value": gift})
    if renews is not None:
        options.append({"option": Option.objects.get(code=RENEWS_OPTION[0]), "value": str(renews)})
    return basket.add_product(product, quantity=1, options=options)


# --- From order to subscriptions and entitlements --------------------------------------


@transaction.atomic
def fulfil_order(order) -> None:
    """Create what a paid order gives: subscriptions, single digital issues. Idempotent on
    the order line: running it again (the hook firing twice) creates nothing more."""
    for line in order.lines.select_related("product__product_class"):
        product = line.product
        if product is None:
            continue
        slug = product.get_product_class().slug
        if slug in FORMATS:
            _subscriptions_for(order, line, FORMATS[slug])
        elif slug == DIGITAL_ISSUE.slug:
            _entitlement_for(order, line)


def _order_email(order) -> str:
    return order.user.email if order.user_id else order.guest_email


def _own_address(order) -> tuple[str, dict]:
    address = order.shipping_address
    if address is None:
        user = order.user
        return (user.get_full_name() if user else "") or _order_email(order), {}
    return address.name, {
        "line1": address.line1,
        "line2": " ".join(part for part in (address.line2, address.line3) if part),
        "postcode": address.postcode,
        "city": address.line4,
        "country": address.country_id,
    }


def _subscriptions_for(order, line, format: str) -> None:
    term = line.product.attr.term_in_issues
    gift = _line_option(line, GIFT_OPTION[0])
    gift = json.loads(gift) if isinstance(gift, str) and gift else gift
    renews_id = _line_option(line, RENEWS_OPTION[0])
    buyer_email = _order_email(order)
    if gift:
        name, email, address = gift["name"], gift["email"].strip().lower(), gift["address"]
    else:
        name, address = _own_address(order)
        email = buyer_email
    for copy in range(1, line.quantity + 1):
        if Subscription.objects.filter(order_line=line, copy=copy).exists():
            continue
        renewed = _renewed(_whose(order, email, gift), format, renews_id)
        first = selectors.next_issue_number()
        if renewed is not None:
            first = max(first, renewed.last_issue + 1)
        try:
            with transaction.atomic():
                subscription = Subscription.objects.create(
                    user=order.user if not gift else _user_with_email(email),
                    buyer_email=buyer_email,
                    recipient_name=name,
                    recipient_email=email,
                    address=address if format != Subscription.Format.DIGITAL else {},
                    product=line.product,
                    format=format,
                    first_issue=first,
                    last_issue=first + term - 1,
                    order_line=line,
                    copy=copy,
                    renews=renewed,
                    is_gift=bool(gift),
                    gift_message=(gift or {}).get("message", ""),
                )
        except IntegrityError:
            continue  # created meanwhile by the other run
        if gift:
            send_templated_email(
                "magazine/emails/gift_subscription",
                to=email,
                language="fr",
                context={"subscription": subscription, "buyer_name": _own_address(order)[0]},
            )


def _whose(order, email: str, gift) -> Q:
    """The recipient's subscriptions: by email, except for a reader buying for themselves
    from an account whose email is not verified (then only the account's own)."""
    if order.user_id and not gift and verified_email(order.user) is None:
        return Q(user=order.user)
    return Q(recipient_email__iexact=email)


def _renewed(recipient: Q, format: str, renews_id) -> Subscription | None:
    """The running subscription a new one continues: the one named by a renewal link, else
    the recipient's latest of the same format that has not ended yet."""
    running = Subscription.objects.select_for_update(of=("self",)).filter(
        status=Subscription.Status.ACTIVE, renewed_by__isnull=True
    )
    if renews_id:
        named = running.filter(pk=int(renews_id)).first()
        if named is not None:
            return named
    still_running = selectors.next_issue_number() - 1
    return (
        running.filter(recipient, format=format, last_issue__gte=still_running)
        .order_by("-last_issue")
        .first()
    )


def _entitlement_for(order, line) -> None:
    number = line.product.attr.issue_number
    issue = Issue.objects.filter(number=number).first()
    if issue is None:
        logger.error("Order %s sold issue n°%s, which has no Issue record", order.number, number)
        return
    email = _order_email(order)
    entitlement, created = Entitlement.objects.get_or_create(
        email=email.lower(), issue=issue, defaults={"user": order.user, "order_line": line}
    )
    if created and issue.is_published:
        _send_download_email(entitlement)


def _send_download_email(entitlement: Entitlement) -> None:
    user = entitlement.user or _user_with_email(entitlement.email)
    send_templated_email(
        "magazine/emails/digital_issue",
        to=entitlement.email,
        language="fr",
        context={
            "issue": entitlement.issue,
            "download_url": links.download_url(entitlement),
            "has_account": user is not None,
        },
    )


def link_to_account(user) -> None:
    """A reader verified their email: what was bought for or given to it becomes theirs."""
    email = verified_email(user)
    if email is None:
        return
    Subscription.objects.filter(user__isnull=True, recipient_email__iexact=email).update(user=user)
    Entitlement.objects.filter(user__isnull=True, email__iexact=email).update(user=user)


# --- Publishing -------------------------------------------------------------------------


@transaction.atomic
def publish_issue(issue: Issue) -> int:
    """Mark ``issue`` published: every subscription covering it is recorded as served and
    digital subscribers get the PDF. Idempotent; returns how many subscriptions were served
    by this call."""
    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    if not issue.is_published:
        issue.status = Issue.Status.PUBLISHED
        issue.published_at = timezone.now()
        issue.save(update_fields=["status", "published_at"])
    subscriptions = list(selectors.covering(issue.number).exclude(served__issue=issue))
    ServedIssue.objects.bulk_create(
        [ServedIssue(subscription=subscription, issue=issue) for subscription in subscriptions],
        ignore_conflicts=True,
    )
    for subscription in subscriptions:
        if subscription.includes_digital:
            entitlement, created = Entitlement.objects.get_or_create(
                email=subscription.recipient_email.lower(),
                issue=issue,
                defaults={"user": subscription.user, "subscription": subscription},
            )
            if created:
                _send_download_email(entitlement)
    return len(subscriptions)


# --- Renewal reminders ------------------------------------------------------------------


def send_renewal_reminders() -> int:
    """The daily job: tell subscribers when one issue remains and when it has ended, once
    per subscription and stage (the unique reminder row is written with the email)."""
    next_number = selectors.next_issue_number()
    candidates = Subscription.objects.filter(
        status=Subscription.Status.ACTIVE,
        renewed_by__isnull=True,
        # One issue left (the next one is the last), or just ended with the latest issue.
        last_issue__in=(next_number, next_number - 1),
    ).select_related("product")
    sent = 0
    for subscription in candidates:
        stage = (
            RenewalReminder.Stage.LAST_ISSUE
            if subscription.last_issue == next_number
            else RenewalReminder.Stage.ENDED
        )
        if _remind(subscription, stage):
            sent += 1
    return sent


@transaction.atomic
def _remind(subscription: Subscription, stage: str) -> bool:
    _, created = RenewalReminder.objects.get_or_create(subscription=subscription, stage=stage)
    if not created:
        return False
    user = subscription.user or _user_with_email(subscription.recipient_email)
    send_templated_email(
        f"magazine/emails/renewal_{stage}",
        to=subscription.recipient_email,
        language="fr",
        context={
            "subscription": subscription,
            "renew_url": links.renew_url(subscription),
            "name": (user.first_name if user else "") or subscription.recipient_name,
        },
    )
    return True


# --- Newsletter -------------------------------------------------------------------------


@transaction.atomic
def request_newsletter(email: str, *, source: str, language: str) -> NewsletterSubscriber:
    """Ask for the newsletter: a confirmation link is emailed (double opt-in). Asking again
    while confirmed changes nothing and sends nothing; asking more than EMAILS_PER_ADDRESS
    times in the window sends nothing more (an email flood)."""
    email = email.strip().lower()
    subscriber, _ = NewsletterSubscriber.objects.select_for_update().get_or_create(
        email=email,
        defaults={"source": source, "language": language, "requested_at": timezone.now()},
    )
    if subscriber.status == NewsletterSubscriber.Status.CONFIRMED:
        return subscriber
    subscriber.status = NewsletterSubscriber.Status.PENDING
    subscriber.source = source
    subscriber.language = language
    subscriber.requested_at = timezone.now()
    subscriber.save()
    if not ratelimit.allow_email_to(email, "newsletter"):
        return subscriber  # asked too often: the links already sent will do
    send_templated_email(
        "magazine/emails/newsletter_confirm",
        to=email,
        language=language,
        context={"confirm_url": links.confirm_url(subscriber)},
    )
    return subscriber


def confirm_newsletter(subscriber: NewsletterSubscriber) -> NewsletterSubscriber:
    if subscriber.status != NewsletterSubscriber.Status.CONFIRMED:
        subscriber.status = NewsletterSubscriber.Status.CONFIRMED
        subscriber.consent_at = timezone.now()
        subscriber.unsubscribed_at = None
        subscriber.save()
    return subscriber


def unsubscribe_newsletter(subscriber: NewsletterSubscriber) -> NewsletterSubscriber:
    if subscriber.status != NewsletterSubscriber.Status.UNSUBSCRIBED:
        subscriber.status = NewsletterSubscriber.Status.UNSUBSCRIBED
        subscriber.unsubscribed_at = timezone.now()
        subscriber.save()
    return subscriber
