package main

import (
	"fmt"
	"net/http"

	"github.com/go-ldap/ldap/v3"
)

var conn *ldap.Conn

func lookup(w http.ResponseWriter, r *http.Request) {
	uid := r.URL.Query().Get("uid")
	req := ldap.NewSearchRequest("ou=people,dc=example,dc=org", ldap.ScopeWholeSubtree,
		ldap.NeverDerefAliases, 0, 0, false, fmt.Sprintf("(uid=%s)", uid), []string{"cn"}, nil)
	res, err := conn.Search(req)
	if err != nil {
		http.Error(w, "search failed", 500)
		return
	}
	fmt.Fprintln(w, len(res.Entries))
}

func main() {
	http.HandleFunc("/lookup", lookup)
	http.ListenAndServe(":8080", nil)
}
