from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from config.api import api
from crm.core.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("", include("crm.office.urls")),
    path("", include("crm.messaging.urls")),
    path("", include("crm.engagement.urls")),
    path("", include("crm.insights.urls")),
    path("", include("crm.accounts.urls")),
]
