"""Plan template 1: Customer Value & Profitability Analysis."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from django.utils import timezone

from crm.core.company import company
from crm.core.dates import add_months, company_today
from crm.core.money import Classification, money, plan_classification
from crm.customers.selectors import customer_get
from crm.insights import history
from crm.insights.checks import text_problems
from crm.insights.features.base import Feature, OutputModel, plural, two_places
from crm.insights.prompting import CustomerText
from crm.jobs.selectors import (
    customer_financials,
    customer_net_profit_between,
    job_financials_of,
)
from crm.plans.selectors import plans_active_costed

LAST_N = 5
STEADY_BAND = Decimal("0.10")  # within 10% of the year before counts as steady (our default)
PlanClassification = Literal[
    "Highly Profitable", "Moderately Profitable", "Break-Even", "Loss-Making"
]


@dataclass(frozen=True)
class PaymentLine:
    amount: Decimal
    date: dt.date
    method: str


@dataclass(frozen=True)
class ExpenseLine:
    amount: Decimal
    date: dt.date
    category: str


@dataclass(frozen=True)
class PlanLine:
    """An active maintenance plan: its yearly price against this plan year's visits' costs."""

    name: CustomerText
    price_per_year: Decimal
    visits_cost: Decimal


@dataclass(frozen=True)
class JobLine:
    description: CustomerText
    date: dt.date | None
    profit: Decimal


@dataclass(frozen=True)
class ProfitabilityContext:
    """Every figure the prompt and the offline twin use, computed from the database."""

    customer_id: int
    name: str
    customer_since: dt.date
    currency: str
    jobs_completed: int
    total_revenue: Decimal
    total_expenses: Decimal
    net_profit: Decimal
    payment_count: int
    expense_count: int
    average_revenue_per_job: Decimal | None
    margin_percent: Decimal | None
    classification: str
    net_last_12_months: Decimal
    net_prior_12_months: Decimal
    trend: str
    top_payment_method: str
    top_payment_method_count: int
    top_expense_category: str
    top_expense_category_total: Decimal
    recent_payments: list[PaymentLine]
    recent_expenses: list[ExpenseLine]
    recent_jobs: list[JobLine]
    # Plan revenue (the price per year) against plan visits' costs, a line of its own: payments
    # made for a plan are already in total_revenue, so the price is not added to it.
    plans: list[PlanLine] = field(default_factory=list)


class ProfitabilityAnalysis(OutputModel):
    """PROFITABILITY ANALYSIS, KEY OBSERVATION, RECOMMENDATION, CLASSIFICATION."""

    profitability_analysis: str
    key_observation: str
    recommendation: str
    classification: PlanClassification


def trend_of(*, last: Decimal, prior: Decimal) -> str:
    """improving / declining / steady: the last 12 months' net against the 12 before."""
    band = abs(prior) * STEADY_BAND
    if abs(last - prior) <= band:
        return "steady"
    return "improving" if last > prior else "declining"


def build_context(*, subject_id: int, today: dt.date | None = None) -> ProfitabilityContext:
    """The customer's money, trend and last five payments, expenses and jobs."""
    day = today or company_today()
    customer = customer_get(customer_id=subject_id)
    totals = customer_financials(customer_id=customer.pk)
    jobs_completed = history.completed_job_count(customer_id=customer.pk)
    tomorrow = day + dt.timedelta(days=1)
    year_ago, two_years_ago = add_months(tomorrow, -12), add_months(tomorrow, -24)
    last = customer_net_profit_between(customer_id=customer.pk, start=year_ago, end=tomorrow)
    prior = customer_net_profit_between(customer_id=customer.pk, start=two_years_ago, end=year_ago)
    method = history.top_payment_method(customer_id=customer.pk)
    category = history.top_expense_category(customer_id=customer.pk)
    return ProfitabilityContext(
        customer_id=customer.pk, name=customer.name,
        customer_since=timezone.localdate(customer.created_at), currency=company().currency_symbol,
        jobs_completed=jobs_completed, total_revenue=totals.revenue,
        total_expenses=totals.expenses, net_profit=totals.net_profit,
        payment_count=totals.payment_count, expense_count=totals.expense_count,
        average_revenue_per_job=money(totals.revenue / jobs_completed) if jobs_completed else None,
        margin_percent=totals.margin,
        classification=plan_classification(revenue=totals.revenue, net_profit=totals.net_profit),
        net_last_12_months=last, net_prior_12_months=prior, trend=trend_of(last=last, prior=prior),
        top_payment_method=method[0] if method else "",
        top_payment_method_count=method[1] if method else 0,
        top_expense_category=category[0] if category else "",
        top_expense_category_total=money(category[1]) if category else money(0),
        recent_payments=[
            PaymentLine(p.amount, p.date, p.payment_method)
            for p in history.recent_payments(customer_id=customer.pk, limit=LAST_N)
        ],
        recent_expenses=[
            ExpenseLine(e.amount, e.date, e.category)
            for e in history.recent_expenses(customer_id=customer.pk, limit=LAST_N)
        ],
        recent_jobs=_recent_jobs(customer.pk),
        plans=[
            PlanLine(CustomerText(p.name), p.price_per_year, money(getattr(p, "visits_cost", 0)))
            for p in plans_active_costed(customer_id=customer.pk)
        ],
    )  # fmt: skip


def _recent_jobs(customer_id: int) -> list[JobLine]:
    jobs = history.recent_completed_jobs_with_financials(customer_id=customer_id, limit=LAST_N)
    return [
        JobLine(
            CustomerText(job.description), history.job_day(job), job_financials_of(job).net_profit
        )
        for job in jobs
    ]


def _amount(c: ProfitabilityContext, value: Decimal) -> str:
    return f"{c.currency}{value:,.2f}"


def _summary(c: ProfitabilityContext) -> str:
    since = f"{c.customer_since:%B %Y}"
    if c.payment_count == 0:
        costs = f" Expenses so far total {_amount(c, c.total_expenses)}." if c.expense_count else ""
        return f"{c.name} has no payments recorded since becoming a customer in {since}.{costs}"
    margin = f" ({c.margin_percent}% margin)" if c.margin_percent is not None else ""
    return (
        f"Since {since}, {c.name} has paid {_amount(c, c.total_revenue)} over "
        f"{plural(c.payment_count, 'payment')} against {_amount(c, c.total_expenses)} of expenses, "
        f"a net profit of {_amount(c, c.net_profit)}{margin}. "
        f"Net profit in the last 12 months was {_amount(c, c.net_last_12_months)} against "
        f"{_amount(c, c.net_prior_12_months)} in the 12 months before ({c.trend})."
    )


def _observation(c: ProfitabilityContext) -> str:
    parts = []
    if c.top_payment_method:
        parts.append(
            f"Most payments are by {c.top_payment_method} "
            f"({c.top_payment_method_count} of {c.payment_count})."
        )
    if c.average_revenue_per_job is not None:
        parts.append(
            f"A completed job brings {_amount(c, c.average_revenue_per_job)} on average "
            f"over {plural(c.jobs_completed, 'job')}."
        )
    if c.top_expense_category:
        parts.append(
            f"The largest cost is {c.top_expense_category} "
            f"({_amount(c, c.top_expense_category_total)})."
        )
    parts += [
        f"On the {p.name} plan: {_amount(c, p.price_per_year)} a year against "
        f"{_amount(c, p.visits_cost)} of plan visits' costs this plan year."
        for p in c.plans
    ]
    return " ".join(parts) or "There is no spending history yet."


RECOMMENDATIONS = {
    Classification.LOSS: "Review what this customer's jobs cost: quote parts and travel before "
    "the visit and price return visits so they cover their costs.",
    Classification.BREAK_EVEN: "Offer a yearly maintenance plan priced above its cost, so "
    "planned visits replace low-margin emergency calls.",
    Classification.MODERATELY: "Offer a maintenance plan covering their other appliances, "
    "booking visits together to cut travel costs.",
    Classification.HIGHLY: "Keep this valued customer close: offer priority booking and ask "
    "for a review or a referral.",
}


def offline(c: ProfitabilityContext) -> ProfitabilityAnalysis:
    """Margin bands and the 12-month trend, written from fixed sentences."""
    recommendation = RECOMMENDATIONS[c.classification]
    if c.trend == "declining" and c.classification != Classification.LOSS:
        recommendation += " Net profit is falling: check in about their recent experience."
    return ProfitabilityAnalysis(
        profitability_analysis=_summary(c),
        key_observation=_observation(c),
        recommendation=recommendation,
        classification=c.classification,  # type: ignore[arg-type]
    )


def text(answer: ProfitabilityAnalysis, c: ProfitabilityContext) -> str:
    """The plan's Expected Output Format."""
    return (
        f"PROFITABILITY ANALYSIS:\n{answer.profitability_analysis}\n\n"
        f"KEY OBSERVATION:\n{answer.key_observation}\n\n"
        f"RECOMMENDATION:\n{answer.recommendation}\n\n"
        f"CLASSIFICATION: {answer.classification}"
    )


def check(answer: ProfitabilityAnalysis, c: ProfitabilityContext) -> list[str]:
    """Classification equals the margin band; amounts from the data; under ~150 words."""
    problems = []
    if answer.classification != c.classification:
        problems.append(
            f"classification {answer.classification!r} contradicts the computed margin "
            f"({c.margin_percent}% -> {c.classification})"
        )
    return problems + text_problems(text(answer, c), c, words=200)


def facts(c: ProfitabilityContext) -> dict[str, Any]:
    return {
        "totalRevenue": two_places(c.total_revenue),
        "totalExpenses": two_places(c.total_expenses),
        "netProfit": two_places(c.net_profit),
        "marginPercent": two_places(c.margin_percent),
        "classification": c.classification,
        "netLast12Months": two_places(c.net_last_12_months),
        "netPrior12Months": two_places(c.net_prior_12_months),
        "trend": c.trend,
    }


FEATURE = Feature(
    name="profitability-analysis",
    template="profitability_analysis.v1.j2",
    output_model=ProfitabilityAnalysis,
    build_context=build_context,
    offline=offline,
    check=check,
    text=text,
    facts=facts,
    max_output_tokens=600,
)
