from ldap3 import Server, Connection, SUBTREE
from django.http import JsonResponse

server = Server("ldap://ldap.corp.example")


def groups(request):
    conn = Connection(server, auto_bind=True)
    member = request.GET["member"]
    conn.search("dc=corp,dc=example", "(objectClass=groupOfNames)",
                search_scope=SUBTREE, attributes=["cn", "member"])
    found = [e.cn.value for e in conn.entries if member in e.member.values]
    return JsonResponse({"groups": found})
