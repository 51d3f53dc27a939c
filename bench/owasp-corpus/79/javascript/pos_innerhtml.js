function showMessage() {
  const params = new URLSearchParams(window.location.search);
  const msg = params.get("msg");
  document.getElementById("banner").innerHTML = "<b>" + msg + "</b>";
}

document.addEventListener("DOMContentLoaded", showMessage);
