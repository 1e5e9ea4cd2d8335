"""Money helpers: Decimal with two places, margins, profitability bands (reference B2)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

from django.conf import settings

from crm.core.company import company

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def amount_problem(amount: Decimal, *, maximum: Decimal) -> str | None:
    """What keeps `amount` from being stored as money: "not_finite", "places" (more than two),
    "negative" or "too_large"; None when it fits. Each door words the problem its own way."""
    if not amount.is_finite():
        return "not_finite"
    if amount.as_tuple().exponent < -2:  # type: ignore[operator]
        return "places"
    if amount < 0:
        return "negative"
    return "too_large" if amount > maximum else None


def money(value: Decimal | int | None) -> Decimal:
    """Round to cents (half up, as invoices do); None counts as zero."""
    return Decimal(value or 0).quantize(CENT, rounding=ROUND_HALF_UP)


def money_text(value: Decimal | int | None) -> str:
    """`-1234.5` -> `-$1,234.50` with the configured currency symbol, as a person reads it."""
    amount = money(value)
    sign = "-" if amount < 0 else ""
    return f"{sign}{company().currency_symbol}{abs(amount):,.2f}"


def margin_percent(*, revenue: Decimal, net_profit: Decimal) -> Decimal | None:
    """Net profit as a percentage of revenue, two places; None when there is no revenue."""
    if revenue <= 0:
        return None
    return (net_profit * 100 / revenue).quantize(CENT, rounding=ROUND_HALF_UP)


class ProfitStatus:
    PROFITABLE = "Profitable"
    BREAK_EVEN = "Break-Even"
    LOSS = "Loss"
    NO_REVENUE = "No Revenue"


class Classification:
    """The plan's four profitability classes, plus the honest answer for no data."""

    HIGHLY = "Highly Profitable"
    MODERATELY = "Moderately Profitable"
    BREAK_EVEN = "Break-Even"
    LOSS = "Loss-Making"
    INSUFFICIENT = "Insufficient data"
    PLAN_VALUES = (HIGHLY, MODERATELY, BREAK_EVEN, LOSS)


def profit_status(*, revenue: Decimal, net_profit: Decimal) -> str:
    """Profitable / Break-Even / Loss at a glance; No Revenue when nothing was paid."""
    if net_profit < 0:
        return ProfitStatus.LOSS
    if revenue <= 0:
        return ProfitStatus.NO_REVENUE
    return ProfitStatus.PROFITABLE if net_profit > 0 else ProfitStatus.BREAK_EVEN


def profit_classification(*, revenue: Decimal, net_profit: Decimal) -> str:
    """Margin bands (PROFIT_HIGH_MARGIN, PROFIT_MODERATE_MARGIN): >=45% high, >=10% moderate."""
    if net_profit < 0:
        return Classification.LOSS
    if revenue <= 0:
        return Classification.INSUFFICIENT
    margin = net_profit / revenue
    if margin >= settings.PROFIT_HIGH_MARGIN:
        return Classification.HIGHLY
    if margin >= settings.PROFIT_MODERATE_MARGIN:
        return Classification.MODERATELY
    return Classification.BREAK_EVEN


MARGIN_STEP = Decimal("0.000001")


def profit_margin_floor(*, revenue: Decimal, net_profit: Decimal) -> Decimal | None:
    """Net profit over revenue rounded down to 6 places (None without revenue): compared with
    a margin setting of up to 6 places it gives the same answer as the exact ratio."""
    if revenue <= 0:
        return None
    return (net_profit / revenue).quantize(MARGIN_STEP, rounding=ROUND_FLOOR)


def plan_classification(*, revenue: Decimal, net_profit: Decimal) -> str:
    """The plan's four classes; with no payments and no loss, net zero is Break-Even."""
    computed = profit_classification(revenue=revenue, net_profit=net_profit)
    return Classification.BREAK_EVEN if computed == Classification.INSUFFICIENT else computed


@dataclass(frozen=True)
class Financials:
    """Revenue, expenses and profit for a job or a customer (labour shown separately)."""

    revenue: Decimal
    expenses: Decimal
    labor_cost: Decimal
    payment_count: int = 0
    expense_count: int = 0

    @property
    def net_profit(self) -> Decimal:
        return money(self.revenue - self.expenses)

    @property
    def net_profit_after_labor(self) -> Decimal:
        return money(self.revenue - self.expenses - self.labor_cost)

    @property
    def margin(self) -> Decimal | None:
        return margin_percent(revenue=self.revenue, net_profit=self.net_profit)

    @property
    def status(self) -> str:
        return profit_status(revenue=self.revenue, net_profit=self.net_profit)

    @property
    def classification(self) -> str:
        return profit_classification(revenue=self.revenue, net_profit=self.net_profit)
