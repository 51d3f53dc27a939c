from django.http import JsonResponse


def run_hook(source, context):
    scope = dict(context)
    exec(source, scope)
    return scope.get("result")


def webhook(request):
    body = request.POST.get("script", "")
    value = run_hook(body, {"x": 1})
    return JsonResponse({"value": value})
