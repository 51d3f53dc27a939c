package svc

import (
	"net/http"
	"os/exec"
)

func Backup(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("name")
	if err := exec.Command("sh", "-c", "tar czf /backups/out.tgz "+name).Run(); err != nil {
		http.Error(w, "failed", 500)
	}
}
