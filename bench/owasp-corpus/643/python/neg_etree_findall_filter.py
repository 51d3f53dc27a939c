import xml.etree.ElementTree as ET
from django.http import JsonResponse

CATALOG = ET.parse("catalog.xml")


def by_category(request):
    cat = request.GET.get("category", "")
    items = [i for i in CATALOG.getroot().findall(".//item") if i.get("category") == cat]
    return JsonResponse({"items": [i.get("sku") for i in items]})
