from ldap3 import Server, Connection, SUBTREE
from django.http import JsonResponse

server = Server("ldap://ldap.corp.example")


def groups(request):
    conn = Connection(server, auto_bind=True)
    member = request.GET["member"]
    conn.search("dc=corp,dc=example", f"(member=uid={member},ou=people,dc=corp,dc=example)",
                search_scope=SUBTREE, attributes=["cn"])
    return JsonResponse({"groups": [e.cn.value for e in conn.entries]})
