"""The magazine's template tags: an issue's editions and record on Oscar's product pages."""

from django import template

from magazine import selectors
from magazine.catalogue import ISSUE

register = template.Library()


@register.simple_tag(takes_context=True)
def issue_editions(context, product):
    """The editions of an issue (print, PDF) with their prices for this reader."""
    return selectors.editions_of(product, context["request"].strategy)


@register.simple_tag
def issue_record(product):
    """The Issue (date, cover, contents) a product of the magazine sells, or None."""
    if product.get_product_class().slug != ISSUE.slug:
        return None
    number = getattr(product.attr, "issue_number", None)
    return selectors.issues_by_number([number]).get(number) if number else None


@register.filter
def lines(text):
    """A text's non-empty lines (an issue's contents)."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


@register.simple_tag
def issue_records(products):
    """{product id: Issue} for a page of products (search results or products): two queries
    for the page, whatever its size."""
    products = [getattr(product, "object", product) for product in products]
    return selectors.issue_records([product for product in products if product is not None])


@register.filter
def record_of(records, product):
    return records.get(product.pk) if records else None


@register.filter
def first_available(editions):
    """The edition chosen when the page opens: the first one that can be bought."""
    return next((edition for edition in editions if edition.available), None)
