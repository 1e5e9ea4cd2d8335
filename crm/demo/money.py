"""Demo money: what customers paid for jobs (mixed methods) and what the jobs cost us."""

from __future__ import annotations

import datetime as dt
import string
from decimal import Decimal

from crm.core.choices import ApplianceType as T
from crm.core.money import money
from crm.demo.context import SeedContext
from crm.demo.jobs import JobDraft
from crm.demo.plans import CustomerPlan
from crm.jobs.models import Expense, ExpenseCategory, Job, JobStatus, Payment, PaymentMethod

TRIP_FEE = Decimal("89.00")
BILL_RATES = (Decimal("95"), Decimal("110"), Decimal("125"))
PARTS_MARKUP = Decimal("1.40")
MILEAGE_RATE = Decimal("0.67")  # IRS standard mileage rate 2024, per mile
UNPAID_SHARE = 0.05
HEAVY = {T.REFRIGERATOR, T.WASHING_MACHINE, T.DRYER, T.FREEZER, T.WATER_HEATER}
DEPOSIT_SHARE = 0.08

METHODS: list[tuple[str, float]] = [
    (PaymentMethod.CARD, 45), (PaymentMethod.MOBILE_WALLET, 18), (PaymentMethod.CASH, 12),
    (PaymentMethod.BANK_TRANSFER, 12), (PaymentMethod.CHECK, 9), (PaymentMethod.OTHER, 4),
]  # fmt: skip
CUSTOMER_EXPENSES: tuple[tuple[str, str, float, float], ...] = (
    (ExpenseCategory.OTHER, "Goodwill credit after a late arrival", 25, 60),
    (ExpenseCategory.OTHER, "Haul-away and disposal of the old appliance", 35, 75),
    (ExpenseCategory.TRAVEL, "Second trip to drop off a manual and spare filter", 8, 20),
)


def _under_warranty(draft: JobDraft) -> bool:
    """A failed part on an appliance still under warranty (maintenance is never covered)."""
    appliance, done = draft.job.appliance, draft.job.completed_at
    expires = appliance.warranty_expires_on if appliance else None
    covered = expires is not None and done is not None and done.date() <= expires
    return covered and draft.problem.part is not None


def _parts_cost(ctx: SeedContext, draft: JobDraft) -> Decimal:
    """What the part cost us; a manufacturer supplies parts for warranty repairs."""
    if draft.problem.part is None or _under_warranty(draft):
        return Decimal("0.00")
    return ctx.money(*draft.problem.part_cost)


def charge_for(ctx: SeedContext, draft: JobDraft, parts_cost: Decimal) -> Decimal:
    """Trip fee + labor at the bill rate + marked-up parts; only the trip fee under warranty."""
    if _under_warranty(draft):
        return TRIP_FEE
    labor = draft.job.labor_hours * ctx.pick(BILL_RATES)
    return money(TRIP_FEE + labor + parts_cost * PARTS_MARKUP)


def reference_for(ctx: SeedContext, method: str) -> str:
    code = "".join(ctx.rng.choices(string.ascii_uppercase + string.digits, k=8))
    references: dict[str, str] = {
        PaymentMethod.CARD: f"{ctx.pick(('VISA', 'MC', 'AMEX'))} ****{ctx.rng.randint(1000, 9999)}",
        PaymentMethod.CHECK: f"Check #{ctx.rng.randint(1001, 4999)}",
        PaymentMethod.BANK_TRANSFER: f"ACH {code}",
        PaymentMethod.MOBILE_WALLET: f"{ctx.pick(('Zelle', 'Apple Pay', 'Venmo'))} {code}",
        PaymentMethod.OTHER: "Gift certificate",
    }
    return references.get(method, "")


def _payment(ctx: SeedContext, job: Job, amount: Decimal, paid_at: dt.datetime) -> Payment:
    method = ctx.weighted(METHODS)
    return Payment(
        customer=job.customer, job=job, amount=amount, date=paid_at.date(), payment_method=method,
        reference=reference_for(ctx, method), created_at=paid_at,
    )  # fmt: skip


def payments_build(ctx: SeedContext, draft: JobDraft, charge: Decimal) -> list[Payment]:
    """Usually one payment on the day; some pay later, a few put down a deposit, a few owe."""
    job = draft.job
    assert job.completed_at is not None
    done = job.completed_at + dt.timedelta(minutes=ctx.rng.randint(1, 5))
    if draft.spec.days_ago < 45 and ctx.chance(UNPAID_SHARE):
        return []
    if ctx.chance(DEPOSIT_SHARE):
        deposit = money(charge * Decimal("0.30"))
        booked = job.created_at + dt.timedelta(minutes=ctx.rng.randint(5, 30))
        return [_payment(ctx, job, deposit, booked), _payment(ctx, job, charge - deposit, done)]
    if ctx.chance(0.75):
        return [_payment(ctx, job, charge, done)]
    later = done + dt.timedelta(days=ctx.rng.randint(1, 14), hours=ctx.rng.randint(-3, 3))
    return [_payment(ctx, job, charge, ctx.past(later))]


def _expense(job: Job, amount: Decimal, category: str, description: str) -> Expense:
    assert job.scheduled_for is not None
    return Expense(
        customer=job.customer, job=job, amount=amount, date=job.scheduled_for.date(),
        category=category, description=description, created_at=job.scheduled_for,
    )  # fmt: skip


def _travel(ctx: SeedContext, job: Job) -> Expense:
    miles = ctx.rng.randint(6, 45)
    return _expense(
        job, money(miles * MILEAGE_RATE), ExpenseCategory.TRAVEL, f"Mileage, {miles} mi"
    )


def expenses_build(ctx: SeedContext, draft: JobDraft, parts_cost: Decimal) -> list[Expense]:
    """Parts, mileage, now and then a helper or a licensed subcontractor."""
    job, expenses = draft.job, []
    if parts_cost > 0:
        brand = job.appliance.brand if job.appliance else "generic"
        expenses.append(
            _expense(job, parts_cost, ExpenseCategory.PARTS, f"{draft.problem.part} ({brand})")
        )
    if ctx.chance(0.65 if job.status == JobStatus.COMPLETED else 0.3):
        expenses.append(_travel(ctx, job))
    heavy = job.appliance is not None and job.appliance.type in HEAVY
    if draft.completed and heavy and ctx.chance(0.05):
        helper = ctx.money(45, 120)
        expenses.append(
            _expense(job, helper, ExpenseCategory.LABOR, "Helper for a two-person lift")
        )
    if "R-410A" in job.outcome and ctx.chance(0.5):
        leak_test = ctx.money(120, 250)
        expenses.append(
            _expense(
                job, leak_test, ExpenseCategory.SUBCONTRACTOR, "Licensed refrigerant leak test"
            )
        )
    return expenses


def job_money_build(ctx: SeedContext, draft: JobDraft) -> tuple[list[Payment], list[Expense]]:
    """Payments and expenses of one job (cancelled jobs may carry a wasted trip)."""
    if draft.job.status == JobStatus.CANCELLED:
        return [], expenses_build(ctx, draft, Decimal("0.00"))
    if not draft.completed:
        return [], []
    parts_cost = _parts_cost(ctx, draft)
    payments = payments_build(ctx, draft, charge_for(ctx, draft, parts_cost))
    return payments, expenses_build(ctx, draft, parts_cost)


def customer_expenses_build(ctx: SeedContext, plan: CustomerPlan) -> list[Expense]:
    """A few costs tied to the customer but to no single job."""
    if not ctx.chance(0.06):
        return []
    category, description, low, high = ctx.pick(CUSTOMER_EXPENSES)
    days_ago = ctx.rng.randint(1, plan.tenure_days - 1)
    return [
        Expense(
            customer=plan.customer, job=None, amount=ctx.money(low, high),
            date=ctx.today - dt.timedelta(days=days_ago), category=category,
            description=description, created_at=ctx.at(days_ago, hour=16),
        )
    ]  # fmt: skip
