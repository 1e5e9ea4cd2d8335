"""The customer's satisfaction survey page behind a signed link (public: no login). Answering
is engagement's workflow: messaging closes the loop, a low score raises the office's reminder."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from crm.core.errors import ApplicationError
from crm.core.throttling import per_address_limit
from crm.core.words import spoken_date
from crm.engagement.services.surveys import survey_answer_and_follow_up
from crm.messaging.services.surveys import SurveyPage, survey_open
from crm.messaging.survey_phrases import CLOSED_SPANISH, survey_phrases
from crm.reviews.services import COMMENT_MAX_LENGTH


class SurveyForm(forms.Form):
    rating = forms.TypedChoiceField(
        choices=[(n, str(n)) for n in range(1, 6)], coerce=int, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        required=False, max_length=COMMENT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 4})
    )


@login_not_required
@never_cache
@per_address_limit("public-page", "PUBLIC_PAGE_REQUESTS_PER_MINUTE")
@require_http_methods(["GET", "POST"])
def survey(request: HttpRequest, token: str) -> HttpResponse:
    """The customer's satisfaction survey behind a signed link: rate 1-5 and comment, once,
    in the customer's language (English or Spanish)."""
    try:
        page = survey_open(token=token)
    except ApplicationError as error:
        return _closed(request, error)
    with translation.override(page.language):
        return _answer(request, token, page)


def _answer(request: HttpRequest, token: str, page: SurveyPage) -> HttpResponse:
    words = survey_phrases(page.language)
    form = SurveyForm(request.POST if request.method == "POST" else None)
    visit_day = spoken_date(page.visit_day, page.language, weekday=True)
    context = {"page": page, "form": form, "w": words, "language": page.language,
               "visit_day": visit_day}  # fmt: skip
    try:
        if request.method == "POST" and form.is_valid():
            survey_answer_and_follow_up(token=token, **form.cleaned_data)
            return render(request, "messaging/survey.html", {**context, "thanks": True})
    except ApplicationError as error:
        return _closed(request, error)
    status = 422 if form.errors else 200
    return render(request, "messaging/survey.html", context, status=status)


def _closed(request: HttpRequest, error: ApplicationError) -> HttpResponse:
    """Expired, answered or not ours: the reason, in English and in Spanish."""
    context = {
        "closed": error.message, "closed_es": CLOSED_SPANISH.get(error.message, ""),
        "w": survey_phrases("en"), "w_es": survey_phrases("es"),
    }  # fmt: skip
    return render(request, "messaging/survey.html", context, status=error.status)
