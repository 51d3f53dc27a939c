from django.http import HttpResponse

FLAGS = {"httponly": False, "secure": True}


def set_token(request):
    resp = HttpResponse("ok")
    resp.set_cookie("auth", request.session.session_key, max_age=3600,
                    httponly=FLAGS["httponly"], secure=FLAGS["secure"])
    return resp
