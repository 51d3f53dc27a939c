from urllib.request import urlopen
from django.http import HttpResponse


def avatar(request):
    host = request.GET["cdn"]
    with urlopen("http://" + host + "/avatars/default.png") as resp:
        return HttpResponse(resp.read(), content_type="image/png")
