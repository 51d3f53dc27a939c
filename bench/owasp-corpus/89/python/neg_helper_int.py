from django.db import connection
from django.http import JsonResponse


def build_filter(column, value):
    return f"SELECT id, title FROM articles WHERE {column} = {value} ORDER BY id"


def list_articles(request):
    author_id = int(request.GET.get("author_id", "0"))
    query = build_filter("author_id", author_id)
    with connection.cursor() as cursor:
        cursor.execute(query)
        data = cursor.fetchall()
    return JsonResponse({"articles": data})
