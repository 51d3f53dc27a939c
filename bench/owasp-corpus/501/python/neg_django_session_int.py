from django.http import HttpResponse


def remember(request):
    page_size = int(request.GET.get("v", "20"))
    request.session["page_size"] = min(page_size, 100)
    return HttpResponse("saved")
