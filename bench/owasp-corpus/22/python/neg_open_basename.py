import os
import uuid
from django.http import HttpResponse


def upload(request):
    f = request.FILES["doc"]
    folder = "team-" + str(uuid.UUID(request.POST["folder"]))
    target = "/var/uploads/" + folder + "/" + os.path.basename(f.name)
    with open(target, "wb") as out:
        for chunk in f.chunks():
            out.write(chunk)
    return HttpResponse("stored")
