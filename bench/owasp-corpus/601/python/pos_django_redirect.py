from django.http import HttpResponseRedirect


def go(request):
    url = request.GET.get("url")
    return HttpResponseRedirect(url)
