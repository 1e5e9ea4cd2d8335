"""The customer's satisfaction survey page behind a signed link (public: no login). Answering
is engagement's workflow: messaging closes the loop, a low score raises the office's reminder."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from crm.core.errors import ApplicationError
from crm.core.throttling import per_address_limit
from crm.engagement.services.surveys import survey_answer_and_follow_up
from crm.messaging.services.surveys import survey_open
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
    """The customer's satisfaction survey behind a signed link: rate 1-5 and comment, once."""
    try:
        page = survey_open(token=token)
        form = SurveyForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            survey_answer_and_follow_up(token=token, **form.cleaned_data)
            return render(request, "messaging/survey.html", {"thanks": True})
    except ApplicationError as error:
        context = {"closed": error.message}
        return render(request, "messaging/survey.html", context, status=error.status)
    status = 422 if form.errors else 200
    return render(request, "messaging/survey.html", {"page": page, "form": form}, status=status)
