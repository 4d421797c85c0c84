"""Basket and order lines, orders' statuses and payments, in words (shop.line_words,
shop.order_words), for every page and email that shows them."""

from django import template

from shop import line_words, order_words

register = template.Library()


@register.simple_tag
def line_words_of(line, next_step=False, absolute=False):
    """``{% line_words_of line next_step=True as words %}``: title, details, next step."""
    return line_words.words_for(line, next_step=next_step, absolute=absolute)


@register.filter
def line_in_words(line) -> str:
    """``{{ line|line_in_words }}``: the line on one line of text."""
    return str(line_words.words_for(line))


@register.filter
def reader_status(order) -> str:
    return order_words.reader_status(order)


@register.simple_tag
def payments_of(order):
    """``{% payments_of order as payments %}``"""
    return order_words.payments_of(order)
