from django.contrib.admin.views.decorators import staff_member_required
from django.http import JsonResponse


def export_orders(request):
    return JsonResponse({'orders': list(all_orders())})
