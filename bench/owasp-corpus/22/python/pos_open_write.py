from django.http import HttpResponse


def upload(request):
    f = request.FILES["doc"]
    target = "/var/uploads/" + request.POST["folder"] + "/" + f.name
    with open(target, "wb") as out:
        for chunk in f.chunks():
            out.write(chunk)
    return HttpResponse("stored")
