from django.shortcuts import render
from django.utils.safestring import mark_safe


def profile(request):
    bio = request.GET.get("bio", "")
    return render(request, "profile.html", {"bio": mark_safe("<p>" + bio + "</p>")})
