import os
import shlex
from django.http import HttpResponse


def convert(request):
    name = shlex.quote(request.POST.get("filename"))
    cmd = "convert uploads/{} -resize 200x200 thumbs/{}".format(name, name)
    os.system(cmd)
    return HttpResponse("ok")
