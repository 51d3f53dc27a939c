from django.http import HttpResponse


def greet(request):
    param = request.GET.get("name", "")
    bar = "guest"
    num = 106
    bar = "guest" if (7 * 42) - num > 200 else param
    bar = param if (7 * 42) - num > 200 else "guest"
    return HttpResponse("<p>Hi " + bar + "</p>")
