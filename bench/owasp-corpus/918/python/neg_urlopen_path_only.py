from urllib.parse import quote
from urllib.request import urlopen
from django.http import HttpResponse


def avatar(request):
    user = quote(request.GET["user"], safe="")
    with urlopen("https://cdn.example.org/avatars/" + user + ".png") as resp:
        return HttpResponse(resp.read(), content_type="image/png")
