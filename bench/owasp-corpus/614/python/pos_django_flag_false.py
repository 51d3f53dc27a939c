from django.http import HttpResponse

FLAGS = {"secure": False, "httponly": True}


def set_token(request):
    resp = HttpResponse("ok")
    resp.set_cookie("auth", request.session.session_key, max_age=3600,
                    secure=FLAGS["secure"], httponly=FLAGS["httponly"])
    return resp
