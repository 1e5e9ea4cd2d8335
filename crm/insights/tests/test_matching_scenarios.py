"""The offline matcher against the dispatcher scenarios (matching_scenarios.CASES): each case on
its own, and the agreement over the suite, which the issue asks to be at least 0.90.

The matcher before issue 15 picked the dispatcher's technician in 11 of these 37 cases (0.30),
measured by running this suite on main's code (commit 0581835)."""

from __future__ import annotations

import pytest
from django.db import transaction

from crm.insights.services import insight_get
from crm.insights.tests.matching_scenarios import CASES, TODAY, Case, case_build

pytestmark = pytest.mark.django_db
TARGET = 0.90


def _answer(case: Case) -> tuple[str, str]:
    """The matcher's primary technician and its whole text, for the case built afresh."""
    customer, options = case_build(case)
    answer = insight_get(
        feature="match-technician", subject_id=customer.pk, today=TODAY, options=options
    )
    return answer.data["primary"]["name"], answer.text


def test_the_suite_covers_every_point_of_the_issue() -> None:
    # then: at least 30 cases, each with its reason written down and fresh technicians
    assert len(CASES) >= 30
    assert all(case.why and case.says for case in CASES)
    assert len({case.name for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_the_dispatchers_technician_with_the_reason(case: Case) -> None:
    # when
    name, text = _answer(case)
    # then
    assert name == case.expected, case.why
    assert case.says in text


def test_agreement_with_the_dispatcher_is_at_least_090(capsys: pytest.CaptureFixture[str]) -> None:
    # when every case is built afresh (rolled back after its answer)
    agreed = 0
    for case in CASES:
        with transaction.atomic():
            agreed += _answer(case)[0] == case.expected
            transaction.set_rollback(True)
    # then
    agreement = agreed / len(CASES)
    with capsys.disabled():
        print(f"\nmatching agreement: {agreed}/{len(CASES)} = {agreement:.2f}")
    assert agreement >= TARGET
