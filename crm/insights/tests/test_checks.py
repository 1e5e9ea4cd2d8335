"""The shared checks: money quoted in text must come from the data; no links; length."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from crm.insights.checks import invented_amounts, links, quoted_amounts, too_long


@dataclass(frozen=True)
class Facts:
    revenue: Decimal
    lines: list[Decimal]


FACTS = Facts(revenue=Decimal("1234.50"), lines=[Decimal("80.00"), Decimal("-40.00")])


def test_amounts_are_read_in_the_usual_ways_of_writing_money() -> None:
    # when
    amounts = quoted_amounts("Paid $1,234.50, then 20 dollars, USD 80 and $ 5; 7 visits.")
    # then
    assert amounts == [Decimal("1234.50"), Decimal("20.00"), Decimal("80.00"), Decimal("5.00")]


def test_amounts_from_the_data_pass_even_rounded_to_whole_units() -> None:
    # when
    problems = invented_amounts("Revenue $1,234.50 (about $1,235 or $1,234); a $40 loss.", FACTS)
    # then
    assert problems == []


def test_an_amount_not_in_the_data_is_reported() -> None:
    # when
    problems = invented_amounts("A plan would save $199.99 a year.", FACTS)
    # then
    assert problems == ["the amount $199.99 is not in the customer's data"]


def test_links_and_length() -> None:
    # then
    assert links("Book at https://evil.example/pay") == ["the answer contains a link"]
    assert links("Book at www.evil.example") == ["the answer contains a link"]
    assert links("Call us to book.") == []
    assert too_long("one two three", words=2) == ["the answer has 3 words (limit 2)"]
    assert too_long("one two", words=2) == []
