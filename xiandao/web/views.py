from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .workbench import workbench_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The workbench (工作台) of the logged-in user's role."""
    return render(request, "web/home.html", {"workbench": workbench_for(request.user)})
