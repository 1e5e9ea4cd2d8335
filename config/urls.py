from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from config.api import api
from crm.core.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # Browsers ask for /favicon.ico wherever a page names no icon (the admin's error pages).
    path(
        "favicon.ico",
        login_not_required(RedirectView.as_view(url=static("core/favicon.svg"), permanent=True)),
        name="favicon",
    ),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("", include("crm.office.urls")),
    path("", include("crm.messaging.urls")),
    path("", include("crm.engagement.urls")),
    path("", include("crm.insights.urls")),
    path("", include("crm.accounts.urls")),
    # The customer portal (issue 14): /p/<token>/ and the Customer View's portal-link actions.
    path("", include("crm.portal.urls")),
    path("", include("crm.plans.urls")),
]
