from django.contrib.auth import views as auth_views
from django.urls import path

from inclusion.accounts import views

urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in/", views.LoginView.as_view(), name="login"),
    path("sign-out/", views.logout_confirm, name="logout_confirm"),
    path("sign-out/confirm/", auth_views.LogoutView.as_view(), name="logout"),
    path("accessibility/", views.accessibility, name="accessibility"),
]
