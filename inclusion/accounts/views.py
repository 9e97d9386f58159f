from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


def logout_confirm(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/logout.html")


@login_not_required
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/accessibility.html")


def home(request: HttpRequest) -> HttpResponse:
    return redirect("plans:plan_list")
