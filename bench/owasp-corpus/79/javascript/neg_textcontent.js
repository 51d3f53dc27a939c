function showMessage() {
  const params = new URLSearchParams(window.location.search);
  const msg = params.get("msg");
  const b = document.createElement("b");
  b.textContent = msg;
  document.getElementById("banner").innerHTML = "";
  document.getElementById("banner").appendChild(b);
}

document.addEventListener("DOMContentLoaded", showMessage);
