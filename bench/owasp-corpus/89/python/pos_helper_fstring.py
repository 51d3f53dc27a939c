from django.db import connection
from django.http import JsonResponse


def build_filter(column, value):
    return f"SELECT id, title FROM articles WHERE {column} = '{value}' ORDER BY id"


def list_articles(request):
    author = request.GET.get("author")
    query = build_filter("author", author)
    with connection.cursor() as cursor:
        cursor.execute(query)
        data = cursor.fetchall()
    return JsonResponse({"articles": data})
