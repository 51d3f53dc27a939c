from django.http import HttpResponse


def remember(request):
    key = request.GET.get("k")
    value = request.GET.get("v")
    request.session[key] = value
    return HttpResponse("saved")
