from django.http import JsonResponse

DEFAULT_HOOK = "result = x * 2"


def run_hook(source, context):
    scope = dict(context)
    exec(source, scope)
    return scope.get("result")


def webhook(request):
    x = int(request.POST.get("x", "1"))
    value = run_hook(DEFAULT_HOOK, {"x": x})
    return JsonResponse({"value": value})
